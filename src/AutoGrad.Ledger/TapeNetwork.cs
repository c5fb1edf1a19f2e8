using AutoGrad.Derivations.Ledger;
using MathNet.Numerics.LinearAlgebra;

namespace AutoGrad.Ledger;

/// <summary>
/// A note's network on the tape, with every quantity the note names registered by name, so that any of them can
/// be read (value, ∂L/∂quantity) or replaced by a fresh leaf (for a Jacobian of one quantity by another, or for
/// finite differences of the loss by that quantity).
/// </summary>
public abstract class TapeNetwork
{
    private Dictionary<string, Tensor<double>>? recorded;

    /// <summary>Registers a named quantity: computes it, or returns the leaf that replaces it.</summary>
    /// <param name="name">The quantity's name, as the ledger's targets spell it.</param>
    /// <param name="compute">How the network computes it.</param>
    public delegate Tensor<double> Node(string name, Func<Tensor<double>> compute);

    /// <summary>Builds the network through <paramref name="node"/> and returns the loss (1×1).</summary>
    protected abstract Tensor<double> Build(Node node);

    /// <summary>A tensor of a MathNet matrix.</summary>
    protected static Tensor<double> T(Matrix<double> m, bool requiresGrad = true, string? name = null) =>
        Tensor.FromRowMajor<double>(m.RowCount, m.ColumnCount, m.ToRowMajorArray(), requiresGrad, name);

    /// <summary>A MathNet matrix of a tensor.</summary>
    public static Matrix<double> M(Tensor<double> t) => Matrix<double>.Build.Dense(t.Rows, t.Cols, (i, j) => t[i, j]);

    /// <summary>The network with every quantity kept and one backward pass run.</summary>
    private Dictionary<string, Tensor<double>> Recorded => recorded ??= RecordFresh();

    /// <summary>A fresh run of the network, every quantity kept (gradients retained), after one backward pass.</summary>
    protected Dictionary<string, Tensor<double>> RecordFresh()
    {
        var nodes = new Dictionary<string, Tensor<double>>();
        Tensor<double> loss = Build((name, compute) =>
        {
            var t = compute();
            if (t.RequiresGrad && !t.IsLeaf)
            {
                t.RetainGrad();
            }
            nodes[name] = t;
            return t;
        });
        nodes["L"] = loss;
        loss.Backward();
        return nodes;
    }

    /// <summary>A value that is not a node of the forward pass (e.g. parameters after an update step); null if unknown.</summary>
    protected virtual Matrix<double>? Special(string name) => null;

    /// <summary>Runs the network with <paramref name="name"/> replaced by <paramref name="replacement"/> and returns every quantity.</summary>
    private Dictionary<string, Tensor<double>> RunWith(string name, Tensor<double> replacement)
    {
        var nodes = new Dictionary<string, Tensor<double>>();
        bool found = false;
        nodes["L"] = Build((n, compute) =>
        {
            var t = n == name ? replacement : compute();
            found |= n == name;
            nodes[n] = t;
            return t;
        });
        if (!found)
        {
            throw new ArgumentException($"{GetType().Name}: the network has no quantity named '{name}'.");
        }
        return nodes;
    }

    private Tensor<double> Named(string name) =>
        Recorded.TryGetValue(name, out var t) ? t : throw new ArgumentException($"{GetType().Name}: the network has no quantity named '{name}'.");

    /// <summary>[v; 1] on the tape: v (n×1) embedded in n+1 rows plus a constant unit last row.</summary>
    protected static Tensor<double> AppendOne(Tensor<double> v)
    {
        int n = v.Rows;
        var embed = Tensor.FromRowMajor<double>(n + 1, n, Enumerable.Range(0, (n + 1) * n).Select(k => k / n == k % n ? 1.0 : 0.0).ToArray());
        var unit = Tensor.FromRowMajor<double>(n + 1, 1, Enumerable.Range(0, n + 1).Select(k => k == n ? 1.0 : 0.0).ToArray());
        return embed.MatMul(v) + unit;
    }

    /// <summary>The tape's value of a target: a value, ∂L/∂quantity, or a Jacobian by <see cref="Autograd.Jacobian{T}"/>.</summary>
    public Matrix<double> Evaluate(Target target)
    {
        switch (target.Kind)
        {
            case TargetKind.Value:
                return Recorded.TryGetValue(target.Of, out var value) ? M(value)
                    : Special(target.Of) ?? throw new ArgumentException($"{GetType().Name}: the network has no quantity named '{target.Of}'.");
            case TargetKind.Grad:
                var named = Named(target.Of);
                return named.Grad is { } g ? M(g) : throw new InvalidOperationException($"{GetType().Name}: the tape has no gradient for '{target.Of}'.");
            default:
                string wrt = target.WithRespectTo!;
                var at = Named(wrt).Detach();
                return M(Autograd.Jacobian(leaf => RunWith(wrt, leaf)[target.Of], at));
        }
    }

    /// <summary>
    /// The same target by central differences on the network itself (no backward pass): for ∂L/∂quantity, the loss
    /// with the quantity replaced by a perturbed copy; for a Jacobian, the output likewise. Step 1e-6.
    /// </summary>
    public Matrix<double> FiniteDifference(Target target)
    {
        if (target.Kind == TargetKind.Value)
        {
            throw new ArgumentException("FiniteDifference: a value has no derivative.");
        }
        string wrt = target.Kind == TargetKind.Grad ? target.Of : target.WithRespectTo!;
        string of = target.Kind == TargetKind.Grad ? "L" : target.Of;
        var point = M(Named(wrt));
        int n = point.RowCount * point.ColumnCount;
        Matrix<double>? jacobian = null;
        const double eps = 1e-6;
        for (int j = 0; j < n; j++)
        {
            var plus = point.Clone();
            var minus = point.Clone();
            plus[j / point.ColumnCount, j % point.ColumnCount] += eps;
            minus[j / point.ColumnCount, j % point.ColumnCount] -= eps;
            double[] up, down;
            using (Tensor.NoGrad())
            {
                up = RunWith(wrt, T(plus, false))[of].ToFlatArray();
                down = RunWith(wrt, T(minus, false))[of].ToFlatArray();
            }
            jacobian ??= Matrix<double>.Build.Dense(up.Length, n);
            for (int i = 0; i < up.Length; i++)
            {
                jacobian[i, j] = (up[i] - down[i]) / (2 * eps);
            }
        }
        // ∂L/∂quantity has the quantity's shape; a Jacobian is outputs × inputs.
        return target.Kind == TargetKind.Grad
            ? Matrix<double>.Build.Dense(point.RowCount, point.ColumnCount, (i, j) => jacobian![0, i * point.ColumnCount + j])
            : jacobian!;
    }
}
