using AutoGrad.Nn;
using AutoGrad.Tests.Support;
using FsCheck.Fluent;
using Xunit;

namespace AutoGrad.Tests.Nn;

/// <summary>Hyper-parameter validation, state, versions and allocations of the optimizers and schedules.</summary>
public class OptimizerTests
{
    private static Tensor<double> Parameter(string name = "p") => Tensor.From(new double[,] { { 1, -2 }, { 3, 0.5 } }, requiresGrad: true, name: name);

    public static TheoryData<string, Action> RefusedHyperParameters => new()
    {
        { "Sgd: the momentum must be non-negative and finite; got -0.1.", () => new Sgd<double>([Parameter()], 0.1, momentum: -0.1) },
        { "Sgd: the dampening must be non-negative and finite; got NaN.", () => new Sgd<double>([Parameter()], 0.1, dampening: double.NaN) },
        { "Sgd: the weight decay must be non-negative and finite; got Infinity.", () => new Sgd<double>([Parameter()], 0.1, weightDecay: double.PositiveInfinity) },
        { "Sgd: Nesterov momentum needs momentum > 0 and dampening 0; got momentum 0, dampening 0.", () => new Sgd<double>([Parameter()], 0.1, nesterov: true) },
        { "Sgd: Nesterov momentum needs momentum > 0 and dampening 0; got momentum 0.9, dampening 0.5.", () => new Sgd<double>([Parameter()], 0.1, momentum: 0.9, dampening: 0.5, nesterov: true) },
        { "Adam: the learning rate must be non-negative and finite; got -1.", () => new Adam<double>([Parameter()], -1) },
        { "Adam: beta1 must be in [0, 1); got 1.", () => new Adam<double>([Parameter()], beta1: 1) },
        { "Adam: beta2 must be in [0, 1); got -0.5.", () => new Adam<float>([Tensor.Scalar(1f, requiresGrad: true)], beta2: -0.5) },
        { "AdamW: the epsilon must be non-negative and finite; got NaN.", () => new AdamW<double>([Parameter()], epsilon: double.NaN) },
        { "AdamW: the weight decay must be non-negative and finite; got -0.01.", () => new AdamW<double>([Parameter()], weightDecay: -0.01) },
        { "StepLR: the step size must be at least 1 epoch; got 0.", () => new StepLR(new Sgd<double>([Parameter()], 0.1), 0) },
        { "StepLR: gamma must be non-negative and finite; got NaN.", () => new StepLR(new Sgd<double>([Parameter()], 0.1), 2, double.NaN) },
        { "CosineAnnealingLR: the period must be at least 1 epoch; got -3.", () => new CosineAnnealingLR(new Sgd<double>([Parameter()], 0.1), -3) },
        { "CosineAnnealingLR: the minimum must be non-negative and finite; got -1.", () => new CosineAnnealingLR(new Sgd<double>([Parameter()], 0.1), 3, -1) },
    };

    [Theory]
    [MemberData(nameof(RefusedHyperParameters))]
    public void A_bad_hyper_parameter_is_refused_with_its_name_and_value(string message, Action create) =>
        Assert.StartsWith(message, Assert.ThrowsAny<ArgumentException>(create).Message);

    /// <summary>Messages print numbers the same way whatever the thread's culture (a schedule's used to print "-0,5" under a culture with a decimal comma).</summary>
    [Fact]
    public void Refusal_messages_do_not_depend_on_the_current_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // a culture with a decimal comma, made from the invariant one (so no ICU data is needed)
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            System.Globalization.CultureInfo.CurrentCulture = comma;
            Assert.StartsWith("CosineAnnealingLR: the minimum must be non-negative and finite; got -0.5.",
                Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(new Sgd<double>([Parameter()], 0.1), 3, -0.5)).Message);
            Assert.StartsWith("Sgd: the momentum must be non-negative and finite; got -0.5.",
                Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>([Parameter()], 0.1, momentum: -0.5)).Message);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Setters_validate_and_a_refused_setting_keeps_the_old_value()
    {
        var sgd = new Sgd<double>([Parameter()], 0.1, momentum: 0.9, nesterov: true);
        Assert.Contains("Nesterov momentum needs", Assert.Throws<ArgumentException>(() => sgd.Momentum = 0).Message);
        Assert.Contains("Nesterov momentum needs", Assert.Throws<ArgumentException>(() => sgd.Dampening = 0.1).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = double.NaN);
        Assert.Equal((0.9, 0.0, 0.1), (sgd.Momentum, sgd.Dampening, sgd.LearningRate));
        var adam = new Adam<double>([Parameter()]);
        Assert.Contains("beta1 must be in [0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => adam.Beta1 = 1.5).Message);
        Assert.Contains("weight decay must be non-negative", Assert.Throws<ArgumentOutOfRangeException>(() => adam.WeightDecay = -1).Message);
        Assert.Equal((0.9, 0.0), (adam.Beta1, adam.WeightDecay));
    }

    [Fact]
    public void A_parameter_listed_twice_or_a_null_one_is_refused()
    {
        var p = Parameter("twice");
        Assert.Equal("Adam: 'twice' (2×2) appears twice in the parameter list; it would be updated twice per step. (Parameter 'parameters')",
            Assert.Throws<ArgumentException>(() => new Adam<double>([p, p])).Message);
        Assert.StartsWith("Sgd: the parameter list contains null.", Assert.Throws<ArgumentException>(() => new Sgd<double>([null!], 0.1)).Message);
    }

    [Fact]
    public void A_double_learning_rate_works_for_float_parameters()
    {
        var p = Tensor.Scalar(1f, requiresGrad: true);
        var sgd = new Sgd<float>([p], 0.25);
        (p * 2f).Backward();
        sgd.Step();
        Assert.Equal(0.5f, p.Item);
    }

    [Fact]
    public void A_step_bumps_the_version_of_each_updated_parameter_only()
    {
        var used = Parameter("used");
        var unused = Parameter("unused");
        var adam = new Adam<double>([used, unused]);
        (used * used).Sum().Backward();
        adam.Step();
        Assert.Equal((1, 0), (used.Version, unused.Version));
        Assert.Equal((1, 0), (adam.StepCount(0), adam.StepCount(1)));
        Assert.Equal([1.0, -2, 3, 0.5], unused.ToFlatArray());
    }

    [Fact]
    public void Adam_first_step_moves_every_coordinate_by_the_learning_rate_against_the_gradient_sign() =>
        // m̂ = g and v̂ = g², so the step is η·g/(|g| + ε): η·sign(g) up to ε (Kingma and Ba, section 2.1)
        Properties.Check(Gens.AnyMatrix(Gens.AwayFromZero), m =>
        {
            var p = m.ToTensor();
            var c = Tensor.FromRowMajor<double>(m.Rows, m.Cols, m.Values.Select(v => v * 3).ToArray());
            (c * p).Sum().Backward();
            new Adam<double>([p], 0.01).Step();
            for (int k = 0; k < m.Values.Length; k++)
            {
                Assert.Equal(m.Values[k] - 0.01 * Math.Sign(c.AsSpan()[k]), p.AsSpan()[k], 1e-9);
            }
        });

    [Fact]
    public void Momentum_Sgd_equals_the_closed_form_sum_of_past_gradients() =>
        // with constant gradient g, no dampening: b_t = g(1 + μ + … + μ^(t−1)), p_t = p_0 − η g Σ_s (1 − μ^s)/(1 − μ)
        Properties.Check(Gens.AnyMatrix(), m =>
        {
            var p = m.ToTensor();
            var sgd = new Sgd<double>([p], 0.1, momentum: 0.5);
            for (int t = 0; t < 4; t++)
            {
                sgd.ZeroGrad();
                (p * 2.0).Sum().Backward();
                sgd.Step();
            }
            double total = Enumerable.Range(1, 4).Sum(s => (1 - Math.Pow(0.5, s)) / 0.5);
            for (int k = 0; k < m.Values.Length; k++)
            {
                Assert.Equal(m.Values[k] - 0.1 * 2 * total, p.AsSpan()[k], 1e-12);
            }
        });

    [Fact]
    public void Steps_after_the_first_allocate_nothing()
    {
        var p = Tensor.RandomNormal<double>(16, 16, new Random(1), requiresGrad: true);
        (p * p).Sum().Backward();
        IOptimizer[] optimizers = [new Sgd<double>([p], 0.01, momentum: 0.9, weightDecay: 1e-4, nesterov: true), new Adam<double>([p], amsGrad: true), new AdamW<double>([p])];
        foreach (var optimizer in optimizers)
        {
            optimizer.Step(); // allocates the state
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                optimizer.Step();
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void StepLR_is_the_closed_form_within_rounding() =>
        Properties.Check(FsCheck.Fluent.Gen.Choose(1, 7).Zip(FsCheck.Fluent.Gen.Choose(1, 9)).ToArbitrary(), c =>
        {
            var sgd = new Sgd<double>([Parameter()], 0.3);
            var schedule = new StepLR(sgd, c.Item1, gamma: c.Item2 / 10.0);
            for (int e = 1; e <= 20; e++)
            {
                schedule.Step();
                Assert.Equal(0.3 * Math.Pow(c.Item2 / 10.0, e / c.Item1), sgd.LearningRate, 1e-12);
            }
        });

    [Fact]
    public void CosineAnnealingLR_follows_the_closed_form_and_reaches_the_minimum_at_the_end_of_the_period() =>
        Properties.Check(FsCheck.Fluent.Gen.Choose(1, 12).ToArbitrary(), period =>
        {
            var adam = new Adam<double>([Parameter()], 0.1);
            var schedule = new CosineAnnealingLR(adam, period, minimum: 0.01);
            for (int e = 1; e <= 3 * period; e++)
            {
                schedule.Step();
                Assert.Equal(0.01 + (0.1 - 0.01) * (1 + Math.Cos(Math.PI * e / period)) / 2, adam.LearningRate, 1e-12);
            }
        });

    [Fact]
    public void A_schedule_step_whose_rate_would_overflow_is_refused_by_name_and_changes_nothing() =>
        Properties.Check(FsCheck.Fluent.Gen.Choose(1, 4).Zip(FsCheck.Fluent.Gen.Choose(2, 300)).ToArbitrary(), c =>
        {
            // γ = 10^k: the rate compounds past double.MaxValue within a few decays
            double gamma = Math.Pow(10, c.Item2);
            var sgd = new Sgd<double>([Parameter()], 1e10);
            var schedule = new StepLR(sgd, c.Item1, gamma);
            int epoch = 0;
            double rate = sgd.LearningRate;
            while (double.IsFinite(rate * gamma))
            {
                for (int k = 0; k < c.Item1; k++)
                {
                    schedule.Step();
                    epoch++;
                }
                rate = sgd.LearningRate;
            }
            for (int k = 1; k < c.Item1; k++)
            {
                schedule.Step(); // epochs before the next decay keep the rate
                epoch++;
            }
            var error = Assert.Throws<InvalidOperationException>(() => schedule.Step());
            Assert.StartsWith(FormattableString.Invariant($"StepLR.Step: the learning rate for epoch {epoch + 1} would be Infinity (from {rate})"), error.Message);
            Assert.Equal(epoch, schedule.Epoch);
            Assert.Equal(rate, sgd.LearningRate);
        });
}

public class OptimizerDisposalTests
{
    [Fact]
    public void A_parameter_disposed_with_its_scope_stops_the_step_before_any_parameter_changes()
    {
        var kept = Tensor.From(new double[,] { { 1, 2 } }, requiresGrad: true, name: "kept");
        Tensor<double> scoped;
        using (Tensor.Scope())
        {
            scoped = (Tensor.Ones<double>(1, 2) * 3.0).Detach(); // a result made in the scope, then turned into a leaf
            scoped.RequiresGrad = true;
        }
        var adam = new Adam<double>([kept, scoped]);
        (kept * kept).Sum().Backward();
        var error = Assert.Throws<ObjectDisposedException>(() => adam.Step());
        Assert.Contains("Adam.Step: a 1×2 tensor was created inside a TensorScope that has ended", error.Message);
        Assert.Equal([1.0, 2], kept.ToFlatArray());
        Assert.Equal(0, kept.Version);
    }
}
