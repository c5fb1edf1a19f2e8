using System.Globalization;
using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Tensors joined along <paramref name="axis"/> in one copy, as <see cref="Tensor.Concat{T}"/> (which checks the
    /// shapes): axis 0 stacks their rows, axis 1 puts their columns side by side.
    /// Backward: ∂L/∂partₖ is the block of ∂L/∂y where part k was copied (a slice).
    /// </summary>
    internal static Tensor<T> ConcatChecked(Tensor<T>[] parts, int axis)
    {
        int rows = parts[0].Rows, cols = parts[0].Cols;
        for (int k = 1; k < parts.Length; k++)
        {
            rows += axis == 0 ? parts[k].Rows : 0;
            cols += axis == 1 ? parts[k].Cols : 0;
        }
        var shape = new Shape(rows, cols);
        var result = Uninitialized(shape);
        int offset = 0;
        foreach (Tensor<T> part in parts)
        {
            offset = ConcatPart(part.DataFor("Concat"), part.Shape, offset, axis, result.Data, shape);
        }
        string name = ConcatDeclaration.NameOf(axis);
        bool record = false;
        foreach (Tensor<T> part in parts)
        {
            record |= ShouldRecord(part);
        }
        var op = record ? new ConcatOperation((Tensor<T>[])parts.Clone(), axis, name) : null;
        return Track(result, op, name, parts[0], parts.Length > 1 ? parts[1] : null);
    }

    /// <summary>
    /// Copies one part into y (of <paramref name="sy"/>) at <paramref name="offset"/> rows (axis 0) or columns (axis 1);
    /// returns the offset of the next part.
    /// </summary>
    internal static int ConcatPart(ReadOnlySpan<T> part, Shape sp, int offset, int axis, Span<T> y, Shape sy)
    {
        if (axis == 0)
        {
            part.CopyTo(y.Slice(offset * sy.Cols));
            return offset + sp.Rows;
        }
        for (int i = 0; i < sy.Rows; i++)
        {
            part.Slice(i * sp.Cols, sp.Cols).CopyTo(y.Slice(i * sy.Cols + offset, sp.Cols));
        }
        return offset + sp.Cols;
    }

    internal sealed class ConcatOperation(Tensor<T>[] parts, int axis, string name) : Operation<T>(parts), Compilation.IPlanStepSource<T>
    {
        public override string Name => name;

        public int Axis => axis;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            int offset = 0;
            for (int k = 0; k < Inputs.Length; k++)
            {
                Tensor<T> part = Inputs[k];
                if (Needs(k))
                {
                    gradients[k] = axis == 0 ? grad.SliceRows(offset, part.Rows) : grad.Slice(0, part.Rows, offset, part.Cols);
                }
                offset += axis == 0 ? part.Rows : part.Cols;
            }
        }

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.KernelStep<T>(Name, inputs, output, shape, (x, y) =>
            {
                int offset = 0;
                for (int k = 0; k < x.Length; k++)
                {
                    offset = ConcatPart(x[k].Array, shapes[k], offset, axis, y, shape);
                }
            });

        /// <summary>concat₀(concat₀(a, b), c): joining is associative, so nested pairs say the same as one call.</summary>
        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs)
        {
            SymbolicExpression joined = inputs[0];
            for (int k = 1; k < inputs.Length; k++)
            {
                joined = Notation.Call(ConcatDeclaration.SymbolOf(axis), "", joined, inputs[k]);
            }
            return joined;
        }
    }
}

/// <summary>Three tensors joined along axis 0 (rows) or 1 (columns), one N-input operation; a formula writes <c>concat0(concat0(a, b), c)</c>.</summary>
internal sealed class ConcatDeclaration(int axis) : OperationDeclaration
{
    private ConcatDeclaration()
        : this(0)
    {
    }

    public static string NameOf(int axis) => string.Create(CultureInfo.InvariantCulture, $"Concat(axis: {axis})");

    public static string SymbolOf(int axis) => string.Create(CultureInfo.InvariantCulture, $"concat{axis}");

    public override string Name => NameOf(axis);

    public override Type OperationType => typeof(Tensor<>.ConcatOperation);

    public override int Arity => 3;

    public override IReadOnlyList<Shape[]> ShapeCases => axis == 0
        ? [[new(2, 3), new(1, 3), new(3, 3)], [new(1, 1), new(1, 1), new(1, 1)]]
        : [[new(3, 2), new(3, 1), new(3, 3)], [new(1, 1), new(1, 1), new(1, 1)]];

    public override IEnumerable<OperationDeclaration> Variants => [new ConcatDeclaration(0), new ConcatDeclaration(1)];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => Tensor.Concat(inputs.ToArray(), axis);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        symbol == SymbolOf(axis) && arguments.Length >= 1 ? Tensor.Concat(arguments.ToArray(), axis) : null;
}
