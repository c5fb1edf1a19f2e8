using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Maximum along one axis (axis 1: per row, a Rows×1 column; axis 0: per column, a 1×Cols row), as the values of
    /// <c>torch.max(x, dim)</c>; NaN counts as the largest value.
    /// Backward: the whole of ∂L/∂mᵢ goes to the element <see cref="ArgMax"/> returns — the first maximum on ties —
    /// and the others get 0. This is PyTorch's rule for <c>max(dim)</c> (gradient to the returned index), not that of
    /// <c>amax</c>, which splits the gradient evenly between ties.
    /// </summary>
    public Tensor<T> Max(int axis) => Extreme("Max", axis, smallest: false);

    /// <summary>
    /// Minimum along one axis, as the values of <c>torch.min(x, dim)</c>; NaN counts as the smallest value.
    /// Backward: the gradient goes to the element <see cref="ArgMin"/> returns (the first minimum on ties).
    /// </summary>
    public Tensor<T> Min(int axis) => Extreme("Min", axis, smallest: true);

    private Tensor<T> Extreme(string op, int axis, bool smallest)
    {
        Lanes.CheckAxis(op, axis, Shape);
        int[] indices = ArgExtreme(axis, smallest);
        var result = Uninitialized(Lanes.Reduced(Shape, axis));
        var lanes = Lanes.Of(Shape, axis);
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            result.Data[lane] = Data[lanes.Index(lane, indices[lane])];
        }
        string name = $"{op}(axis: {axis})";
        return Track(result, ShouldRecord(this) ? new ExtremeOperation(this, name, axis, indices) : null, name, this);
    }

    private int[] ArgExtreme(int axis, bool smallest)
    {
        var lanes = Lanes.Of(Shape, axis);
        var indices = new int[lanes.Count];
        for (int lane = 0; lane < lanes.Count; lane++)
        {
            indices[lane] = SoftmaxKernels.ArgExtreme<T>(Data, lanes, lane, smallest);
        }
        return indices;
    }

    internal sealed class ExtremeOperation(Tensor<T> x, string name, int axis, int[] indices) : Operation<T>(x)
    {
        public override string Name => name;

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(AxisDeclaration.SymbolOf(IsMin ? "min" : "max", axis), AxisDeclaration.LatexOf(IsMin ? "min" : "max", axis), inputs[0]);

        public int Axis => axis;

        public bool IsMin => name.StartsWith("Min", StringComparison.Ordinal);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> x = Inputs[0];
            var lanes = Lanes.Of(x.Shape, axis);
            if (ShouldRecord(grad))
            {
                gradients[0] = grad * Selected(x, lanes);
                return;
            }
            var d = Uninitialized(x.Shape);
            d.Data.AsSpan().Clear();
            for (int lane = 0; lane < lanes.Count; lane++)
            {
                d.Data[lanes.Index(lane, indices[lane])] = grad.Data[lane];
            }
            gradients[0] = d;
        }

        /// <summary>The 0/1 mask of the selected elements, a constant (the derivative of the selection).</summary>
        private Tensor<T> Selected(Tensor<T> x, Lanes lanes)
        {
            var mask = Zeros(x.Shape);
            mask.Name = $"{(IsMin ? "argmin" : "argmax")}′({x.Name ?? "·"})";
            for (int lane = 0; lane < lanes.Count; lane++)
            {
                mask.Data[lanes.Index(lane, indices[lane])] = T.One;
            }
            return mask;
        }
    }
}

/// <summary>Maximum along an axis.</summary>
internal sealed class MaxDeclaration(int axis) : AxisDeclaration(axis)
{
    private MaxDeclaration()
        : this(1)
    {
    }

    protected override string BaseName => "Max";

    protected override string BaseSymbol => "max";

    public override Type OperationType => typeof(Tensor<>.ExtremeOperation);

    protected override AxisDeclaration WithAxis(int otherAxis) => new MaxDeclaration(otherAxis);

    protected override Tensor<T> Apply<T>(Tensor<T> x, int along) => x.Max(along);
}

/// <summary>Minimum along an axis.</summary>
internal sealed class MinDeclaration(int axis) : AxisDeclaration(axis)
{
    private MinDeclaration()
        : this(1)
    {
    }

    protected override string BaseName => "Min";

    protected override string BaseSymbol => "min";

    public override Type OperationType => typeof(Tensor<>.ExtremeOperation);

    protected override AxisDeclaration WithAxis(int otherAxis) => new MinDeclaration(otherAxis);

    protected override Tensor<T> Apply<T>(Tensor<T> x, int along) => x.Min(along);
}
