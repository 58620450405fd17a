using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Simulator.Cluster.Tests;

/// <summary>
/// A real cluster on loopback: the CSMS, a coordinator and two workers, each its own <c>dotnet fleetsim.dll</c> process,
/// 1,500 charge points. Every process is killed (by its id) when the test ends, whatever happened.
/// </summary>
public sealed class MultiProcessTests(ITestOutputHelper output) : IDisposable
{
    private const int FleetSize = 1500;
    private readonly List<FleetSimProcess> _processes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("fleetsim-cluster-").FullName;

    [Fact]
    public async Task Three_nodes_share_the_fleet_and_the_merged_report_matches_the_CSMS()
    {
        var (csmsUrl, control) = await StartCsmsAsync();
        var profile = WriteProfile("light-sessions", """
            behaviour:
              sessions:
                meanTimeBetweenSessions: 20s
                plugInDuration: {uniform: [4s, 8s]}
                energyNeed: {uniform: [1kWh, 2kWh]}
            """);
        var (coordinator, report) = await RunClusterAsync(profile, csmsUrl, killWorkerAfter: null);

        Assert.Equal(0, coordinator.ExitCode);
        var cluster = report["cluster"]!;
        var nodes = cluster["nodes"]!.AsArray();
        Assert.Equal(3, nodes.Count);
        Assert.All(nodes, n => Assert.True(n!["bootNotifications"]!.GetValue<long>() > FleetSize / 6, $"{n!["node"]} holds too small a share: {n.ToJsonString()}"));
        Assert.Empty(cluster["failures"]!.AsArray());
        Assert.Equal(FleetSize, nodes.Sum(n => n!["bootNotifications"]!.GetValue<long>()));

        var chargePoints = await CsmsChargePointsAsync(control);
        Assert.Equal(FleetSize, chargePoints.Count(c => c["booted"]!.GetValue<bool>()));
        Assert.Equal(FleetSize, chargePoints.Sum(c => c["connections"]!.GetValue<int>()));
        Assert.Equal(FleetSize, Count(report, "BootNotification"));

        var ledger = await control.GetFromJsonNodeAsync("ledger");
        var starts = Count(report, "StartTransaction");
        Assert.True(starts > 0, "no session started");
        Assert.Equal(starts, ledger["total"]!["startsDelivered"]!.GetValue<long>());
        Assert.Equal(Count(report, "StopTransaction"), ledger["total"]!["stopsDelivered"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_worker_killed_mid_run_hands_its_charge_points_to_the_others_and_the_report_accounts_for_them()
    {
        var (csmsUrl, control) = await StartCsmsAsync();
        var profile = WriteProfile("idle", "behaviour: idle\n");
        var (coordinator, report) = await RunClusterAsync(profile, csmsUrl, killWorkerAfter: TimeSpan.FromSeconds(10));

        Assert.Equal(0, coordinator.ExitCode);
        var cluster = report["cluster"]!;
        var failure = Assert.Single(cluster["failures"]!.AsArray())!;
        var interrupted = failure["chargePointsInterrupted"]!.GetValue<long>();
        Assert.True(interrupted > FleetSize / 6, $"the killed worker held {interrupted} charge points");
        Assert.NotNull(failure["unreachableAt"]?.GetValue<DateTimeOffset>());

        // Every charge point is booted at the CSMS at the end; the moved ones connected (and booted) a second time.
        var chargePoints = await CsmsChargePointsAsync(control);
        Assert.Equal(FleetSize, chargePoints.Count);
        Assert.Equal(FleetSize, chargePoints.Count(c => c["booted"]!.GetValue<bool>()));
        var moved = chargePoints.Count(c => c["connections"]!.GetValue<int>() == 2);
        Assert.Equal(FleetSize, chargePoints.Count(c => c["connections"]!.GetValue<int>() == 1) + moved);
        Assert.Equal(interrupted, moved);
        Assert.Equal(FleetSize + interrupted, Count(report, "BootNotification"));
        var survivors = cluster["nodes"]!.AsArray().Where(n => !n!["failed"]!.GetValue<bool>()).ToList();
        Assert.Equal(2, survivors.Count);
        Assert.Equal(FleetSize, survivors.Sum(n => n!["bootedPeak"]!.GetValue<long>()));
    }

    /// <summary>The run's elapsed time on a plain progress line, "[mm:ss] connected ...".</summary>
    private static TimeSpan? ElapsedOf(string line)
        => System.Text.RegularExpressions.Regex.Match(line, @"^\[(\d\d):(\d\d)\] connected") is { Success: true } m
            ? TimeSpan.FromSeconds((int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 60) + int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            : null;

    private static long Count(JsonNode report, string action)
        => report["actions"]!.AsArray().Where(a => a!["action"]!.GetValue<string>() == action).Sum(a => a!["ok"]!.GetValue<long>());

    private async Task<(FleetSimProcess Coordinator, JsonNode Report)> RunClusterAsync(string profile, Uri csmsUrl, TimeSpan? killWorkerAfter)
    {
        var port = FreePort();
        var reportFile = Path.Combine(_directory, "report.json");
        var coordinator = Start("coordinator", "run", profile, "--target", csmsUrl.ToString(), "--cluster", "--port", port.ToString(), "--min-nodes", "3",
            "--nodes-timeout", "60s", "--report", reportFile);
        await coordinator.WaitForLineAsync(l => l.StartsWith("Cluster coordinator at", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var workers = new[]
        {
            Start("worker-1", "node", "--seed", $"127.0.0.1:{port}", "--port", FreePort().ToString()),
            Start("worker-2", "node", "--seed", $"127.0.0.1:{port}", "--port", FreePort().ToString()),
        };
        if (killWorkerAfter is { } after)
        {
            await coordinator.WaitForLineAsync(l => ElapsedOf(l) >= after, TimeSpan.FromSeconds(60));
            output.WriteLine($"killing worker-2 (pid {workers[1].Id})");
            workers[1].Kill();
        }
        await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(100));
        await workers[0].WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, workers[0].ExitCode);
        return (coordinator, JsonNode.Parse(await File.ReadAllTextAsync(reportFile))!);
    }

    private string WriteProfile(string name, string behaviour)
    {
        var path = Path.Combine(_directory, name + ".yaml");
        File.WriteAllText(path, $"""
            name: cluster-{name}
            duration: 35s
            target:
              url: ws://127.0.0.1:1/ocpp
            fleet:
              - name: ac
                count: {FleetSize}
                idPattern: CL-{"{0000}"}
                connectors: 1
                current: ac3
                maxPower: 11kW
                configuration:
                  HeartbeatInterval: "60"
                  MeterValueSampleInterval: "0"
            arrival: allAtOnce

            """ + behaviour);
        return path;
    }

    private async Task<(Uri Url, HttpClient Control)> StartCsmsAsync()
    {
        var csms = Start("csms", "csms", "--port", "0", "--control-port", "0", "--heartbeat-interval", "60");
        var listening = await csms.WaitForLineAsync(l => l.StartsWith("CSMS listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var controlLine = await csms.WaitForLineAsync(l => l.StartsWith("Control API on ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var url = new Uri(listening["CSMS listening on ".Length..].Split("<chargeBoxId>")[0]);
        return (url, new HttpClient { BaseAddress = new Uri(controlLine["Control API on ".Length..].Trim()) });
    }

    private static async Task<List<JsonNode>> CsmsChargePointsAsync(HttpClient control)
        => [.. (await control.GetFromJsonNodeAsync("chargepoints"))["chargePoints"]!.AsArray().Select(c => c!)];

    private FleetSimProcess Start(string name, params string[] arguments)
    {
        var process = new FleetSimProcess(name, FleetSimDll, arguments, output);
        _processes.Add(process);
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The fleetsim.dll built beside this test assembly's configuration (the project reference builds it first).</summary>
    private static string FleetSimDll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory); // tests/Simulator.Cluster.Tests/bin/<Configuration>/<tfm>/
            var framework = here.Name;
            var configuration = here.Parent!.Name;
            var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(root, "src", "Simulator.Cli", "bin", configuration, framework, "fleetsim.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/Simulator.Cli first", dll);
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>One child process with its output kept (and echoed to the test log) line by line.</summary>
    private sealed class FleetSimProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly SemaphoreSlim _newLine = new(0);

        public FleetSimProcess(string name, string dll, IReadOnlyList<string> arguments, ITestOutputHelper output)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(dll);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
            _process = new Process { StartInfo = start };
            void OnLine(object? _, DataReceivedEventArgs e)
            {
                if (e.Data is null)
                {
                    return;
                }
                _lines.Enqueue(e.Data);
                _newLine.Release();
                if (!e.Data.StartsWith("   at ", StringComparison.Ordinal))
                {
                    try
                    {
                        output.WriteLine($"[{name}] {e.Data}");
                    }
                    catch (InvalidOperationException)
                    {
                        // The test is over.
                    }
                }
            }
            _process.OutputDataReceived += OnLine;
            _process.ErrorDataReceived += OnLine;
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int Id => _process.Id;

        public int ExitCode => _process.ExitCode;

        public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            while (true)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }
                if (_process.HasExited && _newLine.CurrentCount == 0)
                {
                    throw new InvalidOperationException($"the process exited ({_process.ExitCode}) before printing the line waited for");
                }
                try
                {
                    await _newLine.WaitAsync(TimeSpan.FromMilliseconds(500), cancel.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"no such line within {timeout}");
                }
            }
        }

        public async Task WaitForExitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cancel.Token);
        }

        public void Kill() => _process.Kill(entireProcessTree: true);

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
            }
            _process.Dispose();
            _newLine.Dispose();
        }
    }
}

internal static class HttpClientJson
{
    public static async Task<JsonNode> GetFromJsonNodeAsync(this HttpClient client, string path)
        => JsonNode.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)))!;
}
