// A frozen copy of the library's kernel file at fa34a26 (session nine's start): the "old" side of the
// stopwatch A/B in GemmStepComparison.cs. Not used by anything else; do not edit.
using AutoGrad.Kernels;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGrad.Benchmarks.Baseline;

/// <summary>The transpose kernel.</summary>
internal static class TransposeKernel
{
    /// <summary>
    /// destination = sourceᵀ, in tiles of 32 columns: four source rows are read side by side, and each destination
    /// row gets four neighbouring values at a time. Unchecked reads and writes: the spans' lengths are checked once.
    /// </summary>
    public static void Transpose<T>(ReadOnlySpan<T> source, Shape shape, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Tile = 32; // 32 columns of 4 source rows (1 KB of doubles) stay in L1 while 32 destination rows are written
        int rows = shape.Rows, cols = shape.Cols;
        // One check for the unchecked loop below (callers pass arrays of the right size: an internal contract).
        _ = source[shape.Length - 1];
        _ = destination[shape.Length - 1];
        ref T src = ref MemoryMarshal.GetReference(source);
        ref T dst = ref MemoryMarshal.GetReference(destination);
        for (int j0 = 0; j0 < cols; j0 += Tile)
        {
            int j1 = Math.Min(j0 + Tile, cols);
            int i = 0;
            for (; i + 4 <= rows; i += 4)
            {
                ref T r0 = ref Unsafe.Add(ref src, i * cols);
                ref T r1 = ref Unsafe.Add(ref r0, cols);
                ref T r2 = ref Unsafe.Add(ref r1, cols);
                ref T r3 = ref Unsafe.Add(ref r2, cols);
                for (int j = j0; j < j1; j++)
                {
                    ref T d = ref Unsafe.Add(ref dst, j * rows + i);
                    d = Unsafe.Add(ref r0, j);
                    Unsafe.Add(ref d, 1) = Unsafe.Add(ref r1, j);
                    Unsafe.Add(ref d, 2) = Unsafe.Add(ref r2, j);
                    Unsafe.Add(ref d, 3) = Unsafe.Add(ref r3, j);
                }
            }
            for (; i < rows; i++)
            {
                ref T row = ref Unsafe.Add(ref src, i * cols);
                for (int j = j0; j < j1; j++)
                {
                    Unsafe.Add(ref dst, j * rows + i) = Unsafe.Add(ref row, j);
                }
            }
        }
    }
}
