using System.Globalization;
using AutoGrad;
using AutoGrad.Examples.Training;
using AutoGrad.Nn;
using Spectre.Console;

// Trains an MLP built from AutoGrad's primitives on XOR and on two moons, then writes SVG pictures:
// the loss per epoch and the learned decision boundary over the data.
//   dotnet run --project examples/AutoGrad.Examples.Training -- [--out DIR] [--seed N]

string outDir = "training-output";
int seed = 7;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length: outDir = args[++i]; break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out seed): i++; break;
        default:
            Console.WriteLine("Usage: dotnet run --project examples/AutoGrad.Examples.Training -- [--out DIR] [--seed N]");
            return args[i] == "--help" ? 0 : 2;
    }
}
Directory.CreateDirectory(outDir);
AutoGrad.Examples.Terminal.Configure();

var runs = new[]
{
    (Data: Dataset.Xor(), Sizes: new[] { 2, 8, 1 }, Activations: new[] { Activation.Tanh, Activation.Sigmoid }, Epochs: 2000, Rate: 0.5),
    (Data: Dataset.TwoMoons(200, 0.12, new Random(seed)), Sizes: new[] { 2, 16, 16, 1 }, Activations: new[] { Activation.Tanh, Activation.Tanh, Activation.Sigmoid }, Epochs: 3000, Rate: 0.5),
};

var results = new List<(string Name, double Loss, double Accuracy)>();
foreach (var run in runs)
{
    var model = new Mlp<double>(run.Sizes, run.Activations, new Random(seed));
    var sgd = new Sgd<double>(model.Parameters, run.Rate);
    var x = Tensor.From(run.Data.Points);
    var y = Tensor.From(run.Data.Labels);
    var losses = new List<double>(run.Epochs);
    // One training step — sgd.ZeroGrad(); loss.Backward(); sgd.Step() — traced once and replayed as a plan of kernel
    // calls: the same numbers as the eager loop, without building a graph or allocating per epoch.
    var step = Tensor.Compile((Tensor<double> input, Tensor<double> target) => Loss.MeanSquaredError(model.Forward(input), target), sgd);
    var predict = Tensor.CompileForward<double>(model.Forward);

    AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
        .Start(context =>
        {
            var task = context.AddTask($"{run.Data.Name} ({string.Join("-", run.Sizes)})", maxValue: run.Epochs);
            for (int epoch = 0; epoch < run.Epochs; epoch++)
            {
                double loss = step.Run(x, y);
                losses.Add(loss);
                task.Increment(1);
                if (epoch % 500 == 0 || epoch == run.Epochs - 1)
                {
                    task.Description = $"{run.Data.Name} ({string.Join("-", run.Sizes)}) epoch {epoch + 1}: loss {loss:0.00000}";
                }
            }
        });

    // The compiled forward traces once per input shape (the data, then the picture's grid) and reuses its output tensor.
    double[] Predict(double[,] points) => predict.Run(Tensor.From(points)).ToFlatArray();
    double[] p = Predict(run.Data.Points);
    double accuracy = Enumerable.Range(0, run.Data.Count).Count(i => (p[i] >= 0.5) == (run.Data.Labels[i, 0] >= 0.5)) / (double)run.Data.Count;
    results.Add((run.Data.Name, losses[^1], accuracy));

    File.WriteAllText(Path.Combine(outDir, $"{run.Data.Name}-loss.svg"), Charts.LossCurve(losses, $"{run.Data.Name}: mean squared error per epoch (SGD, η = {run.Rate})"));
    File.WriteAllText(Path.Combine(outDir, $"{run.Data.Name}-boundary.svg"),
        Charts.DecisionBoundary(run.Data, Predict, $"{run.Data.Name}: P(class 1) and the 0.5 boundary, {string.Join("-", run.Sizes)} MLP"));
}

var table = new Table { Border = AutoGrad.Examples.Terminal.Border }.AddColumns("data set", "final loss", "training accuracy", "pictures");
foreach (var (name, loss, accuracy) in results)
{
    table.AddRow(name, loss.ToString("0.00000", CultureInfo.InvariantCulture), accuracy.ToString("P1", CultureInfo.InvariantCulture),
        Markup.Escape($"{Path.Combine(outDir, name)}-loss.svg, {Path.Combine(outDir, name)}-boundary.svg"));
}
AnsiConsole.Write(table);
return 0;
