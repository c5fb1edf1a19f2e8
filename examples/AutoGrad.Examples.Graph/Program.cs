using AutoGrad;
using AutoGrad.Nn;

// Writes note 000's network as Graphviz DOT: the forward graph of the loss, and the recorded backward graph
// of ∂L/∂W1. Render with: dot -Tsvg note000-forward.dot -o note000-forward.svg
//   dotnet run --project examples/AutoGrad.Examples.Graph -- [output folder]

string outDir = args.Length > 0 ? args[0] : "graph-output";
Directory.CreateDirectory(outDir);

var random = new Random(0);
var x = Tensor.RandomNormal<double>(3, 1, random, name: "x");
var y = Tensor.RandomNormal<double>(2, 1, random, name: "y");
var w1 = Tensor.RandomNormal<double>(4, 3, random, requiresGrad: true, name: "W1");
var b1 = Tensor.RandomNormal<double>(4, 1, random, requiresGrad: true, name: "b1");
var w2 = Tensor.RandomNormal<double>(2, 4, random, requiresGrad: true, name: "W2");
var b2 = Tensor.RandomNormal<double>(2, 1, random, requiresGrad: true, name: "b2");

var z1 = w1.MatMul(x) + b1; z1.Name = "z1";
var a1 = z1.Sigmoid(); a1.Name = "a1";
var z2 = w2.MatMul(a1) + b2; z2.Name = "z2";
var yHat = z2.Sigmoid(); yHat.Name = "ŷ";
var loss = Loss.HalfSumSquared(yHat, y); loss.Name = "L";

string forward = Path.Combine(outDir, "note000-forward.dot");
File.WriteAllText(forward, Graph.ToDot(loss, "note 000: L = ½‖y − σ(W2 σ(W1x + b1) + b2)‖²"));

var gradW1 = Autograd.Grad(loss, [w1], createGraph: true)[0];
gradW1.Name = "∂L/∂W1";
string backward = Path.Combine(outDir, "note000-backward-W1.dot");
File.WriteAllText(backward, Graph.ToDot(gradW1, "note 000: the recorded backward graph of ∂L/∂W1"));

Console.WriteLine($"wrote {forward} and {backward}");
Console.WriteLine($"render: dot -Tsvg {forward} -o {Path.ChangeExtension(forward, ".svg")}");
