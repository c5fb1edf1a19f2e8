using System.Globalization;

namespace AutoGrad.Examples.Training;

/// <summary>The two pictures: the loss per epoch, and the learned decision boundary over the data.</summary>
public static class Charts
{
    private const double Left = 70, Right = 20, Top = 40, Bottom = 50;

    /// <summary>Loss against epoch, the loss axis logarithmic (training loss spans decades).</summary>
    public static string LossCurve(IReadOnlyList<double> losses, string title)
    {
        var svg = new Svg(640, 400);
        double plotW = svg.Width - Left - Right, plotH = svg.Height - Top - Bottom;
        double maxLog = Math.Ceiling(Math.Log10(losses.Max()));
        double minLog = Math.Floor(Math.Log10(Math.Max(losses.Min(), 1e-12)));
        if (maxLog <= minLog) maxLog = minLog + 1;
        double X(double epoch) => Left + plotW * epoch / Math.Max(1, losses.Count - 1);
        double Y(double loss) => Top + plotH * (maxLog - Math.Log10(Math.Max(loss, 1e-12))) / (maxLog - minLog);

        svg.Text(svg.Width / 2, 24, title, 16, weight: "bold");
        for (double e = minLog; e <= maxLog; e++)
        {
            double y = Y(Math.Pow(10, e));
            svg.Line(Left, y, Left + plotW, y, "#dddddd", 1, "4 3");
            svg.Text(Left - 8, y + 4, $"1e{e.ToString(CultureInfo.InvariantCulture)}", 11, anchor: "end");
        }
        for (int i = 0; i <= 5; i++)
        {
            int epoch = losses.Count * i / 5; // epochs counted from 1; tick i·count/5 sits on the loss after that many epochs
            double at = X(Math.Max(0, epoch - 1));
            svg.Line(at, Top + plotH, at, Top + plotH + 5, "black");
            svg.Text(at, Top + plotH + 18, epoch.ToString(CultureInfo.InvariantCulture), 11);
        }
        svg.Line(Left, Top, Left, Top + plotH, "black").Line(Left, Top + plotH, Left + plotW, Top + plotH, "black");
        svg.Text(Left + plotW / 2, svg.Height - 10, "epoch", 12);
        svg.Text(18, Top + plotH / 2, "loss (log scale)", 12, rotate: -90);
        int step = Math.Max(1, losses.Count / 600);
        svg.Polyline(Enumerable.Range(0, losses.Count).Where(i => i % step == 0 || i == losses.Count - 1).Select(i => (X(i), Y(losses[i]))), "#1f77b4");
        return svg.ToString();
    }

    /// <summary>The model's P(class 1) over a grid, shaded from blue (0) to red (1), the 0.5 boundary, and the points.</summary>
    public static string DecisionBoundary(Dataset data, Func<double[,], double[]> predict, string title, int resolution = 80)
    {
        var svg = new Svg(560, 560);
        double plotW = svg.Width - Left - Right, plotH = svg.Height - Top - Bottom;
        var (xs, ys) = (Column(data.Points, 0), Column(data.Points, 1));
        double pad = 0.25 * Math.Max(xs.Max() - xs.Min(), ys.Max() - ys.Min()) + 0.1;
        double x0 = xs.Min() - pad, x1 = xs.Max() + pad, y0 = ys.Min() - pad, y1 = ys.Max() + pad;
        double X(double x) => Left + plotW * (x - x0) / (x1 - x0);
        double Y(double y) => Top + plotH * (y1 - y) / (y1 - y0);

        var grid = new double[resolution * resolution, 2];
        for (int i = 0; i < resolution; i++)
        {
            for (int j = 0; j < resolution; j++)
            {
                grid[i * resolution + j, 0] = x0 + (x1 - x0) * (j + 0.5) / resolution;
                grid[i * resolution + j, 1] = y1 - (y1 - y0) * (i + 0.5) / resolution;
            }
        }
        double[] p = predict(grid);
        double cellW = plotW / resolution, cellH = plotH / resolution;
        svg.Text(svg.Width / 2, 24, title, 16, weight: "bold");
        for (int i = 0; i < resolution; i++)
        {
            for (int j = 0; j < resolution; j++)
            {
                double v = p[i * resolution + j];
                svg.Rect(Left + j * cellW, Top + i * cellH, cellW + 0.5, cellH + 0.5, Blend(v));
            }
        }
        // the 0.5 contour: an edge between two neighbouring cells on opposite sides of 0.5
        for (int i = 0; i < resolution; i++)
        {
            for (int j = 0; j < resolution; j++)
            {
                bool inside = p[i * resolution + j] >= 0.5;
                if (j + 1 < resolution && inside != (p[i * resolution + j + 1] >= 0.5))
                    svg.Line(Left + (j + 1) * cellW, Top + i * cellH, Left + (j + 1) * cellW, Top + (i + 1) * cellH, "black", 1.5);
                if (i + 1 < resolution && inside != (p[(i + 1) * resolution + j] >= 0.5))
                    svg.Line(Left + j * cellW, Top + (i + 1) * cellH, Left + (j + 1) * cellW, Top + (i + 1) * cellH, "black", 1.5);
            }
        }
        for (int k = 0; k < data.Count; k++)
        {
            svg.Circle(X(data.Points[k, 0]), Y(data.Points[k, 1]), data.Count <= 8 ? 9 : 4.5, data.Labels[k, 0] > 0.5 ? "#d62728" : "#1f4fb4");
        }
        svg.Line(Left, Top, Left, Top + plotH, "black").Line(Left, Top + plotH, Left + plotW, Top + plotH, "black");
        for (int i = 0; i <= 4; i++)
        {
            double xv = x0 + (x1 - x0) * i / 4, yv = y0 + (y1 - y0) * i / 4;
            svg.Text(X(xv), Top + plotH + 18, xv.ToString("0.0", CultureInfo.InvariantCulture), 11);
            svg.Text(Left - 8, Y(yv) + 4, yv.ToString("0.0", CultureInfo.InvariantCulture), 11, anchor: "end");
        }
        svg.Text(Left + plotW / 2, svg.Height - 10, "x₁", 12).Text(20, Top + plotH / 2, "x₂", 12, rotate: -90);
        return svg.ToString();
    }

    private static double[] Column(double[,] m, int c) => Enumerable.Range(0, m.GetLength(0)).Select(i => m[i, c]).ToArray();

    /// <summary>Light blue at 0 through white at 0.5 to light red at 1 (opaque, so neighbouring cells leave no seams).</summary>
    private static string Blend(double v)
    {
        v = Math.Clamp(v, 0, 1);
        (double r, double g, double b) = v < 0.5
            ? Mix((0x9d, 0xb4, 0xe3), (255, 255, 255), v * 2)
            : Mix((255, 255, 255), (0xee, 0xa0, 0xa0), (v - 0.5) * 2);
        return $"#{(int)r:x2}{(int)g:x2}{(int)b:x2}";

        static (double, double, double) Mix((double R, double G, double B) a, (double R, double G, double B) b, double t) =>
            (a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);
    }
}
