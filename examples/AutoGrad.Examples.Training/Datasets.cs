namespace AutoGrad.Examples.Training;

/// <summary>A labelled 2-D data set: points (N×2) and labels 0/1 (N×1).</summary>
public sealed record Dataset(string Name, double[,] Points, double[,] Labels)
{
    public int Count => Points.GetLength(0);

    /// <summary>The four corners of the unit square, labelled by exclusive or.</summary>
    public static Dataset Xor() => new("xor",
        new double[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } },
        new double[,] { { 0 }, { 1 }, { 1 }, { 0 } });

    /// <summary>Two interleaving half circles with Gaussian noise, as scikit-learn's make_moons, seeded.</summary>
    public static Dataset TwoMoons(int count, double noise, Random random)
    {
        var points = new double[count, 2];
        var labels = new double[count, 1];
        for (int i = 0; i < count; i++)
        {
            bool upper = i % 2 == 0;
            double t = Math.PI * random.NextDouble();
            double x = upper ? Math.Cos(t) : 1 - Math.Cos(t);
            double y = upper ? Math.Sin(t) : 0.5 - Math.Sin(t);
            points[i, 0] = x + noise * Gaussian(random);
            points[i, 1] = y + noise * Gaussian(random);
            labels[i, 0] = upper ? 0 : 1;
        }
        return new Dataset("two-moons", points, labels);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
