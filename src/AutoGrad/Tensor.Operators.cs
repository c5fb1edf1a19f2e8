using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>The operand, or an <see cref="ArgumentNullException"/> naming the operator's parameter.</summary>
    private static Tensor<T> NotNull(Tensor<T> operand, string name) => operand ?? throw new ArgumentNullException(name);

    /// <summary>Element-wise sum with broadcasting (<see cref="Add"/>).</summary>
    public static Tensor<T> operator +(Tensor<T> a, Tensor<T> b) => NotNull(a, nameof(a)).Add(NotNull(b, nameof(b)));

    /// <summary>Element-wise difference with broadcasting (<see cref="Sub"/>).</summary>
    public static Tensor<T> operator -(Tensor<T> a, Tensor<T> b) => NotNull(a, nameof(a)).Sub(NotNull(b, nameof(b)));

    /// <summary>Element-wise (Hadamard) product with broadcasting (<see cref="Hadamard"/>); for the matrix product use <see cref="MatMul(Tensor{T})"/>.</summary>
    public static Tensor<T> operator *(Tensor<T> a, Tensor<T> b) => NotNull(a, nameof(a)).Hadamard(NotNull(b, nameof(b)));

    /// <summary>Element-wise quotient with broadcasting (<see cref="Div"/>).</summary>
    public static Tensor<T> operator /(Tensor<T> a, Tensor<T> b) => NotNull(a, nameof(a)).Div(NotNull(b, nameof(b)));

    /// <summary>Negation (<see cref="Neg"/>).</summary>
    public static Tensor<T> operator -(Tensor<T> a) => NotNull(a, nameof(a)).Neg();

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor<T> operator +(Tensor<T> a, T s) => NotNull(a, nameof(a)).Add(Constant(s));

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor<T> operator +(T s, Tensor<T> a) => Constant(s).Add(NotNull(a, nameof(a)));

    /// <summary>Subtracts a constant from every element.</summary>
    public static Tensor<T> operator -(Tensor<T> a, T s) => NotNull(a, nameof(a)).Sub(Constant(s));

    /// <summary>Subtracts every element from a constant.</summary>
    public static Tensor<T> operator -(T s, Tensor<T> a) => Constant(s).Sub(NotNull(a, nameof(a)));

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor<T> operator *(Tensor<T> a, T s) => NotNull(a, nameof(a)).Hadamard(Constant(s));

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor<T> operator *(T s, Tensor<T> a) => Constant(s).Hadamard(NotNull(a, nameof(a)));

    /// <summary>Divides every element by a constant.</summary>
    public static Tensor<T> operator /(Tensor<T> a, T s) => NotNull(a, nameof(a)).Div(Constant(s));

    /// <summary>Divides a constant by every element.</summary>
    public static Tensor<T> operator /(T s, Tensor<T> a) => Constant(s).Div(NotNull(a, nameof(a)));

    // The same with a double constant, converted to T: `0.5 * x` works for a Tensor<float> as it does in PyTorch.
    // For Tensor<double> these and the T forms above are the same signatures; C# then picks these (non-generic) ones.

    /// <summary>Adds a constant, given as a double and converted to <typeparamref name="T"/>, to every element.</summary>
    public static Tensor<T> operator +(Tensor<T> a, double s) => NotNull(a, nameof(a)).Add(Constant(T.CreateChecked(s)));

    /// <summary>Adds a constant, given as a double and converted to <typeparamref name="T"/>, to every element.</summary>
    public static Tensor<T> operator +(double s, Tensor<T> a) => Constant(T.CreateChecked(s)).Add(NotNull(a, nameof(a)));

    /// <summary>Subtracts a constant, given as a double and converted to <typeparamref name="T"/>, from every element.</summary>
    public static Tensor<T> operator -(Tensor<T> a, double s) => NotNull(a, nameof(a)).Sub(Constant(T.CreateChecked(s)));

    /// <summary>Subtracts every element from a constant given as a double and converted to <typeparamref name="T"/>.</summary>
    public static Tensor<T> operator -(double s, Tensor<T> a) => Constant(T.CreateChecked(s)).Sub(NotNull(a, nameof(a)));

    /// <summary>Multiplies every element by a constant given as a double and converted to <typeparamref name="T"/>.</summary>
    public static Tensor<T> operator *(Tensor<T> a, double s) => NotNull(a, nameof(a)).Hadamard(Constant(T.CreateChecked(s)));

    /// <summary>Multiplies every element by a constant given as a double and converted to <typeparamref name="T"/>.</summary>
    public static Tensor<T> operator *(double s, Tensor<T> a) => Constant(T.CreateChecked(s)).Hadamard(NotNull(a, nameof(a)));

    /// <summary>Divides every element by a constant given as a double and converted to <typeparamref name="T"/>.</summary>
    public static Tensor<T> operator /(Tensor<T> a, double s) => NotNull(a, nameof(a)).Div(Constant(T.CreateChecked(s)));

    /// <summary>Divides a constant, given as a double and converted to <typeparamref name="T"/>, by every element.</summary>
    public static Tensor<T> operator /(double s, Tensor<T> a) => Constant(T.CreateChecked(s)).Div(NotNull(a, nameof(a)));
}
