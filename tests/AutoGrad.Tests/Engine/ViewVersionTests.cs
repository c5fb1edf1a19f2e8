using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.Engine;

/// <summary>
/// A detached tensor shares its base's storage and version counter (as in PyTorch): a graph that read the view
/// refuses to back-propagate once the base was changed in place, so a stale gradient never comes out silently.
/// </summary>
public class ViewVersionTests
{
    [Fact]
    public void Back_propagating_through_a_detached_view_after_an_optimizer_step_on_its_base_is_refused()
    {
        // The example: V.Grad would silently have been [6, 9] (the old W) where a correct pass gives [8, 12].
        var w = Tensor.From(new double[,] { { 2, 3 } }, requiresGrad: true, name: "W");
        var v = Tensor.From(new double[,] { { 1, 1 } }, requiresGrad: true, name: "V");
        var loss = (w.Detach() * v * 3.0).Sum();
        w.Grad = Tensor.From(new double[,] { { -6.6666666666666666, -10 } });
        new Sgd<double>([w], 0.1).Step(); // W becomes [2.67, 4]
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("was modified in place", error.Message);
        Assert.Null(v.Grad);
    }

    [Fact]
    public void A_view_of_a_view_shares_the_same_counter()
    {
        var w = Tensor.From(new double[,] { { 2, 3 } }, requiresGrad: true);
        var view = w.Detach().Detach();
        var v = Tensor.From(new double[,] { { 1, 1 } }, requiresGrad: true);
        var loss = (view * v).Sum();
        w.Grad = Tensor.Ones<double>(1, 2);
        new Sgd<double>([w], 0.5).Step();
        Assert.Equal(w.Version, view.Version);
        Assert.Throws<InvalidOperationException>(() => loss.Backward());
    }

    [Fact]
    public void Without_an_in_place_change_the_view_gives_the_gradient_of_the_current_values()
    {
        var w = Tensor.From(new double[,] { { 2, 3 } }, requiresGrad: true);
        var v = Tensor.From(new double[,] { { 1, 1 } }, requiresGrad: true);
        (w.Detach() * v * 3.0).Sum().Backward();
        Assert.Equal(new double[,] { { 6, 9 } }, v.Grad!.ToArray());
        Assert.Null(w.Grad); // the view is cut from w's graph
    }

    [Fact]
    public void Writing_into_a_detached_view_of_a_recorded_result_is_refused_and_changes_nothing()
    {
        // Adversarial review (session nine): y = eˣ saves y for its gradient; d = y.Detach() shares y's memory, and
        // d.Fill(0) was accepted, so y.Sum().Backward() silently gave x.Grad = [0, 0, 0] where PyTorch's
        // torch.exp(x).detach().zero_() makes the backward pass raise. eˣ at [0.5, 0.75, 1] is the right gradient.
        var x = Tensor.From(new double[,] { { 0.5, 0.75, 1 } }, requiresGrad: true, name: "x");
        var y = x.Exp();
        var d = y.Detach();
        int version = d.Version;
        var fill = Assert.Throws<InvalidOperationException>(() => d.Fill(0));
        Assert.Equal(
            "Fill: a 1×3 tensor was detached from the result of Exp, recorded on the tape, and shares its memory; " +
            "writing into it would change values that graph depends on. Write into a copy (Tensor.FromRowMajor(t.Rows, t.Cols, t.AsSpan())) instead.",
            fill.Message);
        Assert.Throws<InvalidOperationException>(() => d.CopyFrom(new double[] { 1, 2, 3 }));
        Assert.Throws<InvalidOperationException>(() => { using (Tensor.NoGrad()) { d[0, 0] = 7; } });
        Assert.Equal(version, d.Version);
        y.Sum().Backward();
        Assert.Equal(new[] { 1.6487212707001282, 2.117000016612675, 2.718281828459045 }, x.Grad!.ToFlatArray());
    }

    [Fact]
    public void A_detached_view_of_a_leaf_or_of_an_unrecorded_result_stays_writable()
    {
        var w = Tensor.From(new double[,] { { 2, 3 } });
        var view = w.Detach();
        view.Fill(1);
        Assert.Equal(new double[] { 1, 1 }, w.ToFlatArray());
        var unrecorded = w.Exp().Detach(); // w requires no gradient: Exp was not recorded
        unrecorded.Fill(0);
        Assert.Equal(new double[] { 0, 0 }, unrecorded.ToFlatArray());
    }
}
