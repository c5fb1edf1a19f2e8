using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

// The lane family (softmax, log-softmax, log-sum-exp, max, min along an axis): one driver and one recorded operation,
// generic over the operator struct that declares the function (Ops/Declarations/ILaneOperator.cs). An operation's own
// file holds its public method and its operator.
public sealed partial class Tensor<T>
{
    /// <summary>y = f(x) along the lanes of <paramref name="axis"/> for the operator <typeparamref name="TOp"/>, recorded when x requires a gradient.</summary>
    internal static Tensor<T> Lanewise<TOp>(Tensor<T> x, int axis) where TOp : struct, ILaneOperator<TOp>
    {
        Lanes.CheckAxis(TOp.Name, axis, x.Shape);
        var result = Uninitialized(TOp.Reduces ? Lanes.Reduced(x.Shape, axis) : x.Shape);
        TOp.Forward<T>(x.DataFor(TOp.Name), x.Shape, axis, result.Data);
        return Track(result, ShouldRecord(x) ? new LaneOperation<TOp>(x, axis) : null, AxisDeclaration.NameOf(TOp.Name, axis), x);
    }

    /// <summary>A recorded lane operation along one axis; the operator declares everything else.</summary>
    internal sealed class LaneOperation<TOp>(Tensor<T> x, int axis) : Operation<T>(x), Compilation.IPlanStepSource<T>
        where TOp : struct, ILaneOperator<TOp>
    {
        public override string Name => AxisDeclaration.NameOf(TOp.Name, axis);

        public int Axis => axis;

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(AxisDeclaration.SymbolOf(TOp.Symbol, axis), AxisDeclaration.LatexOf(TOp.Symbol, axis), inputs[0]);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> x = Inputs[0];
            if (Compilation.BackwardCapture.IsActive)
            {
                // a compiled step runs the fused kernel on each call's values (a selection is read from them too)
                gradients[0] = Compilation.CapturedLaneGradientOperation<T, TOp>.Record(grad, x, result, axis);
                return;
            }
            if (TOp.DerivativeIsPiecewiseConstant ? ShouldRecord(grad) : ShouldRecord(grad, result))
            {
                gradients[0] = TOp.RecordedGradient(grad, x, result, axis);
                return;
            }
            var d = Uninitialized(x.Shape);
            TOp.Gradient<T>(grad.Data, x.Data, result.Data, x.Shape, axis, d.Data);
            gradients[0] = d;
        }

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.LaneStep<T, TOp>(inputs[0], shapes[0], axis, output, shape);
    }
}
