using System.Diagnostics;
using System.Globalization;
using AutoGrad;
using AutoGrad.Examples;
using AutoGrad.Examples.Digits;
using AutoGrad.Nn;
using Spectre.Console;

// Trains a 64-64-10 MLP on the 8×8 handwritten digits (data/digits.csv.gz, UCI, CC BY 4.0) with cross-entropy and
// Adam, then reports the test accuracy, a confusion matrix and a few misclassified digits (as text and as an SVG),
// and checks that the saved weights load back into a fresh network with the same predictions. The training step and
// the evaluation are compiled (Tensor.Compile, Tensor.CompileForward): the eager tape's kernels replayed over buffers
// allocated once, with the same bits as the eager step.
//   dotnet run -c Release --project examples/AutoGrad.Examples.Digits -- [--seed N] [--epochs N] [--out DIR]

int seed = 0, epochs = 40;
string outDir = "digits-output";
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out seed): i++; break;
        case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out epochs) && epochs > 0: i++; break;
        case "--out" when i + 1 < args.Length: outDir = args[++i]; break;
        default:
            Console.WriteLine("Usage: dotnet run -c Release --project examples/AutoGrad.Examples.Digits -- [--seed N] [--epochs N] [--out DIR]");
            return args[i] == "--help" ? 0 : 2;
    }
}
Terminal.Configure();
Directory.CreateDirectory(outDir);

var (train, test) = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz")).Split();
var xTrain = Tensor.From(train.Pixels);
var xTest = Tensor.From(test.Pixels);
AnsiConsole.MarkupLine($"[bold]8×8 digits[/]: {train.Count} training and {test.Count} test images; MLP 64-64-10 (ReLU), cross-entropy, Adam η = 0.001, batches of 32, {epochs} epochs, seed {seed}");

// The whole training program: a model, an optimizer, shuffled mini-batches, and the step compiled once: each Run is
// adam.ZeroGrad(); Loss.CrossEntropy(model.Forward(x), labels).Backward(); adam.Step(), bit for bit. The labels go in
// as an N×1 tensor, an input of the step (an int[] would be a constant of the trace).
const int BatchSize = 32;
var model = new Mlp<double>([64, 64, 10], Activation.Relu, new Random(seed));
var adam = new Adam<double>(model.Parameters, learningRate: 1e-3);
var trainStep = Tensor.Compile((Tensor<double> x, Tensor<double> labels) => Loss.CrossEntropyOfLabels(model.Forward(x), labels), adam);
var shuffle = new Random(seed + 1);
double TrainEpoch()
{
    double total = 0;
    foreach (var (x, labels) in MiniBatches.Shuffled(xTrain, train.Labels, BatchSize, shuffle))
    {
        var labelTensor = Tensor.FromRowMajor(labels.Length, 1, labels.Select(l => (double)l).ToArray());
        total += trainStep.Run(x, labelTensor) * labels.Length;
    }
    return total / train.Count;
}

// Evaluation, compiled too: the forward pass only (it reads the parameters' current values on each call).
var evaluate = Tensor.CompileForward<double>(model.Forward);
int[] Predict(CompiledForward<double> network) => network.Run(xTest).ArgMax(1);

double Accuracy(int[] predicted) => predicted.Zip(test.Labels).Count(p => p.First == p.Second) / (double)test.Count;

var clock = Stopwatch.StartNew();
var losses = new List<double>();
if (Terminal.Interactive)
{
    AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
        .Start(context =>
        {
            var task = context.AddTask("training", maxValue: epochs);
            for (int epoch = 1; epoch <= epochs; epoch++)
            {
                losses.Add(TrainEpoch());
                task.Description = $"epoch {epoch}: loss {losses[^1]:0.0000}, test accuracy {Accuracy(Predict(evaluate)):P1}";
                task.Increment(1);
            }
        });
}
else
{
    for (int epoch = 1; epoch <= epochs; epoch++)
    {
        losses.Add(TrainEpoch());
        if (epoch % 10 == 0 || epoch == epochs)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}: loss {losses[^1]:0.0000}, test accuracy {Accuracy(Predict(evaluate)):P1}"));
        }
    }
}
int[] predicted = Predict(evaluate);
double accuracy = Accuracy(predicted);
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"Test accuracy [bold]{accuracy:P1}[/] ({predicted.Zip(test.Labels).Count(p => p.First == p.Second)} of {test.Count}); final training loss {losses[^1]:0.0000}; {clock.Elapsed.TotalSeconds:0.0} s"));

// Confusion matrix: rows are the true digit, columns the predicted one.
var confusion = new int[10, 10];
foreach (var (p, t) in predicted.Zip(test.Labels))
{
    confusion[t, p]++;
}
var table = new Table { Border = Terminal.Border, Title = new TableTitle("confusion matrix (row: true digit, column: predicted)") };
table.AddColumn("true");
for (int d = 0; d < 10; d++)
{
    table.AddColumn(new TableColumn(d.ToString(CultureInfo.InvariantCulture)).RightAligned());
}
for (int t = 0; t < 10; t++)
{
    table.AddRow([t.ToString(CultureInfo.InvariantCulture), .. Enumerable.Range(0, 10).Select(p =>
        confusion[t, p] == 0 ? "." : p == t ? $"[green]{confusion[t, p]}[/]" : $"[red]{confusion[t, p]}[/]")]);
}
AnsiConsole.Write(table);

// A few misclassified digits, as text art and as a picture.
var wrong = Enumerable.Range(0, test.Count).Where(i => predicted[i] != test.Labels[i]).Take(8)
    .Select(i => (test.Pixels[i], $"{test.Labels[i]} seen as {predicted[i]}")).ToList();
if (wrong.Count > 0)
{
    AnsiConsole.MarkupLine($"[bold]{Math.Min(8, wrong.Count)} misclassified test digits[/] (true digit, prediction):");
    Console.Write(DigitPictures.Text(wrong, Terminal.Width));
    string svgPath = Path.Combine(outDir, "digits-misclassified.svg");
    File.WriteAllText(svgPath, DigitPictures.Svg(wrong, $"Misclassified test digits (MLP 64-64-10, Adam, seed {seed}): true digit seen as prediction"));
    AnsiConsole.MarkupLine($"Picture: {Markup.Escape(svgPath)}");
}

// Save, load into a network with other initial weights, and check it predicts the same.
string modelPath = Path.Combine(outDir, "digits-mlp.safetensors");
model.Save(modelPath);
var reloaded = new Mlp<double>([64, 64, 10], Activation.Relu, new Random(seed + 1000));
reloaded.Load(modelPath);
bool same = Predict(Tensor.CompileForward<double>(reloaded.Forward)).SequenceEqual(predicted);
AnsiConsole.MarkupLine(same
    ? $"Saved to {Markup.Escape(modelPath)} ({new FileInfo(modelPath).Length} bytes, safetensors) and loaded into a fresh network: the same {test.Count} predictions."
    : "[red]The reloaded network predicts differently.[/]");
return same && accuracy >= 0.95 ? 0 : 1;
