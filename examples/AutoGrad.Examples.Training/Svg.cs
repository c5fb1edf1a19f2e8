using System.Globalization;
using System.Text;

namespace AutoGrad.Examples.Training;

/// <summary>A few SVG elements, enough for a line chart and a scatter plot. No plotting package is needed.</summary>
public sealed class Svg(double width, double height)
{
    private readonly StringBuilder body = new();

    public double Width => width;
    public double Height => height;

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public Svg Rect(double x, double y, double w, double h, string fill, string? stroke = null, double opacity = 1)
    {
        body.Append($"  <rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(w)}\" height=\"{F(h)}\" fill=\"{fill}\"");
        if (stroke is not null) body.Append($" stroke=\"{stroke}\"");
        if (opacity < 1) body.Append($" fill-opacity=\"{F(opacity)}\"");
        body.AppendLine("/>");
        return this;
    }

    public Svg Line(double x1, double y1, double x2, double y2, string stroke, double strokeWidth = 1, string? dash = null)
    {
        body.Append($"  <line x1=\"{F(x1)}\" y1=\"{F(y1)}\" x2=\"{F(x2)}\" y2=\"{F(y2)}\" stroke=\"{stroke}\" stroke-width=\"{F(strokeWidth)}\"");
        if (dash is not null) body.Append($" stroke-dasharray=\"{dash}\"");
        body.AppendLine("/>");
        return this;
    }

    public Svg Polyline(IEnumerable<(double X, double Y)> points, string stroke, double strokeWidth = 2)
    {
        string coordinates = string.Join(" ", points.Select(p => $"{F(p.X)},{F(p.Y)}"));
        body.AppendLine($"  <polyline points=\"{coordinates}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{F(strokeWidth)}\" stroke-linejoin=\"round\"/>");
        return this;
    }

    public Svg Circle(double cx, double cy, double r, string fill, string stroke = "white")
    {
        body.AppendLine($"  <circle cx=\"{F(cx)}\" cy=\"{F(cy)}\" r=\"{F(r)}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1\"/>");
        return this;
    }

    public Svg Text(double x, double y, string text, double size = 12, string anchor = "middle", string weight = "normal", double rotate = 0)
    {
        string transform = rotate == 0 ? "" : $" transform=\"rotate({F(rotate)} {F(x)} {F(y)})\"";
        body.AppendLine($"  <text x=\"{F(x)}\" y=\"{F(y)}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"{F(size)}\" text-anchor=\"{anchor}\" font-weight=\"{weight}\"{transform}>{System.Security.SecurityElement.Escape(text)}</text>");
        return this;
    }

    public override string ToString() =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(width)} {F(height)}\">\n" +
        $"  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{body}</svg>\n";
}
