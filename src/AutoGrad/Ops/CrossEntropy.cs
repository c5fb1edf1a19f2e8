using System.Globalization;
using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Cross-entropy of rows of logits against class labels (<see cref="Nn.Loss.CrossEntropy{T}(Tensor{T}, int[], int?, T[], double, Nn.Reduction)"/>):
    /// row i's term <c>ℓᵢ = (1 − ε)·w_yᵢ·(LSEᵢ − xᵢ,yᵢ) + (ε/C)·Σⱼ wⱼ·(LSEᵢ − xᵢⱼ)</c>, 0 on a row whose label is the
    /// ignore index, LSEᵢ the row's log-sum-exp; the loss is <c>Σᵢ ℓᵢ / Σ_kept w_yᵢ</c> (mean; (1/K) Σ over the K kept
    /// rows without weights or smoothing), <c>Σᵢ ℓᵢ</c> (sum), both 1×1, or the N×1 column of the ℓᵢ (none).
    /// Backward: ∂L/∂xᵢⱼ = gᵢ · (softmax(x)ᵢⱼ · aᵢ − (1 − ε)·w_yᵢ·[j = yᵢ] − (ε/C)·wⱼ), aᵢ = (1 − ε)·w_yᵢ + (ε/C)·Σₖ wₖ,
    /// with gᵢ the upstream gradient divided by the denominator (mean), as is (sum) or row i's (none); 0 on an ignored
    /// row; one pass over the saved log-sum-exps.
    /// </summary>
    internal Tensor<T> CrossEntropyWithLabels(int[] labels, int? ignoreIndex, T[]? weight = null, double labelSmoothing = 0, Nn.Reduction reduction = Nn.Reduction.Mean)
    {
        const string op = CrossEntropyDeclaration.OpName;
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != Rows)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"CrossEntropy: {labels.Length} labels for {Shape} logits; need one label per row ({Rows})."), nameof(labels));
        }
        var terms = CrossEntropyTerms<T>.Create(op, Shape, ignoreIndex, weight, labelSmoothing, reduction);
        var kept = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] == ignoreIndex)
            {
                kept[i] = IgnoredRow;
                continue;
            }
            CheckLabel(labels[i], i, Shape, ignoreIndex);
            kept[i] = labels[i];
        }
        terms.CheckDenominator(op, kept);
        return CrossEntropyOf(op, kept, null, terms);
    }

    /// <summary>How a row whose label is the ignore index is marked in the labels the operation keeps.</summary>
    internal const int IgnoredRow = -1;

    /// <summary>
    /// The same with the labels given as an N×1 tensor of class indices (0, 1, …, C−1 stored as numbers), so that a
    /// compiled training step can take them as an input (<see cref="Nn.Loss.CrossEntropyOfLabels{T}"/>). The labels get
    /// no gradient.
    /// </summary>
    internal Tensor<T> CrossEntropyWithLabels(Tensor<T> labels, int? ignoreIndex, T[]? weight = null, double labelSmoothing = 0, Nn.Reduction reduction = Nn.Reduction.Mean)
    {
        const string op = "CrossEntropyOfLabels";
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Shape != new Shape(Rows, 1))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"CrossEntropyOfLabels: the labels are {labels.Shape} for {Shape} logits; need a {Rows}×1 tensor of class indices (one per row)."), nameof(labels));
        }
        var terms = CrossEntropyTerms<T>.Create(op, Shape, ignoreIndex, weight, labelSmoothing, reduction);
        var indices = new int[Rows];
        ReadLabels(labels.DataFor(op), Shape, indices, terms);
        return CrossEntropyOf(op, indices, labels, terms);
    }

    private Tensor<T> CrossEntropyOf(string caller, int[] labels, Tensor<T>? labelTensor, CrossEntropyTerms<T> terms)
    {
        T[] x = DataFor(caller);
        var logSums = new T[Rows];
        var result = Uninitialized(terms.ResultShape(Rows));
        CrossEntropyKernel(x, Shape, labels, terms, logSums, result.Data);
        Operation<T>? op = labelTensor is null
            ? (ShouldRecord(this) ? new CrossEntropyOperation([this], labels, logSums, terms) : null)
            : (ShouldRecord(this, labelTensor) ? new CrossEntropyOperation([this, labelTensor], labels, logSums, terms) : null);
        return Track(result, op, terms.Name, this, labelTensor);
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

    /// <summary>
    /// Class indices from a labels tensor, each checked to be a whole number in 0..C−1 or the ignore index (kept as
    /// <see cref="IgnoredRow"/>); labels whose mean would be 0/0 are refused (<see cref="CrossEntropyTerms{T}.CheckDenominator"/>).
    /// </summary>
    internal static void ReadLabels(ReadOnlySpan<T> values, Shape logits, Span<int> labels, CrossEntropyTerms<T> terms)
    {
        const string op = "CrossEntropyOfLabels";
        int? ignoreIndex = terms.IgnoreIndex;
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
        }
        terms.CheckDenominator(op, labels);
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
    /// ℓᵢ = (1 − ε)·w_yᵢ·(sᵢ − (xᵢ,yᵢ − mᵢ)) + (ε/C)·Σⱼ wⱼ·(sᵢ − (xᵢⱼ − mᵢ)) for each row of logits x that has a label
    /// (not <see cref="IgnoredRow"/>), mᵢ the row's shift (its maximum) and sᵢ = ln Σⱼ e^(xᵢⱼ − mᵢ), kept in
    /// <paramref name="logSums"/>: the log-softmax form, accurate however far the logits are from 0 (LSEᵢ − xᵢ,yᵢ would
    /// first round mᵢ + sᵢ to mᵢ's last bit). Writes Σᵢ ℓᵢ / Σ_kept w_yᵢ, Σᵢ ℓᵢ, or every ℓᵢ (0 on an ignored row) to
    /// <paramref name="loss"/>. Without weights or smoothing each ℓᵢ is sᵢ − (xᵢ,yᵢ − mᵢ) exactly (the factors are 1 and
    /// the smoothing term is skipped).
    /// </summary>
    internal static void CrossEntropyKernel(ReadOnlySpan<T> x, Shape shape, ReadOnlySpan<int> labels, CrossEntropyTerms<T> terms, Span<T> logSums, Span<T> loss)
    {
        var lanes = Lanes.Of(shape, 1);
        int cols = shape.Cols;
        bool smoothed = terms.Smoothing != 0;
        bool rows = terms.Reduction == Nn.Reduction.None;
        T total = T.Zero;
        for (int i = 0; i < shape.Rows; i++)
        {
            if (labels[i] == IgnoredRow)
            {
                logSums[i] = T.Zero; // never read: the row's gradient is 0
                if (rows)
                {
                    loss[i] = T.Zero;
                }
                continue;
            }
            T m = SoftmaxKernels.Shift<T>(x, lanes, i);
            T s = SoftmaxKernels.LogSumOfShiftedExps<T>(x, lanes, i, m);
            logSums[i] = s;
            T term = terms.LabelFactor * terms.WeightOf(labels[i]) * (s - (x[i * cols + labels[i]] - m));
            if (smoothed)
            {
                T spread = T.Zero;
                for (int j = 0; j < cols; j++)
                {
                    spread += terms.WeightOf(j) * (s - (x[i * cols + j] - m));
                }
                term += terms.SmoothingFactor * spread;
            }
            if (rows)
            {
                loss[i] = term;
            }
            else
            {
                total += term;
            }
        }
        if (!rows)
        {
            loss[0] = terms.Reduction == Nn.Reduction.Mean ? total / terms.Denominator(labels) : total;
        }
    }

    /// <summary>
    /// ∂L/∂xᵢⱼ = gᵢ · (e^((xᵢⱼ − mᵢ) − sᵢ) · aᵢ − (1 − ε)·w_yᵢ·[j = yᵢ] − (ε/C)·wⱼ), aᵢ = (1 − ε)·w_yᵢ + (ε/C)·W, with the
    /// sᵢ the forward pass kept and gᵢ = g / Σ_kept w_yᵢ (mean), g (sum) or <paramref name="g"/>[i] (none): the plain
    /// backward pass's kernel. Without weights or smoothing aᵢ = 1 and the terms are p − 1 and p exactly.
    /// </summary>
    internal static void CrossEntropyGradient(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Shape shape, ReadOnlySpan<int> labels, CrossEntropyTerms<T> terms, ReadOnlySpan<T> logSums, Span<T> d)
    {
        bool rows = terms.Reduction == Nn.Reduction.None;
        T scale = rows ? T.Zero : terms.Reduction == Nn.Reduction.Mean ? g[0] / terms.Denominator(labels) : g[0];
        int cols = shape.Cols;
        bool plain = terms.Weight is null && terms.Smoothing == 0;
        var lanes = Lanes.Of(shape, 1);
        for (int i = 0; i < shape.Rows; i++)
        {
            if (labels[i] == IgnoredRow)
            {
                d.Slice(i * cols, cols).Clear();
                continue;
            }
            T rowScale = rows ? g[i] : scale;
            T hot = terms.LabelFactor * terms.WeightOf(labels[i]);
            T a = hot + terms.SmoothingFactor * terms.WeightTotal;
            T m = SoftmaxKernels.Shift<T>(x, lanes, i);
            if (plain)
            {
                // a = 1 and the target is the one-hot row: the same bits without a multiply and a lookup per element
                for (int j = 0; j < cols; j++)
                {
                    int e = i * cols + j;
                    T q = T.Exp((x[e] - m) - logSums[i]);
                    d[e] = rowScale * (j == labels[i] ? q - T.One : q);
                }
                continue;
            }
            for (int j = 0; j < cols; j++)
            {
                int e = i * cols + j;
                T p = T.Exp((x[e] - m) - logSums[i]) * a;
                T target = (j == labels[i] ? hot : T.Zero) + terms.SmoothingFactor * terms.WeightOf(j);
                d[e] = rowScale * (p - target);
            }
        }
    }

    /// <summary>The recorded cross-entropy; input 1, when present, is the labels tensor (no gradient).</summary>
    internal sealed class CrossEntropyOperation(Tensor<T>[] inputs, int[] labels, T[] logSums, CrossEntropyTerms<T> terms) : Operation<T>(inputs), Compilation.IPlanStepSource<T>
    {
        private readonly int keptRows = KeptRows(labels);

        public override string Name => terms.Name;

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
                gradients[0] = Compilation.CapturedCrossEntropyGradientOperation<T>.Record(grad, x, Inputs.Length > 1 ? Inputs[1] : null, labels, logSums, terms);
                return;
            }
            if (ShouldRecord(grad, x))
            {
                gradients[0] = terms.IsPlainMean ? RecordedPlainGradient(x, grad) : RecordedGradient(x, grad);
                return;
            }
            var d = Uninitialized(x.Shape);
            CrossEntropyGradient(grad.Data, x.Data, x.Shape, labels, terms, logSums, d.Data);
            gradients[0] = d;
        }

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.CrossEntropyStep<T>(inputs, shapes[0], labels, terms, output, gradient: false);

        /// <summary>(softmax(x) − onehot(labels)) · g / K, ignored rows masked out.</summary>
        private Tensor<T> RecordedPlainGradient(Tensor<T> x, Tensor<T> grad)
        {
            Tensor<T> residual = x.Softmax(1) - OneHot(x.Shape);
            if (keptRows < labels.Length)
            {
                residual *= KeptRowMask(); // an ignored row's softmax is no part of the loss
            }
            return residual * (grad / T.CreateChecked(keptRows));
        }

        /// <summary>(softmax(x) ⊙ a − targets) · g / Σ_kept w_yᵢ (mean), · g (sum) or ⊙ g row by row (none); a and the targets are 0 on an ignored row.</summary>
        private Tensor<T> RecordedGradient(Tensor<T> x, Tensor<T> grad)
        {
            Shape shape = x.Shape;
            var coefficients = Zeros(new Shape(shape.Rows, 1));
            coefficients.Name = "a(labels)";
            var targets = Zeros(shape);
            targets.Name = "targets(labels)";
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] == IgnoredRow)
                {
                    continue;
                }
                T hot = terms.LabelFactor * terms.WeightOf(labels[i]);
                coefficients.Data[i] = hot + terms.SmoothingFactor * terms.WeightTotal;
                for (int j = 0; j < shape.Cols; j++)
                {
                    targets.Data[i * shape.Cols + j] = (j == labels[i] ? hot : T.Zero) + terms.SmoothingFactor * terms.WeightOf(j);
                }
            }
            Tensor<T> residual = x.Softmax(1) * coefficients - targets;
            return terms.Reduction == Nn.Reduction.Mean ? residual * (grad / terms.Denominator(labels)) : residual * grad;
        }

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
/// Cross-entropy against labels 0, 1, 2, … (row i gets label i mod columns) and, in its variants, the same with row 1
/// labelled −100 and left out, with class weights wⱼ = 0.5 + 0.25·j, label smoothing 0.1, and the sum or the per-row
/// terms; formulas show CE(x), which cannot be evaluated back (the labels are not in it).
/// </summary>
internal sealed class CrossEntropyDeclaration(int? ignoreIndex, bool weighted, double smoothing, AutoGrad.Nn.Reduction reduction) : OperationDeclaration
{
    public const string OpName = "CrossEntropy";

    private const int TestIgnoreIndex = -100;

    private CrossEntropyDeclaration()
        : this(null, false, 0, AutoGrad.Nn.Reduction.Mean)
    {
    }

    public override string Name => CrossEntropyTerms<double>.NameOf(ignoreIndex, weighted, smoothing, reduction);

    public override Type OperationType => typeof(Tensor<>.CrossEntropyOperation);

    public override int Arity => 1;

    public override bool WritesEvaluableFormula => false;

    // with an ignore index every case has a row left out and one kept
    public override IReadOnlyList<Shape[]> ShapeCases => ignoreIndex is null ? [[new(3, 4)], [new(1, 5)]] : [[new(3, 4)], [new(2, 5)]];

    public override IEnumerable<OperationDeclaration> Variants =>
    [
        new CrossEntropyDeclaration(null, false, 0, AutoGrad.Nn.Reduction.Mean),
        new CrossEntropyDeclaration(TestIgnoreIndex, false, 0, AutoGrad.Nn.Reduction.Mean),
        new CrossEntropyDeclaration(TestIgnoreIndex, true, 0.1, AutoGrad.Nn.Reduction.Mean),
        new CrossEntropyDeclaration(null, true, 0.1, AutoGrad.Nn.Reduction.Sum),
        new CrossEntropyDeclaration(TestIgnoreIndex, false, 0.1, AutoGrad.Nn.Reduction.None),
    ];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs)
    {
        Tensor<T> logits = inputs[0];
        int[] labels = Enumerable.Range(0, logits.Rows).Select(i => ignoreIndex is { } ignored && i == 1 ? ignored : i % logits.Cols).ToArray();
        T[]? weight = weighted ? Enumerable.Range(0, logits.Cols).Select(j => T.CreateChecked(0.5 + 0.25 * j)).ToArray() : null;
        return logits.CrossEntropyWithLabels(labels, ignoreIndex, weight, smoothing, reduction);
    }

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) => null;
}
