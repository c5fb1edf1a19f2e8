using Xunit;

namespace AutoGrad.Tests.Compilation;

/// <summary>
/// What README's "Limits" of compiled steps says stays frozen: a result computed from frozen tensors alone that the
/// function makes trainable (<c>(w * 2).RequiresGrad = true</c>) or writes into is cut from the trace, so the plan keeps
/// the value it had when traced; the eager function computes it from <c>w</c> again. <c>CheckEachCall</c> detects it.
/// </summary>
public class CompiledTrainableResultTests
{
    private static Tensor<double> Trainable(Tensor<double> x, Tensor<double> w)
    {
        var scaled = w * 2.0;
        scaled.RequiresGrad = true;
        return (x * scaled).Sum();
    }

    private static Tensor<double> WrittenInto(Tensor<double> x, Tensor<double> w)
    {
        var scaled = w * 2.0;
        scaled[0, 0] = scaled[0, 0] + 1.0;
        return (x * scaled).Sum();
    }

    public static TheoryData<string> Functions => new() { nameof(Trainable), nameof(WrittenInto) };

    private static Func<Tensor<double>, Tensor<double>, Tensor<double>> Function(string name) =>
        name == nameof(Trainable) ? Trainable : WrittenInto;

    [Theory]
    [MemberData(nameof(Functions))]
    public void Keeps_the_traced_value_after_the_frozen_tensor_changes(string name)
    {
        var f = Function(name);
        var w = Tensor.Full<double>(1, 1, 2.0, name: "w");
        var x = Tensor.Full<double>(1, 1, 1.0, requiresGrad: true, name: "x");
        var step = Tensor.Compile((Tensor<double> input) => f(input * x, w));
        var input = Tensor.Full<double>(1, 1, 3.0);
        double traced = step.Run(input);
        Assert.Equal(f(input * x, w).Item, traced);
        using (Tensor.NoGrad())
        {
            w.Fill(10.0);
        }
        Assert.Equal(traced, step.Run(input));            // frozen, as README says
        Assert.NotEqual(traced, f(input * x, w).Item);     // while the eager function reads the new w
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void A_checked_call_detects_it(string name)
    {
        var f = Function(name);
        var w = Tensor.Full<double>(1, 1, 2.0, name: "w");
        var x = Tensor.Full<double>(1, 1, 1.0, requiresGrad: true, name: "x");
        var step = Tensor.Compile((Tensor<double> input) => f(input * x, w), options: new CompileOptions { CheckEachCall = true });
        var input = Tensor.Full<double>(1, 1, 3.0);
        step.Run(input);
        w.Fill(10.0);
        var error = Assert.Throws<InvalidOperationException>(() => step.Run(input));
        Assert.Contains("the compiled result differs from the eager one", error.Message);
    }
}
