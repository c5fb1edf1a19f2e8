using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

/// <summary>
/// An element-wise operation y = f(x) declared once, as one static-abstract operator struct: its numbers (forward and
/// derivative per element, per span, per vector: <see cref="IUnaryFunction{TSelf}"/>), and here its name, notation,
/// recorded derivative and the inputs the generic tests may use.
/// <see cref="Tensor{T}.Unary{TOp}"/> runs it and records <see cref="Tensor{T}.UnaryOperation{TOp}"/>; the
/// operation catalogue finds it by reflection, so nothing else has to list it.
/// </summary>
/// <remarks>
/// A plain backward pass computes ∂L/∂x = ∂L/∂y ⊙ f′(x) in one loop (<see cref="ElementwiseLoops.Gradient{T, TOp}"/>);
/// a recorded one (createGraph) computes <c>grad ⊙ Derivative(x, y)</c> with tensor operations, so it can be
/// differentiated again. The catalogue test checks, for every operator, that both give the same bits (or as many
/// ulps apart as <see cref="GradientUlps"/> declares).
/// </remarks>
internal interface IUnaryOperator<TSelf> : IUnaryFunction<TSelf> where TSelf : struct, IUnaryOperator<TSelf>
{
    /// <summary>The name the tape records and error messages show, e.g. <c>Sigmoid</c>.</summary>
    static abstract string Name { get; }

    /// <summary>The function's symbol in formulas, e.g. <c>σ</c>; its derivative is written with a prime, <c>σ′</c>.</summary>
    static abstract string Symbol { get; }

    /// <summary>The symbol in LaTeX, e.g. <c>\sigma</c>.</summary>
    static virtual string LatexSymbol => $"\\operatorname{{{TSelf.Symbol}}}";

    /// <summary>The domain and kinks the generic tests draw inputs from.</summary>
    static virtual TestDomain Domain => TestDomain.Standard;

    /// <summary>
    /// How many units in the last place the one-pass gradient may differ from the recorded one: 0 (bit for bit) unless
    /// the two cannot share one kernel.
    /// </summary>
    static virtual int GradientUlps => 0;

    /// <summary>f′(x) as recorded tensor operations (differentiable again), computing what the scalar form computes.</summary>
    static abstract Tensor<T> Derivative<T>(Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>True when a formula should show the derivative as f′(x) rather than its expansion (σ′, tanh′, relu′).</summary>
    static virtual bool DerivativeHasNotation => false;

    /// <summary>
    /// True when the span kernel's value for an element can depend on where the span lies in memory (TensorPrimitives'
    /// Sin and Cos give a different last bit for a few elements when the same values sit at another alignment): eager
    /// results are then not reproducible bit for bit across arrays, so a compiled step refuses the operator.
    /// </summary>
    static virtual bool ResultDependsOnAddress => false;

    /// <summary>
    /// ∂L/∂x = g ⊙ f′(x) as recorded tensor operations, for a recorded backward pass; a derivative that
    /// <see cref="IUnaryFunction{TSelf}.DerivativeSelects"/> is applied by <see cref="Tensor{T}.MaskedProduct"/>, so the
    /// recorded gradient selects as the one-pass kernel does, and so does its own derivative.
    /// </summary>
    static virtual Tensor<T> Gradient<T>(Tensor<T> g, Tensor<T> x, Tensor<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> derivative = TSelf.Derivative(x, y);
        if (TSelf.DerivativeHasNotation)
        {
            DerivativeNotation<T>.Mark(derivative, TSelf.Symbol + "′", TSelf.LatexSymbol + "'", x);
        }
        return TSelf.DerivativeSelects ? g.MaskedProduct(derivative) : g.Hadamard(derivative);
    }
}
