using System.Diagnostics;
using System.Text.Json.Nodes;
using Simulator.Metrics;
using Xunit.Abstractions;
using static Simulator.Cluster.Tests.ClusterHarness;

namespace Simulator.Cluster.Tests;

/// <summary>
/// The coordinator leaving a clustered run (issue #9): terminated, it ends the run on every node gracefully; killed, the
/// workers find it gone and end their part by themselves. Real processes on loopback: the CSMS, a coordinator and two
/// workers; 300 charge points on a 60 s profile, so that an early end is plain.
/// </summary>
public sealed class CoordinatorLeavesTests(ITestOutputHelper output) : IDisposable
{
    private const int FleetSize = 300;
    private const string Duration = "60s";
    private const string WorkerPartEnded = "This node's part ended: ";
    private readonly ClusterHarness _harness = new(output);

    [Fact]
    public async Task A_terminated_coordinator_ends_the_run_on_every_node_and_writes_the_report()
    {
        var cluster = await StartBootedClusterAsync();

        var signalled = Stopwatch.StartNew();
        output.WriteLine($"SIGTERM to the coordinator (pid {cluster.Coordinator.Id})");
        cluster.Coordinator.Terminate();

        await cluster.Coordinator.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"coordinator exited {cluster.Coordinator.ExitCode} after {signalled.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(ExitCodes.Aborted, cluster.Coordinator.ExitCode);
        await WaitForWorkersToExitAsync(cluster.Workers, signalled, TimeSpan.FromSeconds(30));
        foreach (var worker in cluster.Workers)
        {
            Assert.Equal(ExitCodes.Aborted, worker.ExitCode);
            Assert.Contains(worker.Lines, l => l.StartsWith(WorkerPartEnded + "interrupted", StringComparison.Ordinal));
        }

        var report = JsonNode.Parse(await File.ReadAllTextAsync(cluster.ReportFile))!;
        Assert.StartsWith("interrupted", report["abortReason"]?.GetValue<string>() ?? "(none)", StringComparison.Ordinal);
        Assert.True(report["durationSeconds"]!.GetValue<double>() < 50, $"the run lasted {report["durationSeconds"]} s of its {Duration}");
        var nodes = report["cluster"]!["nodes"]!.AsArray();
        Assert.Equal(3, nodes.Count);
        Assert.All(nodes, n => Assert.False(n!["failed"]!.GetValue<bool>(), $"{n!["node"]} counted as failed"));
        Assert.Empty(report["cluster"]!["failures"]!.AsArray());
        Assert.Equal(FleetSize, nodes.Sum(n => n!["bootedPeak"]!.GetValue<long>()));

        await AssertEveryChargePointDisconnectedAsync(cluster.Control);
    }

    [Fact]
    public async Task Workers_of_a_killed_coordinator_down_it_stop_their_charge_points_and_exit()
    {
        var cluster = await StartBootedClusterAsync();

        var killed = Stopwatch.StartNew();
        output.WriteLine($"SIGKILL to the coordinator (pid {cluster.Coordinator.Id})");
        cluster.Coordinator.Kill();

        await WaitForWorkersToExitAsync(cluster.Workers, killed, TimeSpan.FromSeconds(60));
        foreach (var worker in cluster.Workers)
        {
            Assert.Equal(ExitCodes.Aborted, worker.ExitCode);
            Assert.Contains(worker.Lines, l => l == WorkerPartEnded + "the coordinator left the cluster");
            // It stopped its own charge points (sessions end, sockets close) before leaving, rather than dropping them with the process.
            var lines = worker.Lines.ToList();
            var stopping = lines.FindIndex(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"Stopping the [1-9]\d* charge points hosted here"));
            Assert.True(stopping >= 0 && stopping < lines.IndexOf(WorkerPartEnded + "the coordinator left the cluster"), $"{worker.Name} did not stop its charge points first");
        }
        // The two workers are the majority of three: their split-brain resolver (on whichever is the leader) downs the
        // coordinator, rather than downing themselves.
        Assert.Contains(cluster.Workers.SelectMany(w => w.Lines), l => l.Contains("SBR took decision Akka.Cluster.SBR.DownUnreachable", StringComparison.Ordinal)
            && l.Contains($"is downing [akka.tcp://fleetsim@127.0.0.1:{cluster.CoordinatorPort}]", StringComparison.Ordinal));

        await AssertEveryChargePointDisconnectedAsync(cluster.Control);
    }

    private sealed record RunningCluster(HttpClient Control, FleetSimProcess Coordinator, int CoordinatorPort, FleetSimProcess[] Workers, string ReportFile);

    /// <summary>The CSMS, a coordinator and two workers, returned once every charge point is connected and booted at the CSMS.</summary>
    private async Task<RunningCluster> StartBootedClusterAsync()
    {
        var (csmsUrl, control) = await _harness.StartCsmsAsync();
        var profile = _harness.WriteProfile("coordinator-leaves", FleetSize, Duration, """
            behaviour:
              sessions:
                meanTimeBetweenSessions: 20s
                plugInDuration: {uniform: [4s, 8s]}
                energyNeed: {uniform: [1kWh, 2kWh]}
            """);
        var port = FreePort();
        var reportFile = Path.Combine(_harness.Directory, "report.json");
        var coordinator = _harness.Start("coordinator", "run", profile, "--target", csmsUrl.ToString(), "--cluster", "--port", port.ToString(), "--min-nodes", "3",
            "--nodes-timeout", "60s", "--report", reportFile);
        await coordinator.WaitForLineAsync(l => l.StartsWith("Cluster coordinator at", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        FleetSimProcess[] workers =
        [
            _harness.Start("worker-1", "node", "--seed", $"127.0.0.1:{port}", "--port", FreePort().ToString()),
            _harness.Start("worker-2", "node", "--seed", $"127.0.0.1:{port}", "--port", FreePort().ToString()),
        ];
        await coordinator.WaitForLineAsync(l => ElapsedOf(l) is not null, TimeSpan.FromSeconds(90));

        var deadline = Stopwatch.StartNew();
        var booted = 0;
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            booted = (await CsmsChargePointsAsync(control)).Count(c => c["connected"]!.GetValue<bool>() && c["booted"]!.GetValue<bool>());
            if (booted == FleetSize)
            {
                Assert.All(workers, w => Assert.False(w.HasExited, $"{w.Name} exited ({(w.HasExited ? w.ExitCode : 0)}) before the coordinator left"));
                return new RunningCluster(control, coordinator, port, workers, reportFile);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        throw new TimeoutException($"only {booted} of {FleetSize} charge points connected and booted at the CSMS within 60 s of the run's start");
    }

    private async Task WaitForWorkersToExitAsync(IEnumerable<FleetSimProcess> workers, Stopwatch since, TimeSpan timeout)
    {
        foreach (var worker in workers)
        {
            var left = timeout - since.Elapsed;
            await worker.WaitForExitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            output.WriteLine($"{worker.Name} exited {worker.ExitCode} after {since.Elapsed.TotalSeconds:0.0} s");
        }
    }

    /// <summary>
    /// Every charge point of the fleet is known to the CSMS, none is connected, and each connected exactly once: nothing was
    /// left hanging and nothing reconnected after the coordinator left. Polled: the CSMS notes a closed socket a moment later.
    /// </summary>
    private static async Task AssertEveryChargePointDisconnectedAsync(HttpClient control)
    {
        var deadline = Stopwatch.StartNew();
        List<JsonNode> chargePoints;
        while (true)
        {
            chargePoints = await CsmsChargePointsAsync(control);
            var connected = chargePoints.Count(c => c["connected"]!.GetValue<bool>());
            if (connected == 0)
            {
                break;
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.Fail($"{connected} charge point(s) still connected at the CSMS 20 s after every fleetsim node exited, e.g. " +
                    string.Join(", ", chargePoints.Where(c => c["connected"]!.GetValue<bool>()).Take(5).Select(c => c["chargeBoxId"])));
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        Assert.Equal(FleetSize, chargePoints.Count);
        Assert.All(chargePoints, c => Assert.Equal(1, c["connections"]!.GetValue<int>()));
    }

    public void Dispose() => _harness.Dispose();
}
