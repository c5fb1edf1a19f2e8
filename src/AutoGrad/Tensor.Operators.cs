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
}
