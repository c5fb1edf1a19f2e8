using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

/// <summary>
/// An element-wise function z = f(a, b) with broadcasting, declared once as a static-abstract operator struct: name,
/// notation, forward kernel (per element, and over spans in the three forms broadcasting needs), partial derivatives
/// per element and as recorded tensor operations. <see cref="Tensor{T}.Binary{TOp}"/> runs it and records
/// <see cref="Tensor{T}.BinaryOperation{TOp}"/>. The gradients are returned in the broadcast result's shape; the
/// backward pass sums them back to each input's shape.
/// </summary>
internal interface IBinaryOperator<TSelf> : IBinaryFunction<TSelf> where TSelf : struct, IBinaryOperator<TSelf>
{
    /// <summary>The name the tape records and error messages show, e.g. <c>Add</c>.</summary>
    static abstract string Name { get; }

    /// <summary>The infix symbol (<c>+ − ⊙ /</c>) or, when <see cref="IsInfix"/> is false, the function name (<c>max</c>).</summary>
    static abstract string Symbol { get; }

    /// <summary>The symbol in LaTeX.</summary>
    static abstract string LatexSymbol { get; }

    /// <summary>True for an operator written between its operands, false for a function of two arguments.</summary>
    static virtual bool IsInfix => true;

    /// <summary>True when f is not differentiable where a = b (a maximum's ties): the generic tests keep inputs apart.</summary>
    static virtual bool TiesAreKinks => false;

    /// <summary>The domain the generic tests draw input <paramref name="input"/> from.</summary>
    static virtual TestDomain Domain(int input) => TestDomain.Standard;

    /// <summary>∂L/∂a = g ⊙ ∂z/∂a as tensor operations (recorded when the pass is), in the broadcast result's shape.</summary>
    static abstract Tensor<T> GradientA<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>∂L/∂b = g ⊙ ∂z/∂b as tensor operations, in the broadcast result's shape.</summary>
    static abstract Tensor<T> GradientB<T>(Tensor<T> g, Tensor<T> a, Tensor<T> b, Tensor<T> z) where T : unmanaged, IFloatingPointIeee754<T>;
}
