using AutoGrad.Derivations;
using AutoGrad.Derivations.Ledger;
using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Examples.NoteComparison;

/// <summary>Seeded data of each note's shapes; several variants where rows speak of different networks or activations.</summary>
public static class NoteData
{
    private static Matrix<double> R(Random random, int rows, int cols) => Matrix<double>.Build.Dense(rows, cols, (_, _) => 2 * random.NextDouble() - 1);

    /// <summary>n = 3-4-2, σ = f = sigmoid; then f = identity (for f′ = 1).</summary>
    public static Data000[] Note000(Random r)
    {
        var (x, w1, b1, w2, b2, y) = (R(r, 3, 1), R(r, 4, 3), R(r, 4, 1), R(r, 2, 4), R(r, 2, 1), R(r, 2, 1));
        return [new(x, w1, b1, w2, b2, y, ScalarFunction.Sigmoid, ScalarFunction.Sigmoid), new(x, w1, b1, w2, b2, y, ScalarFunction.Relu, ScalarFunction.Identity)];
    }

    /// <summary>N = 5, d = 3, h = 4.</summary>
    public static Data001[] Note001(Random r) => [new(R(r, 5, 3), R(r, 3, 4), R(r, 4, 1), R(r, 5, 1))];

    /// <summary>Every layer of width 1.</summary>
    public static Data002[] Note002(Random r)
    {
        double V() => 2 * r.NextDouble() - 1;
        return [new(V(), V(), V(), V(), V(), V())];
    }

    /// <summary>The linear network on a batch of 3 (d = 3, h = 2) and on one example, the biased one, the one with sigmoid activations.</summary>
    public static Data003[] Note003(Random r)
    {
        var (w1, b1, w2, b2) = (R(r, 3, 2), R(r, 1, 2), R(r, 2, 1), R(r, 1, 1));
        var (batch, yBatch, x, y) = (R(r, 3, 3), R(r, 3, 1), R(r, 1, 3), R(r, 1, 1));
        var s = ScalarFunction.Sigmoid;
        return
        [
            new(Network003.Linear, batch, w1, b1, w2, b2, yBatch, s, s),
            new(Network003.Linear, x, w1, b1, w2, b2, y, s, s),
            new(Network003.Biases, x, w1, b1, w2, b2, y, s, s),
            new(Network003.Activations, x, w1, b1, w2, b2, y, s, s),
        ];
    }

    /// <summary>D = 3 (+1), H = 4, F = 2, σ = sigmoid; then with the bias column the text gives W.</summary>
    public static Data004S1[] Note004Section1(Random r)
    {
        var (x, v, w, y, b) = (R(r, 3, 1).AppendOne(), R(r, 4, 4), R(r, 2, 4), R(r, 2, 1), R(r, 2, 1));
        return [new(x, v, w, y, ScalarFunction.Sigmoid), new(x, v, w, y, ScalarFunction.Sigmoid, b)];
    }

    /// <summary>Three hidden layers 3 → 4 → 3 → 3 (sigmoid, ReLU, sigmoid), D_F = 2, η = 0.1; then with the bias columns of section 2's text.</summary>
    public static Data004S2[] Note004Section2(Random r)
    {
        ScalarFunction[] sigmas = [ScalarFunction.Sigmoid, ScalarFunction.Relu, ScalarFunction.Sigmoid];
        var h0 = R(r, 3, 1);
        var y = R(r, 2, 1);
        return
        [
            new(h0, [R(r, 4, 3), R(r, 3, 4), R(r, 3, 3)], sigmas, R(r, 2, 3), y, 0.1),
            new(h0, [R(r, 4, 3), R(r, 3, 5), R(r, 3, 4)], sigmas, R(r, 2, 4), y, 0.1, Biased: true),
        ];
    }
}
