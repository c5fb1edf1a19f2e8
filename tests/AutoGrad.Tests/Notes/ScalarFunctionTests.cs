using AutoGrad.Derivations;
using AutoGrad.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Notes;

/// <summary>
/// The notes' σ as the ledger evaluates it agrees with the tape's σ kernel everywhere, including below z = −708 where
/// 1/(1 + e^−z) overflows to 0 but σ(z) = e^z is still a (subnormal) double. A soak run found the disagreement: a deep
/// ReLU network of note 004 whose σ layer sat at z = −735 fed the next ReLU e^−735 on the tape and 0 in the note's
/// reference, so ReLU′ was 1 on one side and 0 on the other.
/// </summary>
public class ScalarFunctionTests
{
    [Fact]
    public void Sigmoid_below_minus_708_is_e_to_the_z_not_zero()
    {
        Assert.Equal(Math.Exp(-735), ScalarFunction.SigmoidValue(-735));
        Assert.True(ScalarFunction.SigmoidValue(-735) > 0);
        Assert.Equal(0.0, ScalarFunction.SigmoidValue(-746));
    }

    [Fact]
    public void Sigmoid_agrees_with_the_tape_kernel_over_its_whole_range()
    {
        var z = Gen.Frequency(
            (2, Gen.Choose(-746_000, -700_000).Select(k => k / 1000.0)),
            (1, Gen.Choose(-40_000, 40_000).Select(k => k / 1000.0)));
        Properties.Check(Arb.From(Gen.ArrayOf(z).Where(a => a.Length > 0)), values =>
        {
            var tape = Tensor.From(values).Sigmoid().AsSpan().ToArray();
            for (int i = 0; i < values.Length; i++)
            {
                double note = ScalarFunction.SigmoidValue(values[i]);
                double allowed = Math.Max(4 * Math.BitIncrement(Math.Abs(note)) - 4 * Math.Abs(note), 2 * double.Epsilon);
                Assert.True(Math.Abs(note - tape[i]) <= allowed, $"σ({values[i]:R}): note {note:R}, tape {tape[i]:R}");
            }
        });
    }
}
