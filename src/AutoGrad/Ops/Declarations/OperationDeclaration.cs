using System.Numerics;
using AutoGrad.Kernels;

namespace AutoGrad;

/// <summary>
/// What the generic test suites and <see cref="Symbolic"/> need to know about one operation: its recorded name, the
/// <see cref="Operation{T}"/> type it records, how to call it, which inputs to try it on, and how to evaluate the
/// symbols it writes in formulas. The element-wise families derive theirs from the operator struct
/// (<see cref="UnaryDeclaration{TOp}"/>, <see cref="BinaryDeclaration{TOp}"/>); any other operation declares a
/// subclass with a parameterless constructor in its own file. <see cref="OperationCatalogue"/> finds them all.
/// </summary>
internal abstract class OperationDeclaration
{
    /// <summary>The name the tape records, e.g. <c>MatMul(A·Bᵀ)</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The recorded operation's type, as an open generic (<c>typeof(Tensor&lt;&gt;.MatMulOperation)</c>).</summary>
    public abstract Type OperationType { get; }

    /// <summary>How many inputs it takes.</summary>
    public abstract int Arity { get; }

    /// <summary>True for an element-wise operation (the result's element i depends on the inputs' elements i only).</summary>
    public virtual bool IsElementWise => false;

    /// <summary>Where the generic tests draw input <paramref name="input"/> from.</summary>
    public virtual TestDomain Domain(int input) => TestDomain.Standard;

    /// <summary>Input shapes to test with (each case one shape per input), the plainest first.</summary>
    public abstract IReadOnlyList<Shape[]> ShapeCases { get; }

    /// <summary>The variants of the operation (one per recorded name); by default just this one.</summary>
    public virtual IEnumerable<OperationDeclaration> Variants => [this];

    /// <summary>Calls the operation through the public API.</summary>
    public abstract Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Evaluates a formula node written by this operation (<paramref name="symbol"/> applied to
    /// <paramref name="arguments"/>); null when the symbol is not this operation's.
    /// </summary>
    public abstract Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The declaration of an element-wise function of one tensor, read off its operator struct.</summary>
internal sealed class UnaryDeclaration<TOp> : OperationDeclaration where TOp : struct, IUnaryOperator<TOp>
{
    public override string Name => TOp.Name;

    public override Type OperationType => typeof(Tensor<>.UnaryOperation<>);

    public override int Arity => 1;

    public override bool IsElementWise => true;

    public override TestDomain Domain(int input) => TOp.Domain;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 1)], [new(2, 19)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => Tensor<T>.Unary<TOp>(inputs[0]);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments)
    {
        if (arguments.Length != 1)
        {
            return null;
        }
        Tensor<T> x = arguments[0];
        if (symbol == TOp.Symbol)
        {
            return Tensor<T>.Unary<TOp>(x);
        }
        return symbol == TOp.Symbol + "′" ? TOp.Derivative(x, Tensor<T>.Unary<TOp>(x)) : null;
    }

    /// <summary>The one-pass backward kernel, g ⊙ f′(x) (what a plain backward pass computes).</summary>
    public static void Gradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => TOp.Gradient(g, x, y, d);

    /// <summary>f′(x) per element, from the scalar form.</summary>
    public static T Derivative<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => TOp.Derivative(x, y);

    /// <summary>f(x) per element, from the scalar form.</summary>
    public static T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => TOp.Invoke(x);
}

/// <summary>The declaration of an element-wise function of two tensors with broadcasting, read off its operator struct.</summary>
internal sealed class BinaryDeclaration<TOp> : OperationDeclaration where TOp : struct, IBinaryOperator<TOp>
{
    public override string Name => TOp.Name;

    public override Type OperationType => typeof(Tensor<>.BinaryOperation<>);

    public override int Arity => 2;

    public override bool IsElementWise => true;

    public override TestDomain Domain(int input) => TOp.Domain(input);

    public override IReadOnlyList<Shape[]> ShapeCases =>
        [[new(3, 4), new(3, 4)], [new(3, 4), new(1, 4)], [new(3, 1), new(1, 4)], [new(1, 1), new(3, 4)], [new(3, 4), new(3, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => Tensor<T>.Binary<TOp>(inputs[0], inputs[1]);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        arguments.Length == 2 && symbol == TOp.Symbol ? Tensor<T>.Binary<TOp>(arguments[0], arguments[1]) : null;

    /// <summary>∂z/∂a (input 0) or ∂z/∂b (input 1) per element, from the scalar forms.</summary>
    public static T Derivative<T>(int input, T a, T b, T z) where T : unmanaged, IFloatingPointIeee754<T> =>
        input == 0 ? TOp.DerivativeA(a, b, z) : TOp.DerivativeB(a, b, z);

    /// <summary>f(a, b) per element, from the scalar form.</summary>
    public static T Invoke<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => TOp.Invoke(a, b);
}
