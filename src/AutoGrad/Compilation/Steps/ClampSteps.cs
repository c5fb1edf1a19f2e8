using System.Numerics;

namespace AutoGrad.Compilation;

/// <summary>
/// y = clamp(x, min, max), or (<c>mask</c>) its derivative [min ≤ x ≤ max], element-wise with Clamp's own kernels; both
/// give each element the same value wherever the span starts, so they run on bands of a fused loop.
/// </summary>
internal sealed class ClampStep<T>(string name, PlanBuffer<T> x, T min, T max, PlanBuffer<T> y, Shape shape, bool mask)
    : PlanStep<T>(name, [x], y, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Run() => RunRange(0, Shape.Length);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length)
    {
        if (mask)
        {
            Tensor<T>.ClampInside(Band(x, start, length), min, max, Band(Writes, start, length));
        }
        else
        {
            Tensor<T>.ClampKernel(Band(x, start, length), min, max, Band(Writes, start, length));
        }
    }
}

/// <summary>Clamp's derivative [min ≤ x ≤ max], read from the data by its backward rule, recorded during a capture with input x; never differentiated.</summary>
internal sealed class CapturedClampMaskOperation<T>(Tensor<T> x, T min, T max) : CapturedOperation<T>(x)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Computes the mask as the eager rule does and records it as this operation's result.</summary>
    public static Tensor<T> Record(Tensor<T> x, T min, T max)
    {
        var mask = Tensor<T>.Uninitialized(x.Shape);
        Tensor<T>.ClampInside(x.Data, min, max, mask.Data);
        mask.SetCreator(new CapturedClampMaskOperation<T>(x, min, max));
        return mask;
    }

    public override string Name => "Clamp′";

    public override PlanStep<T> CreateStep(PlanBuffer<T>[] inputs, Shape[] inputShapes, PlanBuffer<T> output, Shape outputShape) =>
        new ClampStep<T>(Name, inputs[0], min, max, output, outputShape, mask: true);
}
