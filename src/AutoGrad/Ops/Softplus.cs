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
    public static Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T> => x.Sigmoid();
}
