using System.Text.Json;
using Simulator.Metrics;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>
/// Real runs of <c>fleetsim run</c> against the embedded CSMS: the loss check after the drain, the phases and thresholds
/// judged per phase, a slow ramp under an abortOnFail connection threshold, and where the first heartbeats fall.
/// </summary>
[Collection(CliEndToEndGroup.Name)]
public sealed class PhasesAndLossTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-phases-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private static Task<int> RunAsync(params string[] args) => Program.Main(["run", .. args]);

    private static string Charging(string name, string duration, string drain, int count, string extra) => $$"""
        name: {{name}}
        duration: {{duration}}
        drain: {{drain}}
        target:
          url: embedded
        fleet:
          - name: ac
            count: {{count}}
            idPattern: {{name.ToUpperInvariant()}}-{000}
            connectors: 1
            configuration:
              MeterValueSampleInterval: "1"
        arrival: allAtOnce
        behaviour:
          sessions:
            meanTimeBetweenSessions: 1s
            plugInDuration: 60s
            energyNeed: 5kWh
        {{extra}}
        """;

    [Fact]
    public async Task A_late_black_hole_leaves_messages_still_queued_not_lost_and_the_run_passes()
    {
        // The CSMS swallows every call from 5 s on: what the charge points send then is never recorded and stays queued
        // (in flight, unanswered), and the StopTransactions of the end queue behind it until the drain is over.
        var profile = Write("blackhole.yaml", Charging("bh", "8s", "3s", 5, """
            timeline:
              - {at: 5s, event: csms-blackhole, for: 30s}
            thresholds:
              - "lost == 0"
              - "stillQueued >= 1"
            """));
        var reportFile = PathOf("blackhole.json");

        var exit = await RunAsync(profile, "--report", reportFile, "--quiet");

        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        var loss = report.LossCheck ?? throw new Xunit.Sdk.XunitException("no loss check in the report");
        Assert.True(loss.StillQueued > 0, $"nothing still queued: {loss}");
        Assert.Equal(0, loss.Lost);
        Assert.Equal(loss.Produced, loss.Delivered + loss.StillQueued + loss.GivenUp + loss.Lost);
        Assert.True(loss.Delivered > 0, "sessions delivered messages before the black hole");
        Assert.All(report.Thresholds, t => Assert.True(t.Passed, $"{t.Expression}: {t.Actual}"));
        Assert.Equal(0, exit);
        Assert.Equal([RunPhaseNames.RampUp, RunPhaseNames.Steady, RunPhaseNames.Drain], report.Phases.Select(p => p.Name));
        // The drain lasted its 3 s: the queues could not empty into a black hole.
        Assert.InRange(report.Phases[^1].DurationSeconds, 2.5, 10);
    }

    [Fact]
    public async Task A_threshold_judges_the_steady_phase_unless_it_names_the_drain()
    {
        // Sessions outlast the run: every StopTransaction is sent when the run stops, in the drain.
        var profile = Write("drain.yaml", Charging("dr", "6s", "5s", 4, """
            thresholds:
              - "p99 StopTransaction < 10s during drain"
              - "p99 StopTransaction < 10s during steady"
              - "p99 StopTransaction < 10s"
              - "errors MeterValues == 0"
            """));
        var reportFile = PathOf("drain.json");

        var exit = await RunAsync(profile, "--report", reportFile, "--quiet");

        Assert.Equal(99, exit);
        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        var drain = report.Phases.Single(p => p.Name == RunPhaseNames.Drain);
        var steady = report.Phases.Single(p => p.Name == RunPhaseNames.Steady);
        var stops = drain.Actions.Single(a => a.Action == "StopTransaction");
        Assert.Equal(report.Sessions.Started, stops.Count);
        Assert.True(stops.Count > 0, "sessions ran");
        Assert.DoesNotContain(steady.Actions, a => a.Action == "StopTransaction");
        Assert.Contains(steady.Actions, a => a.Action == "MeterValues" && a.Count > 0);
        Assert.Equal(report.Actions.Single(a => a.Action == "MeterValues").Count, report.Phases.Sum(p => p.Actions.SingleOrDefault(a => a.Action == "MeterValues")?.Count ?? 0));

        var byExpression = report.Thresholds.ToDictionary(t => t.Expression);
        Assert.True(byExpression["p99 StopTransaction < 10s during drain"].Passed);
        var steadyOnly = byExpression["p99 StopTransaction < 10s during steady"];
        Assert.False(steadyOnly.Passed);
        Assert.Equal("no calls of StopTransaction in the steady phase", steadyOnly.Actual);
        var byDefault = byExpression["p99 StopTransaction < 10s"];
        Assert.True(byDefault.Passed);
        Assert.EndsWith("(whole run: none in the steady phase)", byDefault.Actual, StringComparison.Ordinal);
        Assert.True(byExpression["errors MeterValues == 0"].Passed);
    }

    [Fact]
    public async Task A_ramp_of_about_20_seconds_does_not_trip_an_abortOnFail_connection_threshold()
    {
        // 10 charge points at 30 a minute: the last starts after 18 s. Before, "connected >= 99%" aborted this after a second.
        var profile = Write("ramp.yaml", """
            name: slow-ramp
            duration: 24s
            drain: 2s
            target:
              url: embedded
            fleet:
              - name: ac
                count: 10
                idPattern: RAMP-{000}
            arrival: {rate: 30/m}
            thresholds:
              - threshold: "connected >= 99%"
                abortOnFail: true
              - "booted >= 99%"
            """);
        var reportFile = PathOf("ramp.json");

        var exit = await RunAsync(profile, "--report", reportFile, "--quiet");

        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        Assert.Null(report.AbortReason);
        Assert.Equal(0, exit);
        var ramp = report.Phases.Single(p => p.Name == RunPhaseNames.RampUp);
        var steady = report.Phases.Single(p => p.Name == RunPhaseNames.Steady);
        Assert.InRange(ramp.DurationSeconds, 17, 23);
        Assert.True(ramp.Connected.Min < 5, $"the ramp began with few connected (min {ramp.Connected.Min})");
        Assert.Equal(10, steady.Connected.Min);
        var connected = report.Thresholds.Single(t => t.Expression == "connected >= 99%");
        Assert.True(connected.Passed);
        Assert.StartsWith("mean in the steady phase 100%", connected.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public async Task First_heartbeats_are_spread_over_the_interval_unless_the_profile_asks_for_lockstep()
    {
        var spread = await FirstHeartbeatsAsync("spread", "");
        var lockstep = await FirstHeartbeatsAsync("lockstep", "periodic: lockstep");

        Assert.Equal(10, spread.Times.Count);
        Assert.Equal(10, lockstep.Times.Count);
        Assert.Equal("spread", spread.Report.Periodic);
        Assert.Equal("lockstep", lockstep.Report.Periodic);
        // Booted together: in lockstep the first heartbeats come within a moment of each other a full interval later; spread,
        // they fall over the 8 s interval.
        var lockstepSpan = lockstep.Times.Max() - lockstep.Times.Min();
        var spreadSpan = spread.Times.Max() - spread.Times.Min();
        Assert.True(lockstepSpan < TimeSpan.FromSeconds(1.5), $"lockstep heartbeats spanned {lockstepSpan}");
        Assert.True(spreadSpan > TimeSpan.FromSeconds(3), $"spread heartbeats spanned only {spreadSpan}");
        var spreadFirst = spread.Times.Min() - spread.Start;
        var lockstepFirst = lockstep.Times.Min() - lockstep.Start;
        Assert.True(lockstepFirst > TimeSpan.FromSeconds(8), $"the first lockstep heartbeat came {lockstepFirst} after the start");
        Assert.True(spreadFirst < lockstepFirst - TimeSpan.FromSeconds(2), $"the first spread heartbeat came {spreadFirst} after the start");
    }

    private async Task<(RunReport Report, List<DateTimeOffset> Times, DateTimeOffset Start)> FirstHeartbeatsAsync(string name, string periodic)
    {
        var profile = Write($"{name}.yaml", $$"""
            name: {{name}}
            duration: 10s
            drain: 1s
            target:
              url: embedded
            csms: {heartbeatInterval: 8s}
            fleet:
              - name: ac
                count: 10
                idPattern: HB-{000}
            {{periodic}}
            """);
        var reportFile = PathOf($"{name}.json");
        var traceFile = PathOf($"{name}.jsonl");

        Assert.Equal(0, await RunAsync(profile, "--report", reportFile, "--trace", traceFile, "--quiet"));

        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        var first = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(traceFile))
        {
            using var frame = JsonDocument.Parse(line);
            var root = frame.RootElement;
            if (root.GetProperty("direction").GetString() == "out" && root.GetProperty("text").GetString()!.Contains("\"Heartbeat\"", StringComparison.Ordinal))
            {
                first.TryAdd(root.GetProperty("chargePointId").GetString()!, root.GetProperty("time").GetDateTimeOffset());
            }
        }
        return (report, [.. first.Values], report.Start);
    }
}
