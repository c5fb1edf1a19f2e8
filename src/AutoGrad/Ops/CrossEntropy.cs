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
                $"CrossEntropy: {labels.Length} labels for {Shape} logits; need one label per row ({Rows}).", nameof(labels));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)Cols)
            {
                throw new ArgumentOutOfRangeException(nameof(labels),
                    $"CrossEntropy: label {labels[i]} of row {i} is not a class of {Shape} logits; labels must be in 0..{Cols - 1}.");
            }
        }
        var lanes = Lanes.Of(Shape, 1);
        var logSumExps = new T[Rows];
        T total = T.Zero;
        for (int i = 0; i < Rows; i++)
        {
            logSumExps[i] = SoftmaxKernels.LogSumExp<T>(Data, lanes, i);
            total += logSumExps[i] - Data[i * Cols + labels[i]];
        }
        var result = Uninitialized(new Shape(1, 1));
        result.Data[0] = total / T.CreateChecked(Rows);
        return Track(result, ShouldRecord(this) ? new CrossEntropyOperation(this, (int[])labels.Clone(), logSumExps) : null, "CrossEntropy", this);
    }

    internal sealed class CrossEntropyOperation(Tensor<T> logits, int[] labels, T[] logSumExps) : Operation<T>(logits)
    {
        public override string Name => "CrossEntropy";

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function("CE", "\\mathrm{CE}", inputs[0]);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> x = Inputs[0];
            if (ShouldRecord(grad, x))
            {
                gradients[0] = (x.Softmax(1) - OneHot(x.Shape)) * (grad / T.CreateChecked(x.Rows));
                return;
            }
            var d = Uninitialized(x.Shape);
            T scale = grad.Data[0] / T.CreateChecked(x.Rows);
            int cols = x.Cols;
            for (int i = 0; i < x.Rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    int e = i * cols + j;
                    T p = T.Exp(x.Data[e] - logSumExps[i]);
                    d.Data[e] = scale * (j == labels[i] ? p - T.One : p);
                }
            }
            gradients[0] = d;
        }

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
    public override string Name => "CrossEntropy";

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
