using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// z = a ⊙ m with broadcasting, but +0 wherever m = 0, whatever a is there (±∞, NaN, a negative number): the
    /// product of a gradient with a mask that selects, as PyTorch's backward rules that select do
    /// (<c>threshold_backward</c>, <c>where(mask, grad, 0)</c>, <c>masked_fill_(…, 0)</c>, a scatter into zeros).
    /// The backward rules of ReLU, Clamp, Maximum and Max/Min along an axis record it; it has no public method.
    /// Backward: ∂L/∂a = ∂L/∂z ⊙ m, selecting again (so every order selects), ∂L/∂m = ∂L/∂z ⊙ a.
    /// </summary>
    internal Tensor<T> MaskedProduct(Tensor<T> mask) => Binary<MaskedProductOperator>(this, mask);
}

/// <summary>
/// z = a ⊙ m, or +0 where m = 0 (for finite a the Hadamard product, so a formula writes it ⊙); ∂z/∂a = m, ∂z/∂m = a.
/// </summary>
internal readonly struct MaskedProductOperator : IBinaryOperator<MaskedProductOperator>
{
    public static string Name => "MaskedProduct";
    public static string Symbol => "⊙";
    public static string LatexSymbol => "\\odot";
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => ElementwiseLoops.Masked(a, b);

    public static void Invoke<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length != d.Length || b.Length != d.Length)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"MaskedProduct: spans of {a.Length}, {b.Length} and {d.Length} elements (internal error)."), nameof(d));
        }
        ref T ar = ref MemoryMarshal.GetReference(a), br = ref MemoryMarshal.GetReference(b), dr = ref MemoryMarshal.GetReference(d);
        nuint i = 0, length = (nuint)d.Length, count = (nuint)Vector<T>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + count <= length; i += count)
            {
                ElementwiseLoops.Masked(Vector.LoadUnsafe(ref ar, i), Vector.LoadUnsafe(ref br, i)).StoreUnsafe(ref dr, i);
            }
        }
        for (; i < length; i++)
        {
            Unsafe.Add(ref dr, i) = ElementwiseLoops.Masked(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
        }
    }

    public static T DerivativeA<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => b;
    public static T DerivativeB<T>(T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> => a;
    public static Tensor<T> GradientA<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> => g.MaskedProduct(b);
    public static Tensor<T> GradientB<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T> => g.Hadamard(a);
}
