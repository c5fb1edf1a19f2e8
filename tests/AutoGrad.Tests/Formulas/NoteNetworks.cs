using AutoGrad.Nn;

namespace AutoGrad.Tests.Formulas;

/// <summary>Each note's network on the tape with the note's names, for reading its gradients back as formulas.</summary>
public static class NoteNetworks
{
    public sealed record Network(string Note, Tensor<double> Loss, Tensor<double>[] Parameters);

    private static Tensor<double> Named(this Tensor<double> t, string name)
    {
        t.Name = name;
        return t;
    }

    private static Tensor<double> P(Random r, int rows, int cols, string name) => Tensor.RandomNormal<double>(rows, cols, r, requiresGrad: true, name: name);

    private static Tensor<double> C(Random r, int rows, int cols, string name) => Tensor.RandomNormal<double>(rows, cols, r, name: name);

    public static Network Note000(Random r, int n0 = 3, int n1 = 4, int n2 = 2)
    {
        var (x, y) = (C(r, n0, 1, "x"), C(r, n2, 1, "y"));
        var (w1, b1, w2, b2) = (P(r, n1, n0, "W1"), P(r, n1, 1, "b1"), P(r, n2, n1, "W2"), P(r, n2, 1, "b2"));
        var z1 = (w1.MatMul(x) + b1).Named("z1");
        var a1 = z1.Sigmoid().Named("a1");
        var z2 = (w2.MatMul(a1) + b2).Named("z2");
        var yHat = z2.Sigmoid().Named("ŷ");
        return new("000", Loss.HalfSumSquared(yHat, y), [w1, b1, w2, b2]);
    }

    public static Network Note001(Random r, int n = 4, int d = 3, int h = 5)
    {
        var (x, y) = (C(r, n, d, "X"), C(r, n, 1, "Y"));
        var (w1, w2) = (P(r, d, h, "W(1)"), P(r, h, 1, "W(2)"));
        var hidden = x.MatMul(w1).Named("H");
        var z = hidden.Sigmoid().Named("Z");
        var o = z.MatMul(w2).Named("O");
        var yHat = o.Sigmoid().Named("ŷ");
        return new("001", Loss.HalfMeanSquared(yHat, y), [w1, w2]);
    }

    public static Network Note002(Random r, int n0 = 1, int n1 = 1, int n2 = 1)
    {
        var (x, y) = (C(r, n0, 1, "x"), C(r, n2, 1, "y"));
        var (w1, b1, w2, b2) = (P(r, n1, n0, "W^(L-1)"), P(r, n1, 1, "b^(L-1)"), P(r, n2, n1, "W^L"), P(r, n2, 1, "b^L"));
        var z1 = (w1.MatMul(x) + b1).Named("z^(L-1)");
        var a1 = z1.Sigmoid().Named("a^(L-1)");
        var z2 = (w2.MatMul(a1) + b2).Named("z^L");
        var a2 = z2.Sigmoid().Named("a^L");
        return new("002", Loss.HalfSumSquared(a2, y), [w1, b1, w2, b2]);
    }

    public static Network Note003(Random r, int n = 1, int d = 3, int h = 4)
    {
        var (x, y) = (C(r, n, d, "x"), C(r, n, 1, "y"));
        var (w1, b1, w2, b2) = (P(r, d, h, "w(1)"), P(r, 1, h, "b(1)"), P(r, h, 1, "w(2)"), P(r, 1, 1, "b(2)"));
        var z1 = (x.MatMul(w1) + b1).Named("z₁");
        var a1 = z1.Sigmoid().Named("f₁");
        var z2 = (a1.MatMul(w2) + b2).Named("z₂");
        var yHat = z2.Sigmoid().Named("ŷ");
        return new("003", Loss.HalfSumSquared(yHat, y), [w1, b1, w2, b2]);
    }

    public static Network Note004(Random r, int d = 3, int hidden = 4, int f = 2)
    {
        var (x, y) = (C(r, d, 1, "x"), C(r, f, 1, "y"));
        var (v, w) = (P(r, hidden, d, "V"), P(r, f, hidden, "W"));
        var g = v.MatMul(x).Named("g");
        var h = g.Sigmoid().Named("h");
        var output = w.MatMul(h).Named("f");
        return new("004", Loss.SumSquared(output, y), [v, w]);
    }
}
