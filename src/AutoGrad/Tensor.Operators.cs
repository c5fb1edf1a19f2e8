using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>Element-wise sum with broadcasting (<see cref="Add"/>).</summary>
    public static Tensor<T> operator +(Tensor<T> a, Tensor<T> b) => a.Add(b);

    /// <summary>Element-wise difference with broadcasting (<see cref="Sub"/>).</summary>
    public static Tensor<T> operator -(Tensor<T> a, Tensor<T> b) => a.Sub(b);

    /// <summary>Element-wise (Hadamard) product with broadcasting (<see cref="Hadamard"/>); for the matrix product use <see cref="MatMul(Tensor{T})"/>.</summary>
    public static Tensor<T> operator *(Tensor<T> a, Tensor<T> b) => a.Hadamard(b);

    /// <summary>Element-wise quotient with broadcasting (<see cref="Div"/>).</summary>
    public static Tensor<T> operator /(Tensor<T> a, Tensor<T> b) => a.Div(b);

    /// <summary>Negation (<see cref="Neg"/>).</summary>
    public static Tensor<T> operator -(Tensor<T> a) => a.Neg();

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor<T> operator +(Tensor<T> a, T s) => a.Add(Constant(s));

    /// <summary>Adds a constant to every element.</summary>
    public static Tensor<T> operator +(T s, Tensor<T> a) => Constant(s).Add(a);

    /// <summary>Subtracts a constant from every element.</summary>
    public static Tensor<T> operator -(Tensor<T> a, T s) => a.Sub(Constant(s));

    /// <summary>Subtracts every element from a constant.</summary>
    public static Tensor<T> operator -(T s, Tensor<T> a) => Constant(s).Sub(a);

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor<T> operator *(Tensor<T> a, T s) => a.Hadamard(Constant(s));

    /// <summary>Multiplies every element by a constant.</summary>
    public static Tensor<T> operator *(T s, Tensor<T> a) => Constant(s).Hadamard(a);

    /// <summary>Divides every element by a constant.</summary>
    public static Tensor<T> operator /(Tensor<T> a, T s) => a.Div(Constant(s));

    /// <summary>Divides a constant by every element.</summary>
    public static Tensor<T> operator /(T s, Tensor<T> a) => Constant(s).Div(a);

    // The same with a double constant, converted to T: `0.5 * x` works for a Tensor<float> as it does in PyTorch.
    // For Tensor<double> these and the T forms above are the same signatures; C# then picks these (non-generic) ones.

    /// <summary>Adds a constant, given as a double and converted to <typeparamref name="T"/>, to every element.</summary>
    public static Tensor<T> operator +(Tensor<T> a, double s) => a.Add(Constant(T.CreateChecked(s)));

    /// <summary>Adds a constant, given as a double and converted to <typeparamref name="T"/>, to every element.</summary>
    public static Tensor<T> operator +(double s, Tensor<T> a) => Constant(T.CreateChecked(s)).Add(a);

    /// <summary>Subtracts a constant, given as a double and converted to <typeparamref name="T"/>, from every element.</summary>
    public static Tensor<T> operator -(Tensor<T> a, double s) => a.Sub(Constant(T.CreateChecked(s)));

    /// <summary>Subtracts every element from a constant given as a double and converted to <typeparamref name="T"/>.</summary>
    public static Tensor<T> operator -(double s, Tensor<T> a) => Constant(T.CreateChecked(s)).Sub(a);

    /// <summary>Multiplies every element by a constant given as a double and converted to <typeparamref name="T"/>.</summary>
    public static Tensor<T> operator *(Tensor<T> a, double s) => a.Hadamard(Constant(T.CreateChecked(s)));

    /// <summary>Multiplies every element by a constant given as a double and converted to <typeparamref name="T"/>.</summary>
    public static Tensor<T> operator *(double s, Tensor<T> a) => Constant(T.CreateChecked(s)).Hadamard(a);

    /// <summary>Divides every element by a constant given as a double and converted to <typeparamref name="T"/>.</summary>
    public static Tensor<T> operator /(Tensor<T> a, double s) => a.Div(Constant(T.CreateChecked(s)));

    /// <summary>Divides a constant, given as a double and converted to <typeparamref name="T"/>, by every element.</summary>
    public static Tensor<T> operator /(double s, Tensor<T> a) => Constant(T.CreateChecked(s)).Div(a);
}
