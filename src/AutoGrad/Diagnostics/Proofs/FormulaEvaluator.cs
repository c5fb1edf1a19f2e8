using System.Globalization;

namespace AutoGrad;

/// <summary>
/// Evaluates a formula on plain matrices, independently of the tape: leaves from a table of values, named
/// intermediate results from their definitions. The same shape rules as <see cref="FormulaShapes"/>, checked on the
/// concrete sizes (a violation throws <see cref="FormulaShapeException"/>).
/// </summary>
internal sealed class FormulaEvaluator(ProofContext context, IReadOnlyDictionary<string, double[,]> leaves)
{
    private readonly Dictionary<string, double[,]> intermediates = new(StringComparer.Ordinal);

    public double[,] Evaluate(SymbolicExpression e) => e switch
    {
        SymbolName n => Name(n.Name),
        SymbolConstant c => new[,] { { c.Value } },
        SymbolBinary { Operator: "·" } b => Product(Evaluate(b.Left), Evaluate(b.Right), b),
        SymbolBinary b => Elementwise(Evaluate(b.Left), Evaluate(b.Right), b.Operator, b.Operator switch
        {
            "+" => (x, y) => x + y,
            "−" => (x, y) => x - y,
            "⊙" => (x, y) => x * y,
            "/" => (x, y) => x / y,
            _ => throw new OutsideFragmentException($"no rule for the operator {b.Operator}"),
        }),
        SymbolFunction f => Function(f.Function, Evaluate(f.Argument)),
        _ => throw new OutsideFragmentException($"no rule for {e.GetType().Name}"),
    };

    private double[,] Name(string spelling)
    {
        string name = context.Resolve(spelling);
        if (leaves.TryGetValue(name, out var value)) return value;
        if (intermediates.TryGetValue(name, out value)) return value;
        var definition = context.DefinitionOf(name) ?? throw new FormulaShapeException($"no value for {name}");
        value = Evaluate(definition);
        intermediates[name] = value;
        return value;
    }

    private static double[,] Function(string function, double[,] x)
    {
        int rows = x.GetLength(0), cols = x.GetLength(1);
        switch (function)
        {
            case "ᵀ":
            {
                var t = new double[cols, rows];
                for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j, i] = x[i, j];
                return t;
            }
            case "Σ":
            {
                double s = 0;
                foreach (double v in x) s += v;
                return new[,] { { s } };
            }
            case "Σrows":
            {
                var s = new double[1, cols];
                for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) s[0, j] += x[i, j];
                return s;
            }
            case "Σcols":
            {
                var s = new double[rows, 1];
                for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) s[i, 0] += x[i, j];
                return s;
            }
        }
        Func<double, double> f = function switch
        {
            "−" => v => -v,
            "σ" => Sigmoid,
            "σ′" => v => Sigmoid(v) * (1 - Sigmoid(v)),
            "tanh" => Math.Tanh,
            "tanh′" => v => 1 - Math.Tanh(v) * Math.Tanh(v),
            "relu" => v => v > 0 ? v : 0,
            "relu′" => v => v > 0 ? 1 : 0,
            "exp" or "exp′" => Math.Exp,
            "log" => Math.Log,
            "log′" => v => 1 / v,
            "softplus" => v => Math.Log(1 + Math.Exp(-Math.Abs(v))) + Math.Max(v, 0),
            "softplus′" => Sigmoid,
            "²" => v => v * v,
            _ when FormulaFunctions.Exponent(function) is { } p => v => Math.Pow(v, p),
            _ => throw new OutsideFragmentException($"no rule for the function {function}"),
        };
        var y = new double[rows, cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) y[i, j] = f(x[i, j]);
        return y;
    }

    private static double Sigmoid(double v) => v >= 0 ? 1 / (1 + Math.Exp(-v)) : Math.Exp(v) / (1 + Math.Exp(v));

    private static double[,] Elementwise(double[,] a, double[,] b, string op, Func<double, double, double> f)
    {
        int rows = Side(a.GetLength(0), b.GetLength(0)), cols = Side(a.GetLength(1), b.GetLength(1));
        if (rows < 0 || cols < 0)
        {
            throw new FormulaShapeException($"{op} needs equal shapes or a side of size 1, but it is ({Text(a)}) {op} ({Text(b)})");
        }
        var y = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                y[i, j] = f(a[a.GetLength(0) == 1 ? 0 : i, a.GetLength(1) == 1 ? 0 : j], b[b.GetLength(0) == 1 ? 0 : i, b.GetLength(1) == 1 ? 0 : j]);
            }
        }
        return y;

        static int Side(int x, int y) => x == y ? x : x == 1 ? y : y == 1 ? x : -1;
    }

    private static double[,] Product(double[,] a, double[,] b, SymbolBinary product)
    {
        int n = a.GetLength(0), inner = a.GetLength(1), m = b.GetLength(1);
        if (inner != b.GetLength(0))
        {
            if (a.Length == 1 || b.Length == 1) return Elementwise(a, b, "·", (x, y) => x * y);
            throw new FormulaShapeException(
                $"{product.Left.TextOperand()} · {product.Right.TextOperand()}: a product needs the inner dimensions to agree, but it is ({Text(a)}) · ({Text(b)})");
        }
        var y = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int k = 0; k < inner; k++) s += a[i, k] * b[k, j];
                y[i, j] = s;
            }
        }
        return y;
    }

    internal static string Text(double[,] m) => string.Create(CultureInfo.InvariantCulture, $"{m.GetLength(0)}×{m.GetLength(1)}");
}
