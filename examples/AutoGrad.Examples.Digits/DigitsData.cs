using System.Globalization;
using System.IO.Compression;

namespace AutoGrad.Examples.Digits;

/// <summary>The digits: 64 pixels (0–16, scaled to 0–1) and a label per image, split into training and test rows.</summary>
public sealed record DigitsData(double[][] Pixels, int[] Labels)
{
    public const int Side = 8;

    public int Count => Labels.Length;

    /// <summary>Reads data/digits.csv.gz: 64 pixel counts and the digit per line.</summary>
    public static DigitsData Load(string path)
    {
        var pixels = new List<double[]>();
        var labels = new List<int>();
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            string[] fields = line.Split(',');
            pixels.Add(fields[..64].Select(f => double.Parse(f, CultureInfo.InvariantCulture) / 16.0).ToArray());
            labels.Add(int.Parse(fields[64], CultureInfo.InvariantCulture));
        }
        return new DigitsData([.. pixels], [.. labels]);
    }

    /// <summary>
    /// Every fifth image (index 4, 9, 14, …) is a test image, the rest train: a split that needs no random generator,
    /// so the PyTorch comparison (benchmarks/compare/digits_pytorch.py) uses exactly the same one. 1,438 train, 359 test.
    /// </summary>
    public (DigitsData Train, DigitsData Test) Split()
    {
        bool IsTest(int i) => i % 5 == 4;
        DigitsData Pick(bool test) => new(
            Pixels.Where((_, i) => IsTest(i) == test).ToArray(),
            Labels.Where((_, i) => IsTest(i) == test).ToArray());
        return (Pick(test: false), Pick(test: true));
    }
}
