using System.Globalization;
using AutoGrad.Derivations.Ledger;
using AutoGrad.Nn;
using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Ledger;

/// <summary>
/// Note 004 section 1: g = V·x, h = σ(g), f = W·h, L = ‖y − f‖²; with the erratum's bias column, f = Wt·[h; 1],
/// Wt = [W, b] a single parameter.
/// </summary>
public sealed class Tape004S1(Data004S1 d) : TapeNetwork
{
    /// <inheritdoc/>
    protected override Tensor<double> Build(Node node)
    {
        var x = node("x", () => T(d.X, false, "x"));
        var v = node("V", () => T(d.V, name: "V"));
        var g = node("g", () => v.MatMul(x));
        var h = node("h", () => Activations.Apply(d.Sigma, g));
        Tensor<double> f;
        if (d.WBias is null)
        {
            var w = node("W", () => T(d.W, name: "W"));
            f = node("f", () => w.MatMul(h));
        }
        else
        {
            var wt = node("Wt", () => T(d.WTilde, name: "W̃"));
            f = node("f", () => wt.MatMul(AppendOne(h)));
        }
        return Loss.SumSquared(f, T(d.Y, false, "y"));
    }
}

/// <summary>
/// Note 004 section 2: gⁿ = Wⁿhⁿ⁻¹, hⁿ = σₙ(gⁿ), f = W^F h^N, L = ‖y − f‖² (h⁰ requires a gradient, so ∂L/∂h⁰ exists);
/// biased: the inputs of layers n ≥ 2 and of the output get a 1 appended. "W1+" … "WF+": the parameters after one
/// <see cref="Sgd{T}"/> step with η.
/// </summary>
public sealed class Tape004S2(Data004S2 d) : TapeNetwork
{
    /// <inheritdoc/>
    protected override Tensor<double> Build(Node node)
    {
        var h = node("h0", () => T(d.H0, true, "h0"));
        for (int n = 1; n <= d.N; n++)
        {
            int layer = n;
            var w = node(string.Create(CultureInfo.InvariantCulture, $"W{n}"), () => T(d.Ws[layer - 1], name: string.Create(CultureInfo.InvariantCulture, $"W{layer}")));
            var input = d.Biased && n >= 2 ? AppendOne(h) : h;
            var g = node(string.Create(CultureInfo.InvariantCulture, $"g{n}"), () => w.MatMul(input));
            h = node(string.Create(CultureInfo.InvariantCulture, $"h{n}"), () => Activations.Apply(d.Sigmas[layer - 1], g));
        }
        var wF = node("WF", () => T(d.WF, name: "WF"));
        var last = h;
        var f = node("f", () => wF.MatMul(d.Biased ? AppendOne(last) : last));
        return Loss.SumSquared(f, T(d.Y, false, "y"));
    }

    /// <inheritdoc/>
    protected override Matrix<double>? Special(string name)
    {
        if (!name.EndsWith('+'))
        {
            return null;
        }
        var nodes = RecordFresh();
        var parameters = Enumerable.Range(1, d.N).Select(n => nodes[string.Create(CultureInfo.InvariantCulture, $"W{n}")]).Append(nodes["WF"]).ToArray();
        new Sgd<double>(parameters, d.Eta).Step();
        return nodes.TryGetValue(name[..^1], out var updated) ? M(updated) : null;
    }
}
