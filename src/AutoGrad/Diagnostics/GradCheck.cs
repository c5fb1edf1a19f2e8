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
    /// <param name="eps">Finite-difference step. 1e-6 suits double; about 1e-2 suits float.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    public static GradCheckReport Run<T>(Func<Tensor<T>[], Tensor<T>> function, Tensor<T>[] inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!(eps > 0) || atol < 0 || rtol < 0)
        {
            throw new ArgumentException($"GradCheck: need eps > 0, atol ≥ 0 and rtol ≥ 0; got eps {eps}, atol {atol}, rtol {rtol}.");
        }
        var checkedInputs = inputs.Where(t => t.RequiresGrad).ToArray();
        if (checkedInputs.Length == 0)
        {
            throw new ArgumentException("GradCheck: no input requires a gradient, so there is nothing to check.", nameof(inputs));
        }

        Tensor<T> output = function(inputs);
        double[][,] analytic = AnalyticJacobians(output, checkedInputs);
        double[][,] numeric = NumericJacobians(function, inputs, checkedInputs, output.Shape, eps);

        var worst = new GradCheckReport { Passed = true, Atol = atol, Rtol = rtol, Eps = eps };
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
            index[checkedInputs[c]] = c;
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
            });
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
                data[e] = up;
                T[] plus = function(inputs).ToFlatArray(); // a copy: the function may return an input itself
                data[e] = down;
                T[] minus = function(inputs).ToFlatArray();
                data[e] = original;
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

    /// <summary>|Analytic − Numeric| at the worst element.</summary>
    public double AbsoluteError => Math.Abs(Analytic - Numeric);

    /// <summary>One line: verdict, the worst element and both derivatives.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string input = InputName is null ? $"input {InputIndex}" : $"input {InputIndex} '{InputName}'";
        return string.Create(c,
            $"GradCheck {(Passed ? "passed" : "FAILED")}: worst is d out[{OutputRow},{OutputCol}] / d {input}[{Row},{Col}]: " +
            $"analytic {Analytic:G10}, numeric {Numeric:G10}, |diff| {AbsoluteError:G3} (allowed {Atol:G3} + {Rtol:G3}·|numeric|, eps {Eps:G3})");
    }
}
