using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using ScottPlot;
using Simulator.Metrics;
using Simulator.Metrics.TimeSeries;

namespace Simulator.Cli.Reports;

/// <summary>What the HTML report says about the run besides the JSON report: where it went and how it was started.</summary>
internal sealed record HtmlReportContext(Uri Target, int Seed, string Node, int ExitCode);

/// <summary>
/// One self-contained HTML file: the run's metadata, the summary tables and SVG charts drawn by ScottPlot from the time
/// series. No script and nothing fetched (a Content-Security-Policy says so), so it opens offline and whatever a hostile
/// CSMS put in a text (escaped everywhere) cannot run.
/// </summary>
internal static class HtmlReport
{
    private const int ChartWidth = 920;
    private const int ChartHeight = 330;
    private static readonly TimeSpan StormBefore = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StormAfter = TimeSpan.FromSeconds(120);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const string FontFamily = "DejaVu Sans";

    /// <summary>The ids of the charts, in page order (storm charts add <c>chart-storm-N</c>).</summary>
    public static readonly IReadOnlyList<string> ChartIds = ["chart-connections", "chart-messages", "chart-latency-p50", "chart-latency-p99", "chart-errors", "chart-queue"];

    public static string Render(RunReport report, IReadOnlyList<TimeSeriesRow> rows, HtmlReportContext context)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(context);
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            """);
        html.Append("<title>FleetSim report: ").Append(E(report.Profile)).Append("</title>\n");
        html.Append("""
            <style>
            body { font-family: sans-serif; margin: 1.5em auto; max-width: 980px; color: #222; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
            th { background: #f2f2f2; } td.text, th.text { text-align: left; }
            .pass { color: #17702b; font-weight: bold; } .fail { color: #b3141b; font-weight: bold; }
            figure { margin: 0 0 1.5em; } figcaption { font-weight: bold; margin-bottom: 0.3em; }
            svg { max-width: 100%; height: auto; }
            </style>
            </head>
            <body>
            """);
        var passed = context.ExitCode == ExitCodes.Ok;
        html.Append("<h1>FleetSim run: ").Append(E(report.Profile)).Append("</h1>\n");
        html.Append("<p id=\"verdict\" class=\"").Append(passed ? "pass" : "fail").Append("\">")
            .Append(passed ? "Passed" : "Failed").Append(" (exit code ").Append(context.ExitCode.ToString(Inv)).Append(")</p>\n");

        Section(html, "Run", "run");
        Table(html, "run", ["", ""], [
            ["run id", report.RunId], ["profile", report.Profile], ["target", Describe(context.Target)],
            ["start", report.Start.ToString("u", Inv)], ["end", report.End.ToString("u", Inv)],
            ["duration", N(report.DurationSeconds, "0.0") + " s"], ["charge points", N(report.FleetSize)], ["nodes", N(report.NodeCount)],
            ["seed", N(context.Seed)], ["node", context.Node], ["FleetSim", report.FleetSim is { } build ? $"{build.Version} (commit {build.Commit})" : Version()],
            ["aborted", report.AbortReason ?? "no"]], textColumns: 2);

        Section(html, "Calls per action and direction", "actions");
        Table(html, "actions", ["action", "ocpp", "direction", "count", "errors", "timeouts", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"],
            [.. report.Actions.Where(a => a.Count > 0).Select(a => new[]
            {
                a.Action, a.OcppVersion, a.Direction, N(a.Count), N(a.Errors), N(a.Timeouts), Ms(a.Latency.P50Ms), Ms(a.Latency.P90Ms), Ms(a.Latency.P99Ms), Ms(a.Latency.P999Ms), Ms(a.Latency.MaxMs),
            }),
            ["TOTAL", "cp_to_csms", "", N(report.Totals.Count), N(report.Totals.Errors), N(report.Totals.Timeouts), Ms(report.Totals.Latency.P50Ms), Ms(report.Totals.Latency.P90Ms),
                Ms(report.Totals.Latency.P99Ms), Ms(report.Totals.Latency.P999Ms), Ms(report.Totals.Latency.MaxMs)]], textColumns: 3);

        Section(html, "Connections", "connections");
        var c = report.Connections;
        Table(html, "connections", ["", ""], [
            .. c.AttemptsByResult.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new[] { "attempts " + a.Key, N(a.Value) }),
            ["reconnects", N(c.Reconnects)], ["connected peak", N(c.ConnectedPeak)], ["booted peak", N(c.BootedPeak)],
            ["TCP connect p50 / p99", Ms(c.ConnectTime.P50Ms) + " / " + Ms(c.ConnectTime.P99Ms) + " ms"],
            ["TLS handshake p50 / p99", c.TlsHandshake.Count == 0 ? "n/a" : Ms(c.TlsHandshake.P50Ms) + " / " + Ms(c.TlsHandshake.P99Ms) + " ms"],
            ["WebSocket upgrade p50 / p99", Ms(c.UpgradeTime.P50Ms) + " / " + Ms(c.UpgradeTime.P99Ms) + " ms"]], textColumns: 1);

        Section(html, "Sessions", "sessions");
        Table(html, "sessions", ["started", "completed", "energy kWh"],
            [[N(report.Sessions.Started), N(report.Sessions.Completed), N(report.Sessions.EnergyDeliveredKwh, "0.###")]], textColumns: 0);

        Section(html, "Loss check", "loss");
        if (report.LossCheck is { } loss)
        {
            Table(html, "loss", ["produced", "delivered", "still queued", "given up", "lost", "duplicates recognised"],
                [[N(loss.Produced), N(loss.Delivered), N(loss.StillQueued), N(loss.GivenUp), N(loss.Lost), N(loss.DuplicatesRecognised)]], textColumns: 0);
            if (loss.OnFailedNodes is { } failed)
            {
                html.Append("<p>On failed nodes (not counted above): produced ").Append(N(failed.Produced)).Append(", delivered ").Append(N(failed.Delivered))
                    .Append(", went with the node ").Append(N(failed.WentWithTheNode)).Append(".</p>\n");
            }
            if (loss.Incomplete is { Count: > 0 } notChecked)
            {
                html.Append("<p id=\"loss-incomplete\" class=\"fail\">Incomplete: not checked (not counted above): ")
                    .AppendJoin("; ", notChecked.Select(u => E(u.Node) + ": " + E(u.Reason))).Append("</p>\n");
            }
        }
        else
        {
            html.Append("<p>Not done: the ledger check needs the embedded CSMS, or an external <code>fleetsim csms</code> named with <code>--csms-control</code>.</p>\n");
        }

        Section(html, "Thresholds", "thresholds");
        if (report.Thresholds.Count == 0)
        {
            html.Append("<p>The profile sets no thresholds.</p>\n");
        }
        else
        {
            html.Append("<table id=\"thresholds\"><tr><th class=\"text\">threshold</th><th class=\"text\">actual</th><th class=\"text\">abort on fail</th><th class=\"text\">result</th></tr>\n");
            foreach (var t in report.Thresholds)
            {
                html.Append("<tr><td class=\"text\">").Append(E(t.Expression)).Append("</td><td class=\"text\">").Append(E(t.Actual))
                    .Append("</td><td class=\"text\">").Append(t.AbortOnFail ? "yes" : "no").Append("</td><td class=\"text ")
                    .Append(t.Passed ? "pass\">pass" : "fail\">fail").Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }

        var storms = report.Storms.Where(s => s.Name != StormFigures.Arrival).ToList();
        if (report.Storms.Count > 0)
        {
            Section(html, "Storms", "storms");
            Table(html, "storms", ["event", "at", "figures"],
                [.. report.Storms.Select(s => new[] { s.Name, s.At.ToString("u", Inv), (s.Failure is { } failure ? $"FAILED: {failure}; " : "") + string.Join(", ", s.Figures.Select(f => f.Key + " " + N(f.Value, "0.###"))) })], textColumns: 3);
        }

        Section(html, "Over time", "charts");
        if (!FontsAvailable())
        {
            html.Append("<p>This machine has no fonts, so the charts below carry no text (axes, legend). Install one (e.g. Debian's fonts-dejavu-core) to get it.</p>\n");
        }
        if (rows.Count == 0)
        {
            html.Append("<p>No time series was recorded (the run ended within its first second).</p>\n");
        }
        else
        {
            var x = rows.Select(r => r.ElapsedSeconds).ToArray();
            Figure(html, "chart-connections", "Charge points connected and booted, connectors charging", "charge points", [
                new("connected", x, [.. rows.Select(r => (double)r.Connected)]),
                new("booted", x, [.. rows.Select(r => (double)r.Booted)]),
                new("charging (connectors)", x, [.. rows.Select(r => (double)r.Charging)])]);
            Figure(html, "chart-messages", "Messages per second", "messages/s", [
                new("charge point → CSMS", x, [.. rows.Select(r => Rate(r.MessagesCpToCsms, r))]),
                new("CSMS → charge point", x, [.. rows.Select(r => Rate(r.MessagesCsmsToCp, r))])]);
            Figure(html, "chart-latency-p50", "Round-trip latency per action: p50 of each second", "ms", LatencySeries(rows, call => call.P50Ms));
            Figure(html, "chart-latency-p99", "Round-trip latency per action: p99 of each second", "ms", LatencySeries(rows, call => call.P99Ms));
            Figure(html, "chart-errors", "Errors, timeouts and reconnects per second", "per second", [
                new("errors", x, [.. rows.Select(r => Rate(r.Errors, r))]),
                new("timeouts", x, [.. rows.Select(r => Rate(r.Timeouts, r))]),
                new("reconnects", x, [.. rows.Select(r => Rate(r.Reconnects, r))])]);
            Figure(html, "chart-queue", "Offline-queue depth", "messages queued", [new("queued", x, [.. rows.Select(r => (double)r.OfflineQueueDepth)])]);
            for (var i = 0; i < storms.Count; i++)
            {
                var storm = storms[i];
                var around = rows.Where(r => r.Time >= storm.At - StormBefore && r.Time <= storm.At + StormAfter).ToList();
                if (around.Count == 0)
                {
                    continue;
                }
                Figure(html, string.Create(Inv, $"chart-storm-{i + 1}"), $"Recovery after {storm.Name} at {storm.At:HH:mm:ss}", "charge points", [
                    new("connected", [.. around.Select(r => (r.Time - storm.At).TotalSeconds)], [.. around.Select(r => (double)r.Connected)]),
                    new("booted", [.. around.Select(r => (r.Time - storm.At).TotalSeconds)], [.. around.Select(r => (double)r.Booted)])],
                    xLabel: "seconds since the event");
            }
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private sealed record Series(string Name, double[] X, double[] Y);

    private static List<Series> LatencySeries(IReadOnlyList<TimeSeriesRow> rows, Func<TimeSeriesCall, double?> pick) =>
        [.. rows.SelectMany(r => r.Calls.Where(call => pick(call) is not null).Select(call => (Row: r, Call: call)))
            .GroupBy(p => (p.Call.Action, p.Call.Direction, p.Call.OcppVersion))
            .OrderBy(g => g.Key.Action, StringComparer.Ordinal).ThenBy(g => g.Key.Direction, StringComparer.Ordinal).ThenBy(g => g.Key.OcppVersion, StringComparer.Ordinal)
            .Select(g => new Series(SeriesName(g.Key.Action, g.Key.Direction, g.Key.OcppVersion, rows),
                [.. g.Select(p => p.Row.ElapsedSeconds)], [.. g.Select(p => pick(p.Call)!.Value)]))];

    /// <summary>The action (with the direction when the CSMS called, and the version when the run mixed versions).</summary>
    private static string SeriesName(string action, string direction, string version, IReadOnlyList<TimeSeriesRow> rows)
    {
        var mixed = rows.SelectMany(r => r.Calls).Select(c => c.OcppVersion).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Skip(1).Any();
        var name = mixed && version.Length > 0 ? $"{action} {version}" : action;
        return direction == Directions.CpToCsms ? name : $"{name} ({direction})";
    }

    /// <summary>Per second; a row shorter than a second (the last) shows its count, not a rate blown up by a tiny interval.</summary>
    private static double Rate(long count, TimeSeriesRow row) => count / Math.Max(1.0, row.IntervalSeconds);

    private static void Figure(StringBuilder html, string id, string title, string yLabel, IReadOnlyList<Series> series, string xLabel = "seconds since the start")
    {
        html.Append("<figure class=\"chart\" id=\"").Append(id).Append("\"><figcaption>").Append(E(title)).Append("</figcaption>\n");
        if (series.Count == 0 || series.All(s => s.X.Length == 0))
        {
            html.Append("<p>No data.</p></figure>\n");
            return;
        }
        string svg;
        try
        {
            svg = Draw(series, yLabel, xLabel);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            // ScottPlot draws with SkiaSharp's native library; without it the tables are still worth having.
            html.Append("<p>Chart not drawn: the native drawing library (SkiaSharp) could not be loaded: ").Append(E(ex.Message)).Append("</p></figure>\n");
            return;
        }
        html.Append(svg).Append("\n</figure>\n");
    }

    private static string Draw(IReadOnlyList<Series> series, string yLabel, string xLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontFamily);
        foreach (var s in series.Where(s => s.X.Length > 0))
        {
            var line = plot.Add.Scatter(s.X, s.Y);
            line.LegendText = s.Name;
            line.LineWidth = 1.5f;
            line.MarkerSize = s.X.Length > 60 ? 0 : 3;
        }
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Margins(bottom: 0);
        var svg = plot.GetSvgXml(ChartWidth, ChartHeight);
        // Inline in HTML: no XML declaration.
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }

    /// <summary>
    /// Whether the machine has fonts to draw the charts' text with: SkiaSharp measures text with them, and without any
    /// (a slim container image) the charts come without axis labels, ticks or legend.
    /// </summary>
    public static bool FontsAvailable()
    {
        try
        {
            return SkiaSharp.SKFontManager.Default.FontFamilyCount > 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            return false;
        }
    }

    private static void Section(StringBuilder html, string title, string id) =>
        html.Append("<h2 id=\"section-").Append(id).Append("\">").Append(E(title)).Append("</h2>\n");

    /// <summary>A table; the first <paramref name="textColumns"/> columns are left-aligned text. Every cell is escaped.</summary>
    private static void Table(StringBuilder html, string id, IReadOnlyList<string> header, IReadOnlyList<string[]> rows, int textColumns)
    {
        html.Append("<table id=\"").Append(id).Append("\">\n");
        if (header.Any(h => h.Length > 0))
        {
            html.Append("<tr>");
            for (var i = 0; i < header.Count; i++)
            {
                html.Append(i < textColumns ? "<th class=\"text\">" : "<th>").Append(E(header[i])).Append("</th>");
            }
            html.Append("</tr>\n");
        }
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                html.Append(i < textColumns ? "<td class=\"text\">" : "<td>").Append(E(row[i])).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    /// <summary>The target without user info or query (either may carry a secret).</summary>
    private static string Describe(Uri target) => target.IsAbsoluteUri ? target.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : target.ToString();

    private static string Version() =>
        typeof(HtmlReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(long value) => value.ToString("N0", Inv);

    private static string N(double value, string format) => value.ToString(format, Inv);

    private static string Ms(double value) => value.ToString("0.00", Inv);
}
