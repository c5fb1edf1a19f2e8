using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// A gradient computed inside a traced function without <c>createGraph</c> (issue 13, "No wrong number, ever"): a plain
/// backward pass records nothing, so its result entered the trace as a constant — a plan of 0 steps whose every later
/// <c>Run</c> returned the first call's gradient. Such a pass is now refused while tracing, naming the method called and
/// the compiled entry point; the refused call changes nothing (no plan, no <c>Grad</c>, tracing and recording as
/// before) and a <c>createGraph: true</c> pass still compiles to the eager bits.
/// </summary>
public class CompiledPlainGradientTests
{
    private static Tensor<double> Data(int rows, int cols, int seed) => Tensor.RandomNormal<double>(rows, cols, new Random(seed));

    private const string Advice = "pass createGraph: true so the trace records the gradient, or compute it outside the compiled function.";

    /// <summary>The reproducer of the report: σ″ as the gradient of a recorded σ′, the second pass plain.</summary>
    private static Func<Tensor<double>, Tensor<double>> SecondDerivative(bool createGraph, Tensor<double> s1, Tensor<double> s2) => x =>
    {
        var l = x.Detach();
        l.RequiresGrad = true;
        var d1 = Autograd.Grad(l.Sigmoid(), [l], createGraph: true, s1)[0];
        return Autograd.Grad(d1, [l], createGraph, s2)[0];
    };

    private static void AssertNothingChanged()
    {
        Assert.False(GradMode.IsTracing);
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void A_plain_second_gradient_inside_CompileForward_is_refused_by_name_and_nothing_changes()
    {
        var s1 = Data(2, 3, 11);
        var s2 = Data(2, 3, 12);
        var f = Tensor.CompileForward(SecondDerivative(createGraph: false, s1, s2));
        var error = Assert.Throws<InvalidOperationException>(() => f.Run(Data(2, 3, 1)));
        Assert.StartsWith("Autograd.Grad: a backward pass without createGraph inside a function that Tensor.CompileForward is tracing", error.Message);
        Assert.EndsWith(Advice, error.Message);
        Assert.Equal(0, f.TraceCount);
        AssertNothingChanged();
        // the same function runs eagerly, outside any trace: σ″(x)·s1·s2 = σ′(x)(1 − 2σ(x))·s1·s2
        var x = Data(2, 3, 1);
        double[] eager = SecondDerivative(createGraph: false, s1, s2)(x).ToFlatArray();
        double[] xs = x.ToFlatArray(), a = s1.ToFlatArray(), b = s2.ToFlatArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double s = 1 / (1 + Math.Exp(-xs[i]));
            Assert.Equal(s * (1 - s) * (1 - 2 * s) * a[i] * b[i], eager[i], 1e-12);
        }
    }

    [Fact]
    public void A_createGraph_second_gradient_inside_CompileForward_gives_the_eager_bits_on_two_inputs()
    {
        var s1 = Data(2, 3, 11);
        var s2 = Data(2, 3, 12);
        var f = Tensor.CompileForward(SecondDerivative(createGraph: true, s1, s2));
        var eager = SecondDerivative(createGraph: false, s1, s2);
        var a = Data(2, 3, 1);
        var b = Data(2, 3, 2);
        double[] compiledA = f.Run(a).ToFlatArray();
        double[] compiledB = f.Run(b).ToFlatArray();
        Assert.Equal(1, f.TraceCount);
        Assert.Equal(eager(a).ToFlatArray(), compiledA);
        Assert.Equal(eager(b).ToFlatArray(), compiledB);
        Assert.NotEqual(compiledA, compiledB); // two inputs, two answers: nothing frozen
    }

    [Fact]
    public void A_plain_Autograd_Grad_of_a_sum_inside_CompileForward_is_refused_by_name()
    {
        var f = Tensor.CompileForward<double>(x =>
        {
            x.RequiresGrad = true; // the traced copy of the input, a leaf of the function
            return Autograd.Grad(x.Square().Sum(), [x])[0];
        });
        var input = Data(3, 2, 1);
        var error = Assert.Throws<InvalidOperationException>(() => f.Run(input));
        Assert.StartsWith("Autograd.Grad: a backward pass without createGraph inside a function that Tensor.CompileForward is tracing", error.Message);
        Assert.EndsWith(Advice, error.Message);
        Assert.Equal(0, f.TraceCount);
        Assert.False(input.RequiresGrad); // the caller's tensor: only the traced copy was changed
        AssertNothingChanged();

        var recorded = Tensor.CompileForward<double>(x =>
        {
            x.RequiresGrad = true;
            return Autograd.Grad(x.Square().Sum(), [x], createGraph: true)[0];
        });
        var b = Data(3, 2, 2);
        Assert.Equal(input.ToFlatArray().Select(v => 2 * v).ToArray(), recorded.Run(input).ToFlatArray());
        Assert.Equal(b.ToFlatArray().Select(v => 2 * v).ToArray(), recorded.Run(b).ToFlatArray());
    }

    [Fact]
    public void A_plain_Backward_read_through_Grad_inside_CompileForward_is_refused_and_writes_no_gradient()
    {
        var w = Tensor.RandomNormal<double>(2, 2, new Random(3), requiresGrad: true, name: "W");
        double[] wBefore = w.ToFlatArray();
        var f = Tensor.CompileForward<double>(x =>
        {
            var l = x.Detach();
            l.RequiresGrad = true;
            l.MatMul(w).Tanh().Sum().Backward();
            return l.Grad!;
        });
        var error = Assert.Throws<InvalidOperationException>(() => f.Run(Data(3, 2, 1)));
        Assert.StartsWith("Backward: a backward pass without createGraph inside a function that Tensor.CompileForward is tracing", error.Message);
        Assert.EndsWith(Advice, error.Message);
        Assert.Equal(0, f.TraceCount);
        Assert.Null(w.Grad); // the refused pass reached W and wrote nothing
        Assert.Equal(wBefore, w.ToFlatArray());
        AssertNothingChanged();
    }

    /// <summary>A gradient penalty (‖∂out/∂x‖²) computed without createGraph inside a compiled training step's loss.</summary>
    [Fact]
    public void A_plain_gradient_penalty_inside_Compile_is_refused_by_name_and_nothing_changes()
    {
        var w = Tensor.RandomNormal<double>(3, 2, new Random(4), requiresGrad: true, name: "W");
        double[] wBefore = w.ToFlatArray();
        var step = Tensor.Compile((Tensor<double> x) => Penalised(x, w, createGraph: false));
        var error = Assert.Throws<InvalidOperationException>(() => step.Run(Data(4, 3, 1)));
        Assert.StartsWith("Autograd.Grad: a backward pass without createGraph inside a function that Tensor.Compile is tracing", error.Message);
        Assert.EndsWith(Advice, error.Message);
        Assert.Equal(0, step.TraceCount);
        Assert.Null(w.Grad);
        Assert.Equal(wBefore, w.ToFlatArray());
        AssertNothingChanged();
    }

    private static Tensor<double> Penalised(Tensor<double> x, Tensor<double> w, bool createGraph)
    {
        var xi = x.Detach();
        xi.RequiresGrad = true;
        var output = xi.MatMul(w).Tanh();
        var g = Autograd.Grad(output.Sum(), [xi], createGraph)[0];
        return output.Square().Sum() + g.Square().Sum();
    }

    [Fact]
    public void A_createGraph_gradient_penalty_inside_Compile_gives_the_eager_loss_and_gradient_on_two_inputs()
    {
        var w = Tensor.RandomNormal<double>(3, 2, new Random(4), requiresGrad: true, name: "W");
        var step = Tensor.Compile((Tensor<double> x) => Penalised(x, w, createGraph: true));
        foreach (int seed in new[] { 1, 2 })
        {
            var x = Data(4, 3, seed);
            w.ZeroGrad();
            var eagerLoss = Penalised(x, w, createGraph: true);
            eagerLoss.Backward();
            double[] eagerGrad = w.Grad!.ToFlatArray();
            w.ZeroGrad();
            double compiledLoss = step.Run(x);
            Assert.Equal(eagerLoss.Item, compiledLoss);
            Assert.Equal(eagerGrad, w.Grad!.ToFlatArray());
        }
        Assert.Equal(1, step.TraceCount);
    }
    /// <summary>
    /// The refusal leaves the compiled function as it was: no plan is cached and it is not marked running, so a later
    /// call whose function now records its gradient traces once and gives the eager values on two inputs.
    /// </summary>
    [Fact]
    public void After_a_refused_call_the_same_compiled_function_traces_and_runs_a_recorded_gradient()
    {
        bool record = false;
        var f = Tensor.CompileForward<double>(x =>
        {
            var l = x.Detach();
            l.RequiresGrad = true;
            return Autograd.Grad(l.Tanh().Sum(), [l], createGraph: record)[0];
        });
        var a = Data(2, 2, 1);
        var b = Data(2, 2, 2);
        Assert.Throws<InvalidOperationException>(() => f.Run(a));
        Assert.Equal(0, f.TraceCount);
        Assert.Equal("(not traced yet: call Run first)", f.DescribePlan());
        AssertNothingChanged();

        record = true;
        double[] onA = f.Run(a).ToFlatArray();
        double[] onB = f.Run(b).ToFlatArray();
        Assert.Equal(1, f.TraceCount);
        Assert.Equal(EagerTanhGradient(a), onA);
        Assert.Equal(EagerTanhGradient(b), onB);
        Assert.NotEqual(onA, onB);
    }

    private static double[] EagerTanhGradient(Tensor<double> x)
    {
        var l = x.Detach();
        l.RequiresGrad = true;
        return Autograd.Grad(l.Tanh().Sum(), [l])[0].ToFlatArray();
    }

    /// <summary>
    /// The functional derivatives built on plain passes (and writing their rows into a tensor the function creates) were
    /// frozen the same way; they have no recorded form, so the refusal names them and says to compute them outside.
    /// </summary>
    [Fact]
    public void A_Hessian_or_Jacobian_inside_CompileForward_is_refused_by_its_own_name()
    {
        var hessian = Tensor.CompileForward<double>(x => Autograd.Hessian(v => v.Square().Hadamard(v).Sum(), x));
        var hessianError = Assert.Throws<InvalidOperationException>(() => hessian.Run(Data(1, 3, 1)));
        Assert.StartsWith("Autograd.Hessian: a backward pass without createGraph inside a function that Tensor.CompileForward is tracing", hessianError.Message);
        Assert.EndsWith("Autograd.Hessian has no recorded form: compute it outside the compiled function.", hessianError.Message);
        Assert.Equal(0, hessian.TraceCount);

        var jacobian = Tensor.CompileForward<double>(x => Autograd.Jacobian(v => v.Tanh(), x));
        var jacobianError = Assert.Throws<InvalidOperationException>(() => jacobian.Run(Data(1, 3, 2)));
        Assert.StartsWith("Autograd.Jacobian: a backward pass without createGraph inside a function that Tensor.CompileForward is tracing", jacobianError.Message);
        Assert.Equal(0, jacobian.TraceCount);
        AssertNothingChanged();
    }

    /// <summary>A checked compiled function (CheckEachCall) calls the function eagerly while tracing on every call: refused the same way.</summary>
    [Fact]
    public void A_plain_gradient_inside_a_checked_compiled_function_is_refused_by_name()
    {
        var f = Tensor.CompileForward<double>(x =>
        {
            var l = x.Detach();
            l.RequiresGrad = true;
            return Autograd.Grad(l.Exp().Sum(), [l])[0];
        }, new CompileOptions { CheckEachCall = true });
        var error = Assert.Throws<InvalidOperationException>(() => f.Run(Data(2, 2, 1)));
        Assert.StartsWith("Autograd.Grad: a backward pass without createGraph inside a function that Tensor.CompileForward is tracing", error.Message);
        Assert.Equal(0, f.TraceCount);
        AssertNothingChanged();
    }
}
