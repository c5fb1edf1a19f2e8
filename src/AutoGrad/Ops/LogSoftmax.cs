using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Log-softmax along one axis (axis 1: per row, as <c>F.log_softmax(x, dim=1)</c>):
    /// <c>yᵢⱼ = (xᵢⱼ − m) − ln Σₖ e^(xᵢₖ − m)</c>, m the lane's maximum: finite for any finite logits ([1000, −1000] gives
    /// [0, −2000]), where <c>Softmax(axis).Log()</c> would give −∞.
    /// Backward: ∂L/∂xᵢⱼ = ∂L/∂yᵢⱼ − e^(yᵢⱼ) · Σₖ ∂L/∂yᵢₖ, reusing the result y.
    /// A plain backward pass computes it in one loop; a recorded one (createGraph) records that loop as one operation
    /// (<c>LogSoftmax′</c>) whose derivatives are PyTorch's terms (∂/∂y: −(Σg ⊙ e^y) ⊙ h, the seeds' sum times e^y first).
    /// </summary>
    public Tensor<T> LogSoftmax(int axis) => Lanewise<LogSoftmaxOperator>(this, axis);
}

/// <summary>y = log_softmax(x) along a lane; ∂L/∂x = g − e^y · Σ g.</summary>
internal readonly struct LogSoftmaxOperator : ILaneGradientOperator<LogSoftmaxOperator>
{
    public static string Name => "LogSoftmax";
    public static string Symbol => "logsoftmax";
    public static bool Reduces => false;
    public static void Forward<T>(ReadOnlySpan<T> x, Shape shape, int axis, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        SoftmaxKernels.LogSoftmax(x, shape, axis, y);
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Shape shape, int axis, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => SoftmaxKernels.LogSoftmaxBackward(g, y, shape, axis, d);
    public static Tensor<T> RecordedGradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor<T>.LaneGradient<LogSoftmaxOperator>(g, y, axis);

    /// <summary>h − Σ(h ⊙ e^y), the adjoint of g ↦ g − e^y ⊙ Σg.</summary>
    public static Tensor<T> GradientOfSeed<T>(Tensor<T> h, Tensor<T> g, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T> =>
        h - (h * y.Exp()).Sum(axis);

    /// <summary>
    /// −(Σg ⊙ e^y) ⊙ h, as PyTorch multiplies it: Σg ⊙ e^y first (at most |Σg|), then h. (h ⊙ Σg first overflowed where
    /// e^y would have brought it back, and the next log-softmax backward's ∞ − ∞ was NaN.)
    /// </summary>
    public static Tensor<T> GradientOfResult<T>(Tensor<T> h, Tensor<T> g, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T> =>
        -(g.Sum(axis) * y.Exp()) * h;

    public static SymbolicExpression WriteGradient(SymbolicExpression g, SymbolicExpression y, int axis) =>
        Notation.Infix("−", g, Notation.Infix("⊙", Notation.Function(ExpOperator.Symbol, ExpOperator.LatexSymbol, y), Notation.Function(SumAxisDeclaration.SymbolOf(axis), SumAxisDeclaration.LatexOf(axis), g)));
}

/// <summary>LogSoftmax′ along one axis: g − e^y ⊙ Σg, the recorded gradient of log-softmax (inputs g and x, y = log_softmax(x)).</summary>
internal sealed class LogSoftmaxGradientDeclaration(int axis) : LaneGradientDeclaration<LogSoftmaxOperator>(axis)
{
    private LogSoftmaxGradientDeclaration()
        : this(1)
    {
    }

    protected override AxisDeclaration WithAxis(int otherAxis) => new LogSoftmaxGradientDeclaration(otherAxis);
}
