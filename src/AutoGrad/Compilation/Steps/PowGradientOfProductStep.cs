using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad.Compilation;

/// <summary>
/// d = (g₁ ⊙ … ⊙ gₖ) ⊙ c · x^q element-wise (k ≥ 2 seeds, then x), with <see cref="PowKernel"/>'s product kernel: the
/// recorded PowGradient operation of Pow's second and higher derivatives, as the eager pass runs it.
/// </summary>
internal sealed class PowGradientOfProductStep<T>(string name, PlanBuffer<T>[] inputs, double c, double q, PlanBuffer<T> d, Shape shape)
    : PlanStep<T>(name, inputs, d, shape)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // the seeds' arrays, read afresh from their buffers at each run (bands running at once store the same references)
    private readonly T[][] seeds = new T[inputs.Length - 1][];

    public override void Run() => RunRange(0, Shape.Length);

    public override bool IsElementwise => true;

    public override void RunRange(int start, int length)
    {
        for (int j = 0; j < seeds.Length; j++)
        {
            seeds[j] = Reads[j].Array;
        }
        PowKernel.GradientOfProduct<T>(seeds, start, Band(Reads[^1], start, length), c, q, Band(Writes, start, length));
    }
}
