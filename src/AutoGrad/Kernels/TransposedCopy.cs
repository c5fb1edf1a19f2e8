using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Kernels;

/// <summary>
/// Rows copied into columns for the GEMM kernels' packing and padded copies: a band of four (or two) rows of a matrix,
/// read side by side, is written as that many neighbouring values in each of <c>count</c> destination rows —
/// dst[p·ldDestination + r] = row r at column p. Blocks of four columns are transposed in registers (float: 128-bit
/// unpacks and moves; double: 256-bit unpacks and lane swaps) instead of moved one value at a time; each method returns
/// how many columns it did (a multiple of four; 0 without the instructions) and the caller copies the rest. Values are
/// only moved, never computed with, so the kernels' results do not depend on which path copied them.
/// </summary>
internal static class TransposedCopy
{
    /// <summary>dst[p·ldDestination + r] = (row0 + r·ldSource)[p] for r &lt; 4 and p &lt; count rounded down to a multiple of 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FourRows<T>(ref T row0, int ldSource, int count, ref T dst, int ldDestination) where T : unmanaged
    {
        int p = 0;
        if (typeof(T) == typeof(double) && Avx.IsSupported)
        {
            ref double r0 = ref Unsafe.As<T, double>(ref row0);
            ref double d = ref Unsafe.As<T, double>(ref dst);
            for (; p + 4 <= count; p += 4)
            {
                ref double block = ref Unsafe.Add(ref r0, p);
                Vector256<double> a0 = Vector256.LoadUnsafe(ref block);
                Vector256<double> a1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref block, ldSource));
                Vector256<double> a2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref block, 2 * ldSource));
                Vector256<double> a3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref block, 3 * ldSource));
                Vector256<double> even01 = Avx.UnpackLow(a0, a1), odd01 = Avx.UnpackHigh(a0, a1);
                Vector256<double> even23 = Avx.UnpackLow(a2, a3), odd23 = Avx.UnpackHigh(a2, a3);
                ref double out0 = ref Unsafe.Add(ref d, p * ldDestination);
                Avx.Permute2x128(even01, even23, 0x20).StoreUnsafe(ref out0);
                Avx.Permute2x128(odd01, odd23, 0x20).StoreUnsafe(ref Unsafe.Add(ref out0, ldDestination));
                Avx.Permute2x128(even01, even23, 0x31).StoreUnsafe(ref Unsafe.Add(ref out0, 2 * ldDestination));
                Avx.Permute2x128(odd01, odd23, 0x31).StoreUnsafe(ref Unsafe.Add(ref out0, 3 * ldDestination));
            }
        }
        else if (typeof(T) == typeof(float) && Sse.IsSupported)
        {
            ref float r0 = ref Unsafe.As<T, float>(ref row0);
            ref float d = ref Unsafe.As<T, float>(ref dst);
            for (; p + 4 <= count; p += 4)
            {
                ref float block = ref Unsafe.Add(ref r0, p);
                Vector128<float> a0 = Vector128.LoadUnsafe(ref block);
                Vector128<float> a1 = Vector128.LoadUnsafe(ref Unsafe.Add(ref block, ldSource));
                Vector128<float> a2 = Vector128.LoadUnsafe(ref Unsafe.Add(ref block, 2 * ldSource));
                Vector128<float> a3 = Vector128.LoadUnsafe(ref Unsafe.Add(ref block, 3 * ldSource));
                Vector128<float> low01 = Sse.UnpackLow(a0, a1), high01 = Sse.UnpackHigh(a0, a1);
                Vector128<float> low23 = Sse.UnpackLow(a2, a3), high23 = Sse.UnpackHigh(a2, a3);
                ref float out0 = ref Unsafe.Add(ref d, p * ldDestination);
                Sse.MoveLowToHigh(low01, low23).StoreUnsafe(ref out0);
                Sse.MoveHighToLow(low23, low01).StoreUnsafe(ref Unsafe.Add(ref out0, ldDestination));
                Sse.MoveLowToHigh(high01, high23).StoreUnsafe(ref Unsafe.Add(ref out0, 2 * ldDestination));
                Sse.MoveHighToLow(high23, high01).StoreUnsafe(ref Unsafe.Add(ref out0, 3 * ldDestination));
            }
        }
        return p;
    }

    /// <summary>dst[p·ldDestination + r] = (row0 + r·ldSource)[p] for r &lt; 2 and p &lt; count rounded down to a multiple of 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TwoRows<T>(ref T row0, int ldSource, int count, ref T dst, int ldDestination) where T : unmanaged
    {
        int p = 0;
        if (typeof(T) == typeof(double) && Avx.IsSupported)
        {
            ref double r0 = ref Unsafe.As<T, double>(ref row0);
            ref double d = ref Unsafe.As<T, double>(ref dst);
            for (; p + 4 <= count; p += 4)
            {
                Vector256<double> a0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref r0, p));
                Vector256<double> a1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref r0, p + ldSource));
                // (a0[0], a1[0] | a0[2], a1[2]) and (a0[1], a1[1] | a0[3], a1[3])
                Vector256<double> even = Avx.UnpackLow(a0, a1), odd = Avx.UnpackHigh(a0, a1);
                ref double out0 = ref Unsafe.Add(ref d, p * ldDestination);
                even.GetLower().StoreUnsafe(ref out0);
                odd.GetLower().StoreUnsafe(ref Unsafe.Add(ref out0, ldDestination));
                even.GetUpper().StoreUnsafe(ref Unsafe.Add(ref out0, 2 * ldDestination));
                odd.GetUpper().StoreUnsafe(ref Unsafe.Add(ref out0, 3 * ldDestination));
            }
        }
        else if (typeof(T) == typeof(float) && Sse2.IsSupported)
        {
            ref float r0 = ref Unsafe.As<T, float>(ref row0);
            ref float d = ref Unsafe.As<T, float>(ref dst);
            for (; p + 4 <= count; p += 4)
            {
                Vector128<float> a0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref r0, p));
                Vector128<float> a1 = Vector128.LoadUnsafe(ref Unsafe.Add(ref r0, p + ldSource));
                // (a0[0], a1[0], a0[1], a1[1]) and (a0[2], a1[2], a0[3], a1[3]), stored as 64-bit pairs
                Vector128<ulong> low = Sse.UnpackLow(a0, a1).AsUInt64(), high = Sse.UnpackHigh(a0, a1).AsUInt64();
                ref byte out0 = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref d, p * ldDestination));
                nint row = ldDestination * sizeof(float);
                Unsafe.WriteUnaligned(ref out0, low.ToScalar());
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref out0, row), low.GetElement(1));
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref out0, 2 * row), high.ToScalar());
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref out0, 3 * row), high.GetElement(1));
            }
        }
        return p;
    }
}
