using System.Numerics;

namespace AutoGrad.Benchmarks;

/// <summary>
/// The limit a compiled step can approach: the same training step (two sigmoid layers, ½‖ŷ − y‖², SGD) written as
/// plain loops over arrays allocated once — no tensors, no graph, no dispatch, one pass per layer with the bias add,
/// σ and σ′ fused by hand. Scalar loops, so only a limit at the smallest sizes (at (1, 4-8-1) it is all overhead-free
/// arithmetic); past a few thousand multiply-adds the SIMD GEMM of the library wins.
/// </summary>
public sealed class PlainLoopsStep<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int batch, n0, n1, n2;
    private readonly T[] w1, b1, w2, b2, a1, yHat, d1, d2;
    private readonly T rate;

    /// <summary>Copies the model's parameters (so both start from the same values); x and y are read at each step.</summary>
    public PlainLoopsStep(int batch, int n0, int n1, int n2, T[] w1, T[] b1, T[] w2, T[] b2, T learningRate)
    {
        (this.batch, this.n0, this.n1, this.n2) = (batch, n0, n1, n2);
        (this.w1, this.b1, this.w2, this.b2) = ((T[])w1.Clone(), (T[])b1.Clone(), (T[])w2.Clone(), (T[])b2.Clone());
        a1 = new T[batch * n1];
        yHat = new T[batch * n2];
        d1 = new T[batch * n1];
        d2 = new T[batch * n2];
        rate = learningRate;
    }

    private static T Sigmoid(T z) => T.One / (T.One + T.Exp(-z));

    /// <summary>Forward, backward and SGD update; returns the loss.</summary>
    public T Step(T[] x, T[] y)
    {
        T half = T.One / (T.One + T.One);
        T loss = T.Zero;
        for (int i = 0; i < batch; i++)
        {
            for (int j = 0; j < n1; j++)
            {
                T z = b1[j];
                for (int k = 0; k < n0; k++)
                {
                    z += x[i * n0 + k] * w1[j * n0 + k];
                }
                a1[i * n1 + j] = Sigmoid(z);
            }
            for (int o = 0; o < n2; o++)
            {
                T z = b2[o];
                for (int j = 0; j < n1; j++)
                {
                    z += a1[i * n1 + j] * w2[o * n1 + j];
                }
                T p = Sigmoid(z);
                yHat[i * n2 + o] = p;
                T r = p - y[i * n2 + o];
                loss += half * r * r;
                d2[i * n2 + o] = r * p * (T.One - p);
            }
            for (int j = 0; j < n1; j++)
            {
                T g = T.Zero;
                for (int o = 0; o < n2; o++)
                {
                    g += d2[i * n2 + o] * w2[o * n1 + j];
                }
                T a = a1[i * n1 + j];
                d1[i * n1 + j] = g * a * (T.One - a);
            }
        }
        // Gradients and the update in one pass per parameter: W ← W − η Σᵢ δᵢ ⊗ inputᵢ.
        Update(d2, a1, w2, b2, batch, n2, n1, rate);
        Update(d1, x, w1, b1, batch, n1, n0, rate);
        return loss;
    }

    /// <summary>One layer's gradients and update: W[o, j] −= η Σᵢ δ[i, o]·input[i, j], b[o] −= η Σᵢ δ[i, o].</summary>
    private static void Update(T[] delta, T[] input, T[] w, T[] b, int batch, int outputs, int inputs, T rate)
    {
        for (int o = 0; o < outputs; o++)
        {
            T gb = T.Zero;
            for (int j = 0; j < inputs; j++)
            {
                T g = T.Zero;
                for (int i = 0; i < batch; i++)
                {
                    g += delta[i * outputs + o] * input[i * inputs + j];
                }
                w[o * inputs + j] -= rate * g;
            }
            for (int i = 0; i < batch; i++)
            {
                gb += delta[i * outputs + o];
            }
            b[o] -= rate * gb;
        }
    }
}
