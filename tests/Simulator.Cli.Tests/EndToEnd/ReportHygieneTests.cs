using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Simulator.Metrics;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>
/// A real <c>fleetsim run</c> as a child process (a pipe, so the summary takes the 80-column default): the report says how
/// to reproduce the run without a secret in it, names every field in camelCase, and the summary fits 80 columns and ends
/// with the verdict.
/// </summary>
[Collection(CliEndToEndGroup.Name)]
public sealed partial class ReportHygieneTests : IDisposable
{
    private const string Key = "00112233445566778899aabbccddeeff";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-hygiene-");

    /// <summary>Objects whose keys are data (label values, OCPP configuration keys), not field names.</summary>
    private static readonly HashSet<string> DataKeyed = new(StringComparer.Ordinal)
    {
        "errorsByCode", "attemptsByResult", "securityEvents", "fileTransfers", "failedAttemptsByResult", "configuration",
    };

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task A_run_report_says_how_to_reproduce_it_in_camelCase_and_the_summary_fits_80_columns_and_ends_with_the_verdict()
    {
        var profile = Path.Combine(_dir.FullName, "hygiene.yaml");
        await File.WriteAllTextAsync(profile, """
            name: hygiene
            duration: 9s
            target:
              url: embedded
            csms: {heartbeatInterval: 1s}
            fleet:
              - name: ac
                count: 10
                idPattern: HYG-{000}
                connectors: 2
                bootOnReconnect: true
                reconnect: {policy: fixed, interval: 1s}
            arrival: allAtOnce
            behaviour:
              sessions:
                meanTimeBetweenSessions: 1s
                plugInDuration: {uniform: [2s, 3s]}
                energyNeed: {uniform: [1kWh, 2kWh]}
            timeline:
              - {at: 3s, event: csms-restart, for: 2s, refusal: tcp}
            thresholds:
              - "errors < 50%"
              - "p99 Heartbeat < 0.001ms"
              - "reconnected >= 100%"
              - "p99 reconnectTime < 8s"
            """);
        var reportFile = Path.Combine(_dir.FullName, "hygiene.json");
        using var run = new FleetSimChild(new Dictionary<string, string?> { ["COLUMNS"] = null },
            "run", profile, "--security-profile", "1", "--authorization-key", Key, "--seed", "7", "--report", reportFile, "--quiet", "--metrics-port", "0", "--linger", "1s");
        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.True(exit == ExitCodes.ThresholdFailed, $"exit {exit}:\n{run.Output}");
        var json = await File.ReadAllTextAsync(reportFile);
        Assert.DoesNotContain(Key, json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key, run.Output, StringComparison.OrdinalIgnoreCase);

        // Reproducibility.
        var report = RunReport.FromJson(json);
        Assert.Equal(2, report.SchemaVersion);
        Assert.Equal(exit, report.ExitCode);
        Assert.False(report.Passed);
        Assert.Matches("^[0-9]+\\.[0-9]+", report.FleetSim!.Version);
        Assert.Matches("^([0-9a-f]{40}|unknown)$", report.FleetSim.Commit);
        Assert.Equal(["fleetsim", "run", profile, "--security-profile", "1", "--authorization-key", "***", "--seed", "7", "--report", reportFile, "--quiet", "--metrics-port", "0", "--linger", "1s"], report.CommandLine);
        Assert.Equal(7, report.Seed);
        var target = Assert.Single(report.Targets);
        Assert.StartsWith("ws://127.0.0.1:", target, StringComparison.Ordinal);
        Assert.Equal(Environment.ProcessorCount, report.Machine!.ProcessorCount);
        Assert.True(report.Machine.MemoryBytes > 0);
        Assert.False(string.IsNullOrEmpty(report.Machine.Os));
        Assert.Equal(1, report.NodeCount);
        Assert.True(report.End > report.Start);
        var resolved = report.ResolvedProfile!.Value;
        Assert.Equal("hygiene", resolved.GetProperty("name").GetString());
        Assert.Equal("9s", resolved.GetProperty("duration").GetString());
        Assert.Equal(10, resolved.GetProperty("types")[0].GetProperty("count").GetInt32());
        Assert.Equal(1, resolved.GetProperty("target").GetProperty("security").GetProperty("profile").GetInt32());
        Assert.Equal("***", resolved.GetProperty("target").GetProperty("security").GetProperty("authorizationKey").GetString());
        Assert.Equal(4, resolved.GetProperty("thresholds").GetArrayLength());

        // One naming style: every field name camelCase, the storms' figures included.
        using var doc = JsonDocument.Parse(json);
        var notCamel = new List<string>();
        CollectNames(doc.RootElement, "$", notCamel);
        Assert.True(notCamel.Count == 0, "not camelCase: " + string.Join(", ", notCamel));
        var storm = Assert.Single(report.Storms, s => s.Name == "csms-restart");
        Assert.Equal(10, storm.Figures[StormFigures.Affected]);
        Assert.Equal(0, storm.Figures[StormFigures.NeverReconnected]);
        Assert.Contains(StormFigures.SecondsTo(100, "connected"), storm.Figures.Keys);
        // The storm's own thresholds judge it: every charge point it disconnected came back, and soon.
        var reconnected = Assert.Single(report.Thresholds, t => t.Expression == "reconnected >= 100%");
        Assert.True(reconnected.Passed, reconnected.Actual);
        Assert.Matches("^csms-restart at [0-9:]{8} 100% \\(10 of 10\\)$", reconnected.Actual);
        var reconnectTime = Assert.Single(report.Thresholds, t => t.Expression == "p99 reconnectTime < 8s");
        Assert.True(reconnectTime.Passed, reconnectTime.Actual);
        Assert.Matches("^csms-restart at [0-9:]{8} [0-9.]+m?s$", reconnectTime.Actual);

        // The summary: at most 80 columns, no latency of nothing, rows in a stable order, the verdict last.
        var lines = run.Stdout.ToList();
        var first = lines.FindIndex(l => l.StartsWith("run ", StringComparison.Ordinal));
        Assert.True(first >= 0, run.Output);
        var summary = lines[first..];
        Assert.All(summary.Where(l => !l.Contains(_dir.FullName, StringComparison.Ordinal)), l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.DoesNotContain(summary, l => l.Contains("0.00ms", StringComparison.Ordinal));
        Assert.Contains(summary, l => l.EndsWith("tls n/a", StringComparison.Ordinal));
        var rows = summary.SkipWhile(l => l != "cp_to_csms:").Skip(1).TakeWhile(l => !l.StartsWith('-')).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(rows.Order(StringComparer.Ordinal), rows);
        Assert.Equal(report.Actions.Where(a => a.Direction == Directions.CpToCsms && a.Count > 0).Select(a => a.Action).Order(StringComparer.Ordinal), rows);
        Assert.Contains(summary, l => ConnectorsCharging().Match(l) is { Success: true } m && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is > 0 and <= 20);
        Assert.Contains(summary, l => l.StartsWith("storm csms-restart at ", StringComparison.Ordinal) && l.Contains("affected 10", StringComparison.Ordinal));
        var linger = summary.FindIndex(l => l == "/metrics stays up 1s after the run for a final scrape (--linger 0: none)");
        Assert.True(linger >= 0, run.Output);
        var verdict = summary[^1];
        Assert.Equal(summary.Count - 2, linger);
        Assert.Matches(@"^FAILED \(exit 99\), [0-9.]+ msg/s: threshold failed: p99 Heartbeat < 0\.001ms$", verdict);
        Assert.Equal(1, summary.Count(l => l.StartsWith("FAILED", StringComparison.Ordinal) || l.StartsWith("PASSED", StringComparison.Ordinal)));
        Assert.True(report.Messages.Sent > 0 && report.Messages.Received > 0 && report.Messages.PerSecond > 0);
    }

    [Fact]
    public async Task A_linger_that_is_not_a_duration_exits_104()
    {
        var profile = Path.Combine(_dir.FullName, "linger.yaml");
        await File.WriteAllTextAsync(profile, """
            name: linger
            duration: 5s
            target: {url: embedded}
            fleet:
              - {name: ac, count: 1, idPattern: "LIN-{0}"}
            arrival: allAtOnce
            """);
        using var run = new FleetSimChild("run", profile, "--linger", "soon");
        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(ExitCodes.InvalidArguments, exit);
        Assert.Contains(run.Stderr, l => l.StartsWith("--linger: 'soon' is not a duration", StringComparison.Ordinal));
    }

    private static void CollectNames(JsonElement element, string path, List<string> notCamel)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                var here = $"{path}.{property.Name}";
                if (!CamelCase().IsMatch(property.Name))
                {
                    notCamel.Add(here);
                }
                if (DataKeyed.Contains(property.Name))
                {
                    // Keys are label values; what is under them is numbers or objects of numbers keyed the same way.
                    continue;
                }
                CollectNames(property.Value, here, notCamel);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                CollectNames(item, $"{path}[{i++}]", notCamel);
            }
        }
    }

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex CamelCase();

    [GeneratedRegex(@"connectors charging at peak (\d+) of 20")]
    private static partial Regex ConnectorsCharging();
}
