using System.Globalization;
using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Mean cross-entropy of rows of logits against class labels (<see cref="Nn.Loss.CrossEntropy{T}(Tensor{T}, int[], int?)"/>):
    /// <c>L = (1/K) Σᵢ (LSEᵢ − xᵢ,labelᵢ)</c> over the K rows whose label is not <paramref name="ignoreIndex"/> (all N
    /// rows when it is null), with LSEᵢ the row's log-sum-exp, a 1×1 tensor.
    /// Backward: ∂L/∂xᵢⱼ = ∂L/∂L · (softmax(x)ᵢⱼ − [j = labelᵢ]) / K on a kept row, 0 on an ignored one, in one pass over
    /// the saved log-sum-exps.
    /// </summary>
    internal Tensor<T> CrossEntropyWithLabels(int[] labels, int? ignoreIndex)
    {
        const string op = CrossEntropyDeclaration.OpName;
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != Rows)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"CrossEntropy: {labels.Length} labels for {Shape} logits; need one label per row ({Rows})."), nameof(labels));
        }
        var kept = new int[labels.Length];
        int keptCount = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == ignoreIndex)
            {
                kept[i] = IgnoredRow;
                continue;
            }
            CheckLabel(labels[i], i, Shape, ignoreIndex);
            kept[i] = labels[i];
            keptCount++;
        }
        if (keptCount == 0)
        {
            throw AllRowsIgnored(op, labels.Length, ignoreIndex!.Value);
        }
        return CrossEntropyOf(op, kept, null, ignoreIndex);
    }

    /// <summary>How a row whose label is the ignore index is marked in the labels the operation keeps.</summary>
    internal const int IgnoredRow = -1;

    /// <summary>
    /// The same with the labels given as an N×1 tensor of class indices (0, 1, …, C−1 stored as numbers), so that a
    /// compiled training step can take them as an input (<see cref="Nn.Loss.CrossEntropyOfLabels{T}"/>). The labels get
    /// no gradient.
    /// </summary>
    internal Tensor<T> CrossEntropyWithLabels(Tensor<T> labels, int? ignoreIndex)
    {
        const string op = "CrossEntropyOfLabels";
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Shape != new Shape(Rows, 1))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"CrossEntropyOfLabels: the labels are {labels.Shape} for {Shape} logits; need a {Rows}×1 tensor of class indices (one per row)."), nameof(labels));
        }
        var indices = new int[Rows];
        ReadLabels(labels.DataFor(op), Shape, indices, ignoreIndex);
        return CrossEntropyOf(op, indices, labels, ignoreIndex);
    }

    private Tensor<T> CrossEntropyOf(string caller, int[] labels, Tensor<T>? labelTensor, int? ignoreIndex)
    {
        T[] x = DataFor(caller);
        var logSums = new T[Rows];
        var result = Uninitialized(new Shape(1, 1));
        result.Data[0] = CrossEntropyKernel(x, Shape, labels, logSums);
        Operation<T>? op = labelTensor is null
            ? (ShouldRecord(this) ? new CrossEntropyOperation([this], labels, logSums, ignoreIndex) : null)
            : (ShouldRecord(this, labelTensor) ? new CrossEntropyOperation([this, labelTensor], labels, logSums, ignoreIndex) : null);
        return Track(result, op, CrossEntropyDeclaration.NameOf(ignoreIndex), this, labelTensor);
    }

    private static void CheckLabel(int label, int row, Shape logits, int? ignoreIndex)
    {
        if ((uint)label >= (uint)logits.Cols)
        {
            throw new ArgumentOutOfRangeException("labels",
                string.Create(CultureInfo.InvariantCulture, $"CrossEntropy: label {label} of row {row} is not a class of {logits} logits; labels must be in 0..{logits.Cols - 1}") +
                IgnoreHint(label < 0, ignoreIndex));
        }
    }

    /// <summary>The end of a label refusal: the ignore index in force, or, for a negative label without one, how to skip rows.</summary>
    private static string IgnoreHint(bool negative, int? ignoreIndex) =>
        ignoreIndex is { } ignored ? string.Create(CultureInfo.InvariantCulture, $", or the ignoreIndex {ignored}.")
        : negative ? ". To skip rows marked with a label, as PyTorch's ignore_index (default -100) does, pass ignoreIndex: -100."
        : ".";

    /// <summary>The refusal of a batch whose every label is the ignore index: its mean over no rows is 0/0.</summary>
    private static ArgumentException AllRowsIgnored(string op, int rows, int ignoreIndex) => new(
        string.Create(CultureInfo.InvariantCulture, $"{op}: all {rows} labels are the ignoreIndex {ignoreIndex}, so the mean is over no rows (0/0; PyTorch returns NaN). ") +
        "Skip this batch, or give it at least one labelled row.", "labels");

    /// <summary>
    /// Class indices from a labels tensor, each checked to be a whole number in 0..C−1 or <paramref name="ignoreIndex"/>
    /// (kept as <see cref="IgnoredRow"/>); a batch with no other label is refused.
    /// </summary>
    internal static void ReadLabels(ReadOnlySpan<T> values, Shape logits, Span<int> labels, int? ignoreIndex)
    {
        const string op = "CrossEntropyOfLabels";
        int keptCount = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            T v = values[i];
            if (ignoreIndex is { } ignored && v == T.CreateChecked(ignored))
            {
                labels[i] = IgnoredRow;
                continue;
            }
            if (!T.IsInteger(v) || v < T.Zero || v >= T.CreateChecked(logits.Cols))
            {
                throw new ArgumentOutOfRangeException("labels",
                    string.Create(CultureInfo.InvariantCulture, $"{op}: label {v} of row {i} is not a class of {logits} logits; labels must be whole numbers in 0..{logits.Cols - 1}") +
                    IgnoreHint(v < T.Zero, ignoreIndex));
            }
            labels[i] = int.CreateTruncating(v);
            keptCount++;
        }
        if (keptCount == 0)
        {
            throw AllRowsIgnored(op, labels.Length, ignoreIndex!.Value);
        }
    }

    /// <summary>How many rows have a label (are not <see cref="IgnoredRow"/>): the K of the mean.</summary>
    internal static int KeptRows(ReadOnlySpan<int> labels)
    {
        int count = 0;
        foreach (int label in labels)
        {
            count += label == IgnoredRow ? 0 : 1;
        }
        return count;
    }

    /// <summary>
    /// L = (1/K) Σᵢ (sᵢ − (xᵢ,labelᵢ − mᵢ)) over the K rows of logits x that have a label (not <see cref="IgnoredRow"/>),
    /// mᵢ the row's shift (its maximum) and sᵢ = ln Σⱼ e^(xᵢⱼ − mᵢ), kept in <paramref name="logSums"/>: the log-softmax
    /// form, accurate however far the logits are from 0 (LSEᵢ − xᵢ,labelᵢ would first round mᵢ + sᵢ to mᵢ's last bit).
    /// </summary>
    internal static T CrossEntropyKernel(ReadOnlySpan<T> x, Shape shape, ReadOnlySpan<int> labels, Span<T> logSums)
    {
        var lanes = Lanes.Of(shape, 1);
        T total = T.Zero;
        int kept = 0;
        for (int i = 0; i < shape.Rows; i++)
        {
            if (labels[i] == IgnoredRow)
            {
                logSums[i] = T.Zero; // never read: the row's gradient is 0
                continue;
            }
            T m = SoftmaxKernels.Shift<T>(x, lanes, i);
            logSums[i] = SoftmaxKernels.LogSumOfShiftedExps<T>(x, lanes, i, m);
            total += logSums[i] - (x[i * shape.Cols + labels[i]] - m);
            kept++;
        }
        return total / T.CreateChecked(kept);
    }

    /// <summary>
    /// ∂L/∂xᵢⱼ = g · (e^((xᵢⱼ − mᵢ) − sᵢ) − [j = labelᵢ]) / N, with the sᵢ the forward pass kept: the plain backward
    /// pass's kernel.
    /// </summary>
    internal static void CrossEntropyGradient(T g, ReadOnlySpan<T> x, Shape shape, ReadOnlySpan<int> labels, ReadOnlySpan<T> logSums, Span<T> d)
    {
        T scale = g / T.CreateChecked(KeptRows(labels));
        int cols = shape.Cols;
        var lanes = Lanes.Of(shape, 1);
        for (int i = 0; i < shape.Rows; i++)
        {
            if (labels[i] == IgnoredRow)
            {
                d.Slice(i * cols, cols).Clear();
                continue;
            }
            T m = SoftmaxKernels.Shift<T>(x, lanes, i);
            for (int j = 0; j < cols; j++)
            {
                int e = i * cols + j;
                T p = T.Exp((x[e] - m) - logSums[i]);
                d[e] = scale * (j == labels[i] ? p - T.One : p);
            }
        }
    }

    /// <summary>The recorded mean cross-entropy; input 1, when present, is the labels tensor (no gradient).</summary>
    internal sealed class CrossEntropyOperation(Tensor<T>[] inputs, int[] labels, T[] logSums, int? ignoreIndex) : Operation<T>(inputs), Compilation.IPlanStepSource<T>
    {
        private readonly int keptRows = KeptRows(labels);

        public override string Name => CrossEntropyDeclaration.NameOf(ignoreIndex);

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function("CE", "\\mathrm{CE}", inputs[0]);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> x = Inputs[0];
            if (!Needs(0))
            {
                return;
            }
            if (Compilation.BackwardCapture.IsActive)
            {
                // a compiled step runs the plain pass's kernel, with each call's labels
                gradients[0] = Compilation.CapturedCrossEntropyGradientOperation<T>.Record(grad, x, Inputs.Length > 1 ? Inputs[1] : null, labels, logSums, ignoreIndex);
                return;
            }
            if (ShouldRecord(grad, x))
            {
                Tensor<T> residual = x.Softmax(1) - OneHot(x.Shape);
                if (keptRows < labels.Length)
                {
                    residual *= KeptRowMask(); // an ignored row's softmax is no part of the loss
                }
                gradients[0] = residual * (grad / T.CreateChecked(keptRows));
                return;
            }
            var d = Uninitialized(x.Shape);
            CrossEntropyGradient(grad.Data[0], x.Data, x.Shape, labels, logSums, d.Data);
            gradients[0] = d;
        }

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.CrossEntropyStep<T>(inputs, shapes[0], labels, ignoreIndex, output, gradient: false);

        /// <summary>The labels as a constant one-hot matrix.</summary>
        private Tensor<T> OneHot(Shape shape)
        {
            var oneHot = Zeros(shape);
            oneHot.Name = "onehot(labels)";
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] != IgnoredRow)
                {
                    oneHot.Data[i * shape.Cols + labels[i]] = T.One;
                }
            }
            return oneHot;
        }

        /// <summary>An N×1 constant: 1 on a row with a label, 0 on an ignored one.</summary>
        private Tensor<T> KeptRowMask()
        {
            var mask = Zeros(new Shape(labels.Length, 1));
            mask.Name = "kept(labels)";
            for (int i = 0; i < labels.Length; i++)
            {
                mask.Data[i] = labels[i] == IgnoredRow ? T.Zero : T.One;
            }
            return mask;
        }
    }
}

/// <summary>
/// Mean cross-entropy against labels 0, 1, 2, … (row i gets label i mod columns) and, in the variant with an ignore
/// index, the same with row 1 labelled −100 and left out; formulas show CE(x), which cannot be evaluated back (the
/// labels are not in it).
/// </summary>
internal sealed class CrossEntropyDeclaration(int? ignoreIndex) : OperationDeclaration
{
    public const string OpName = "CrossEntropy";

    private const int TestIgnoreIndex = -100;

    private CrossEntropyDeclaration()
        : this(null)
    {
    }

    /// <summary>"CrossEntropy", or "CrossEntropy(ignoreIndex: -100)" for the loss that leaves rows out.</summary>
    public static string NameOf(int? ignoreIndex) =>
        ignoreIndex is { } ignored ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{OpName}(ignoreIndex: {ignored})") : OpName;

    public override string Name => NameOf(ignoreIndex);

    public override Type OperationType => typeof(Tensor<>.CrossEntropyOperation);

    public override int Arity => 1;

    public override bool WritesEvaluableFormula => false;

    // with an ignore index every case has a row left out and one kept
    public override IReadOnlyList<Shape[]> ShapeCases => ignoreIndex is null ? [[new(3, 4)], [new(1, 5)]] : [[new(3, 4)], [new(2, 5)]];

    public override IEnumerable<OperationDeclaration> Variants => [new CrossEntropyDeclaration(null), new CrossEntropyDeclaration(TestIgnoreIndex)];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs)
    {
        Tensor<T> logits = inputs[0];
        int[] labels = Enumerable.Range(0, logits.Rows).Select(i => ignoreIndex is { } ignored && i == 1 ? ignored : i % logits.Cols).ToArray();
        return logits.CrossEntropyWithLabels(labels, ignoreIndex);
    }

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) => null;
}
