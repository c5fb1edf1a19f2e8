using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise clamp to [<paramref name="min"/>, <paramref name="max"/>]: <c>y = min(max(x, min), max)</c>, computed as
    /// PyTorch does (x unless it lies strictly outside, so clamp(−0, min 0) = −0); NaN stays NaN.
    /// Give <c>T.NegativeInfinity</c> or <c>T.PositiveInfinity</c> for a one-sided clamp.
    /// Backward: ∂L/∂x = ∂L/∂y where min ≤ x ≤ max and +0 elsewhere (NaN included), whatever ∂L/∂y is — a selection, as
    /// PyTorch's <c>where(min ≤ x ≤ max, grad, 0)</c>; the gradient passes at the bounds themselves.
    /// </summary>
    public Tensor<T> Clamp(T min, T max)
    {
        if (T.IsNaN(min) || T.IsNaN(max) || min > max)
        {
            throw new ArgumentException(FormattableString.Invariant($"Clamp: need min ≤ max (and neither NaN); got min {min}, max {max} for a {Shape} tensor."),
                T.IsNaN(min) ? nameof(min) : nameof(max));
        }
        var result = Uninitialized(Shape);
        ClampKernel(DataFor("Clamp"), min, max, result.Data);
        return Track(result, ShouldRecord(this) ? new ClampOperation(this, min, max) : null, ClampName(min, max), this);
    }

    /// <summary>Element-wise clamp with bounds given as <c>double</c> (converted to <typeparamref name="T"/>); see <see cref="Clamp(T, T)"/>.</summary>
    public Tensor<T> Clamp(double min, double max) => Clamp(T.CreateChecked(min), T.CreateChecked(max));

    /// <summary>y = min(max(x, min), max) element-wise (NaN stays NaN); the same for each element wherever the span starts.</summary>
    internal static void ClampKernel(ReadOnlySpan<T> x, T min, T max, Span<T> y) => Kernels.ClampKernels.Clamp(x, min, max, y);

    /// <summary>m = [min ≤ x ≤ max] element-wise, 1 or 0: Clamp's derivative.</summary>
    internal static void ClampInside(ReadOnlySpan<T> x, T min, T max, Span<T> m)
    {
        for (int i = 0; i < x.Length; i++)
        {
            m[i] = x[i] >= min && x[i] <= max ? T.One : T.Zero;
        }
    }

    private static string ClampName(T min, T max) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Clamp({min}, {max})");

    internal sealed class ClampOperation(Tensor<T> x, T min, T max) : Operation<T>(x), Compilation.IPlanStepSource<T>
    {
        public override string Name => ClampName(min, max);

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Function(ClampDeclaration.SymbolOf(min, max), "", inputs[0]);

        public T Min => min;

        public T Max => max;

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients) => gradients[0] = grad.MaskedProduct(InsideMask());

        /// <summary>
        /// [min ≤ x ≤ max] as a constant tensor of 1s and 0s; during a capture, recorded as computed from x, so a compiled
        /// step reads it from each call's values.
        /// </summary>
        private Tensor<T> InsideMask()
        {
            Tensor<T> x = Inputs[0];
            if (Compilation.BackwardCapture.IsActive)
            {
                return Compilation.CapturedClampMaskOperation<T>.Record(x, min, max);
            }
            var mask = Uninitialized(x.Shape);
            mask.Name = $"clamp′({x.Name ?? "·"})"; // how a formula read off the backward graph shows it
            ClampInside(x.Data, min, max, mask.Data);
            return mask;
        }

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.ClampStep<T>(Name, inputs[0], min, max, output, shape, mask: false);
    }
}

/// <summary>Clamp to [−1, 1], kinks at the bounds; a formula writes <c>clamp[min, max](x)</c>.</summary>
internal sealed class ClampDeclaration : OperationDeclaration
{
    public static string SymbolOf<T>(T min, T max) where T : IFormattable =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"clamp[{min}, {max}]");

    public override string Name => "Clamp(-1, 1)";

    public override Type OperationType => typeof(Tensor<>.ClampOperation);

    public override int Arity => 1;

    public override bool IsElementWise => true;

    public override TestDomain Domain(int input) => new(-3, 3, -1, 1);

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4)], [new(1, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].Clamp(-1.0, 1.0);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments)
    {
        if (arguments.Length != 1 || !symbol.StartsWith("clamp[", StringComparison.Ordinal))
        {
            return null;
        }
        string[] bounds = symbol["clamp[".Length..^1].Split(", ");
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return arguments[0].Clamp(T.Parse(bounds[0], culture), T.Parse(bounds[1], culture));
    }
}
