using System.Numerics;

namespace AutoGrad;

/// <summary>
/// An operation along the lanes of one axis (softmax, log-softmax, log-sum-exp, max, min) declared once, as one
/// static-abstract operator struct: its forward and fused backward kernels over whole lanes, and its recorded
/// derivative. <see cref="Tensor{T}.Lanewise{TOp}"/> runs it and records <see cref="Tensor{T}.LaneOperation{TOp}"/>
/// (which also gives its compiled form); the operation catalogue finds it by reflection and declares one variant per
/// axis (<see cref="LaneDeclaration{TOp}"/>), so nothing else has to list it.
/// </summary>
/// <remarks>
/// A plain backward pass runs <see cref="Gradient{T}"/> in one loop; a recorded one (createGraph) runs
/// <see cref="RecordedGradient{T}"/>, built from recorded operations so it can be differentiated again.
/// </remarks>
internal interface ILaneOperator<TSelf> where TSelf : struct, ILaneOperator<TSelf>
{
    /// <summary>The name before <c>(axis: a)</c>, e.g. <c>Softmax</c>.</summary>
    static abstract string Name { get; }

    /// <summary>The symbol in formulas before the axis subscript, e.g. <c>softmax</c>.</summary>
    static abstract string Symbol { get; }

    /// <summary>True when the result has one value per lane (a Rows×1 column for axis 1, a 1×Cols row for axis 0); else x's shape.</summary>
    static abstract bool Reduces { get; }

    /// <summary>
    /// True when the derivative is piecewise constant in x (a selection), so a recorded backward pass records it only
    /// when the incoming gradient is recorded.
    /// </summary>
    static virtual bool DerivativeIsPiecewiseConstant => false;

    /// <summary>y = f(x) along the lanes of <paramref name="axis"/> of an x of <paramref name="shape"/>.</summary>
    static abstract void Forward<T>(ReadOnlySpan<T> x, Shape shape, int axis, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>d = ∂L/∂x from g = ∂L/∂y, the input x and the result y, in one pass: the plain backward pass's kernel.</summary>
    static abstract void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Shape shape, int axis, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>∂L/∂x as recorded tensor operations, for a recorded backward pass.</summary>
    static abstract Tensor<T> RecordedGradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y, int axis) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>The declaration of a lane operator along one axis, read off its operator struct.</summary>
internal sealed class LaneDeclaration<TOp>(int axis) : AxisDeclaration(axis) where TOp : struct, ILaneOperator<TOp>
{
    private LaneDeclaration()
        : this(1)
    {
    }

    protected override string BaseName => TOp.Name;

    protected override string BaseSymbol => TOp.Symbol;

    public override Type OperationType => typeof(Tensor<>.LaneOperation<>);

    protected override AxisDeclaration WithAxis(int otherAxis) => new LaneDeclaration<TOp>(otherAxis);

    protected override Tensor<T> Apply<T>(Tensor<T> x, int along) => Tensor<T>.Lanewise<TOp>(x, along);
}
