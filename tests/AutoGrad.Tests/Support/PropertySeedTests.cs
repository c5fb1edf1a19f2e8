using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Support;

/// <summary>
/// <see cref="Properties.SeedVariable"/> makes a run reproducible: the same seed draws the same cases, another seed
/// other cases, and no seed new cases each run.
/// </summary>
public class PropertySeedTests
{
    private static List<double> Drawn(ulong? seed)
    {
        var drawn = new List<double>();
        Prop.ForAll(Arb.From(Gen.Choose(0, 1_000_000_000).Select(k => k / 7.0)), (double x) => drawn.Add(x))
            .Check(Properties.Configuration(50, seed));
        return drawn;
    }

    [Fact]
    public void The_same_seed_draws_the_same_cases_and_another_seed_other_ones()
    {
        var first = Drawn(20261125);
        Assert.Equal(50 * Properties.Scale, first.Count);
        Assert.Equal(first, Drawn(20261125));
        Assert.NotEqual(first, Drawn(20261126));
    }

    [Fact]
    public void Without_a_seed_each_run_draws_new_cases() =>
        Assert.NotEqual(Drawn(null), Drawn(null));
}
