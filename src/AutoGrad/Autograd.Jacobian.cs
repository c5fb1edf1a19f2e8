using System.Numerics;

namespace AutoGrad;

public static partial class Autograd
{
    /// <summary>
    /// The Jacobian ∂f(x)/∂x of a tensor function f at x, as <c>torch.autograd.functional.jacobian</c> computes it:
    /// one forward pass, then one vector-Jacobian product per output element. Row i of the result is the gradient of
    /// f(x)'s i-th element (row-major) with respect to x, so the result is m×n with m = f(x).Length and n = x.Length,
    /// entry (i, j) = ∂f(x)ᵢ/∂xⱼ, both flattened row-major. An output that does not depend on x gives zero rows.
    /// x itself is not changed and no <c>Grad</c> is written; f is called once, on a fresh leaf holding x's values, and
    /// recorded even inside <see cref="Tensor.NoGrad"/> (as <c>torch.autograd.functional.jacobian</c>).
    /// </summary>
    /// <example>For f(x) = W·x with W of m×n and x of n×1, the result is W.</example>
    /// <param name="f">The function; it may use any recorded operation.</param>
    /// <param name="x">The point at which the Jacobian is taken (any shape; it need not require a gradient).</param>
    /// <exception cref="ArgumentNullException">f or x is null, or f returns null.</exception>
    public static Tensor<T> Jacobian<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        Tensor<T>.RefuseDisposed("Autograd.Jacobian", x);
        using var recording = GradMode.EnableGrad();
        var point = WithGrad(x);
        Tensor<T> output = f(point) ?? throw new ArgumentNullException(nameof(f), "Autograd.Jacobian: f returned null.");
        int m = output.Length, n = x.Length;
        var jacobian = Tensor<T>.Zeros(Shape.CheckSize("Autograd.Jacobian", m, n, $"a {output.Shape} output and a {x.Shape} input", nameof(x),
            "Autograd.Grad with a seed gives one vector-Jacobian product (a row combination) at a time without forming the matrix."));
        if (!output.RequiresGrad)
        {
            return jacobian; // f(x) does not depend on x
        }
        for (int i = 0; i < m; i++)
        {
            var unit = Tensor<T>.Zeros(output.Shape);
            unit.Data[i] = T.One;
            Tensor<T> row = Gradients("Autograd.Jacobian", output, [point], seed: unit)[0];
            for (int j = 0; j < n; j++)
            {
                jacobian.Data[i * n + j] = row.Data[j];
            }
        }
        return jacobian;
    }
}
