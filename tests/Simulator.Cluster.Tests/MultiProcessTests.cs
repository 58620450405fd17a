using System.Text.Json.Nodes;
using Simulator.Csms;
using Xunit.Abstractions;
using static Simulator.Cluster.Tests.ClusterHarness;

namespace Simulator.Cluster.Tests;

/// <summary>
/// A real cluster on loopback: the CSMS, a coordinator and two workers, each its own <c>dotnet fleetsim.dll</c> process,
/// 1,500 charge points. Every process is killed (by its id) when the test ends, whatever happened.
/// </summary>
public sealed class MultiProcessTests(ITestOutputHelper output) : IDisposable
{
    private const int FleetSize = 1500;
    private readonly ClusterHarness _harness = new(output);

    [Fact]
    public async Task Three_nodes_share_the_fleet_and_the_merged_report_matches_the_CSMS()
    {
        var (csmsUrl, control) = await _harness.StartCsmsAsync();
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
        // Both workers left when the run was over, as planned: no failed-association warnings or errors about them.
        Assert.DoesNotContain(_harness.Processes.SelectMany(p => p.Lines), IsDisassociationNews);
    }

    [Fact]
    public async Task A_worker_killed_mid_run_hands_its_charge_points_to_the_others_and_the_report_accounts_for_them()
    {
        // An external CSMS named with --csms-control: the loss check, the dead node's part included, goes through its control API.
        var (csmsUrl, control) = await _harness.StartCsmsAsync();
        var profile = WriteProfile("sessions-kill", """
            behaviour:
              sessions:
                meanTimeBetweenSessions: 6s
                plugInDuration: {uniform: [2s, 4s]}
                energyNeed: {uniform: [1kWh, 2kWh]}
            """);
        var (coordinator, report) = await RunClusterAsync(profile, csmsUrl.ToString(), TimeSpan.FromSeconds(10), gracefully: false,
            ["--csms-control", control.BaseAddress!.ToString()],
            new Dictionary<string, string> { [ControlTokens.EnvironmentVariable] = control.DefaultRequestHeaders.Authorization!.Parameter! });

        Assert.Equal(0, coordinator.ExitCode);
        var loss = report["lossCheck"]!;
        output.WriteLine($"lossCheck: {loss.ToJsonString()}");
        Assert.Equal(0, loss["lost"]!.GetValue<long>());
        Assert.Null(loss["incomplete"]);
        var onFailed = loss["onFailedNodes"]!;
        var producedOnTheDeadNode = onFailed["produced"]!.GetValue<long>();
        Assert.True(producedOnTheDeadNode > 0, "the killed worker's charge points produced nothing the coordinator knew of");
        Assert.True(onFailed["delivered"]!.GetValue<long>() > 0, $"on failed nodes: {onFailed.ToJsonString()}");
        Assert.Equal(producedOnTheDeadNode, onFailed["delivered"]!.GetValue<long>() + onFailed["wentWithTheNode"]!.GetValue<long>());
        var cluster = report["cluster"]!;
        var failure = Assert.Single(cluster["failures"]!.AsArray())!;
        var interrupted = failure["chargePointsInterrupted"]!.GetValue<long>();
        Assert.True(interrupted > FleetSize / 6, $"the killed worker held {interrupted} charge points");
        Assert.NotNull(failure["unreachableAt"]?.GetValue<DateTimeOffset>());
        // A worker that went without leaving is news: the logger leaves out only the departures of nodes that left.
        Assert.Contains(coordinator.Lines, l => l.StartsWith("[WARNING]", StringComparison.Ordinal) && l.Contains("Marking node(s) as UNREACHABLE", StringComparison.Ordinal));

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

    [Fact]
    public async Task A_worker_stopped_with_SIGTERM_leaves_and_its_charge_points_start_again_on_the_others()
    {
        var (csmsUrl, control) = await _harness.StartCsmsAsync();
        var profile = WriteProfile("idle-leave", "behaviour: idle\n");
        var (coordinator, report) = await RunClusterAsync(profile, csmsUrl, stopWorkerAfter: TimeSpan.FromSeconds(10), gracefully: true);

        Assert.Equal(0, coordinator.ExitCode);
        var leaver = _harness.Processes.Single(p => p.Name == "worker-2");
        await leaver.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(105, leaver.ExitCode);
        Assert.Contains(leaver.Lines, l => l == "Interrupted; leaving the cluster.");
        // It left the cluster before its process ended: the report's failure says so, Akka.Remote's failed association does not.
        Assert.DoesNotContain(_harness.Processes.SelectMany(p => p.Lines), IsDisassociationNews);
        var failure = Assert.Single(report["cluster"]!["failures"]!.AsArray())!;
        var interrupted = failure["chargePointsInterrupted"]!.GetValue<long>();
        Assert.True(interrupted > FleetSize / 6, $"the worker that left held {interrupted} charge points");

        var chargePoints = await CsmsChargePointsAsync(control);
        Assert.Equal(FleetSize, chargePoints.Count(c => c["booted"]!.GetValue<bool>()));
        Assert.Equal(interrupted, chargePoints.Count(c => c["connections"]!.GetValue<int>() == 2));
        Assert.Equal(FleetSize + interrupted, Count(report, "BootNotification"));
    }

    [Fact]
    public async Task At_security_profile_3_every_node_connects_with_client_certificates_the_embedded_CSMS_trusts()
    {
        // The profile says profile 0 and ws://: the command line's --security-profile 3 must reach the workers, they must
        // trust the embedded CSMS's CA, and the CSMS must trust the CA each worker issues its certificates with.
        var profile = _harness.WriteProfile("mtls", 300, "25s", "behaviour: idle\n");
        var (coordinator, report) = await RunClusterAsync(profile, "embedded", killWorkerAfter: null, "--security-profile", "3");

        Assert.Equal(0, coordinator.ExitCode);
        Assert.Contains(coordinator.Lines, l => l == "The embedded CSMS trusts the client certificate CAs of 2 worker node(s).");
        var nodes = report["cluster"]!["nodes"]!.AsArray();
        Assert.Equal(3, nodes.Count);
        Assert.All(nodes, n => Assert.True(n!["bootNotifications"]!.GetValue<long>() > 0, $"{n!["node"]} booted no charge point"));
        Assert.Equal(300, Count(report, "BootNotification"));
        var attempts = report["connections"]!["attemptsByResult"]!.AsObject();
        Assert.Equal(300, attempts["ok"]!.GetValue<long>());
        Assert.All(attempts.Where(a => a.Key != "ok"), a => Assert.Equal(0, a.Value!.GetValue<long>()));
        Assert.True(report["connections"]!["tlsHandshake"]!["count"]!.GetValue<long>() >= 300, "the charge points did not connect over TLS");
    }

    [Fact]
    public async Task A_killed_workers_journal_and_transaction_messages_still_enter_the_storm_analysis_and_the_loss_check()
    {
        var profile = WriteProfile("busy-sessions", """
            behaviour:
              sessions:
                meanTimeBetweenSessions: 4s
                plugInDuration: {uniform: [2s, 4s]}
                energyNeed: {uniform: [1kWh, 2kWh]}
            """);
        var (coordinator, report) = await RunClusterAsync(profile, "embedded", killWorkerAfter: TimeSpan.FromSeconds(12));

        Assert.Equal(0, coordinator.ExitCode);
        Assert.Single(report["cluster"]!["failures"]!.AsArray());
        var loss = report["lossCheck"]!;
        Assert.Equal(0, loss["lost"]!.GetValue<long>());
        var onFailed = loss["onFailedNodes"]!;
        var produced = onFailed["produced"]!.GetValue<long>();
        Assert.True(produced > 0, "the killed worker's charge points produced nothing the coordinator knew of");
        Assert.Equal(produced, onFailed["delivered"]!.GetValue<long>() + onFailed["wentWithTheNode"]!.GetValue<long>());
        Assert.True(onFailed["delivered"]!.GetValue<long>() > 0);

        // All charge points first connected long before the kill; without the dead worker's journal its charge points
        // would count as first connected when they started again on the survivors, after the kill.
        var arrival = report["storms"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "arrival")!["figures"]!;
        Assert.Equal(FleetSize, arrival["chargePoints"]!.GetValue<double>());
        Assert.True(arrival["secondsTo100PctConnected"]!.GetValue<double>() < 10, $"arrival: {arrival.ToJsonString()}");
    }

    private async Task<(FleetSimProcess Coordinator, JsonNode Report)> RunClusterAsync(string profile, Uri csmsUrl, TimeSpan? killWorkerAfter)
        => await RunClusterAsync(profile, csmsUrl.ToString(), killWorkerAfter);

    private async Task<(FleetSimProcess Coordinator, JsonNode Report)> RunClusterAsync(string profile, Uri csmsUrl, TimeSpan stopWorkerAfter, bool gracefully)
        => await RunClusterAsync(profile, csmsUrl.ToString(), stopWorkerAfter, gracefully, []);

    private Task<(FleetSimProcess Coordinator, JsonNode Report)> RunClusterAsync(string profile, string target, TimeSpan? killWorkerAfter, params string[] options)
        => RunClusterAsync(profile, target, killWorkerAfter, gracefully: false, options);

    private Task<(FleetSimProcess Coordinator, JsonNode Report)> RunClusterAsync(string profile, string target, TimeSpan? stopWorkerAfter, bool gracefully, string[] options)
        => RunClusterAsync(profile, target, stopWorkerAfter, gracefully, options, null);

    /// <summary>The coordinator and two workers; worker-2 is killed (or sent SIGTERM, <paramref name="gracefully"/>) after <paramref name="stopWorkerAfter"/>.</summary>
    private async Task<(FleetSimProcess Coordinator, JsonNode Report)> RunClusterAsync(
        string profile, string target, TimeSpan? stopWorkerAfter, bool gracefully, string[] options, IReadOnlyDictionary<string, string>? coordinatorEnvironment)
    {
        var port = FreePort();
        var reportFile = Path.Combine(_harness.Directory, "report.json");
        var coordinator = _harness.Start("coordinator", coordinatorEnvironment, ["run", profile, "--target", target, "--cluster", "--port", port.ToString(), "--min-nodes", "3",
            "--nodes-timeout", "60s", "--report", reportFile, .. options]);
        await coordinator.WaitForLineAsync(l => l.StartsWith("Cluster coordinator at", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var workers = new[]
        {
            Start("worker-1", "node", "--seed", $"127.0.0.1:{port}", "--port", FreePort().ToString(), "--metrics-port", "0", "--linger", "1s"),
            Start("worker-2", "node", "--seed", $"127.0.0.1:{port}", "--port", FreePort().ToString()),
        };
        if (stopWorkerAfter is { } after)
        {
            await coordinator.WaitForLineAsync(l => ElapsedOf(l) >= after, TimeSpan.FromSeconds(60));
            output.WriteLine($"{(gracefully ? "SIGTERM to" : "killing")} worker-2 (pid {workers[1].Id})");
            if (gracefully)
            {
                workers[1].Terminate();
            }
            else
            {
                workers[1].Kill();
            }
        }
        await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(100));
        await workers[0].WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, workers[0].ExitCode);
        // A worker serving /metrics keeps it up after the run (--linger), out of the cluster, for Prometheus's last scrape.
        Assert.Contains("/metrics stays up 1s after the run for a final scrape (--linger 0: none)", workers[0].Lines);
        return (coordinator, JsonNode.Parse(await File.ReadAllTextAsync(reportFile))!);
    }

    private static bool IsDisassociationNews(string line) => line.Contains("EndpointDisassociatedException", StringComparison.Ordinal);

    private string WriteProfile(string name, string behaviour) => _harness.WriteProfile(name, FleetSize, "35s", behaviour);

    private FleetSimProcess Start(string name, params string[] arguments) => _harness.Start(name, arguments);

    public void Dispose() => _harness.Dispose();
}
