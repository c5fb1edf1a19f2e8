using System.Globalization;
using System.IO.Compression;
using AutoGrad.Nn;
using Xunit;

namespace AutoGrad.Tests.UserPrograms;

/// <summary>The fourth program: the 8×8 digits (the example's data file), an MLP with Adam, then save and load.</summary>
public class DigitsProgram
{
    [Fact]
    public void Learns_the_digits_then_saves_and_loads_the_weights()
    {
        // data: 64 pixels (0–16) and a digit per line; every fifth image is a test image
        string[] lines = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "UserPrograms", "digits.csv.gz")),
            CompressionMode.Decompress)).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        double[][] pixels = lines.Select(l => l.Split(',')[..64].Select(v => double.Parse(v, CultureInfo.InvariantCulture) / 16).ToArray()).ToArray();
        int[] digits = lines.Select(l => int.Parse(l.Split(',')[64], CultureInfo.InvariantCulture)).ToArray();
        var xTrain = Tensor.From(pixels.Where((_, i) => i % 5 != 4).ToArray());
        var xTest = Tensor.From(pixels.Where((_, i) => i % 5 == 4).ToArray());
        int[] yTrain = digits.Where((_, i) => i % 5 != 4).ToArray(), yTest = digits.Where((_, i) => i % 5 == 4).ToArray();

        var model = new Mlp<double>([64, 64, 10], Activation.Relu, new Random(0));
        var adam = new Adam<double>(model.Parameters, learningRate: 1e-3);
        var shuffle = new Random(1);
        for (int epoch = 0; epoch < 10; epoch++)
        {
            foreach (var (x, y) in MiniBatches.Shuffled(xTrain, yTrain, batchSize: 32, shuffle))
            {
                using var scope = Tensor.Scope();
                adam.ZeroGrad();
                Loss.CrossEntropy(model.Forward(x), y).Backward();
                adam.Step();
            }
        }

        string path = Path.Combine(Path.GetTempPath(), $"digits-{Guid.NewGuid():N}.safetensors");
        model.Save(path);
        var restored = new Mlp<double>([64, 64, 10], Activation.Relu, new Random(42));
        restored.Load(path);
        File.Delete(path);

        using var noGrad = Tensor.NoGrad();
        int[] predicted = restored.Forward(xTest).ArgMax(1);
        Assert.Equal(model.Forward(xTest).ArgMax(1), predicted);
        Assert.True(predicted.Zip(yTest).Count(p => p.First == p.Second) > 0.9 * yTest.Length);
    }
}
