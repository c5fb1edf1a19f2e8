using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Two tensors side by side along <paramref name="axis"/> (0: a's rows then b's; 1: a's columns then b's), the
    /// building block of <see cref="Tensor.Concat{T}"/>.
    /// Backward: ∂L/∂a and ∂L/∂b are the matching slices of ∂L/∂y.
    /// </summary>
    internal static Tensor<T> Concat2(Tensor<T> a, Tensor<T> b, int axis)
    {
        Shape shape = axis == 0 ? new Shape(a.Rows + b.Rows, a.Cols) : new Shape(a.Rows, a.Cols + b.Cols);
        var result = Uninitialized(shape);
        if (axis == 0)
        {
            a.Data.AsSpan().CopyTo(result.Data);
            b.Data.AsSpan().CopyTo(result.Data.AsSpan(a.Length));
        }
        else
        {
            for (int i = 0; i < shape.Rows; i++)
            {
                a.Data.AsSpan(i * a.Cols, a.Cols).CopyTo(result.Data.AsSpan(i * shape.Cols, a.Cols));
                b.Data.AsSpan(i * b.Cols, b.Cols).CopyTo(result.Data.AsSpan(i * shape.Cols + a.Cols, b.Cols));
            }
        }
        string name = ConcatDeclaration.NameOf(axis);
        return Track(result, ShouldRecord(a, b) ? new ConcatOperation(a, b, axis, name) : null, name, a, b);
    }

    internal sealed class ConcatOperation(Tensor<T> a, Tensor<T> b, int axis, string name) : Operation<T>(a, b)
    {
        public override string Name => name;

        public int Axis => axis;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> a = Inputs[0], b = Inputs[1];
            if (Needs(0))
            {
                gradients[0] = axis == 0 ? grad.SliceRows(0, a.Rows) : grad.Slice(0, a.Rows, 0, a.Cols);
            }
            if (Needs(1))
            {
                gradients[1] = axis == 0 ? grad.SliceRows(a.Rows, b.Rows) : grad.Slice(0, b.Rows, a.Cols, b.Cols);
            }
        }

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Call(ConcatDeclaration.SymbolOf(axis), "", inputs[0], inputs[1]);
    }
}

/// <summary>Two tensors joined along axis 0 (rows) or 1 (columns); a formula writes <c>concat0(a, b)</c>.</summary>
internal sealed class ConcatDeclaration(int axis) : OperationDeclaration
{
    private ConcatDeclaration()
        : this(0)
    {
    }

    public static string NameOf(int axis) => $"Concat(axis: {axis})";

    public static string SymbolOf(int axis) => $"concat{axis}";

    public override string Name => NameOf(axis);

    public override Type OperationType => typeof(Tensor<>.ConcatOperation);

    public override int Arity => 2;

    public override IReadOnlyList<Shape[]> ShapeCases => axis == 0
        ? [[new(2, 3), new(1, 3)], [new(1, 1), new(1, 1)]]
        : [[new(3, 2), new(3, 1)], [new(1, 1), new(1, 1)]];

    public override IEnumerable<OperationDeclaration> Variants => [new ConcatDeclaration(0), new ConcatDeclaration(1)];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => Tensor.Concat([inputs[0], inputs[1]], axis);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        symbol == SymbolOf(axis) && arguments.Length == 2 ? Tensor.Concat([arguments[0], arguments[1]], axis) : null;
}
