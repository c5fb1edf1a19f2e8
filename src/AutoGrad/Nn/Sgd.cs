using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AutoGrad.Kernels;

namespace AutoGrad.Nn;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay, step for step
/// as PyTorch's <c>torch.optim.SGD</c> (single-tensor path). With g the gradient and p the parameter:
/// <code>
/// g ← g + λ·p                                 (weight decay λ, if λ ≠ 0)
/// b ← g on the first step, else b ← μ·b + (1 − τ)·g   (momentum μ, dampening τ, if μ ≠ 0)
/// g ← g + μ·b if Nesterov, else g ← b        (if μ ≠ 0)
/// p ← p − η·g
/// </code>
/// With no momentum and no weight decay this is note 004's eq. (78), <c>W ← W − η·∂L/∂W</c>. Each "a + α·b" is one
/// fused multiply-add, as in PyTorch's CPU kernels (its <c>add(other, alpha)</c>), so the results agree to the bit.
/// </summary>
/// <typeparam name="T"><c>double</c> or <c>float</c>.</typeparam>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]?[] momentumBuffers;
    private double momentum, dampening, weightDecay;
    private bool nesterov;

    /// <summary>Creates the optimizer; the learning rate is a <c>double</c> for every element type.</summary>
    /// <param name="parameters">Trainable leaves.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="momentum">μ ≥ 0 (0: none).</param>
    /// <param name="dampening">τ ≥ 0, applied to the gradient in the momentum buffer from the second step on.</param>
    /// <param name="weightDecay">λ ≥ 0, an L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum; needs μ &gt; 0 and τ = 0.</param>
    public Sgd(IEnumerable<Tensor<T>> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false)
        : base("Sgd", parameters, learningRate)
    {
        this.momentum = CheckNonNegative(momentum, "momentum");
        this.dampening = CheckNonNegative(dampening, "dampening");
        this.weightDecay = CheckNonNegative(weightDecay, "weight decay", nameof(weightDecay));
        CheckNesterov(nesterov, momentum, dampening);
        this.nesterov = nesterov;
        momentumBuffers = new T[]?[Parameters.Count];
    }

    /// <summary>Creates plain SGD with a learning rate of the element type (for generic code).</summary>
    public Sgd(IEnumerable<Tensor<T>> parameters, T learningRate)
        : this(parameters, double.CreateChecked(learningRate))
    {
    }

    /// <summary>μ ≥ 0; 0 turns momentum off (and forgets nothing: the buffers are kept).</summary>
    public double Momentum
    {
        get => momentum;
        set { CheckNesterov(nesterov, CheckNonNegative(value, "momentum"), dampening); momentum = value; }
    }

    /// <summary>τ ≥ 0.</summary>
    public double Dampening
    {
        get => dampening;
        set { CheckNesterov(nesterov, momentum, CheckNonNegative(value, "dampening")); dampening = value; }
    }

    /// <summary>λ ≥ 0.</summary>
    public double WeightDecay
    {
        get => weightDecay;
        set => weightDecay = CheckNonNegative(value, "weight decay");
    }

    /// <summary>Nesterov momentum (needs μ &gt; 0 and τ = 0).</summary>
    public bool Nesterov
    {
        get => nesterov;
        set { CheckNesterov(value, momentum, dampening); nesterov = value; }
    }

    /// <inheritdoc/>
    public override void Step() => StepEachParameter();

    internal override bool UpdatesEachParameter => true;

    // The step's constants, read from the hyper-parameters by BeginStep.
    private T rate, decay, mu, keep;
    private bool decays, hasMomentum;

    internal override void BeginStep()
    {
        rate = T.CreateChecked(-LearningRate);
        decay = T.CreateChecked(weightDecay);
        mu = T.CreateChecked(momentum);
        keep = T.CreateChecked(1 - dampening);
        decays = weightDecay != 0;
        hasMomentum = momentum != 0;
    }

    internal override void UpdateParameter(int index, ReadOnlySpan<T> grad)
    {
        Tensor<T> parameter = ParameterAt(index);
        Span<T> p = ValuesOf(parameter);
        T rate = this.rate, decay = this.decay, mu = this.mu, keep = this.keep;
        bool decays = this.decays, hasMomentum = this.hasMomentum;
        if (!decays && !hasMomentum)
        {
            Descend(p, grad[..p.Length], rate);
            parameter.BumpVersion();
            return;
        }
        bool first = momentumBuffers[index] is null; // read only with momentum
        Span<T> buffer = hasMomentum ? State(ref momentumBuffers[index], p.Length) : default;
        int k = 0;
        if (Vector.IsHardwareAccelerated && p.Length >= Vector<T>.Count)
        {
            // the same operations lane by lane (a fused multiply-add is exactly rounded in a vector too): the same bits
            var vRate = new Vector<T>(rate);
            var vDecay = new Vector<T>(decay);
            var vMu = new Vector<T>(mu);
            var vKeep = new Vector<T>(keep);
            for (; k <= p.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                var pk = new Vector<T>(p[k..]);
                var d = new Vector<T>(grad[k..]);
                if (decays)
                {
                    d = FusedMultiplyAdd(vDecay, pk, d);
                }
                if (hasMomentum)
                {
                    var b = first ? d : FusedMultiplyAdd(vKeep, d, new Vector<T>(buffer[k..]) * vMu);
                    b.CopyTo(buffer[k..]);
                    d = nesterov ? FusedMultiplyAdd(vMu, b, d) : b;
                }
                FusedMultiplyAdd(vRate, d, pk).CopyTo(p[k..]);
            }
        }
        for (; k < p.Length; k++)
        {
            T d = decays ? T.FusedMultiplyAdd(decay, p[k], grad[k]) : grad[k];
            if (hasMomentum)
            {
                T b = first ? d : T.FusedMultiplyAdd(keep, d, buffer[k] * mu);
                buffer[k] = b;
                d = nesterov ? T.FusedMultiplyAdd(mu, b, d) : b;
            }
            p[k] = T.FusedMultiplyAdd(rate, d, p[k]);
        }
        parameter.BumpVersion();
    }

    /// <summary>
    /// Plain SGD, p ← p − η·g as p ← FMA(−η, g, p): the general loop's arithmetic without its momentum and decay
    /// branches, in the widest vectors the machine has (one fused multiply-add per element at every width).
    /// </summary>
    internal static void Descend(Span<T> p, ReadOnlySpan<T> g, T rate)
    {
        ref T rp = ref MemoryMarshal.GetReference(p);
        ref T rg = ref MemoryMarshal.GetReference(g);
        int k = 0;
        if (Math512<T>.IsSupported)
        {
            k = Descend<Math512<T>>(ref rp, ref rg, p.Length, rate, k);
        }
        if (Math256<T>.IsSupported)
        {
            k = Descend<Math256<T>>(ref rp, ref rg, p.Length, rate, k);
        }
        for (; k < p.Length; k++)
        {
            Unsafe.Add(ref rp, k) = T.FusedMultiplyAdd(rate, Unsafe.Add(ref rg, k), Unsafe.Add(ref rp, k));
        }
    }

    private static int Descend<TVec>(ref T p, ref T g, int n, T rate, int k) where TVec : struct, ISimdMath<TVec, T>
    {
        TVec r = TVec.Create(rate);
        for (; k <= n - TVec.Count; k += TVec.Count)
        {
            TVec.Store(TVec.MultiplyAdd(r, TVec.Load(ref g, (nuint)k), TVec.Load(ref p, (nuint)k)), ref p, (nuint)k);
        }
        return k;
    }

    private void CheckNesterov(bool on, double mu, double tau)
    {
        if (on && (mu <= 0 || tau != 0))
        {
            throw new ArgumentException(FormattableString.Invariant($"{Name}: Nesterov momentum needs momentum > 0 and dampening 0; got momentum {mu}, dampening {tau}."), nameof(Nesterov));
        }
    }
}
