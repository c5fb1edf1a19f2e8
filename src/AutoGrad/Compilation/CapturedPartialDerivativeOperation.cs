using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// The values ∂z/∂a or ∂z/∂b of a binary operator with piecewise-constant partial derivatives (a maximum's selection),
/// read from the data by its backward rule. Outside a capture they are a constant of the graph; in a captured
/// step they must be computed again on each call's values, so the capture records them as this operation, with
/// inputs a, b and z. Never differentiated.
/// </summary>
internal sealed class CapturedPartialDerivativeOperation<T, TOp>(Tensor<T> a, Tensor<T> b, Tensor<T> z, int input)
    : CapturedOperation<T>(a, b, z)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, IBinaryOperator<TOp>
{
    /// <summary>Computes the values as the eager rule does and records them as this operation's result.</summary>
    public static Tensor<T> Record(Tensor<T> a, Tensor<T> b, Tensor<T> z, int input)
    {
        var values = Tensor<T>.Uninitialized(z.Shape);
        ElementwiseLoops.PartialDerivative<T, TOp>(a.Data, a.Shape, b.Data, b.Shape, z.Data, z.Shape, input, values.Data);
        values.SetCreator(new CapturedPartialDerivativeOperation<T, TOp>(a, b, z, input));
        return values;
    }

    public override string Name => $"∂{TOp.Name}/∂{(input == 0 ? "a" : "b")}";

    public override PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] shapes, PlanBuffer<T> output, Shape shape) =>
        new PartialDerivativeStep(Name, inputs, shapes, input, output, shape);

    private sealed class PartialDerivativeStep(string name, PlanBuffer<T>[] inputs, Shape[] shapes, int input, PlanBuffer<T> output, Shape shape)
        : PlanStep<T>(name, inputs, output, shape)
    {
        public override void Run() => ElementwiseLoops.PartialDerivative<T, TOp>(
            Reads[0].Array, shapes[0], Reads[1].Array, shapes[1], Reads[2].Array, shapes[2], input, Writes.Array);
    }
}
