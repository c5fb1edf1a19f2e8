using System.Globalization;
using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Mean cross-entropy of rows of logits against class labels (<see cref="Nn.Loss.CrossEntropy{T}(Tensor{T}, int[])"/>):
    /// <c>L = (1/N) Σᵢ (LSEᵢ − xᵢ,labelᵢ)</c> with LSEᵢ the row's log-sum-exp, a 1×1 tensor.
    /// Backward: ∂L/∂xᵢⱼ = ∂L/∂L · (softmax(x)ᵢⱼ − [j = labelᵢ]) / N, in one pass over the saved log-sum-exps.
    /// </summary>
    internal Tensor<T> CrossEntropyWithLabels(int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != Rows)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"CrossEntropy: {labels.Length} labels for {Shape} logits; need one label per row ({Rows})."), nameof(labels));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            CheckLabel(labels[i], i, Shape);
        }
        return CrossEntropyOf((int[])labels.Clone(), null);
    }

    /// <summary>
    /// The same with the labels given as an N×1 tensor of class indices (0, 1, …, C−1 stored as numbers), so that a
    /// compiled training step can take them as an input (<see cref="Nn.Loss.CrossEntropyOfLabels{T}"/>). The labels get
    /// no gradient.
    /// </summary>
    internal Tensor<T> CrossEntropyWithLabels(Tensor<T> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Shape != new Shape(Rows, 1))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"CrossEntropyOfLabels: the labels are {labels.Shape} for {Shape} logits; need a {Rows}×1 tensor of class indices (one per row)."), nameof(labels));
        }
        var indices = new int[Rows];
        ReadLabels(labels.Data, Shape, indices);
        return CrossEntropyOf(indices, labels);
    }

    private Tensor<T> CrossEntropyOf(int[] labels, Tensor<T>? labelTensor)
    {
        var logSums = new T[Rows];
        var result = Uninitialized(new Shape(1, 1));
        result.Data[0] = CrossEntropyKernel(Data, Shape, labels, logSums);
        Operation<T>? op = labelTensor is null
            ? (ShouldRecord(this) ? new CrossEntropyOperation([this], labels, logSums) : null)
            : (ShouldRecord(this, labelTensor) ? new CrossEntropyOperation([this, labelTensor], labels, logSums) : null);
        return Track(result, op, CrossEntropyDeclaration.OpName, this, labelTensor);
    }

    private static void CheckLabel(int label, int row, Shape logits)
    {
        if ((uint)label >= (uint)logits.Cols)
        {
            throw new ArgumentOutOfRangeException("labels",
                string.Create(CultureInfo.InvariantCulture, $"CrossEntropy: label {label} of row {row} is not a class of {logits} logits; labels must be in 0..{logits.Cols - 1}.") +
                (label < 0 ? NoIgnoreIndex : ""));
        }
    }

    /// <summary>The hint a negative label gets: PyTorch marks rows to skip with ignore_index (default -100); AutoGrad has none.</summary>
    private const string NoIgnoreIndex =
        " AutoGrad has no ignore_index (PyTorch's default -100 marks rows to skip): keep the other rows with Gather(rows) on the logits " +
        "and pass only their labels (PyTorch's mean over the kept rows), or pass target probabilities with an all-zero row for each " +
        "skipped row to CrossEntropy(logits, probabilities) (whose mean divides by all N rows).";

    /// <summary>Class indices from a labels tensor, each checked to be a whole number in 0..C−1.</summary>
    internal static void ReadLabels(ReadOnlySpan<T> values, Shape logits, Span<int> labels)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            T v = values[i];
            if (!T.IsInteger(v) || v < T.Zero || v >= T.CreateChecked(logits.Cols))
            {
                throw new ArgumentOutOfRangeException("labels",
                    string.Create(CultureInfo.InvariantCulture, $"CrossEntropyOfLabels: label {v} of row {i} is not a class of {logits} logits; labels must be whole numbers in 0..{logits.Cols - 1}.") +
                    (v < T.Zero ? NoIgnoreIndex : ""));
            }
            labels[i] = int.CreateTruncating(v);
        }
    }

    /// <summary>
    /// L = (1/N) Σᵢ (sᵢ − (xᵢ,labelᵢ − mᵢ)) over rows of logits x, mᵢ the row's shift (its maximum) and
    /// sᵢ = ln Σⱼ e^(xᵢⱼ − mᵢ), kept in <paramref name="logSums"/>: the log-softmax form, accurate however far the logits are
    /// from 0 (LSEᵢ − xᵢ,labelᵢ would first round mᵢ + sᵢ to mᵢ's last bit).
    /// </summary>
    internal static T CrossEntropyKernel(ReadOnlySpan<T> x, Shape shape, ReadOnlySpan<int> labels, Span<T> logSums)
    {
        var lanes = Lanes.Of(shape, 1);
        T total = T.Zero;
        for (int i = 0; i < shape.Rows; i++)
        {
            T m = SoftmaxKernels.Shift<T>(x, lanes, i);
            logSums[i] = SoftmaxKernels.LogSumOfShiftedExps<T>(x, lanes, i, m);
            total += logSums[i] - (x[i * shape.Cols + labels[i]] - m);
        }
        return total / T.CreateChecked(shape.Rows);
    }

    /// <summary>
    /// ∂L/∂xᵢⱼ = g · (e^((xᵢⱼ − mᵢ) − sᵢ) − [j = labelᵢ]) / N, with the sᵢ the forward pass kept: the plain backward
    /// pass's kernel.
    /// </summary>
    internal static void CrossEntropyGradient(T g, ReadOnlySpan<T> x, Shape shape, ReadOnlySpan<int> labels, ReadOnlySpan<T> logSums, Span<T> d)
    {
        T scale = g / T.CreateChecked(shape.Rows);
        int cols = shape.Cols;
        var lanes = Lanes.Of(shape, 1);
        for (int i = 0; i < shape.Rows; i++)
        {
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
    internal sealed class CrossEntropyOperation(Tensor<T>[] inputs, int[] labels, T[] logSums) : Operation<T>(inputs), Compilation.IPlanStepSource<T>
    {
        public override string Name => CrossEntropyDeclaration.OpName;

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
                gradients[0] = Compilation.CapturedCrossEntropyGradientOperation<T>.Record(grad, x, Inputs.Length > 1 ? Inputs[1] : null, labels, logSums);
                return;
            }
            if (ShouldRecord(grad, x))
            {
                gradients[0] = (x.Softmax(1) - OneHot(x.Shape)) * (grad / T.CreateChecked(x.Rows));
                return;
            }
            var d = Uninitialized(x.Shape);
            CrossEntropyGradient(grad.Data[0], x.Data, x.Shape, labels, logSums, d.Data);
            gradients[0] = d;
        }

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.CrossEntropyStep<T>(inputs, shapes[0], labels, output, gradient: false);

        /// <summary>The labels as a constant one-hot matrix.</summary>
        private Tensor<T> OneHot(Shape shape)
        {
            var oneHot = Zeros(shape);
            oneHot.Name = "onehot(labels)";
            for (int i = 0; i < labels.Length; i++)
            {
                oneHot.Data[i * shape.Cols + labels[i]] = T.One;
            }
            return oneHot;
        }
    }
}

/// <summary>Mean cross-entropy against labels 0, 1, 2, … (row i gets label i mod columns); formulas show CE(x), which cannot be evaluated back (the labels are not in it).</summary>
internal sealed class CrossEntropyDeclaration : OperationDeclaration
{
    public const string OpName = "CrossEntropy";

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.CrossEntropyOperation);

    public override int Arity => 1;

    public override bool WritesEvaluableFormula => false;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 5)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs)
    {
        Tensor<T> logits = inputs[0];
        return logits.CrossEntropyWithLabels(Enumerable.Range(0, logits.Rows).Select(i => i % logits.Cols).ToArray());
    }

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) => null;
}
