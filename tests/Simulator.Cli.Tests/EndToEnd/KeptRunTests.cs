using System.Globalization;
using System.Text.Json;
using Simulator.Metrics;
using Simulator.Metrics.TimeSeries;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>One short real run against the embedded CSMS that keeps everything: report, time series (CSV and JSON lines), HTML and a frame trace.</summary>
public sealed class KeptRun : IAsyncLifetime
{
    public const int FleetSize = 3;
    public const string TracedId = "KEEP-001";

    public DirectoryInfo Dir { get; } = Directory.CreateTempSubdirectory("fleetsim-keep-");
    public string ReportFile => Path.Combine(Dir.FullName, "run.json");
    public string CsvFile => Path.Combine(Dir.FullName, "series.csv");
    public string JsonLinesFile => Path.Combine(Dir.FullName, "series.jsonl");
    public string HtmlFile => Path.Combine(Dir.FullName, "run.html");
    public string TraceFile => Path.Combine(Dir.FullName, "trace.jsonl");
    public int ExitCode { get; private set; }
    public string Output { get; private set; } = "";
    public RunReport Report { get; private set; } = null!;
    public IReadOnlyList<TimeSeriesRow> Rows { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var profile = Path.Combine(Dir.FullName, "keep.yaml");
        await File.WriteAllTextAsync(profile, $$"""
            name: keep <it> & "share" it
            duration: 9s
            target:
              url: embedded
            csms: {heartbeatInterval: 1s}
            fleet:
              - name: ac
                count: {{FleetSize}}
                idPattern: KEEP-{000}
                connectors: 2
                configuration:
                  MeterValueSampleInterval: "1"
            arrival: allAtOnce
            behaviour:
              sessions:
                meanTimeBetweenSessions: 1s
                plugInDuration: {uniform: [2s, 4s]}
                energyNeed: {uniform: [1kWh, 3kWh]}
            thresholds:
              - "errors < 1000"
              - "p99 Heartbeat < 10s"
            """);
        var output = new StringWriter();
        var before = Console.Out;
        Console.SetOut(output);
        try
        {
            ExitCode = await Program.Main(["run", profile, "--quiet", "--report", ReportFile, "--out", CsvFile, "--out", JsonLinesFile, "--html",
                "--trace", TraceFile, "--trace-ids", TracedId]);
        }
        finally
        {
            Console.SetOut(before);
        }
        Output = output.ToString();
        Report = RunReport.FromJson(await File.ReadAllTextAsync(ReportFile));
        Rows = TimeSeriesWriter.FromJsonLines(await File.ReadAllTextAsync(JsonLinesFile));
    }

    public Task DisposeAsync()
    {
        Dir.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

[Collection(CliEndToEndGroup.Name)]
public sealed class KeptRunTests(KeptRun run) : IClassFixture<KeptRun>
{
    [Fact]
    public void The_run_passed_and_said_where_each_file_went()
    {
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Time series (", run.Output, StringComparison.Ordinal);
        Assert.Contains($"HTML report written to {run.HtmlFile}", run.Output, StringComparison.Ordinal);
        Assert.Contains("Frame trace: ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_time_series_rows_add_up_to_the_reports_totals()
    {
        Assert.True(run.Rows.Count >= 8, $"a row per second of a 9 s run, got {run.Rows.Count}");
        Assert.True(run.Report.Actions.Count >= 4, "boots, heartbeats, statuses and sessions ran");
        foreach (var action in run.Report.Actions)
        {
            var calls = run.Rows.SelectMany(r => r.Calls).Where(c => c.Action == action.Action && c.Direction == action.Direction).ToList();
            Assert.True(action.Count == calls.Sum(c => c.Count), $"{action.Action} {action.Direction}: report {action.Count}, rows {calls.Sum(c => c.Count)}");
            Assert.Equal(action.Errors, calls.Sum(c => c.Errors));
            Assert.Equal(action.Timeouts, calls.Sum(c => c.Timeouts));
        }
        Assert.Equal(run.Report.Totals.Errors, run.Rows.Sum(r => r.Errors));
        Assert.Equal(run.Report.Totals.Timeouts, run.Rows.Sum(r => r.Timeouts));
        Assert.Equal(run.Report.Connections.Reconnects, run.Rows.Sum(r => r.Reconnects));
        foreach (var (result, attempts) in run.Report.Connections.AttemptsByResult)
        {
            Assert.Equal(attempts, run.Rows.Sum(r => r.ConnectionAttempts.GetValueOrDefault(result)));
        }
        Assert.Equal(KeptRun.FleetSize, run.Rows.Max(r => r.Connected));
        Assert.Equal(KeptRun.FleetSize, run.Rows.Max(r => r.Booted));
        Assert.Contains(run.Rows, r => r.Calls.Any(c => c.Action == "Heartbeat" && c.P99Ms > 0));
        Assert.True(run.Rows.Sum(r => r.MessagesCpToCsms) >= run.Report.Totals.Count, "every CALL the charge points made was a message they sent");
        Assert.True(run.Rows.Zip(run.Rows.Skip(1)).All(p => p.Second.ElapsedSeconds >= p.First.ElapsedSeconds), "rows in time order");
    }

    [Fact]
    public async Task The_csv_holds_the_same_rows_with_a_column_per_action_figure()
    {
        var lines = (await File.ReadAllLinesAsync(run.CsvFile)).Where(l => l.Length > 0).ToList();
        Assert.Equal(run.Rows.Count + 1, lines.Count);
        var header = lines[0].Split(',');
        Assert.Equal(["elapsedSeconds", "intervalSeconds", "time", "connected", "booted", "charging"], header[..6]);
        var boots = Array.IndexOf(header, "BootNotification.cp_to_csms.count");
        Assert.True(boots > 0, lines[0]);
        var bootsInReport = run.Report.Actions.Single(a => a is { Action: "BootNotification", Direction: Directions.CpToCsms }).Count;
        Assert.Equal(bootsInReport, lines.Skip(1).Sum(l => long.Parse(l.Split(',')[boots], CultureInfo.InvariantCulture)));
        Assert.All(lines, l => Assert.Equal(header.Length, l.Split(',').Length));
    }

    [Fact]
    public async Task The_trace_holds_the_traced_charge_points_boot_call_and_its_answer_and_nothing_of_the_others()
    {
        var frames = (await File.ReadAllLinesAsync(run.TraceFile)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.NotEmpty(frames);
        Assert.All(frames, f => Assert.Equal(KeptRun.TracedId, f.GetProperty("chargePointId").GetString()));
        Assert.All(frames, f => Assert.True(f.GetProperty("time").GetDateTimeOffset() > DateTimeOffset.UnixEpoch));
        var boot = frames.Select(f => (Direction: f.GetProperty("direction").GetString(), Frame: JsonDocument.Parse(f.GetProperty("text").GetString()!).RootElement))
            .First(f => f.Direction == "out" && f.Frame[0].GetInt32() == 2 && f.Frame[2].GetString() == "BootNotification");
        var id = boot.Frame[1].GetString();
        Assert.Contains(frames, f => f.GetProperty("direction").GetString() == "in"
            && JsonDocument.Parse(f.GetProperty("text").GetString()!).RootElement is var answer && answer[0].GetInt32() == 3 && answer[1].GetString() == id);
        Assert.Contains(frames, f => f.GetProperty("text").GetString()!.Contains("\"Heartbeat\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_html_report_opens_in_headless_Chromium_without_errors_with_every_chart_drawn_and_the_runs_figures()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.LoadAsync(new Uri(run.HtmlFile));
        var page = JsonDocument.Parse(await browser.EvaluateAsync("""
            JSON.stringify({
              charts: [...document.querySelectorAll('figure.chart')].map(f => ({
                id: f.id,
                lines: [...f.querySelectorAll('path, polyline')].filter(p => {
                  const d = p.getAttribute('d') || p.getAttribute('points') || '';
                  return (d.match(/M/g) || []).length === 1 && (d.match(/L/g) || []).length >= 5;
                }).length,
                width: f.querySelector('svg') ? f.querySelector('svg').getBoundingClientRect().width : 0 })),
              title: document.querySelector('h1').textContent,
              injected: document.getElementsByTagName('it').length,
              verdict: document.getElementById('verdict').textContent,
              actions: [...document.querySelectorAll('#actions tr')].map(r => [...r.cells].map(c => c.textContent)),
              thresholds: [...document.querySelectorAll('#thresholds tr')].map(r => [...r.cells].map(c => c.textContent)),
              sessions: [...document.querySelectorAll('#sessions td')].map(c => c.textContent),
              scripts: document.scripts.length
            })
            """)).RootElement;

        Assert.True(browser.Errors.Count == 0, "console errors: " + string.Join(Environment.NewLine, browser.Errors));
        var charts = page.GetProperty("charts").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c);
        foreach (var id in Simulator.Cli.Reports.HtmlReport.ChartIds)
        {
            Assert.True(charts.TryGetValue(id, out var chart), $"chart {id} missing; have {string.Join(", ", charts.Keys)}");
            Assert.True(chart.GetProperty("lines").GetInt32() >= 1, $"chart {id} has no line of several points");
            Assert.True(chart.GetProperty("width").GetDouble() > 100, $"chart {id} is not laid out");
        }
        Assert.Equal("FleetSim run: keep <it> & \"share\" it", page.GetProperty("title").GetString());
        Assert.Equal(0, page.GetProperty("injected").GetInt32());
        Assert.Equal(0, page.GetProperty("scripts").GetInt32());
        Assert.Equal("Passed (exit code 0)", page.GetProperty("verdict").GetString());

        var actions = page.GetProperty("actions").EnumerateArray().Skip(1).Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToArray()).ToList();
        foreach (var action in run.Report.Actions.Where(a => a.Count > 0))
        {
            var row = actions.SingleOrDefault(r => r[0] == action.Action && r[1] == action.OcppVersion && r[2] == action.Direction);
            Assert.True(row is not null, $"{action.Action} {action.OcppVersion} {action.Direction} missing from the actions table");
            Assert.Equal("1.6", row[1]);
            Assert.Equal(action.Count.ToString("N0", CultureInfo.InvariantCulture), row[3]);
            Assert.Equal(action.Latency.P99Ms.ToString("0.00", CultureInfo.InvariantCulture), row[8]);
        }
        var thresholds = page.GetProperty("thresholds").EnumerateArray().Skip(1).Select(r => r.EnumerateArray().Select(c => c.GetString()!).ToArray()).ToList();
        Assert.Equal(run.Report.Thresholds.Select(t => (t.Expression, t.Actual, "pass")), thresholds.Select(t => (t[0], t[1], t[3])));
        Assert.Equal(run.Report.Sessions.Started.ToString("N0", CultureInfo.InvariantCulture), page.GetProperty("sessions")[0].GetString());
    }
}

[Collection(CliEndToEndGroup.Name)]
public sealed class ClusteredTimeSeriesTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-keep-cluster-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task A_clustered_runs_time_series_is_drawn_from_the_merged_statistics_and_adds_up_to_its_report()
    {
        var profile = Path.Combine(_dir.FullName, "cluster.yaml");
        await File.WriteAllTextAsync(profile, """
            name: keep-cluster
            duration: 6s
            target:
              url: embedded
            csms: {heartbeatInterval: 1s}
            fleet:
              - name: ac
                count: 4
                idPattern: KC-{000}
            arrival: allAtOnce
            """);
        var report = Path.Combine(_dir.FullName, "cluster.json");
        var series = Path.Combine(_dir.FullName, "cluster.jsonl");
        var port = Simulator.Tests.ListenPorts.Free();   // the cluster binds it later: not from the ephemeral range

        var exit = await Program.Main(["run", profile, "--quiet", "--cluster", "--port", port.ToString(CultureInfo.InvariantCulture), "--min-nodes", "1",
            "--report", report, "--out", series]);

        Assert.Equal(0, exit);
        var run = RunReport.FromJson(await File.ReadAllTextAsync(report));
        Assert.Equal(1, run.NodeCount);
        var rows = TimeSeriesWriter.FromJsonLines(await File.ReadAllTextAsync(series));
        Assert.True(rows.Count >= 5, $"a row per second, got {rows.Count}");
        Assert.Equal(4, rows.Max(r => r.Booted));
        foreach (var action in run.Actions)
        {
            Assert.Equal(action.Count, rows.SelectMany(r => r.Calls).Where(c => c.Action == action.Action && c.Direction == action.Direction).Sum(c => c.Count));
        }
        Assert.Contains(rows, r => r.Calls.Any(c => c.Action == "Heartbeat" && c.P50Ms is not null));
        Assert.Equal(run.Connections.Reconnects, rows.Sum(r => r.Reconnects));
    }
}
