using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// Turns one recorded operation into the plan step that runs its forward kernel. Operations that declare their own
/// step (<see cref="IPlanStepSource{T}"/>) are asked; the others are matched here by type, each to the kernel its
/// eager forward calls. Anything else is refused by name: a new operation is never compiled by guesswork.
/// </summary>
internal static class StepLowering
{
    public static PlanStep<T> Lower<T>(Operation<T> op, PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        PlanBuffer<T> x = inputs[0];
        Shape sx = inputShapes[0];
        string name = op.Name;
        return op switch
        {
            IPlanStepSource<T> source => source.CreateStep(inputs, inputShapes, output, shape),
            Tensor<T>.AddOperation => new BinaryStep<T, Tensor<T>.AddKernel>(name, x, sx, inputs[1], inputShapes[1], output, shape),
            Tensor<T>.SubOperation => new BinaryStep<T, Tensor<T>.SubKernel>(name, x, sx, inputs[1], inputShapes[1], output, shape),
            Tensor<T>.HadamardOperation => new BinaryStep<T, Tensor<T>.MultiplyKernel>(name, x, sx, inputs[1], inputShapes[1], output, shape),
            Tensor<T>.DivOperation => new BinaryStep<T, Tensor<T>.DivideKernel>(name, x, sx, inputs[1], inputShapes[1], output, shape),
            Tensor<T>.ExpOperation => new UnaryStep<T, Tensor<T>.ExpKernel>(name, x, output, shape),
            Tensor<T>.LogOperation => new UnaryStep<T, Tensor<T>.LogKernel>(name, x, output, shape),
            Tensor<T>.NegOperation => new UnaryStep<T, Tensor<T>.NegKernel>(name, x, output, shape),
            Tensor<T>.ReluOperation => new UnaryStep<T, Tensor<T>.ReluKernel>(name, x, output, shape),
            Tensor<T>.SigmoidOperation => new UnaryStep<T, Tensor<T>.SigmoidKernel>(name, x, output, shape),
            Tensor<T>.SquareOperation => new UnaryStep<T, Tensor<T>.SquareKernel>(name, x, output, shape),
            Tensor<T>.TanhOperation => new UnaryStep<T, Tensor<T>.TanhKernel>(name, x, output, shape),
            Tensor<T>.PowOperation pow => new PowStep<T>(name, x, pow.Exponent, output, shape),
            Tensor<T>.MatMulOperation mm => new MatMulStep<T>(name, x, sx, mm.TransposeA, inputs[1], inputShapes[1], mm.TransposeB, output, shape),
            Tensor<T>.SumOperation => new SumStep<T>(x, output),
            Tensor<T>.SumAxisOperation sum => new SumAxisStep<T>(name, x, sx, sum.Axis, output, shape),
            Tensor<T>.BroadcastToOperation => new BroadcastToStep<T>(x, sx, output, shape),
            Tensor<T>.TransposeOperation => new TransposeStep<T>(x, sx, output),
            _ => throw Unsupported(op),
        };
    }

    public static NotSupportedException Unsupported<T>(Operation<T> op) where T : unmanaged, IFloatingPointIeee754<T> => new(
        $"Tensor.Compile: the operation {op.Name} ({op.GetType().Name}) has no compiled form yet, so this function cannot be " +
        "compiled; run it eagerly (loss.Backward()), or give the operation a plan step (IPlanStepSource).");
}
