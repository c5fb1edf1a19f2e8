using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Softmax along one axis (axis 1: each row sums to 1, as <c>F.softmax(x, dim=1)</c>; axis 0: each column):
    /// <c>yᵢⱼ = e^(xᵢⱼ − m) / Σₖ e^(xᵢₖ − m)</c>, m the lane's maximum, so logits of ±1000 give exact 1s and 0s.
    /// Backward: ∂L/∂xᵢⱼ = yᵢⱼ · (∂L/∂yᵢⱼ − Σₖ ∂L/∂yᵢₖ · yᵢₖ), reusing the result y.
    /// A plain backward pass computes it in one loop; a recorded one (createGraph) records that loop as one operation
    /// (<c>Softmax′</c>) whose derivatives are PyTorch's expanded terms (∂/∂y: g ⊙ h − Σ(y ⊙ g) ⊙ h − g ⊙ Σ(y ⊙ h)).
    /// </summary>
    public Tensor<T> Softmax(int axis) => Lanewise<SoftmaxOperator>(this, axis);
}

/// <summary>y = softmax(x) along a lane; ∂L/∂x = y ⊙ (g − Σ g ⊙ y).</summary>
internal readonly struct SoftmaxOperator : ILaneGradientOperator<SoftmaxOperator>
{
    public static string Name => "Softmax";
    public static string Symbol => "softmax";
    public static bool Reduces => false;
    public static void Forward<T>(ReadOnlySpan<T> x, Shape shape, int axis, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        SoftmaxKernels.Softmax(x, shape, axis, y);
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Shape shape, int axis, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => SoftmaxKernels.SoftmaxBackward(g, y, shape, axis, d);
    public static Tensor<T> RecordedGradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor<T>.LaneGradient<SoftmaxOperator>(g, y, axis);

    /// <summary>G(h, y): G is linear in g and self-adjoint (y ⊙ h − y ⊙ Σ(y ⊙ h) is symmetric in g and h).</summary>
    public static Tensor<T> GradientOfSeed<T>(Tensor<T> h, Tensor<T> g, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor<T>.LaneGradient<SoftmaxOperator>(h, y, axis);

    /// <summary>g ⊙ h − Σ(y ⊙ g) ⊙ h − g ⊙ Σ(y ⊙ h), term by term as PyTorch's softmax_double_backward: never g − Σ(g ⊙ y) apart.</summary>
    public static Tensor<T> GradientOfResult<T>(Tensor<T> h, Tensor<T> g, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T> =>
        g * h - (y * g).Sum(axis) * h - g * (y * h).Sum(axis);

    public static SymbolicExpression WriteGradient(SymbolicExpression g, SymbolicExpression y, int axis) =>
        Notation.Infix("⊙", y, Notation.Infix("−", g, Notation.Function(SumAxisDeclaration.SymbolOf(axis), SumAxisDeclaration.LatexOf(axis), Notation.Infix("⊙", g, y))));
}

/// <summary>Softmax′ along one axis: y ⊙ (g − Σ(g ⊙ y)), the recorded gradient of softmax (inputs g and x, y = softmax(x)).</summary>
internal sealed class SoftmaxGradientDeclaration(int axis) : LaneGradientDeclaration<SoftmaxOperator>(axis)
{
    private SoftmaxGradientDeclaration()
        : this(1)
    {
    }

    protected override AxisDeclaration WithAxis(int otherAxis) => new SoftmaxGradientDeclaration(otherAxis);
}
