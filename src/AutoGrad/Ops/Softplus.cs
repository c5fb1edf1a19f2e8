using System.Numerics;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

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

    // σ over a span (TensorPrimitives' where there is no AVX-512) can differ by up to two ulps with the destination's
    // alignment (vector or scalar path for an element), and the two backward forms write σ(x) into different arrays;
    // times g, 4 ulps.
    public static int GradientUlps => 4;
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        Tensor<T>.LogOnePlus(T.Exp(-T.Abs(x))) + T.Max(x, T.Zero);
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => Tensor<T>.StableSigmoid(x);
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        VectorSigmoid.Sigmoid(x, d); // the kernel Sigmoid() uses
        TensorPrimitives.Multiply(g, d, d);
    }
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => x.Sigmoid();
}
