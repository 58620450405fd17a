using System.Globalization;
using System.Runtime.CompilerServices;
using Simulator.Metrics;
using Spectre.Console;

namespace Simulator.Cli.Live;

/// <summary>
/// What the run looks like while it goes: a table refreshed about once a second on a terminal, or a plain line every few
/// seconds when the output is a pipe or a CI log.
/// </summary>
internal sealed class LiveView(int fleetSize, TextWriter output, bool interactive, IReadOnlyList<PlannedOutage>? plannedOutages = null)
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private readonly ConnectionWatch _connections = new(fleetSize, plannedOutages);
    private long _lastMessages;
    private TimeSpan _lastElapsed;
    private TimeSpan? _lastPlainLine;

    public bool Interactive => interactive;

    /// <summary>Whether an update at <paramref name="elapsed"/> would show anything: every time on a terminal, every few seconds as plain lines.</summary>
    public bool IsDue(TimeSpan elapsed) => interactive || _lastPlainLine is not { } last || elapsed - last >= PlainInterval;

    /// <summary>Shows <paramref name="stats"/> (cumulative) and <paramref name="window"/> (latencies of the last second).</summary>
    public void Update(StatisticsSnapshot stats, WindowStatistics window, TimeSpan elapsed, LiveFrame? frame)
    {
        var messages = stats.MessagesSent.Values.Sum() + stats.MessagesReceived.Values.Sum();
        var seconds = Math.Max(0.001, (elapsed - _lastElapsed).TotalSeconds);
        var rate = (messages - _lastMessages) / seconds;
        _lastMessages = messages;
        _lastElapsed = elapsed;
        // As the report's totals: the calls the charge points made.
        var errors = stats.Calls.Where(c => c.Key.Direction == Directions.CpToCsms).Sum(c => c.Value.Errors);
        var timeouts = stats.Calls.Where(c => c.Key.Direction == Directions.CpToCsms).Sum(c => c.Value.Timeouts);
        var inv = CultureInfo.InvariantCulture;

        if (frame is not null)
        {
            ShowInTable(stats, window, elapsed, rate, errors, timeouts, frame);
            return;
        }
        if (!IsDue(elapsed))
        {
            return;
        }
        _lastPlainLine = elapsed;
        var plainLook = _connections.Observe(stats.ConnectionAttempts, stats.ConnectedNow, elapsed);
        var slowest = window.Rows.Where(r => r.Count > 0).OrderByDescending(r => r.P99Ms).FirstOrDefault();
        output.WriteLine(string.Format(inv,
            "[{0:mm\\:ss}] connected {1}/{2} booted {3} connectors charging {4} | {5:0} msg/s | errors {6} timeouts {7} reconnects {8} queued {9} | attempts {10}{11}",
            elapsed, stats.ConnectedNow, fleetSize, stats.BootedNow, stats.SessionsActive, rate, errors, timeouts, stats.Reconnects, stats.OfflineQueueDepth, plainLook.RatesText,
            slowest is null ? "" : string.Format(inv, " | slowest p99 {0} {1:0.0} ms", slowest.Action, slowest.P99Ms)));
        if (plainLook.Warning is { } plainWarning)
        {
            output.WriteLine(string.Format(inv, "[{0:mm\\:ss}] {1}", elapsed, plainWarning));
        }
    }

    // Apart from Update, so that plain lines (a pipe, a CI log) never load Spectre.Console: the JIT resolves what a method names.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ShowInTable(StatisticsSnapshot stats, WindowStatistics window, TimeSpan elapsed, double rate, long errors, long timeouts, LiveFrame frame)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = frame.Table;
        table.Rows.Clear();
        var look = _connections.Observe(stats.ConnectionAttempts, stats.ConnectedNow, elapsed);
        var caption = string.Format(inv,
            "{0:mm\\:ss}  connected {1}/{2}  booted {3}  connectors charging {4}  {5:0} msg/s  errors {6}  timeouts {7}  reconnects {8}  queued {9}\nattempts {10}",
            elapsed, stats.ConnectedNow, fleetSize, stats.BootedNow, stats.SessionsActive, rate, errors, timeouts, stats.Reconnects, stats.OfflineQueueDepth, look.RatesText);
        table.Caption(new TableTitle(Markup.Escape(caption) + (look.Warning is { } warning ? "\n[bold red]" + Markup.Escape(warning) + "[/]" : "")));
        var mixed = window.Rows.Select(r => r.OcppVersion).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Skip(1).Any();
        foreach (var row in window.Rows.OrderByDescending(r => r.Count).Take(12))
        {
            table.AddRow(mixed && row.OcppVersion.Length > 0 ? $"{row.Action} ({row.OcppVersion})" : row.Action, row.Direction, row.Count.ToString(inv), row.P50Ms.ToString("0.0", inv), row.P99Ms.ToString("0.0", inv), row.MaxMs.ToString("0.0", inv));
        }
        frame.Display.Refresh();
    }

    public static Table NewTable()
    {
        var table = new Table().Border(TableBorder.Rounded).Title("FleetSim — last second");
        table.AddColumns("action", "direction", "count", "p50 ms", "p99 ms", "max ms");
        return table;
    }
}
