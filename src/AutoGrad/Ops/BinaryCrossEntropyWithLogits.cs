using System.Numerics;

namespace AutoGrad;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Element-wise binary cross-entropy of logits z (this) against targets y, in PyTorch's stable form
    /// <c>ℓ = max(z, 0) − z·y + ln(1 + e^(−|z|))</c> (ln(1 + u) computed accurately for small u), so logits of ±1000 give
    /// finite losses and gradients (<see cref="Nn.Loss.BinaryCrossEntropyWithLogits{T}"/> takes the mean).
    /// Backward: ∂L/∂z = ∂L/∂ℓ ∘ (σ(z) − y) — exactly σ(0) − y = ±0.5 at z = 0 — and ∂L/∂y = −∂L/∂ℓ ∘ z.
    /// </summary>
    internal Tensor<T> BinaryCrossEntropyWithLogitsElements(Tensor<T> targets)
    {
        if (targets.Shape != Shape)
        {
            throw new ArgumentException(
                $"BinaryCrossEntropyWithLogits: the logits are {Shape} but the targets are {targets.Shape}; they must match.", nameof(targets));
        }
        var result = Uninitialized(Shape);
        BinaryCrossEntropyWithLogitsKernel(DataFor(BinaryCrossEntropyWithLogitsDeclaration.OpName), targets.DataFor(BinaryCrossEntropyWithLogitsDeclaration.OpName), result.Data);
        return Track(result, ShouldRecord(this, targets) ? new BinaryCrossEntropyWithLogitsOperation(this, targets) : null,
            BinaryCrossEntropyWithLogitsDeclaration.OpName, this, targets);
    }

    /// <summary>
    /// ℓ = max(z, 0) − z·y + ln(1 + e^(−|z|)) element-wise, one element at a time, as (1 − y)·z + ln(1 + e^(−z)) for z ≥ 0
    /// and −y·z + ln(1 + e^z) below: the same value without the cancellation of max(z, 0) − z·y where y is near 1 and
    /// z &gt; 0 (20 − 19.8 in float lost 40 ulp); a target near 0 with z &lt; 0 is exact too.
    /// </summary>
    internal static void BinaryCrossEntropyWithLogitsKernel(ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> l)
    {
        for (int i = 0; i < z.Length; i++)
        {
            T zi = z[i];
            T linear = zi >= T.Zero ? (T.One - y[i]) * zi : -(y[i] * zi);
            l[i] = linear + LogOnePlus(T.Exp(-T.Abs(zi)));
        }
    }

    /// <summary>
    /// The plain backward pass's kernels: ∂L/∂z = g ∘ (σ(z) − y) (<paramref name="input"/> 0) or ∂L/∂y = −(g ∘ z) (1),
    /// element-wise.
    /// </summary>
    internal static void BinaryCrossEntropyWithLogitsGradient(int input, ReadOnlySpan<T> g, ReadOnlySpan<T> z, ReadOnlySpan<T> y, Span<T> d)
    {
        if (input == 0)
        {
            for (int i = 0; i < d.Length; i++)
            {
                d[i] = g[i] * (StableSigmoid(z[i]) - y[i]);
            }
        }
        else
        {
            for (int i = 0; i < d.Length; i++)
            {
                d[i] = -(g[i] * z[i]);
            }
        }
    }

    /// <summary>
    /// ln(1 + u) for u in [0, 1], accurate to a few ulps also where 1 + u rounds to 1 (Goldberg's correction:
    /// ln(w) · u / (w − 1) with w = 1 + u); .NET's <c>LogP1</c> is ln(1 + u) as written, which returns 0 for u below 1e-16.
    /// </summary>
    internal static T LogOnePlus(T u)
    {
        T w = T.One + u;
        return w == T.One ? u : T.Log(w) * u / (w - T.One);
    }

    /// <summary>σ(z) without overflow: 1 / (1 + e^−z) for z ≥ 0, e^z / (1 + e^z) below; σ(0) = 0.5 exactly.</summary>
    internal static T StableSigmoid(T z)
    {
        if (z >= T.Zero)
        {
            return T.One / (T.One + T.Exp(-z));
        }
        T e = T.Exp(z);
        return e / (T.One + e);
    }

    internal sealed class BinaryCrossEntropyWithLogitsOperation(Tensor<T> logits, Tensor<T> targets) : Operation<T>(logits, targets), Compilation.IPlanStepSource<T>
    {
        public override string Name => BinaryCrossEntropyWithLogitsDeclaration.OpName;

        public override SymbolicExpression Write(ReadOnlySpan<SymbolicExpression> inputs) =>
            Notation.Call("bce", "\\operatorname{bce}", inputs[0], inputs[1]);

        public override void Backward(Tensor<T> result, Tensor<T> grad, Span<Tensor<T>?> gradients)
        {
            Tensor<T> z = Inputs[0], y = Inputs[1];
            if (Compilation.BackwardCapture.IsActive)
            {
                // a compiled step runs the plain pass's kernels too
                gradients[0] = Needs(0) ? Compilation.CapturedBinaryCrossEntropyGradientOperation<T>.Record(0, grad, z, y) : null;
                gradients[1] = Needs(1) ? Compilation.CapturedBinaryCrossEntropyGradientOperation<T>.Record(1, grad, z, y) : null;
                return;
            }
            if (ShouldRecord(grad, z) || ShouldRecord(y))
            {
                gradients[0] = Needs(0) ? grad * (z.Sigmoid() - y) : null;
                gradients[1] = Needs(1) ? -(grad * z) : null;
                return;
            }
            for (int input = 0; input < 2; input++)
            {
                if (Needs(input))
                {
                    var d = Uninitialized(z.Shape);
                    BinaryCrossEntropyWithLogitsGradient(input, grad.Data, z.Data, y.Data, d.Data);
                    gradients[input] = d;
                }
            }
        }

        public Compilation.PlanStep<T> CreateStep(Compilation.PlanBuffer<T>[] inputs, Shape[] shapes, Compilation.PlanBuffer<T> output, Shape shape) =>
            new Compilation.BinaryCrossEntropyStep<T>(Name, inputs, output, shape, gradientOf: -1);
    }
}

/// <summary>Element-wise binary cross-entropy of logits against targets in [0, 1] (equal shapes); formulas write bce(z, y).</summary>
internal sealed class BinaryCrossEntropyWithLogitsDeclaration : OperationDeclaration
{
    public const string OpName = "BinaryCrossEntropyWithLogits";

    public override string Name => OpName;

    public override Type OperationType => typeof(Tensor<>.BinaryCrossEntropyWithLogitsOperation);

    public override int Arity => 2;

    public override bool IsElementWise => true;

    public override TestDomain Domain(int input) => input == 1 ? new(0, 1) : TestDomain.Standard;

    public override IReadOnlyList<Shape[]> ShapeCases => [[new(3, 4), new(3, 4)], [new(1, 1), new(1, 1)]];

    public override Tensor<T> Apply<T>(ReadOnlySpan<Tensor<T>> inputs) => inputs[0].BinaryCrossEntropyWithLogitsElements(inputs[1]);

    public override Tensor<T>? Evaluate<T>(string symbol, ReadOnlySpan<Tensor<T>> arguments) =>
        symbol == "bce" && arguments.Length == 2 ? arguments[0].BinaryCrossEntropyWithLogitsElements(arguments[1]) : null;
}
