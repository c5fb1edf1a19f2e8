using System.Globalization;
using System.Numerics;

namespace AutoGrad.Nn;

/// <summary>
/// The update shared by <see cref="Adam{T}"/> and <see cref="AdamW{T}"/>, in PyTorch 1.13's single-tensor order of
/// roundings (<c>torch.optim.Adam</c>/<c>AdamW</c> with <c>foreach=False</c>). With g the gradient, p the parameter and
/// t the parameter's step count (from 1):
/// <code>
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g·g
/// v̂max ← max(v̂max, v)                           (AMSGrad only; then v̂max replaces v below)
/// p ← p − (η / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// Each "a + α·b" is one fused multiply-add, as in PyTorch's CPU kernels, so the results agree to the bit; the last
/// line is p + ((−step)·m)/d, no fusing. PyTorch 2 computes the first line as a linear interpolation, m + (1 − β₁)(g − m), which can differ in the last bit.
/// </summary>
/// <typeparam name="T"><c>double</c> or <c>float</c>.</typeparam>
public abstract class AdamFamily<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]?[] firstMoments, secondMoments, maxSecondMoments;
    private readonly int[] steps;
    private double beta1, beta2, epsilon, weightDecay;

    private protected AdamFamily(string name, IEnumerable<Tensor<T>> parameters, double learningRate, double beta1,
        double beta2, double epsilon, double weightDecay, bool amsGrad)
        : base(name, parameters, learningRate)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        this.weightDecay = CheckNonNegative(weightDecay, "weight decay", nameof(weightDecay));
        AmsGrad = amsGrad;
        firstMoments = new T[]?[Parameters.Count];
        secondMoments = new T[]?[Parameters.Count];
        maxSecondMoments = new T[]?[Parameters.Count];
        steps = new int[Parameters.Count];
    }

    /// <summary>β₁ in [0, 1): decay of the running mean of gradients.</summary>
    public double Beta1 { get => beta1; set => beta1 = CheckFraction(value, "beta1"); }

    /// <summary>β₂ in [0, 1): decay of the running mean of squared gradients.</summary>
    public double Beta2 { get => beta2; set => beta2 = CheckFraction(value, "beta2"); }

    /// <summary>ε ≥ 0, added to the denominator.</summary>
    public double Epsilon { get => epsilon; set => epsilon = CheckNonNegative(value, "epsilon"); }

    /// <summary>λ ≥ 0: an L2 term added to the gradient (Adam) or a decoupled shrink of the parameter (AdamW).</summary>
    public double WeightDecay { get => weightDecay; set => weightDecay = CheckNonNegative(value, "weight decay"); }

    /// <summary>The AMSGrad variant: divide by the largest second moment seen so far.</summary>
    public bool AmsGrad { get; set; }

    /// <summary>How many steps have updated the parameter at <paramref name="index"/> (its t).</summary>
    public int StepCount(int index) => (uint)index < (uint)steps.Length
        ? steps[index]
        : throw new ArgumentOutOfRangeException(nameof(index), string.Create(CultureInfo.InvariantCulture, $"{Name}.StepCount: index {index} is not a parameter's position; the optimizer has {steps.Length} parameters (0..{steps.Length - 1})."));

    /// <summary>True for AdamW: weight decay shrinks the parameter (p ← p·(1 − ηλ)) instead of adding λp to g.</summary>
    private protected abstract bool DecoupledWeightDecay { get; }

    /// <inheritdoc/>
    public override void Step() => StepEachParameter();

    internal override bool UpdatesEachParameter => true;

    // The step's constants, read from the hyper-parameters by BeginStep.
    private T b1, b2, oneMinusB1, oneMinusB2, eps, decay, shrink;
    private bool coupledDecay, decoupledDecay;

    internal override void BeginStep()
    {
        b1 = T.CreateChecked(beta1);
        b2 = T.CreateChecked(beta2);
        oneMinusB1 = T.CreateChecked(1 - beta1);
        oneMinusB2 = T.CreateChecked(1 - beta2);
        eps = T.CreateChecked(epsilon);
        coupledDecay = weightDecay != 0 && !DecoupledWeightDecay;
        decoupledDecay = weightDecay != 0 && DecoupledWeightDecay;
        decay = T.CreateChecked(weightDecay);
        shrink = T.CreateChecked(1 - LearningRate * weightDecay);
    }

    internal override void UpdateParameter(int i, ReadOnlySpan<T> grad)
    {
        Tensor<T> parameter = ParameterAt(i);
        T b1 = this.b1, b2 = this.b2, oneMinusB1 = this.oneMinusB1, oneMinusB2 = this.oneMinusB2;
        T eps = this.eps, decay = this.decay, shrink = this.shrink;
        bool coupledDecay = this.coupledDecay, decoupledDecay = this.decoupledDecay;
        Span<T> p = ValuesOf(parameter);
        Span<T> m = State(ref firstMoments[i], p.Length), v = State(ref secondMoments[i], p.Length);
        Span<T> vMax = AmsGrad ? State(ref maxSecondMoments[i], p.Length) : default;
        int t = ++steps[i];
        double biasCorrection1 = 1 - Math.Pow(beta1, t);
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, t));
        T stepSize = T.CreateChecked(-(LearningRate / biasCorrection1));
        T correction2 = T.CreateChecked(biasCorrection2Sqrt);
        int k = 0;
        if (Vector.IsHardwareAccelerated && !AmsGrad)
        {
            // the same operations lane by lane (FMA, √ and ÷ are exactly rounded in a vector too): the same bits
            var vb1 = new Vector<T>(b1);
            var vb2 = new Vector<T>(b2);
            var v1mb1 = new Vector<T>(oneMinusB1);
            var v1mb2 = new Vector<T>(oneMinusB2);
            var vEps = new Vector<T>(eps);
            var vCorrection2 = new Vector<T>(correction2);
            var vStep = new Vector<T>(stepSize);
            var vDecay = new Vector<T>(decay);
            var vShrink = new Vector<T>(shrink);
            for (; k <= p.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                var pk = new Vector<T>(p[k..]);
                if (decoupledDecay)
                {
                    pk *= vShrink;
                }
                var g = new Vector<T>(grad[k..]);
                if (coupledDecay)
                {
                    g = FusedMultiplyAdd(vDecay, pk, g);
                }
                var mk = FusedMultiplyAdd(v1mb1, g, new Vector<T>(m[k..]) * vb1);
                var vk = FusedMultiplyAdd(v1mb2 * g, g, new Vector<T>(v[k..]) * vb2);
                mk.CopyTo(m[k..]);
                vk.CopyTo(v[k..]);
                (pk + vStep * mk / (Vector.SquareRoot(vk) / vCorrection2 + vEps)).CopyTo(p[k..]);
            }
        }
        for (; k < p.Length; k++)
        {
            if (decoupledDecay)
            {
                p[k] *= shrink;
            }
            T g = coupledDecay ? T.FusedMultiplyAdd(decay, p[k], grad[k]) : grad[k];
            m[k] = T.FusedMultiplyAdd(oneMinusB1, g, m[k] * b1);
            v[k] = T.FusedMultiplyAdd(oneMinusB2 * g, g, v[k] * b2);
            T second = v[k];
            if (AmsGrad)
            {
                vMax[k] = T.Max(vMax[k], second);
                second = vMax[k];
            }
            T denominator = T.Sqrt(second) / correction2 + eps;
            p[k] += stepSize * m[k] / denominator;
        }
        parameter.BumpVersion();
    }
}

/// <summary>
/// Adam (Kingma and Ba), with weight decay as an L2 term added to the gradient (g ← g + λp), as
/// <c>torch.optim.Adam</c>; the update is described on <see cref="AdamFamily{T}"/>.
/// </summary>
/// <typeparam name="T"><c>double</c> or <c>float</c>.</typeparam>
public sealed class Adam<T> : AdamFamily<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer; PyTorch's defaults: η = 0.001, β = (0.9, 0.999), ε = 1e-8, λ = 0.</summary>
    public Adam(IEnumerable<Tensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool amsGrad = false)
        : base("Adam", parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsGrad)
    {
    }

    private protected override bool DecoupledWeightDecay => false;
}

/// <summary>
/// AdamW (Loshchilov and Hutter): Adam whose weight decay shrinks the parameter, p ← p·(1 − ηλ), before the update,
/// as <c>torch.optim.AdamW</c>; the update is described on <see cref="AdamFamily{T}"/>.
/// </summary>
/// <typeparam name="T"><c>double</c> or <c>float</c>.</typeparam>
public sealed class AdamW<T> : AdamFamily<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer; PyTorch's defaults: η = 0.001, β = (0.9, 0.999), ε = 1e-8, λ = 0.01.</summary>
    public AdamW(IEnumerable<Tensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 1e-2, bool amsGrad = false)
        : base("AdamW", parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsGrad)
    {
    }

    private protected override bool DecoupledWeightDecay => true;
}
