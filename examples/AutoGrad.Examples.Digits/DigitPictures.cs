using System.Globalization;
using System.Text;

namespace AutoGrad.Examples.Digits;

/// <summary>Digits drawn as text (two characters a pixel, shaded) and as an SVG grid of grey squares.</summary>
public static class DigitPictures
{
    private const string Shades = " .:-=+*#%@";

    /// <summary>The images side by side with a caption under each, as many per row as <paramref name="width"/> allows.</summary>
    public static string Text(IReadOnlyList<(double[] Pixels, string Caption)> digits, int width)
    {
        const int cell = 2 * DigitsData.Side + 3; // 16 characters of picture and a gap
        int perRow = Math.Max(1, width / cell);
        var text = new StringBuilder();
        for (int first = 0; first < digits.Count; first += perRow)
        {
            var group = digits.Skip(first).Take(perRow).ToList();
            for (int y = 0; y < DigitsData.Side; y++)
            {
                foreach (var (pixels, _) in group)
                {
                    for (int x = 0; x < DigitsData.Side; x++)
                    {
                        char c = Shades[(int)Math.Round(pixels[y * DigitsData.Side + x] * (Shades.Length - 1))];
                        text.Append(c).Append(c);
                    }
                    text.Append("   ");
                }
                text.AppendLine();
            }
            text.AppendLine(string.Concat(group.Select(d => d.Caption.PadRight(cell)[..cell]))).AppendLine();
        }
        return text.ToString();
    }

    /// <summary>An SVG of the images in a row, each with its caption.</summary>
    public static string Svg(IReadOnlyList<(double[] Pixels, string Caption)> digits, string title)
    {
        const int scale = 12, gap = 24, top = 40;
        int size = DigitsData.Side * scale;
        int width = Math.Max(1, digits.Count) * (size + gap) + gap, height = top + size + 40;
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        var svg = new StringBuilder();
        svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">");
        svg.AppendLine($"  <rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        svg.AppendLine($"  <text x=\"{F(width / 2.0)}\" y=\"24\" font-size=\"15\" font-weight=\"bold\" text-anchor=\"middle\">{Escape(title)}</text>");
        for (int d = 0; d < digits.Count; d++)
        {
            int left = gap + d * (size + gap);
            for (int y = 0; y < DigitsData.Side; y++)
            {
                for (int x = 0; x < DigitsData.Side; x++)
                {
                    int grey = 255 - (int)Math.Round(255 * digits[d].Pixels[y * DigitsData.Side + x]);
                    svg.AppendLine($"  <rect x=\"{left + x * scale}\" y=\"{top + y * scale}\" width=\"{scale}\" height=\"{scale}\" fill=\"#{grey:x2}{grey:x2}{grey:x2}\"/>");
                }
            }
            svg.AppendLine($"  <rect x=\"{left}\" y=\"{top}\" width=\"{size}\" height=\"{size}\" fill=\"none\" stroke=\"#888888\"/>");
            svg.AppendLine($"  <text x=\"{F(left + size / 2.0)}\" y=\"{top + size + 20}\" font-size=\"12\" text-anchor=\"middle\">{Escape(digits[d].Caption)}</text>");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
