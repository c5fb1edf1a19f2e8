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

    /// <summary>True when the operation is not differentiable where its (element-wise) inputs are equal.</summary>
    public virtual bool TiesAreKinks => false;

    /// <summary>True for an element-wise operation of several inputs that broadcasts them against each other.</summary>
    public virtual bool Broadcasts => false;

    /// <summary>False when a formula cannot be evaluated back (it leaves out a non-tensor argument, such as labels).</summary>
    public virtual bool WritesEvaluableFormula => true;

    /// <summary>Where the generic tests draw input <paramref name="input"/> from.</summary>
    public virtual TestDomain Domain(int input) => TestDomain.Standard;

    /// <summary>For a unary element-wise operator: how many ulps the one-pass gradient may differ from the recorded one.</summary>
    public virtual int GradientUlps => 0;

    /// <summary>True when <see cref="ScalarForward{T}"/> and <see cref="ScalarDerivative{T}"/> exist (the element-wise operator structs).</summary>
    public virtual bool HasScalarForm => false;

    /// <summary>f(arguments) for one element, from the operator's scalar form (what a fused loop would call).</summary>
    public virtual T ScalarForward<T>(ReadOnlySpan<T> arguments) where T : unmanaged, IFloatingPointIeee754<T> =>
        throw new NotSupportedException($"{Name} has no scalar form.");

    /// <summary>∂f/∂(argument <paramref name="input"/>) for one element, given also the result, from the operator's scalar form.</summary>
    public virtual T ScalarDerivative<T>(int input, ReadOnlySpan<T> arguments, T result) where T : unmanaged, IFloatingPointIeee754<T> =>
        throw new NotSupportedException($"{Name} has no scalar form.");

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

    public override bool HasScalarForm => true;

    public override int GradientUlps => TOp.GradientUlps;

    public override T ScalarForward<T>(ReadOnlySpan<T> arguments) => TOp.Invoke(arguments[0]);

    public override T ScalarDerivative<T>(int input, ReadOnlySpan<T> arguments, T result) => TOp.Derivative(arguments[0], result);
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

    public override bool Broadcasts => true;

    public override bool TiesAreKinks => TOp.TiesAreKinks;

    public override bool HasScalarForm => true;

    public override T ScalarForward<T>(ReadOnlySpan<T> arguments) => TOp.Invoke(arguments[0], arguments[1]);

    public override T ScalarDerivative<T>(int input, ReadOnlySpan<T> arguments, T result) =>
        input == 0 ? TOp.DerivativeA(arguments[0], arguments[1], result) : TOp.DerivativeB(arguments[0], arguments[1], result);
}
