using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Softmax along one axis (axis 1: each row sums to 1, as <c>F.softmax(x, dim=1)</c>; axis 0: each column):
    /// <c>yᵢⱼ = e^(xᵢⱼ − m) / Σₖ e^(xᵢₖ − m)</c>, m the lane's maximum, so logits of ±1000 give exact 1s and 0s.
    /// Backward: ∂L/∂xᵢⱼ = yᵢⱼ · (∂L/∂yᵢⱼ − Σₖ ∂L/∂yᵢₖ · yᵢₖ), reusing the result y.
    /// A plain backward pass computes it in one loop; a recorded one (createGraph) with recorded operations.
    /// </summary>
    public Tensor<T> Softmax(int axis)
    {
        Lanes.CheckAxis("Softmax", axis, Shape);
        var result = Uninitialized(Shape);
        SoftmaxKernels.Softmax<T>(Data, Shape, axis, result.Data);
        return Track(result, ShouldRecord(this) ? new SoftmaxOperation(this, axis) : null, $"Softmax(axis: {axis})", this);
    }

    internal sealed class SoftmaxOperation(Tensor<T> x, int axis) : Operation<T>(x)
    {
        public override string Name => $"Softmax(axis: {axis})";

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(AxisDeclaration.SymbolOf("softmax", axis), AxisDeclaration.LatexOf("softmax", axis), inputs[0]);

        public int Axis => axis;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            if (ShouldRecord(grad, result))
            {
                gradients[0] = result * (grad - (grad * result).Sum(axis));
                return;
            }
            var d = Uninitialized(result.Shape);
            SoftmaxKernels.SoftmaxBackward<T>(grad.Data, result.Data, result.Shape, axis, d.Data);
            gradients[0] = d;
        }
    }
}

/// <summary>Softmax along an axis.</summary>
internal sealed class SoftmaxDeclaration(int axis) : AxisDeclaration(axis)
{
    private SoftmaxDeclaration()
        : this(1)
    {
    }

    protected override string BaseName => "Softmax";

    protected override string BaseSymbol => "softmax";

    public override Type OperationType => typeof(Tensor<>.SoftmaxOperation);

    protected override AxisDeclaration WithAxis(int otherAxis) => new SoftmaxDeclaration(otherAxis);

    protected override Tensor<T> Apply<T>(Tensor<T> x, int along) => x.Softmax(along);
}
