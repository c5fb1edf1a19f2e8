using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>A refused operation throws before it touches anything: no graph, gradient or parameter changes.</summary>
public class RefusedInputTests
{
    public static TheoryData<string, Func<Tensor<double>, Tensor<double>, object>> RefusedCalls => new()
    {
        { "MatMul", (w, x) => w.MatMul(x.Transpose()) },
        { "Add", (w, x) => w + Tensor.Zeros<double>(3, 5) },
        { "Sub", (w, x) => w - Tensor.Zeros<double>(4, 2) },
        { "Hadamard", (w, x) => w * Tensor.Zeros<double>(2, 3) },
        { "Div", (w, x) => w / Tensor.Zeros<double>(3, 3) },
        { "Sum(axis)", (w, x) => w.Sum(2) },
        { "BroadcastTo", (w, x) => w.BroadcastTo(new Shape(1, 3)) },
        { "Backward", (w, x) => { (w * 2.0).Backward(Tensor.Zeros<double>(2, 3)); return 0; } },
        { "Item", (w, x) => w.Item },
        { "HalfSumSquared", (w, x) => Loss.HalfSumSquared(w, x) },
        { "Linear", (w, x) => new Linear<double>(w, null).Forward(x) },
    };

    [Theory]
    [MemberData(nameof(RefusedCalls))]
    public void A_refused_call_names_itself_and_changes_nothing(string op, Func<Tensor<double>, Tensor<double>, object> call)
    {
        var w = Tensor.From(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, requiresGrad: true, name: "W");
        var x = Tensor.From(new double[,] { { 1, 2, 3 } }, name: "x");
        var loss = (w * w).Sum();
        loss.Backward();
        var gradBefore = w.Grad!.ToFlatArray();
        var valuesBefore = w.ToFlatArray();
        int versionBefore = w.Version;

        var error = Assert.ThrowsAny<Exception>(() => call(w, x));
        Assert.True(error is ArgumentException or InvalidOperationException, error.GetType().Name);
        Assert.Contains(op.Split('(', ' ')[0], error.Message);

        Assert.Equal(valuesBefore, w.ToFlatArray());
        Assert.Equal(gradBefore, w.Grad!.ToFlatArray());
        Assert.Equal(versionBefore, w.Version);
        Assert.True(w.IsLeaf);
        // the earlier graph still back-propagates exactly as before
        w.ZeroGrad();
        loss.Backward();
        Assert.Equal(gradBefore, w.Grad!.ToFlatArray());
    }
}
