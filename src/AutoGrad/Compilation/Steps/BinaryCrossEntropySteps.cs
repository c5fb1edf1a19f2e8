using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// Binary cross-entropy with logits element-wise, with the operation's own one-element-at-a-time kernels: the loss
/// ℓ(z, y) (<c>gradientOf</c> −1, reads z and y), or the plain backward pass's ∂L/∂z (0, reads g, z, y) or ∂L/∂y
/// (1, reads g, z, y). Each element's value does not depend on where the span starts, so they run on bands.
/// </summary>
internal sealed class BinaryCrossEntropyStep<T>(string name, PlanBuffer<T>[] inputs, PlanBuffer<T> output, Shape shape, int gradientOf)
    : PlanStep<T>(name, inputs, output, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => RunRange(0, Shape.Length);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length)
    {
        if (gradientOf < 0)
        {
            Tensor<T>.BinaryCrossEntropyWithLogitsKernel(Band(Reads[0], start, length), Band(Reads[1], start, length), Band(Writes, start, length));
        }
        else
        {
            Tensor<T>.BinaryCrossEntropyWithLogitsGradient(gradientOf, Band(Reads[0], start, length), Band(Reads[1], start, length),
                Band(Reads[2], start, length), Band(Writes, start, length));
        }
    }
}

/// <summary>
/// One of binary cross-entropy's plain-pass gradient kernels (∂L/∂z or ∂L/∂y), recorded during a capture
/// (<see cref="BackwardCapture"/>) with inputs g, z and y; never differentiated.
/// </summary>
internal sealed class CapturedBinaryCrossEntropyGradientOperation<T>(int input, Tensor<T> grad, Tensor<T> z, Tensor<T> y)
    : CapturedOperation<T>(grad, z, y)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Runs the kernel as the eager pass does and records the result as this operation's.</summary>
    public static Tensor<T> Record(int input, Tensor<T> grad, Tensor<T> z, Tensor<T> y)
    {
        var result = Tensor<T>.Uninitialized(z.Shape);
        Tensor<T>.BinaryCrossEntropyWithLogitsGradient(input, grad.Data, z.Data, y.Data, result.Data);
        result.SetCreator(new CapturedBinaryCrossEntropyGradientOperation<T>(input, grad, z, y));
        return result;
    }

    public override string Name => input == 0 ? "∂BinaryCrossEntropyWithLogits/∂z" : "∂BinaryCrossEntropyWithLogits/∂y";

    public override PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape outputShape) =>
        new BinaryCrossEntropyStep<T>(Name, inputs, output, outputShape, input);
}
