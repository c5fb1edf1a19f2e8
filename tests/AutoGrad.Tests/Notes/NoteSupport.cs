using AutoGrad.Derivations;
using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace AutoGrad.Tests.Notes;

/// <summary>Generators, conversions and comparisons shared by the note tests.</summary>
public static class NoteSupport
{
    /// <summary>
    /// Cases per note property. Each case builds a network of up to 8×8 layers (batch up to 16), runs one
    /// backward pass and a handful of MathNet formulas: about a millisecond. 200 cases per property, over the
    /// ~40 note properties, keeps the whole note suite to a few seconds while every variant and activation is
    /// drawn dozens of times, and saturated or near-kink values appear in most cases.
    /// </summary>
    public const int Cases = 200;

    /// <summary>The relative tolerance the issue asks for: tape and closed form agree to 1e-9 in double.</summary>
    public const double RelativeTolerance = 1e-9;

    /// <summary>
    /// The smallest normal double. Below it numbers are subnormal and lose relative precision (at 1e-315 one
    /// ulp is 1e-9 of the value), so differences below this floor are rounding, not differences in the derivation.
    /// </summary>
    public const double SubnormalFloor = 2.2250738585072014E-308;

    /// <summary>A layer width, 1..8.</summary>
    public static readonly Gen<int> Width = Gen.Choose(1, 8);

    /// <summary>A batch size, 1..16.</summary>
    public static readonly Gen<int> Batch = Gen.Choose(1, 16);

    /// <summary>
    /// Values for inputs and weights: mostly moderate (±2), sometimes large (±5..40, where a sigmoid saturates
    /// to within 1e-17 of 0 or 1), sometimes within 1e-6 of zero (next to ReLU's kink).
    /// </summary>
    public static readonly Gen<double> Value = Gen.Frequency(
        (6, Gen.Choose(-2000, 2000).Select(k => k / 1000.0)),
        (2, Gen.Choose(5, 40).SelectMany(k => Gen.Elements(-1.0, 1.0).Select(s => s * k))),
        (2, Gen.Choose(-1000, 1000).Select(k => k * 1e-9)));

    /// <summary>Moderate values only, for the finite-difference witness (which cannot work across a kink).</summary>
    public static readonly Gen<double> SmoothValue = Gen.Choose(-1500, 1500).Select(k => k / 1000.0);

    public static Gen<Support.Matrix> Of(int rows, int cols, Gen<double>? values = null) => Gens.MatrixOf(rows, cols, values ?? Value);

    public static readonly Gen<ScalarFunction> HiddenActivation = Gen.Elements(ScalarFunction.Sigmoid, ScalarFunction.Relu);

    public static readonly Gen<ScalarFunction> OutputActivation = Gen.Elements(ScalarFunction.Sigmoid, ScalarFunction.Identity);

    public static Matrix<double> M(this Support.Matrix m) => Matrix<double>.Build.Dense(m.Rows, m.Cols, (i, j) => m[i, j]);

    public static Tensor<double> T(this Support.Matrix m, string name, bool requiresGrad = true) => m.ToTensor(requiresGrad, name);

    public static Tensor<double> Apply(this ScalarFunction f, Tensor<double> z) => f.Name switch
    {
        "sigmoid" => Activation.Sigmoid.Apply(z),
        "relu" => Activation.Relu.Apply(z),
        "tanh" => Activation.Tanh.Apply(z),
        "identity" => Activation.Identity.Apply(z),
        _ => throw new ArgumentException(f.Name),
    };

    /// <summary>
    /// Asserts the tape's tensor equals the note's matrix: the same shape, and
    /// max |tape − note| ≤ 1e-9 · max |note| (a norm-wise relative error; element-wise would divide by entries
    /// that are sums of cancelling terms).
    /// </summary>
    public static void AssertSame(string quantity, Matrix<double> note, Tensor<double>? tape) => AssertSame(quantity, note, tape, 0);

    /// <summary>
    /// As <see cref="AssertSame(string, Matrix{double}, Tensor{double}?)"/>, plus an absolute rounding floor for
    /// gradients that pass through a saturated sigmoid: there σ′ is tiny (e^−70 ≈ 4e-31) and the tape's y(1 − y) and
    /// the note's form each carry an absolute error of a few ε, so the two agree to a few ε times the size of the other
    /// factors of the chain — not to 1e-9 of a 1e-31 result. <see cref="SaturationFloor"/> computes that bound.
    /// </summary>
    public static void AssertSame(string quantity, Matrix<double> note, Tensor<double>? tape, double absoluteFloor)
    {
        Assert.True(tape is not null, $"{quantity}: the tape has no gradient");
        Assert.True(note.RowCount == tape!.Rows && note.ColumnCount == tape.Cols,
            $"{quantity}: the note's formula is {note.RowCount}×{note.ColumnCount} but the tape's gradient is {tape.Shape}");
        double scale = 0, worst = 0;
        for (int i = 0; i < note.RowCount; i++)
        {
            for (int j = 0; j < note.ColumnCount; j++)
            {
                scale = Math.Max(scale, Math.Abs(note[i, j]));
                worst = Math.Max(worst, Math.Abs(note[i, j] - tape[i, j]));
                Assert.False(double.IsNaN(note[i, j]) || double.IsNaN(tape[i, j]), $"{quantity}[{i},{j}]: NaN (note {note[i, j]}, tape {tape[i, j]})");
            }
        }
        Assert.True(worst <= RelativeTolerance * scale + Math.Max(absoluteFloor, SubnormalFloor),
            $"{quantity}: max |tape − note| = {worst:G3} exceeds {RelativeTolerance:G1} · max |note| = {RelativeTolerance * scale:G3}" +
            (absoluteFloor > 0 ? $" + {absoluteFloor:G3}" : "") + $"\nnote:\n{note}\ntape:\n{tape}");
    }

    /// <summary>
    /// 4ε · n · (1 + max|W_out|) · (1 + max|y|) · (1 + max|x|): a bound on the absolute rounding error of a two-layer
    /// sigmoid network's gradients that comes from σ′ (absolute error ≤ 2ε per element, whatever the saturation),
    /// carried through ∂L/∂ŷ (|ŷ − y| ≤ 1 + max|y|), the n output weights and the input x. It matters only where
    /// saturation makes a gradient smaller than about 1e-6; elsewhere the relative tolerance is the tighter bound.
    /// </summary>
    public static double SaturationFloor(int n, Matrix<double> wOut, Matrix<double> y, Matrix<double> x) =>
        4 * (Math.BitIncrement(1.0) - 1.0) * n
        * (1 + wOut.Enumerate().Max(Math.Abs)) * (1 + y.Enumerate().Max(Math.Abs)) * (1 + x.Enumerate().Max(Math.Abs));

    /// <summary>Matrix view of a tensor, for comparing with a note's formula written in another layout.</summary>
    public static Matrix<double> M(this Tensor<double> t) => Matrix<double>.Build.Dense(t.Rows, t.Cols, (i, j) => t[i, j]);

    /// <summary>Runs a property with <see cref="Cases"/> cases.</summary>
    public static void Check<TCase>(Arbitrary<TCase> arbitrary, Action<TCase> property, int cases = Cases) =>
        Properties.Check(arbitrary, property, cases);

    /// <summary>Shrinks each matrix in turn (values only: the shapes are tied together by the network).</summary>
    public static IEnumerable<Support.Matrix[]> ShrinkOneAtATime(params Support.Matrix[] matrices)
    {
        for (int k = 0; k < matrices.Length; k++)
        {
            foreach (var smaller in matrices[k].ShrinkValues())
            {
                var copy = (Support.Matrix[])matrices.Clone();
                copy[k] = smaller;
                yield return copy;
            }
        }
    }
}
