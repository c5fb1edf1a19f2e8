using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// d = (g₁ ⊙ … ⊙ gₖ) ⊙ f⁽ᵏ⁾(x), f = σ or tanh, element-wise (k seeds, then x, then y = f(x)) with
/// <see cref="ActivationGradientKernel"/>: the recorded gradient of the activation and its derivatives of any order, as
/// the eager pass runs it.
/// </summary>
internal sealed class ActivationGradientStep<T, TOp>(string name, PlanBuffer<T>[] inputs, PlanBuffer<T> d, Shape shape)
    : PlanStep<T>(name, inputs, d, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
    where TOp : struct, IPolynomialDerivative<TOp>
{
    // the seeds' arrays, read afresh from their buffers at each run (bands running at once store the same references)
    private readonly T[][] seeds = new T[inputs.Length - 2][];

    public override void Run() => RunRange(0, Shape.Length);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length)
    {
        for (int j = 0; j < seeds.Length; j++)
        {
            seeds[j] = Reads[j].Array;
        }
        ActivationGradientKernel.GradientOfProduct<T, TOp>(seeds, start, Band(Reads[^2], start, length), Band(Reads[^1], start, length), Band(Writes, start, length));
    }
}
