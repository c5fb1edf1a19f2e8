using System.Globalization;
using Spectre.Console;

namespace AutoGrad.Examples;

/// <summary>
/// Terminal manners shared by the examples (linked into each project): no escape codes at all when the output is
/// redirected to a file or pipe or when NO_COLOR is set (https://no-color.org), and tables as wide as the terminal,
/// or as COLUMNS says when it is set (a pipe has no width of its own; then a width the program chooses).
/// </summary>
internal static class Terminal
{
    /// <summary>True when nothing but plain text may be written: output redirected, or NO_COLOR set.</summary>
    public static bool Plain { get; private set; }

    /// <summary>True when the output is a terminal that can redraw a progress bar in place.</summary>
    public static bool Interactive { get; private set; }

    /// <summary>The width tables and pictures must fit in.</summary>
    public static int Width { get; private set; } = 80;

    /// <summary>Sets up <see cref="AnsiConsole"/> accordingly; call first thing in Main.</summary>
    /// <param name="redirectedWidth">The width when the output is redirected and COLUMNS is not set.</param>
    public static void Configure(int redirectedWidth = 120)
    {
        bool redirected = Console.IsOutputRedirected;
        Plain = redirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        Interactive = !redirected;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = Plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        Width = ColumnsVariable() ?? (redirected ? redirectedWidth : TerminalWidth() ?? 80);
        AnsiConsole.Console.Profile.Width = Width;
    }

    /// <summary>A table border that is plain ASCII when <see cref="Plain"/>, rounded otherwise.</summary>
    public static TableBorder Border => Plain ? TableBorder.Ascii : TableBorder.Rounded;

    private static int? ColumnsVariable() =>
        int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out int columns) && columns > 0
            ? columns
            : null;

    private static int? TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
