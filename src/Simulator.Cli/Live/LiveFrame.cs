using Spectre.Console;

namespace Simulator.Cli.Live;

/// <summary>
/// The terminal's live table while a run goes. Only this class and <see cref="LiveView"/>'s table drawing name Spectre.Console's
/// types, so a run with --quiet or into a pipe never loads that assembly (the JIT loads what a method names when it compiles it).
/// </summary>
internal sealed class LiveFrame(LiveDisplayContext display, Table table)
{
    public LiveDisplayContext Display { get; } = display;

    public Table Table { get; } = table;

    /// <summary>Whether the terminal can redraw a live table (not a pipe, not a dumb terminal).</summary>
    public static bool TerminalIsInteractive() => AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="run"/> with a live table on the terminal until it completes.</summary>
    public static Task<T> ShowAsync<T>(Func<LiveFrame, Task<T>> run)
    {
        var table = LiveView.NewTable();
        return AnsiConsole.Live(table).StartAsync(display => run(new LiveFrame(display, table)));
    }
}
