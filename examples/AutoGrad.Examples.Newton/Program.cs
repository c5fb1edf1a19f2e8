using System.Globalization;
using AutoGrad;
using Spectre.Console;

// Fits a logistic regression by Newton's method, with the gradient and the Hessian taken from the tape
// (Autograd.Grad and Autograd.Hessian, i.e. a recorded backward pass differentiated again), next to plain
// gradient descent on the same loss.
//   dotnet run --project examples/AutoGrad.Examples.Newton -- [--seed N]

int seed = args.Length == 2 && args[0] == "--seed" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
AutoGrad.Examples.Terminal.Configure();
var (x, y) = Data.Generate(400, new Random(seed));

// mean cross-entropy of σ(Xw) against y, plus a small ridge term so the optimum is finite even if the classes separate
const double Ridge = 1e-3;
Tensor<double> Loss(Tensor<double> w)
{
    var p = x.MatMul(w).Sigmoid();
    var crossEntropy = -(y * p.Log() + (1.0 - y) * (1.0 - p).Log()).Mean();
    return crossEntropy + Ridge * w.Square().Sum();
}

var newton = new Table { Border = AutoGrad.Examples.Terminal.Border }.Title("[bold]Newton's method[/]: w ← w − H⁻¹∇L, H and ∇L from the tape")
    .AddColumns("iteration", "loss", "‖∇L‖", "w");
var w = Tensor.Zeros<double>(3, 1, name: "w");
int newtonIterations = 0;
for (int iteration = 0; iteration <= 20; iteration++)
{
    var point = w.Detach();
    point.RequiresGrad = true;
    var loss = Loss(point);
    var gradient = Autograd.Grad(loss, [point])[0];
    double norm = Math.Sqrt(gradient.ToFlatArray().Sum(g => g * g));
    newton.AddRow(iteration.ToString(CultureInfo.InvariantCulture), loss.Item.ToString("0.000000000000", CultureInfo.InvariantCulture),
        norm.ToString("0.0E+0", CultureInfo.InvariantCulture), Markup.Escape(Show(w)));
    if (norm < 1e-10)
    {
        newtonIterations = iteration;
        break;
    }
    var hessian = Autograd.Hessian(Loss, w);
    double[] step = Solve(hessian.ToArray(), gradient.ToFlatArray());
    w = Tensor.FromRowMajor<double>(3, 1, w.ToFlatArray().Zip(step, (wi, si) => wi - si).ToArray(), name: "w");
}
AnsiConsole.Write(newton);

var descent = new Table { Border = AutoGrad.Examples.Terminal.Border }.Title("[bold]Gradient descent[/]: w ← w − η∇L, η = 1").AddColumns("iteration", "loss", "‖∇L‖");
var v = Tensor.Zeros<double>(3, 1, requiresGrad: true, name: "w");
var sgd = new AutoGrad.Nn.Sgd<double>([v], 1.0);
int[] shown = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];
int descentIterations = -1;
for (int iteration = 0; iteration <= shown[^1]; iteration++)
{
    sgd.ZeroGrad();
    var loss = Loss(v);
    loss.Backward();
    double norm = Math.Sqrt(v.Grad!.ToFlatArray().Sum(g => g * g));
    if (descentIterations < 0 && norm < 1e-10)
    {
        descentIterations = iteration;
    }
    if (shown.Contains(iteration))
    {
        descent.AddRow(iteration.ToString(CultureInfo.InvariantCulture), loss.Item.ToString("0.000000000000", CultureInfo.InvariantCulture), norm.ToString("0.0E+0", CultureInfo.InvariantCulture));
    }
    sgd.Step();
}
AnsiConsole.Write(descent);
string descentText = descentIterations >= 0 ? $"gradient descent needed {descentIterations}" : $"gradient descent had not got there after {shown[^1]}";
AnsiConsole.MarkupLine(newtonIterations > 0
    ? $"Newton's method reached ‖∇L‖ < 1e-10 in [green]{newtonIterations}[/] iterations; {descentText}."
    : "[red]Newton's method did not converge in 20 iterations.[/]");
return newtonIterations is > 0 and < 10 ? 0 : 1;

static string Show(Tensor<double> w) => "[" + string.Join(", ", w.ToFlatArray().Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture))) + "]";

// Gaussian elimination with partial pivoting for the 3×3 system H·s = g.
static double[] Solve(double[,] h, double[] g)
{
    int n = g.Length;
    var a = (double[,])h.Clone();
    var b = (double[])g.Clone();
    for (int col = 0; col < n; col++)
    {
        int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(a[r, col]));
        for (int k = 0; k < n; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
        (b[col], b[pivot]) = (b[pivot], b[col]);
        for (int r = col + 1; r < n; r++)
        {
            double factor = a[r, col] / a[col, col];
            for (int k = col; k < n; k++) a[r, k] -= factor * a[col, k];
            b[r] -= factor * b[col];
        }
    }
    var s = new double[n];
    for (int r = n - 1; r >= 0; r--)
    {
        double sum = b[r];
        for (int k = r + 1; k < n; k++) sum -= a[r, k] * s[k];
        s[r] = sum / a[r, r];
    }
    return s;
}

/// <summary>Two overlapping Gaussian classes in the plane, with a column of ones for the intercept.</summary>
internal static class Data
{
    public static (Tensor<double> X, Tensor<double> Y) Generate(int count, Random random)
    {
        var x = new double[count, 3];
        var y = new double[count, 1];
        for (int i = 0; i < count; i++)
        {
            bool positive = i % 2 == 0;
            x[i, 0] = (positive ? 1.0 : -0.5) + Normal(random);
            x[i, 1] = (positive ? 0.5 : -1.0) + Normal(random);
            x[i, 2] = 1.0;
            y[i, 0] = positive ? 1 : 0;
        }
        return (Tensor.From(x, name: "X"), Tensor.From(y, name: "y"));
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
