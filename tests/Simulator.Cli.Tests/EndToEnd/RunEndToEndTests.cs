using System.Diagnostics;
using Simulator.Csms;
using Simulator.Metrics;

namespace Simulator.Cli.Tests.EndToEnd;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliEndToEndGroup
{
    public const string Name = "CliEndToEnd";
}

/// <summary>The real <c>fleetsim run</c>: in-process through its entry point, or as a child process for signals.</summary>
[Collection(CliEndToEndGroup.Name)]
public sealed class RunEndToEndTests : IDisposable
{

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-e2e-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string ReportPath(string name) => Path.Combine(_dir.FullName, name);

    private static string Profile(string name, string duration, string target, int count, string extra = "", string idPattern = "E2E-{000}") => $"""
        name: {name}
        duration: {duration}
        target:
          url: {target}
        {(target == "embedded" ? "csms: {heartbeatInterval: 1s}" : "")}
        fleet:
          - name: ac
            count: {count}
            idPattern: {idPattern}
            connectors: 2
            configuration:
              MeterValueSampleInterval: "2"
        arrival: allAtOnce
        behaviour:
          sessions:
            meanTimeBetweenSessions: 2s
            plugInDuration: {"{uniform: [3s, 6s]}"}
            energyNeed: {"{uniform: [1kWh, 3kWh]}"}
        {extra}
        """;

    private static Task<int> RunInProcessAsync(params string[] args) => Program.Main(["run", .. args]);

    [Fact]
    public async Task A_short_run_writes_a_report_whose_counts_match_what_the_CSMS_received_and_exits_0()
    {
        await using var csms = new CsmsServer(new CsmsOptions { ControlPort = null, HeartbeatInterval = 1 });
        await csms.StartAsync();
        var profile = Write("short.yaml", Profile("short", "15s", csms.Url.ToString(), 10));
        var reportFile = ReportPath("short.json");

        var exit = await RunInProcessAsync(profile, "--report", reportFile, "--quiet");

        Assert.Equal(0, exit);
        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        Assert.Equal(10, report.FleetSize);
        var ledger = csms.Ledger.Report().Total;
        Assert.True(ledger.StartsDelivered > 0, "sessions ran");
        Assert.Equal(0, ledger.Resent);
        Assert.Equal(ledger.StartsDelivered, Action(report, "StartTransaction").Ok);
        Assert.Equal(ledger.StopsDelivered, Action(report, "StopTransaction").Ok);
        Assert.Equal(10, Action(report, "BootNotification").Ok);
        Assert.Equal(10, csms.Registry.Snapshot().Count(s => s.Booted));
        Assert.Equal(ledger.StartsDelivered, report.Sessions.Started);
        // Stopped charge points said goodbye with a close frame rather than dropping the connection.
        for (var waited = 0; waited < 100 && csms.Registry.Snapshot().Any(s => s.Connected); waited++)
        {
            await Task.Delay(50);
        }
        Assert.All(csms.Registry.Snapshot(), s => Assert.Equal("closed by the charge point: NormalClosure charge point stopped", s.LastDisconnect));
    }

    private static ActionReport Action(RunReport report, string action)
        => report.Actions.SingleOrDefault(a => a.Action == action && a.Direction == Directions.CpToCsms)
           ?? throw new Xunit.Sdk.XunitException($"no {action} in the report: {string.Join(", ", report.Actions.Select(a => $"{a.Action}/{a.Direction}"))}");

    [Fact]
    public async Task A_failing_threshold_exits_99_and_the_report_still_has_a_clean_loss_check()
    {
        var profile = Write("fail.yaml", Profile("fail", "6s", "embedded", 5, """
            thresholds:
              - "p99 Heartbeat < 0.001ms"
            """));
        var reportFile = ReportPath("fail.json");

        var exit = await RunInProcessAsync(profile, "--report", reportFile, "--quiet");

        Assert.Equal(99, exit);
        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        var threshold = Assert.Single(report.Thresholds);
        Assert.False(threshold.Passed);
        Assert.NotNull(report.LossCheck);
        Assert.Equal(0, report.LossCheck!.Lost);
    }

    [Fact]
    public async Task An_invalid_profile_exits_104()
    {
        var profile = Write("invalid.yaml", Profile("invalid", "10s", "embedded", 5).Replace("count: 5", "count: many", StringComparison.Ordinal));
        Assert.Equal(104, await RunInProcessAsync(profile, "--quiet"));
        Assert.Equal(104, await RunInProcessAsync(Path.Combine(_dir.FullName, "missing.yaml"), "--quiet"));
    }

    [Fact]
    public async Task A_built_in_profile_runs_by_its_name()
    {
        var reportFile = ReportPath("smoke.json");

        var exit = await RunInProcessAsync("smoke", "--count", "4", "--duration", "15s", "--report", reportFile, "--quiet");

        Assert.Equal(0, exit);
        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        Assert.Equal("smoke", report.Profile);
        Assert.Equal(4, report.FleetSize);
        Assert.Equal(4, Action(report, "BootNotification").Ok);
    }

    [Fact]
    public async Task A_fleet_larger_than_the_open_file_limit_is_refused_before_it_starts_with_104()
    {
        var limit = OpenFileBudget.ProcessLimit();
        Assert.NotNull(limit);
        var profile = Write("huge.yaml", Profile("huge", "10s", "ws://127.0.0.1:9/ocpp", 5));
        var error = new StringWriter();
        var before = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(104, await RunInProcessAsync(profile, "--count", (limit!.Value + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--quiet"));
        }
        finally
        {
            Console.SetError(before);
        }
        Assert.Contains("(ulimit -n)", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("spread the fleet over several nodes (--cluster)", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_abortOnFail_threshold_ends_the_run_early_with_105()
    {
        var profile = Write("abort.yaml", Profile("abort", "2m", "embedded", 5, """
            thresholds:
              - threshold: "p99 BootNotification < 0.001ms"
                abortOnFail: true
            """));
        var reportFile = ReportPath("abort.json");
        var clock = Stopwatch.StartNew();

        var exit = await RunInProcessAsync(profile, "--report", reportFile, "--quiet");

        Assert.Equal(105, exit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the 2-minute run was not cut short ({clock.Elapsed})");
        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        Assert.False(Assert.Single(report.Thresholds).Passed);
    }

    [Fact]
    public async Task Ctrl_C_mid_run_stops_the_sessions_writes_the_report_and_exits_105()
    {
        var profile = Write("sigint.yaml", Profile("sigint", "45s", "embedded", 5).Replace("plugInDuration: {uniform: [3s, 6s]}", "plugInDuration: {uniform: [60s, 90s]}", StringComparison.Ordinal)
            .Replace("meanTimeBetweenSessions: 2s", "meanTimeBetweenSessions: 1s", StringComparison.Ordinal));
        var reportFile = ReportPath("sigint.json");
        var fleetsim = Path.Combine(AppContext.BaseDirectory, "fleetsim.dll");
        Assert.True(File.Exists(fleetsim), $"{fleetsim} is missing");

        // A small shell starts fleetsim, lets it run with sessions charging, then sends it SIGINT with kill -INT, as Ctrl+C would.
        // The shell does the kill because the pid this test host sees for a child need not be the one 'kill' sees. A background
        // job gets SIGINT as ignored (and .NET keeps an inherited SIG_IGN for SIGINT), so env gives it back its default first.
        const string script = """
            env --default-signal=INT dotnet "$0" run "$1" --report "$2" --quiet &
            pid=$!
            sleep 7
            if ! kill -0 "$pid"; then echo "fleetsim ended before the interrupt" >&2; wait "$pid"; exit 90; fi
            kill -INT "$pid"
            wait "$pid"
            """;
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", script, fleetsim, profile, reportFile })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40)))
        {
            try
            {
                // The profile runs 45 s: an exit well before that is the interrupt's doing.
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("fleetsim did not end after SIGINT (the 45 s run was still going 40 s after it started)");
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 105, $"exit code {process.ExitCode}; output:\n{output}");
        Assert.True(File.Exists(reportFile), "the report was written:\n" + output);
        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        Assert.True(report.Sessions.Started > 0, "sessions were running when Ctrl+C came");
        // Every session that started was stopped and its StopTransaction delivered; nothing lost.
        Assert.Equal(Action(report, "StartTransaction").Ok, Action(report, "StopTransaction").Ok);
        Assert.NotNull(report.LossCheck);
        Assert.Equal(0, report.LossCheck!.Lost);
    }
}
