using AutoGrad;

/// <summary>A network to check derivations against: its loss, and its named tensors by name.</summary>
internal sealed class Network(string title, Tensor<double> loss)
{
    public string Title => title;

    public Tensor<double> Loss => loss;

    /// <summary>Named tensors in the order the forward pass made them (leaves first).</summary>
    public IReadOnlyList<Tensor<double>> Named { get; init; } = [];

    public Tensor<double>? this[string name] => Named.FirstOrDefault(t => t.Name == name);

    private static Tensor<double> Name(Tensor<double> t, string name, List<Tensor<double>> named)
    {
        t.Name = name;
        named.Add(t);
        return t;
    }

    private static Tensor<double> Leaf(Random r, string name, int rows, int cols, bool parameter, List<Tensor<double>> named) =>
        Name(Tensor.RandomNormal<double>(rows, cols, r, requiresGrad: parameter), name, named);

    /// <summary>One of the notes' networks, built with distinct sizes so that a proof holds for every size.</summary>
    public static Network Note(string note)
    {
        var r = new Random(1);
        var named = new List<Tensor<double>>();
        Tensor<double> P(string n, int rows, int cols) => Leaf(r, n, rows, cols, true, named);
        Tensor<double> C(string n, int rows, int cols) => Leaf(r, n, rows, cols, false, named);
        Tensor<double> N(Tensor<double> t, string n) => Name(t, n, named);
        switch (note)
        {
            case "000":
            {
                var (x, y, w1, b1, w2, b2) = (C("x", 3, 1), C("y", 2, 1), P("W1", 4, 3), P("b1", 4, 1), P("W2", 2, 4), P("b2", 2, 1));
                var a1 = N(N(w1.MatMul(x) + b1, "z1").Sigmoid(), "a1");
                var yHat = N(N(w2.MatMul(a1) + b2, "z2").Sigmoid(), "ŷ");
                return new("note 000: z1 = W1·x + b1, a1 = σ(z1), z2 = W2·a1 + b2, ŷ = σ(z2), L = ½‖ŷ − y‖²", AutoGrad.Nn.Loss.HalfSumSquared(yHat, y)) { Named = named };
            }
            case "001":
            {
                var (x, y, w1, w2) = (C("X", 4, 3), C("Y", 4, 1), P("W(1)", 3, 5), P("W(2)", 5, 1));
                var z = N(N(x.MatMul(w1), "H").Sigmoid(), "Z");
                var yHat = N(N(z.MatMul(w2), "O").Sigmoid(), "ŷ");
                return new("note 001: H = X·W(1), Z = σ(H), O = Z·W(2), ŷ = σ(O), L = 1/(2N) Σ(ŷ − Y)², N = 4", AutoGrad.Nn.Loss.HalfMeanSquared(yHat, y)) { Named = named };
            }
            case "002":
            {
                var (x, y, w1, b1, w2, b2) = (C("x", 3, 1), C("y", 2, 1), P("W^(L-1)", 4, 3), P("b^(L-1)", 4, 1), P("W^L", 2, 4), P("b^L", 2, 1));
                var a1 = N(N(w1.MatMul(x) + b1, "z^(L-1)").Sigmoid(), "a^(L-1)");
                var a2 = N(N(w2.MatMul(a1) + b2, "z^L").Sigmoid(), "a^L");
                return new("note 002 (vector layers): z^(L-1) = W^(L-1)·x + b^(L-1), a^(L-1) = σ(z^(L-1)), z^L = W^L·a^(L-1) + b^L, a^L = σ(z^L), C₀ = ½‖a^L − y‖²",
                    AutoGrad.Nn.Loss.HalfSumSquared(a2, y)) { Named = named };
            }
            case "003":
            {
                var (x, y, w1, b1, w2, b2) = (C("x", 1, 3), C("y", 1, 1), P("w(1)", 3, 4), P("b(1)", 1, 4), P("w(2)", 4, 1), P("b(2)", 1, 1));
                var f1 = N(N(x.MatMul(w1) + b1, "z₁").Sigmoid(), "f₁");
                var yHat = N(N(f1.MatMul(w2) + b2, "z₂").Sigmoid(), "ŷ");
                return new("note 003 (one example, rows): z₁ = x·w(1) + b(1), f₁ = σ(z₁), z₂ = f₁·w(2) + b(2), ŷ = σ(z₂), L = ½(ŷ − y)²",
                    AutoGrad.Nn.Loss.HalfSumSquared(yHat, y)) { Named = named };
            }
            case "004":
            {
                var (x, y, v, w) = (C("x", 3, 1), C("y", 2, 1), P("V", 4, 3), P("W", 2, 4));
                var h = N(N(v.MatMul(x), "g").Sigmoid(), "h");
                var f = N(w.MatMul(h), "f");
                return new("note 004: g = V·x, h = σ(g), f = W·h, L = ‖y − f‖²", AutoGrad.Nn.Loss.SumSquared(f, y)) { Named = named };
            }
            default:
                throw new ArgumentException($"no note {note}: choose 000, 001, 002, 003 or 004");
        }
    }

    /// <summary>
    /// A column network x → W1·x + b1 → act → … → ŷ with L = ½‖ŷ − y‖², from its layer sizes (e.g. 3,4,2); the
    /// activation is applied after every layer, the last included (named ŷ).
    /// </summary>
    public static Network Layers(IReadOnlyList<int> sizes, string activation)
    {
        if (sizes.Count < 2 || sizes.Any(s => s < 1)) throw new ArgumentException("--layers needs at least two sizes ≥ 1, e.g. 3,4,2");
        var r = new Random(1);
        var named = new List<Tensor<double>>();
        var a = Leaf(r, "x", sizes[0], 1, false, named);
        var y = Leaf(r, "y", sizes[^1], 1, false, named);
        for (int l = 1; l < sizes.Count; l++)
        {
            var w = Leaf(r, $"W{l}", sizes[l], sizes[l - 1], true, named);
            var b = Leaf(r, $"b{l}", sizes[l], 1, true, named);
            var z = Name(w.MatMul(a) + b, $"z{l}", named);
            var act = activation switch
            {
                "sigmoid" => z.Sigmoid(),
                "tanh" => z.Tanh(),
                "relu" => z.Relu(),
                _ => throw new ArgumentException($"--activation {activation}: choose sigmoid, tanh or relu"),
            };
            a = Name(act, l == sizes.Count - 1 ? "ŷ" : $"a{l}", named);
        }
        string act1 = activation == "sigmoid" ? "σ" : activation;
        return new($"layers {string.Join(", ", sizes)}: z_l = W_l·a_(l−1) + b_l, a_l = {act1}(z_l), ŷ = a_{sizes.Count - 1}, L = ½‖ŷ − y‖²",
            AutoGrad.Nn.Loss.HalfSumSquared(a, y)) { Named = named };
    }
}
