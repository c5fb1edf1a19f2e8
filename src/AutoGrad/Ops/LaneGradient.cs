using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// d = G(g, y), the gradient of the lane operator <typeparamref name="TOp"/> (softmax, log-softmax) along
    /// <paramref name="axis"/> from the seed g and its result y, by the one-pass kernel; recorded when g or y requires a
    /// gradient, as one operation whose derivatives are <see cref="ILaneGradientOperator{TSelf}.GradientOfSeed{T}"/>
    /// and <see cref="ILaneGradientOperator{TSelf}.GradientOfResult{T}"/>.
    /// </summary>
    internal static Tensor<T> LaneGradient<TOp>(Tensor<T> g, Tensor<T> y, int axis) where TOp : struct, ILaneGradientOperator<TOp>
    {
        var result = Uninitialized(y.Shape);
        TOp.Gradient<T>(g.Data, y.Data, y.Data, y.Shape, axis, result.Data); // G reads no x
        return Track(result, ShouldRecord(g, y) ? new LaneGradientOperation<TOp>(g, y, axis) : null, LaneGradientDeclaration<TOp>.NameOf(axis), g, y);
    }

    /// <summary>The recorded gradient of softmax or log-softmax along one axis: d = G(g, y), inputs g and y.</summary>
    internal sealed class LaneGradientOperation<TOp>(Tensor<T> g, Tensor<T> y, int axis) : Operation<T>(g, y), Compilation.IPlanStepSource<T>
        where TOp : struct, ILaneGradientOperator<TOp>
    {
        public override string Name => LaneGradientDeclaration<TOp>.NameOf(axis);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> g = Inputs[0], y = Inputs[1];
            gradients[0] = Needs(0) ? TOp.GradientOfSeed(grad, g, y, axis) : null;
            gradients[1] = Needs(1) ? TOp.GradientOfResult(grad, g, y, axis) : null;
        }

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.LaneGradientStep<T, TOp>(inputs[0], inputs[1], inputs[1], shape, axis, output); // G reads no x: y stands in

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) => TOp.WriteGradient(inputs[0], inputs[1], axis);
    }
}

/// <summary>
/// G(g, y), the recorded gradient of the lane operator <typeparamref name="TOp"/> along one axis; inputs g (the seed)
/// and x, with y = f(x) computed from x. Written as the recorded operations it equals (y ⊙ (g − Σ(g ⊙ y)) for softmax).
/// </summary>
internal abstract class LaneGradientDeclaration<TOp>(int axis) : AxisDeclaration(axis) where TOp : struct, ILaneGradientOperator<TOp>
{
    public static string NameOf(int axis) => AxisDeclaration.NameOf(TOp.Name + "′", axis);

    protected override string BaseName => TOp.Name + "′";

    /// <summary>Never read: the base reads it only in its <c>Evaluate</c>, which this class overrides.</summary>
    protected override string BaseSymbol => throw new System.Diagnostics.UnreachableException();

    public override Type OperationType => typeof(Tensor<>.LaneGradientOperation<>);

    public override int Arity => 2;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4), new(3, 4)], [new(1, 5), new(1, 5)], [new(4, 1), new(4, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => Tensor<T>.LaneGradient<TOp>(inputs[0], Tensor<T>.Lanewise<TOp>(inputs[1], Axis), Axis);

    /// <summary>
    /// Never called: G takes a seed and x, and the base calls this one-input form only from <c>Apply(inputs)</c> and
    /// <c>Evaluate</c>, which this class overrides.
    /// </summary>
    protected override Tensor<T> Apply<T>(Tensor<T> x, int along) => throw new System.Diagnostics.UnreachableException();

    /// <summary>Null: the formula is written in the operations G equals, which evaluate themselves.</summary>
    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) => null;
}
