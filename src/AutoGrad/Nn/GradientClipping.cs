using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace AutoGrad.Nn;

/// <summary>
/// Gradient clipping between <c>Backward</c> and an optimizer's <c>Step</c>, as PyTorch's
/// <c>torch.nn.utils.clip_grad_norm_</c>.
/// </summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales every parameter's <see cref="Tensor{T}.Grad"/> in place so that their total norm is at most
    /// <paramref name="maxNorm"/>, as PyTorch 1.13's <c>clip_grad_norm_(parameters, max_norm, norm_type)</c>, and returns
    /// the total norm before scaling. The total is the p-norm of the per-parameter p-norms: <c>‖(‖g₁‖ₚ, …, ‖gₖ‖ₚ)‖ₚ</c> —
    /// <c>√(Σᵢ ‖gᵢ‖₂²)</c> for norm type 2, <c>(Σᵢ ‖gᵢ‖ₚᵖ)^(1/p)</c> for another p &gt; 0, <c>maxᵢ maxⱼ |gᵢⱼ|</c> for ∞. With c = maxNorm / (total + 10⁻⁶) computed
    /// in <typeparamref name="T"/>, every gradient is multiplied by c when c &lt; 1 (so also when the total is within
    /// 10⁻⁶ below maxNorm, as PyTorch) and left untouched otherwise; each scaled gradient's
    /// <see cref="Tensor{T}.Version"/> is bumped. Parameters without a gradient are skipped; with none at all the total is 0.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients to clip (e.g. <c>model.Parameters</c> or <c>optimizer.Parameters</c>).</param>
    /// <param name="maxNorm">The largest total norm allowed, ≥ 0 (+∞ only measures).</param>
    /// <param name="normType">p &gt; 0: 2 (the default), another finite p, or <see cref="double.PositiveInfinity"/>.</param>
    /// <param name="errorIfNonfinite">
    /// True (the default, unlike PyTorch 1.13's False): a NaN or infinite total is refused, naming the first parameter
    /// whose gradient is not finite, and nothing is scaled. False does what PyTorch does: the gradients are multiplied by
    /// c = maxNorm / (NaN or ∞), i.e. all become NaN, or finite entries become ±0 and infinite ones NaN.
    /// </param>
    /// <returns>The total norm of the gradients before clipping (a <typeparamref name="T"/> value, widened to double).</returns>
    /// <exception cref="ArgumentException">
    /// A null or repeated parameter, maxNorm negative or NaN, a norm type that is not &gt; 0 (NaN included), or (unless
    /// <paramref name="errorIfNonfinite"/> is false) a non-finite total. A refused call changes nothing.
    /// </exception>
    public static double ClipGradNorm<T>(IEnumerable<Tensor<T>> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string op = "GradientClipping.ClipGradNorm"; // a static class's entry point is named with its class, as SafeTensors.Load, Autograd.Grad
        ArgumentNullException.ThrowIfNull(parameters);
        if (double.IsNaN(maxNorm) || maxNorm < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm),
                string.Create(CultureInfo.InvariantCulture, $"{op}: maxNorm is {maxNorm}; it must be ≥ 0 (+∞ measures without clipping)."));
        }
        bool infinity = double.IsPositiveInfinity(normType);
        if (!(normType > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(normType),
                string.Create(CultureInfo.InvariantCulture, $"{op}: normType {normType} is not a norm; use p > 0: 2 (the default), 1, or double.PositiveInfinity."));
        }
        bool two = normType == 2;
        var gradients = new List<Tensor<T>>();
        var seen = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        Tensor<T>? firstNonfinite = null;
        T total = T.Zero;
        var norms = new List<T>();
        foreach (Tensor<T> p in parameters)
        {
            if (p is null)
            {
                throw new ArgumentException($"{op}: the parameter list contains null.", nameof(parameters));
            }
            if (!seen.Add(p))
            {
                throw new ArgumentException($"{op}: {p.Describe()} appears twice in the parameter list; its gradient would count and be scaled twice.", nameof(parameters));
            }
            // a plain null test, not a pattern: a mutation testing tool that negates the condition must still compile
            Tensor<T>? grad = p.Grad;
            if (grad is null)
            {
                continue;
            }
            T norm = infinity ? MaxAbs<T>(grad.DataFor(op)) : two ? TwoNorm<T>(grad.DataFor(op)) : PNorm<T>(grad.DataFor(op), normType);
            // a finite gradient can have a norm beyond T's range (float [3e38, 3e38]): name only a gradient that is not finite
            firstNonfinite ??= T.IsFinite(norm) || AllFinite<T>(grad.Data) ? null : p;
            norms.Add(norm);
            // the norm of the norms, each ‖gᵢ‖ rounded to T first: Σ ‖gᵢ‖², Σ ‖gᵢ‖ᵖ, or the largest (NaN wins)
            total = infinity ? (T.IsNaN(total) || T.IsNaN(norm) ? T.NaN : T.Max(total, norm))
                : two ? total + norm * norm
                : total + T.CreateChecked(Math.Pow(double.CreateChecked(norm), normType));
            gradients.Add(grad);
        }
        if (gradients.Count == 0)
        {
            return 0;
        }
        if (two)
        {
            // Σ ‖gᵢ‖² overflowed or lost its digits below the normal range though the norms are finite (‖g‖ = 1e200 each, or
            // 1e-200): the norm of the norms, scaled by the largest
            total = T.IsFinite(total) && (total >= TinySquaresOf<T>() || total == T.Zero && norms.TrueForAll(n => n == T.Zero))
                ? T.Sqrt(total) : T.CreateChecked(ScaledTwoNorm<T>(CollectionsMarshal.AsSpan(norms)));
        }
        else if (!infinity)
        {
            // as for the 2-norm: Σ ‖gᵢ‖ᵖ overflowed or fell below the normal range though the norms are finite
            total = T.IsFinite(total) && (total >= TinySquaresOf<T>() || total == T.Zero && norms.TrueForAll(n => n == T.Zero))
                ? T.CreateChecked(Math.Pow(double.CreateChecked(total), 1 / normType)) : T.CreateChecked(ScaledPNorm<T>(CollectionsMarshal.AsSpan(norms), normType));
        }
        if (errorIfNonfinite && !T.IsFinite(total))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{op}: the total {(infinity ? "∞" : normType.ToString(CultureInfo.InvariantCulture))}-norm of the gradients is {total}") +
                (firstNonfinite is null ? $" (every gradient is finite, but their norm is beyond the range of {typeof(T).Name})" : $": {firstNonfinite.Describe()} has a non-finite gradient") +
                ". Nothing was scaled. Skip this step (zero the gradients), or pass errorIfNonfinite: false to scale by NaN as PyTorch's default does.",
                nameof(parameters));
        }
        T coefficient = T.CreateChecked(maxNorm) / (total + T.CreateChecked(1e-6));
        if (!(coefficient >= T.One))
        {
            foreach (Tensor<T> grad in gradients)
            {
                Span<T> values = grad.Data;
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] *= coefficient;
                }
                grad.BumpVersion();
            }
        }
        return double.CreateChecked(total);
    }

    /// <summary>
    /// Below this, a sum of squares has lost digits to the subnormal range of its type (2⁻⁹⁶⁸ for double, 2⁻¹⁰⁰ once rounded
    /// to float), so the norm is computed scaled instead.
    /// </summary>
    private static readonly double TinySquares = Math.ScaleB(1, -968);

    /// <summary><see cref="TinySquares"/> for a sum of squares kept in <typeparamref name="T"/>.</summary>
    private static T TinySquaresOf<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateTruncating(typeof(T) == typeof(float) ? Math.ScaleB(1, -100) : TinySquares);

    /// <summary>
    /// √(Σ g²), summed in double (exact widening for float), rounded to T once. Where that sum overflows or falls below
    /// the normal range although the values are finite and not all zero ([1e200, 1e200] gave +∞ and was refused as a
    /// "non-finite gradient"; [1e-200, 1e-200] gave 0), m·√(Σ (g/m)²) with m = max |g| (PyTorch 1.13: +∞ and 0 there).
    /// </summary>
    private static T TwoNorm<T>(ReadOnlySpan<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (T v in g)
        {
            double d = double.CreateChecked(v);
            sum += d * d;
        }
        return T.CreateChecked(double.IsFinite(sum) && sum >= TinySquares ? Math.Sqrt(sum) : ScaledTwoNorm(g));
    }

    /// <summary>m·√(Σ (v/m)²) in double, m = max |v|: NaN if a value is NaN, +∞ if one is infinite, 0 if all are 0.</summary>
    private static double ScaledTwoNorm<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double m = LargestMagnitude(values);
        if (double.IsNaN(m) || m == 0 || double.IsInfinity(m))
        {
            return m;
        }
        double sum = 0;
        foreach (T v in values)
        {
            double r = double.CreateChecked(v) / m;
            sum += r * r;
        }
        return m * Math.Sqrt(sum);
    }

    /// <summary>max |v| in double, the scale of the scaled norms; NaN if a value is NaN.</summary>
    private static double LargestMagnitude<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double m = 0;
        foreach (T v in values)
        {
            double d = double.CreateChecked(v);
            if (double.IsNaN(d))
            {
                return double.NaN;
            }
            m = Math.Max(m, Math.Abs(d));
        }
        return m;
    }

    /// <summary>True if no value is NaN or ±∞.</summary>
    private static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (T v in values)
        {
            if (!T.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// (Σ |g|ᵖ)^(1/p), summed in double, rounded to T once; where that sum overflows or falls below the normal range
    /// although the values are finite and not all zero (the 3-norm of [1e200, 1e200], any norm of [3, 4] for p = 1e300),
    /// m·(Σ (|g|/m)ᵖ)^(1/p) with m = max |g|.
    /// </summary>
    private static T PNorm<T>(ReadOnlySpan<T> g, double p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (T v in g)
        {
            sum += Math.Pow(Math.Abs(double.CreateChecked(v)), p);
        }
        return T.CreateChecked(double.IsFinite(sum) && sum >= TinySquares ? Math.Pow(sum, 1 / p) : ScaledPNorm(g, p));
    }

    /// <summary>m·(Σ (|v|/m)ᵖ)^(1/p) in double, m = max |v|: NaN if a value is NaN, +∞ if one is infinite, 0 if all are 0.</summary>
    private static double ScaledPNorm<T>(ReadOnlySpan<T> values, double p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double m = LargestMagnitude(values);
        if (double.IsNaN(m) || m == 0 || double.IsInfinity(m))
        {
            return m;
        }
        double sum = 0;
        foreach (T v in values)
        {
            sum += Math.Pow(Math.Abs(double.CreateChecked(v)) / m, p);
        }
        return m * Math.Pow(sum, 1 / p);
    }

    /// <summary>max |g|, NaN if any entry is NaN (as PyTorch's <c>abs().max()</c>).</summary>
    private static T MaxAbs<T>(ReadOnlySpan<T> g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = T.Zero;
        foreach (T v in g)
        {
            if (T.IsNaN(v))
            {
                return T.NaN;
            }
            max = T.Max(max, T.Abs(v));
        }
        return max;
    }
}
