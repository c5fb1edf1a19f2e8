using System.Diagnostics;
using AutoGrad;
using AutoGrad.Examples;

// Checks a hand derivation of a gradient against the tape: proved (for every size), proved up to a transpose
// (a layout convention), refuted with a counterexample at the network's sizes, or unknown.
//
//   CheckDerivation [--note 000|001|002|003|004 | --layers 3,4,2 [--activation sigmoid|tanh|relu]] --wrt W1 [formula]
//
// Without a formula it reads one formula per line from standard input.

Terminal.Configure();
string note = "000", activation = "sigmoid", wrt = "W1";
string? layers = null;
var formulas = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--note": note = Value(); break;
        case "--layers": layers = Value(); break;
        case "--activation": activation = Value(); break;
        case "--wrt": wrt = Value(); break;
        case "--help" or "-h":
            Console.WriteLine("CheckDerivation [--note 000|001|002|003|004 | --layers 3,4,2 [--activation sigmoid|tanh|relu]] --wrt W1 [formula]");
            return 0;
        default: formulas.Add(args[i]); break;
    }
}

Network network;
try
{
    network = layers is null ? Network.Note(note) : Network.Layers([.. layers.Split(',').Select(int.Parse)], activation);
}
catch (Exception error) when (error is ArgumentException or FormatException)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}
var parameter = network[wrt];
if (parameter is null || !parameter.RequiresGrad)
{
    Console.Error.WriteLine($"--wrt {wrt}: not a parameter or intermediate result of the network; choose one of " +
        string.Join(", ", network.Named.Where(t => t.RequiresGrad).Select(t => t.Name)));
    return 2;
}

string Paint(string text, int code) => Terminal.Plain ? text : $"\u001b[{code}m{text}\u001b[0m";

Console.WriteLine(network.Title);
Print("shapes: " + string.Join(", ", network.Named.Select(t => $"{t.Name} {t.Shape}")));
var context = ProofContext.FromGraph(network.Loss);
var tape = Symbolic.Gradient(network.Loss, parameter);
Console.WriteLine($"tape:   ∂L/∂{wrt} = {tape.Text}");

int status = 0;
bool interactive = formulas.Count == 0;
if (interactive && !Console.IsInputRedirected) Console.Write($"∂L/∂{wrt} = ");
foreach (var formula in interactive ? ReadLines() : formulas)
{
    if (string.IsNullOrWhiteSpace(formula)) continue;
    Console.WriteLine($"yours:  ∂L/∂{wrt} = {formula}");
    var clock = Stopwatch.StartNew();
    ProofResult result;
    try
    {
        result = Prover.ProveGradient(network.Loss, parameter, formula, context);
    }
    catch (FormulaSyntaxException error)
    {
        Console.WriteLine(error.Message);
        status = Math.Max(status, 2);
        continue;
    }
    clock.Stop();
    string word = result.Verdict switch
    {
        ProofVerdict.Proved => Paint("PROVED", 32),
        ProofVerdict.ProvedUpToTranspose => Paint("PROVED UP TO A TRANSPOSE", 33),
        ProofVerdict.Refuted => Paint("REFUTED", 31),
        _ => Paint("UNKNOWN", 35),
    };
    Print($"{word}: {result.Reason} ({clock.Elapsed.TotalMilliseconds:F1} ms)");
    if (result.Counterexample is { } counterexample)
    {
        Console.WriteLine("counterexample (your formula is the claim, the tape's the reference):");
        foreach (var line in counterexample.ToString().Split('\n')) Print(line);
    }
    status = Math.Max(status, result.Verdict is ProofVerdict.Proved or ProofVerdict.ProvedUpToTranspose ? 0 : 1);
    if (interactive && !Console.IsInputRedirected) Console.Write($"∂L/∂{wrt} = ");
}
return status;

// A line longer than the terminal (or COLUMNS) is broken after a comma or a space, continued with an indent.
static void Print(string line)
{
    int width = Math.Max(40, Terminal.Width);
    string indent = new(' ', Math.Min(8, line.Length - line.TrimStart().Length + 4));
    while (line.Length > width)
    {
        int cut = line.LastIndexOfAny([',', ' '], width - 1);
        if (cut <= indent.Length) break;
        Console.WriteLine(line[..(cut + 1)].TrimEnd());
        line = indent + line[(cut + 1)..].TrimStart();
    }
    Console.WriteLine(line);
}

static IEnumerable<string> ReadLines()
{
    while (Console.ReadLine() is { } line) yield return line;
}
