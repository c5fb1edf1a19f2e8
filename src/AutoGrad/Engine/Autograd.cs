using System.Globalization;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// The functional interface to the tape, in the spirit of <c>torch.autograd</c>: gradients returned rather than
/// stored, and second-order quantities built on gradients that are themselves recorded.
/// </summary>
public static partial class Autograd
{
    /// <summary>
    /// d(output)/d(input) for each input, without touching any <c>Grad</c>. An input that the output does not
    /// depend on gets a zero gradient. With <paramref name="createGraph"/> the returned gradients are recorded, so
    /// they can be differentiated again.
    /// </summary>
    /// <param name="output">A 1×1 tensor, or any tensor together with <paramref name="seed"/>.</param>
    /// <param name="inputs">The tensors to differentiate with respect to (at least one); each must require a gradient.</param>
    /// <param name="createGraph">Record the backward pass.</param>
    /// <param name="seed">∂L/∂output, of the output's shape; 1 for a 1×1 output when omitted.</param>
    public static Tensor<T>[] Grad<T>(Tensor<T> output, IReadOnlyList<Tensor<T>> inputs, bool createGraph = false, Tensor<T>? seed = null)
        where T : unmanaged, IFloatingPointIeee754<T> => Gradients("Autograd.Grad", output, inputs, createGraph, seed);

    /// <summary>
    /// <see cref="Grad{T}"/> for a public method built on it (<c>Hessian</c>, <c>Jacobian</c>, <c>Symbolic.Gradient</c>):
    /// a refusal of the pass names <paramref name="caller"/>, the method the caller called.
    /// </summary>
    internal static Tensor<T>[] Gradients<T>(string caller, Tensor<T> output, IReadOnlyList<Tensor<T>> inputs, bool createGraph = false, Tensor<T>? seed = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            // PyTorch: "grad requires non-empty inputs"; an empty array back would hide a caller's mistake
            throw new ArgumentException($"{caller}: the list of inputs is empty; name at least one tensor to differentiate with respect to.", nameof(inputs));
        }
        var index = new Dictionary<Tensor<T>, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{caller}: input {i} is null."), nameof(inputs));
            }
            if (!inputs[i].RequiresGrad)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{caller}: input {i}, {inputs[i].Describe()}, does not require a gradient."), nameof(inputs));
            }
            index.TryAdd(inputs[i], i);
        }
        var result = new Tensor<T>?[inputs.Count];
        Tensor<T> start = output.CheckBackwardStart(seed, caller);
        BackwardPass<T>.Run(output, start, createGraph, index.ContainsKey, (t, g) => result[index[t]] = g, caller);
        for (int i = 0; i < inputs.Count; i++)
        {
            result[i] ??= result[index[inputs[i]]] ?? Tensor<T>.Zeros(inputs[i].Shape);
        }
        return result!;
    }

    /// <summary>
    /// The Hessian-vector product H·v of a scalar function f at x, where H = ∂²f/∂x²: two backward passes,
    /// the first recorded (d/dx of ⟨∇f(x), v⟩). <paramref name="v"/> has x's shape; so has the result. f is recorded
    /// even inside <see cref="Tensor.NoGrad"/> (as <c>torch.autograd.functional</c> does).
    /// </summary>
    public static Tensor<T> HessianVectorProduct<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x, Tensor<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(v);
        if (v.Shape != x.Shape)
        {
            throw new ArgumentException($"Autograd.HessianVectorProduct: v is {v.Shape} but x is {x.Shape}; they must match.", nameof(v));
        }
        Tensor<T>.RefuseDisposed("Autograd.HessianVectorProduct", x, v);
        using var recording = GradMode.EnableGrad();
        var point = WithGrad(x);
        if (RecordedGradient("Autograd.HessianVectorProduct", f, point) is not { } gradient)
        {
            return Tensor<T>.Zeros(x.Shape); // f does not depend on x
        }
        var product = gradient.Hadamard(v.Detach()).Sum();
        if (!product.RequiresGrad)
        {
            return Tensor<T>.Zeros(x.Shape); // ∇f does not depend on x: f is linear in x
        }
        return Gradients("Autograd.HessianVectorProduct", product, [point])[0];
    }

    /// <summary>
    /// The full Hessian ∂²f/∂x² of a scalar function f at x, as an n×n tensor with n = x.Length (x's elements in
    /// row-major order): one Hessian-vector product per column. Meant for small inputs. f is recorded even inside
    /// <see cref="Tensor.NoGrad"/>.
    /// </summary>
    public static Tensor<T> Hessian<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        Tensor<T>.RefuseDisposed("Autograd.Hessian", x);
        int n = x.Length;
        var hessian = Tensor<T>.Zeros(Shape.CheckSize("Autograd.Hessian", n, n, $"a {x.Shape} input", nameof(x),
            "Autograd.HessianVectorProduct gives H·v for one v at a time without forming the matrix."));
        using var recording = GradMode.EnableGrad();
        var point = WithGrad(x);
        if (RecordedGradient("Autograd.Hessian", f, point) is not { } gradient)
        {
            return hessian; // f does not depend on x: zeros, as PyTorch
        }
        for (int column = 0; column < n; column++)
        {
            if (!gradient.RequiresGrad)
            {
                break; // f is linear in x: the Hessian is zero
            }
            var unit = Tensor<T>.Zeros(x.Shape);
            unit.Data[column] = T.One;
            Tensor<T> hv = Gradients("Autograd.Hessian", gradient.Hadamard(unit).Sum(), [point])[0];
            for (int row = 0; row < n; row++)
            {
                hessian.Data[row * n + column] = hv.Data[row];
            }
        }
        return hessian;
    }

    /// <summary>
    /// ∇f at <paramref name="point"/>, recorded, for the second-order functions; null when f does not depend on the
    /// point (its second derivatives are then zero). Refuses a non-scalar f with what the caller of
    /// <paramref name="op"/> can do — it cannot pass a seed.
    /// </summary>
    private static Tensor<T>? RecordedGradient<T>(string op, Func<Tensor<T>, Tensor<T>> f, Tensor<T> point)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> value = f(point) ?? throw new InvalidOperationException($"{op}: the function returned null; it must return a 1×1 tensor.");
        if (!value.Shape.IsScalar)
        {
            throw new ArgumentException(
                $"{op}: the function must return a scalar (1×1) tensor, but it returned a {value.Shape} one. For a vector-valued function take {op} of a scalar made from it, e.g. of x => f(x).Sum() or of one output element at a time.", "f");
        }
        return value.RequiresGrad ? Gradients(op, value, [point], createGraph: true)[0] : null;
    }

    /// <summary>A fresh leaf with x's values that requires a gradient, so the derivatives are taken at x itself.</summary>
    private static Tensor<T> WithGrad<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var point = new Tensor<T>(x.Shape, (T[])x.Data.Clone(), x.Name) { RequiresGrad = true };
        return point;
    }
}
