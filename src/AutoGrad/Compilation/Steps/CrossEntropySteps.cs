using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// Cross-entropy of rows of logits against class labels (rows whose label is the ignore index left out; weights,
/// smoothing and reduction as the operation's), or (<c>gradient</c>) the plain backward pass's ∂L/∂x, with the
/// operation's own kernels. Reads the logits (and, for the gradient,
/// g first); the labels are the trace's constant int[] or, when the operation was given a labels tensor, read from
/// its buffer on each call (and checked) into an array allocated once. The gradient recomputes each row's
/// log-sum-exp with the forward kernel — the same bits the forward kept — into another such array.
/// </summary>
internal sealed class CrossEntropyStep<T> : PlanStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Shape logits;
    private readonly bool gradient;
    private readonly PlanBuffer<T>? labelBuffer;
    private readonly int[] labels;
    private readonly T[] logSumExps;
    private readonly T[] rowLosses;
    private readonly CrossEntropyTerms<T> terms;

    // inputs: the logits and, if given, the labels tensor; for the gradient, g before them.
    public CrossEntropyStep(PlanBuffer<T>[] inputs, Shape logits, int[] tracedLabels, CrossEntropyTerms<T> terms, PlanBuffer<T> output, bool gradient)
        : base(gradient ? "CrossEntropy′" : "CrossEntropy", inputs, output, gradient ? logits : terms.ResultShape(logits.Rows))
    {
        this.logits = logits;
        this.gradient = gradient;
        int first = gradient ? 1 : 0;
        labelBuffer = inputs.Length > first + 1 ? inputs[first + 1] : null;
        labels = labelBuffer is null ? tracedLabels : new int[logits.Rows];
        logSumExps = new T[logits.Rows];
        rowLosses = new T[terms.ResultShape(logits.Rows).Length]; // the gradient's forward pass writes its unused loss here
        this.terms = terms;
    }

    public override bool MayRefuse => labelBuffer is not null;

    public override void Run()
    {
        if (labelBuffer is not null)
        {
            Tensor<T>.ReadLabels(labelBuffer.Array, logits, labels, terms);
        }
        if (gradient)
        {
            T[] x = Reads[1].Array;
            Tensor<T>.CrossEntropyKernel(x, logits, labels, terms, logSumExps, rowLosses);
            Tensor<T>.CrossEntropyGradient(Reads[0].Array, x, logits, labels, terms, logSumExps, Writes.Array);
        }
        else
        {
            Tensor<T>.CrossEntropyKernel(Reads[0].Array, logits, labels, terms, logSumExps, Writes.Array);
        }
    }
}

/// <summary>
/// Cross-entropy's plain-pass gradient kernel recorded during a capture (<see cref="BackwardCapture"/>), with inputs
/// g, the logits and, if the operation has one, the labels tensor; never differentiated.
/// </summary>
internal sealed class CapturedCrossEntropyGradientOperation<T> : CapturedOperation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] labels;
    private readonly CrossEntropyTerms<T> terms;

    private CapturedCrossEntropyGradientOperation(Tensor<T>[] inputs, int[] labels, CrossEntropyTerms<T> terms)
        : base(inputs) => (this.labels, this.terms) = (labels, terms);

    /// <summary>Runs the kernel as the eager pass does and records the result as this operation's.</summary>
    public static Tensor<T> Record(Tensor<T> grad, Tensor<T> x, Tensor<T>? labelTensor, int[] labels, T[] logSumExps, CrossEntropyTerms<T> terms)
    {
        var result = Tensor<T>.Uninitialized(x.Shape);
        Tensor<T>.CrossEntropyGradient(grad.Data, x.Data, x.Shape, labels, terms, logSumExps, result.Data);
        result.SetCreator(new CapturedCrossEntropyGradientOperation<T>(labelTensor is null ? [grad, x] : [grad, x, labelTensor], labels, terms));
        return result;
    }

    public override string Name => "CrossEntropy′";

    public override PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape outputShape) =>
        new CrossEntropyStep<T>(inputs, inputShapes[1], labels, terms, output, gradient: true);
}
