using System.Globalization;
using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise softplus: <c>y = ln(1 + eˣ)</c>, computed as <c>ln(1 + e^−|x|) + max(x, 0)</c> so it never overflows
    /// (softplus(1000) = 1000) and keeps full relative accuracy far left (softplus(−700) = e^−700). Exact for every x, so
    /// unlike PyTorch's default (threshold 20) it does not switch to x above a threshold.
    /// Backward: ∂L/∂x = ∂L/∂y ⊙ σ(x).
    /// </summary>
    public Tensor<T> Softplus() => Unary<SoftplusOperator>(this);
}

/// <summary>y = ln(1 + eˣ) = ln(1 + e^−|x|) + max(x, 0); y′ = σ(x).</summary>
internal readonly struct SoftplusOperator : IUnaryOperator<SoftplusOperator>
{
    public static string Name => "Softplus";
    public static string Symbol => "softplus";

    // The one-pass gradient uses the scalar σ (one element at a time, so it does not depend on which array the buffer
    // pool hands out); the recorded one Sigmoid()'s span kernel: two algorithms, a few ulps apart.
    public static int GradientUlps => 4;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor<T>.LogOnePlus(T.Exp(-T.Abs(x))) + T.Max(x, T.Zero);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.StableSigmoid(x);

    /// <summary>
    /// g ⊙ σ(x), and far left, where σ(x) is below the normal range (x &lt; −708, float −87) and kept few bits, g·eˣ in
    /// split form instead (<see cref="AutoGrad.Kernels.ExpGradientKernel.FarLeft"/>, element by element in the same pass).
    /// </summary>
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Length != d.Length || x.Length != d.Length)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Softplus′: the gradient has {d.Length} elements, the upstream gradient {g.Length} and x {x.Length} (internal error)."), nameof(d));
        }
        T smallestNormal = AutoGrad.Kernels.ExpGradientKernel.SmallestNormal<T>();
        for (int i = 0; i < d.Length; i++)
        {
            T sigma = Tensor<T>.StableSigmoid(x[i]), plain = g[i] * sigma;
            d[i] = sigma < smallestNormal ? AutoGrad.Kernels.ExpGradientKernel.FarLeft(g[i], x[i], plain) : plain;
        }
    }
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => x.Sigmoid();
}
