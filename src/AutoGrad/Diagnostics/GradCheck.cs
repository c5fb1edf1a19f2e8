using System.Globalization;
using System.Numerics;

namespace AutoGrad;

/// <summary>
/// Finite-difference gradient checking in the spirit of <c>torch.autograd.gradcheck</c>: compares every entry
/// of the Jacobian the tape computes with central differences (f(x + ε) − f(x − ε)) / 2ε.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Checks the gradients of <paramref name="function"/> with respect to every input that requires a gradient.
    /// An entry passes when |analytic − numeric| ≤ <paramref name="atol"/> + <paramref name="rtol"/> · |numeric|.
    /// The function may return any shape: each output element is back-propagated on its own (a full Jacobian).
    /// The inputs are perturbed in place during the check and restored afterwards.
    /// </summary>
    /// <param name="function">The computation to check; it must be deterministic.</param>
    /// <param name="inputs">The inputs; those with <c>RequiresGrad</c> are checked.</param>
    /// <param name="eps">Finite-difference step; by default 1e-6 for double and 1e-3 for float (see <see cref="DefaultsFor{T}"/>).</param>
    /// <param name="atol">Absolute tolerance; by default 1e-5 for double and 1e-3 for float.</param>
    /// <param name="rtol">Relative tolerance; by default 1e-3 for double and 1e-2 for float.</param>
    public static GradCheckReport Run<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs,
        double? eps = null, double? atol = null, double? rtol = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        var defaults = DefaultsFor<T>();
        return RunChecked(function, inputs, eps ?? defaults.Eps, atol ?? defaults.Atol, rtol ?? defaults.Rtol);
    }

    /// <summary>
    /// The default step and tolerances for <typeparamref name="T"/>. Central differences lose about u·|f|/eps to
    /// rounding (u the unit roundoff) and gain eps²·|f‴|/6 of truncation error. In double (u ≈ 1.1e-16) eps = 1e-6
    /// keeps both near 1e-10. In float (u ≈ 6e-8) the same step would lose everything — x + 1e-6 rounds to a step
    /// of 0, 1 or 2 ulps, and a derivative of 1.105 reads as 1.25 — so float uses eps = 1e-3 (rounding ≈ 6e-5·|f|,
    /// truncation ≈ 2e-7·|f‴|) and tolerances to match. PyTorch instead warns that gradcheck wants double; a check in
    /// double remains the tighter test.
    /// </summary>
    public static (double Eps, double Atol, double Rtol) DefaultsFor<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? (1e-3, 1e-3, 1e-2) : (1e-6, 1e-5, 1e-3);

    private static GradCheckReport RunChecked<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, double eps, double atol, double rtol)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // written so that NaN fails each test: NaN tolerances made every comparison false, and every check passed
        if (!(eps > 0 && double.IsFinite(eps) && atol >= 0 && double.IsFinite(atol) && rtol >= 0 && double.IsFinite(rtol)))
        {
            throw new ArgumentException(FormattableString.Invariant($"GradCheck: need eps > 0, atol ≥ 0 and rtol ≥ 0, all finite; got eps {eps}, atol {atol}, rtol {rtol}."),
                !(eps > 0 && double.IsFinite(eps)) ? nameof(eps) : !(atol >= 0 && double.IsFinite(atol)) ? nameof(atol) : nameof(rtol));
        }
        if (inputs.Any(t => t is null))
        {
            throw new ArgumentException("GradCheck: the input list contains null.", nameof(inputs));
        }
        var checkedInputs = inputs.Where(t => t.RequiresGrad).ToArray();
        if (checkedInputs.Length == 0)
        {
            throw new ArgumentException("GradCheck: no input requires a gradient, so there is nothing to check.", nameof(inputs));
        }

        // Recording on even inside Tensor.NoGrad(): there the output recorded nothing, every analytic derivative read 0,
        // and a right gradient was reported wrong.
        using var recording = GradMode.EnableGrad();
        Tensor<T> output = Evaluate(function, inputs, null);
        double[][,] analytic = AnalyticJacobians(output, checkedInputs);
        double[][,] numeric = NumericJacobians(function, inputs, checkedInputs, output.Shape, eps);

        var worst = new GradCheckReport
        {
            Passed = true, Atol = atol, Rtol = rtol, Eps = eps,
            Hint = typeof(T) == typeof(float) ? "float keeps about 7 significant digits; for a tight check run it in double" : null,
        };
        double worstRatio = -1;
        for (int c = 0; c < checkedInputs.Length; c++)
        {
            for (int o = 0; o < output.Length; o++)
            {
                for (int e = 0; e < checkedInputs[c].Length; e++)
                {
                    double a = analytic[c][o, e], n = numeric[c][o, e];
                    double diff = Math.Abs(a - n);
                    double allowed = atol + rtol * Math.Abs(n);
                    double ratio = double.IsFinite(diff) ? diff / allowed : double.PositiveInfinity;
                    if (double.IsNaN(a) != double.IsNaN(n))
                    {
                        ratio = double.PositiveInfinity;
                    }
                    if (ratio > worstRatio)
                    {
                        worstRatio = ratio;
                        Tensor<T> input = checkedInputs[c];
                        worst = worst with
                        {
                            Passed = true,
                            InputIndex = Array.IndexOf(inputs, input),
                            InputName = input.Name,
                            Row = e / input.Cols,
                            Col = e % input.Cols,
                            OutputRow = o / output.Cols,
                            OutputCol = o % output.Cols,
                            Analytic = a,
                            Numeric = n,
                        };
                    }
                }
            }
        }
        return worst with { Passed = worstRatio <= 1.0 };
    }

    /// <summary>The function's value, refused by name when it is null or (after the first call) of another shape.</summary>
    private static Tensor<T> Evaluate<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs, Shape? expected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T> output = function(inputs) ?? throw new InvalidOperationException("GradCheck: the function returned null; it must return a tensor.");
        if (expected is { } shape && output.Shape != shape)
        {
            throw new InvalidOperationException(
                $"GradCheck: the function returned a {output.Shape} tensor for perturbed inputs but {shape} for the inputs themselves; it must return one shape.");
        }
        return output;
    }

    private static double[][,] AnalyticJacobians<T>(Tensor<T> output, Tensor<T>[] checkedInputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var jacobians = checkedInputs.Select(t => new double[output.Length, t.Length]).ToArray();
        if (!output.RequiresGrad)
        {
            return jacobians; // the output does not depend on any checked input: all derivatives are 0
        }
        var index = new Dictionary<Tensor<T>, int>(ReferenceEqualityComparer.Instance);
        for (int c = 0; c < checkedInputs.Length; c++)
        {
            index.TryAdd(checkedInputs[c], c); // a tensor given twice is one leaf: its first position collects its gradient
        }
        for (int o = 0; o < output.Length; o++)
        {
            var seed = Tensor<T>.Zeros(output.Shape);
            seed.Data[o] = T.One;
            BackwardPass<T>.Run(output, seed, createGraph: false, index.ContainsKey, (t, g) =>
            {
                int c = index[t];
                for (int e = 0; e < g.Length; e++)
                {
                    jacobians[c][o, e] += double.CreateChecked(g.Data[e]);
                }
            }, "GradCheck");
        }
        for (int c = 0; c < checkedInputs.Length; c++)
        {
            // every other position of a repeated tensor has the same derivatives (as torch.autograd.grad gives a
            // repeated input); perturbing it perturbs them all, so the numeric side agrees
            jacobians[c] = jacobians[index[checkedInputs[c]]];
        }
        return jacobians;
    }

    private static double[][,] NumericJacobians<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs,
        Tensor<T>[] checkedInputs, Shape outputShape, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var jacobians = checkedInputs.Select(t => new double[outputShape.Length, t.Length]).ToArray();
        // Recording stays on: the function may itself take gradients (a second-order check, gradgradcheck).
        for (int c = 0; c < checkedInputs.Length; c++)
        {
            T[] data = checkedInputs[c].Data;
            for (int e = 0; e < data.Length; e++)
            {
                T original = data[e];
                T up = original + T.CreateChecked(eps), down = original - T.CreateChecked(eps);
                T[] plus, minus;
                try
                {
                    data[e] = up;
                    plus = Evaluate(function, inputs, outputShape).ToFlatArray(); // a copy: the function may return an input itself
                    data[e] = down;
                    minus = Evaluate(function, inputs, outputShape).ToFlatArray();
                }
                finally
                {
                    data[e] = original; // a function that throws leaves the input as it found it
                }
                double step = double.CreateChecked(up - down); // the step actually taken after rounding
                for (int o = 0; o < plus.Length; o++)
                {
                    jacobians[c][o, e] = (double.CreateChecked(plus[o]) - double.CreateChecked(minus[o])) / step;
                }
            }
        }
        return jacobians;
    }
}

/// <summary>The outcome of <see cref="GradCheck.Run{T}"/>: whether every entry passed, and the worst one.</summary>
public sealed record GradCheckReport
{
    /// <summary>True when every Jacobian entry is within tolerance.</summary>
    public bool Passed { get; init; }

    /// <summary>Position of the worst input in the array given to the check.</summary>
    public int InputIndex { get; init; }

    /// <summary>Name of the worst input, if it has one.</summary>
    public string? InputName { get; init; }

    /// <summary>Row of the worst element within its input.</summary>
    public int Row { get; init; }

    /// <summary>Column of the worst element within its input.</summary>
    public int Col { get; init; }

    /// <summary>Row of the output element whose derivative is worst.</summary>
    public int OutputRow { get; init; }

    /// <summary>Column of the output element whose derivative is worst.</summary>
    public int OutputCol { get; init; }

    /// <summary>The tape's derivative there.</summary>
    public double Analytic { get; init; }

    /// <summary>The central-difference derivative there.</summary>
    public double Numeric { get; init; }

    /// <summary>The step used.</summary>
    public double Eps { get; init; }

    /// <summary>The absolute tolerance used.</summary>
    public double Atol { get; init; }

    /// <summary>The relative tolerance used.</summary>
    public double Rtol { get; init; }

    /// <summary>Advice shown with a failure (for float: that double gives a tighter check), or null.</summary>
    public string? Hint { get; init; }

    /// <summary>|Analytic − Numeric| at the worst element.</summary>
    public double AbsoluteError => Math.Abs(Analytic - Numeric);

    /// <summary>One line: verdict, the worst element and both derivatives.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string input = InputName is null ? string.Create(c, $"input {InputIndex}") : string.Create(c, $"input {InputIndex} '{InputName}'");
        string hint = !Passed && Hint is not null ? "; " + Hint : "";
        return string.Create(c,
            $"GradCheck {(Passed ? "passed" : "FAILED")}: worst is d out[{OutputRow},{OutputCol}] / d {input}[{Row},{Col}]: " +
            $"analytic {Analytic:G10}, numeric {Numeric:G10}, |diff| {AbsoluteError:G3} (allowed {Atol:G3} + {Rtol:G3}·|numeric|, eps {Eps:G3}){hint}");
    }
}
