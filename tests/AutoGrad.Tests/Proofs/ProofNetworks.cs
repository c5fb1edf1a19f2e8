using AutoGrad.Nn;

namespace AutoGrad.Tests.Proofs;

/// <summary>
/// The notes' networks with the notes' names, built with distinct sizes (so a proof over the context read off the
/// graph holds for every size), from random values or from a counterexample's values.
/// </summary>
public sealed class ProofNetwork
{
    private readonly Func<string, int, int, bool, Tensor<double>> leaf;

    private ProofNetwork(IReadOnlyDictionary<string, double[,]>? values, int seed)
    {
        var random = new Random(seed);
        leaf = (name, rows, cols, parameter) => values is not null && values.TryGetValue(name, out var v)
            ? Tensor.From(v, requiresGrad: parameter, name: name)
            : Tensor.RandomNormal<double>(rows, cols, random, requiresGrad: parameter, name: name);
    }

    public Tensor<double> Loss { get; private set; } = null!;

    private Tensor<double> P(string name, int rows, int cols) => leaf(name, rows, cols, true);

    private Tensor<double> C(string name, int rows, int cols) => leaf(name, rows, cols, false);

    private static Tensor<double> Named(Tensor<double> t, string name)
    {
        t.Name = name;
        return t;
    }

    /// <summary>The named tensor of the recorded graph (a parameter or a named intermediate result).</summary>
    public Tensor<double> this[string name]
    {
        get
        {
            var stack = new Stack<Tensor<double>>([Loss]);
            var seen = new HashSet<Tensor<double>>(ReferenceEqualityComparer.Instance);
            while (stack.Count > 0)
            {
                var t = stack.Pop();
                if (!seen.Add(t)) continue;
                if (t.Name == name) return t;
                if (t.Creator is { } op) foreach (var input in op.Inputs) stack.Push(input);
            }
            throw new KeyNotFoundException(name);
        }
    }

    /// <summary>Note 000: z1 = W1·x + b1, a1 = σ(z1), z2 = W2·a1 + b2, ŷ = σ(z2), L = ½‖ŷ − y‖²; columns n0, n1, n2.</summary>
    public static ProofNetwork Note000(int n0 = 3, int n1 = 4, int n2 = 2, IReadOnlyDictionary<string, double[,]>? values = null, int seed = 1)
    {
        var n = new ProofNetwork(values, seed);
        var (x, y) = (n.C("x", n0, 1), n.C("y", n2, 1));
        var (w1, b1, w2, b2) = (n.P("W1", n1, n0), n.P("b1", n1, 1), n.P("W2", n2, n1), n.P("b2", n2, 1));
        var a1 = Named(Named(w1.MatMul(x) + b1, "z1").Sigmoid(), "a1");
        var yHat = Named(Named(w2.MatMul(a1) + b2, "z2").Sigmoid(), "ŷ");
        n.Loss = AutoGrad.Nn.Loss.HalfSumSquared(yHat, y);
        return n;
    }

    /// <summary>Note 001: H = X·W(1), Z = σ(H), O = Z·W(2), ŷ = σ(O), L = 1/(2N) Σ(ŷ − Y)²; N rows, d inputs, h hidden.</summary>
    public static ProofNetwork Note001(int rows = 4, int d = 3, int h = 5, IReadOnlyDictionary<string, double[,]>? values = null, int seed = 1)
    {
        var n = new ProofNetwork(values, seed);
        var (x, y) = (n.C("X", rows, d), n.C("Y", rows, 1));
        var (w1, w2) = (n.P("W(1)", d, h), n.P("W(2)", h, 1));
        var z = Named(Named(x.MatMul(w1), "H").Sigmoid(), "Z");
        var yHat = Named(Named(z.MatMul(w2), "O").Sigmoid(), "ŷ");
        n.Loss = AutoGrad.Nn.Loss.HalfMeanSquared(yHat, y);
        return n;
    }

    /// <summary>Note 002: z^(L-1) = W^(L-1)·x + b^(L-1), a^(L-1) = σ(·), z^L = W^L·a^(L-1) + b^L, a^L = σ(·), C₀ = ½‖a^L − y‖².</summary>
    public static ProofNetwork Note002(int n0 = 1, int n1 = 1, int n2 = 1, IReadOnlyDictionary<string, double[,]>? values = null, int seed = 1)
    {
        var n = new ProofNetwork(values, seed);
        var (x, y) = (n.C("x", n0, 1), n.C("y", n2, 1));
        var (w1, b1, w2, b2) = (n.P("W^(L-1)", n1, n0), n.P("b^(L-1)", n1, 1), n.P("W^L", n2, n1), n.P("b^L", n2, 1));
        var a1 = Named(Named(w1.MatMul(x) + b1, "z^(L-1)").Sigmoid(), "a^(L-1)");
        var a2 = Named(Named(w2.MatMul(a1) + b2, "z^L").Sigmoid(), "a^L");
        n.Loss = AutoGrad.Nn.Loss.HalfSumSquared(a2, y);
        return n;
    }

    /// <summary>Note 003, linear: ŷ = X·W(1)·W(2), L = ½‖ŷ − y‖²; N rows, d inputs, h hidden.</summary>
    public static ProofNetwork Note003Linear(int rows = 4, int d = 3, int h = 5, IReadOnlyDictionary<string, double[,]>? values = null, int seed = 1)
    {
        var n = new ProofNetwork(values, seed);
        var (x, y) = (n.C("X", rows, d), n.C("y", rows, 1));
        var (w1, w2) = (n.P("W(1)", d, h), n.P("W(2)", h, 1));
        n.Loss = AutoGrad.Nn.Loss.HalfSumSquared(Named(x.MatMul(w1).MatMul(w2), "ŷ"), y);
        return n;
    }

    /// <summary>Note 003 with biases and sigmoid activations, one example: z₁ = x·w(1) + b(1), f₁ = σ(z₁), z₂ = f₁·w(2) + b(2), ŷ = σ(z₂).</summary>
    public static ProofNetwork Note003(int d = 3, int h = 4, IReadOnlyDictionary<string, double[,]>? values = null, int seed = 1)
    {
        var n = new ProofNetwork(values, seed);
        var (x, y) = (n.C("x", 1, d), n.C("y", 1, 1));
        var (w1, b1, w2, b2) = (n.P("w(1)", d, h), n.P("b(1)", 1, h), n.P("w(2)", h, 1), n.P("b(2)", 1, 1));
        var f1 = Named(Named(x.MatMul(w1) + b1, "z₁").Sigmoid(), "f₁");
        var yHat = Named(Named(f1.MatMul(w2) + b2, "z₂").Sigmoid(), "ŷ");
        n.Loss = AutoGrad.Nn.Loss.HalfSumSquared(yHat, y);
        return n;
    }

    /// <summary>Note 004, section 1: g = V·x, h = σ(g), f = W·h, L = ‖y − f‖²; d inputs, m hidden, k outputs.</summary>
    public static ProofNetwork Note004(int d = 3, int m = 4, int k = 2, IReadOnlyDictionary<string, double[,]>? values = null, int seed = 1)
    {
        var n = new ProofNetwork(values, seed);
        var (x, y) = (n.C("x", d, 1), n.C("y", k, 1));
        var (v, w) = (n.P("V", m, d), n.P("W", k, m));
        var h = Named(Named(v.MatMul(x), "g").Sigmoid(), "h");
        n.Loss = AutoGrad.Nn.Loss.SumSquared(Named(w.MatMul(h), "f"), y);
        return n;
    }
}
