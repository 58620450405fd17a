using System.Text.Json.Nodes;
using Xunit.Abstractions;
using static Simulator.Cluster.Tests.ClusterHarness;

namespace Simulator.Cluster.Tests;

/// <summary>
/// A mixed fleet (OCPP 1.6 and 2.0.1 types) sharded over two nodes, coordinator and one worker, each its own process,
/// against the embedded CSMS, through a network drop and a CSMS restart: the version travels with each charge point's
/// type as data, and the merged report keeps the versions apart and loses no transaction message.
/// </summary>
public sealed class MixedVersionClusterTests(ITestOutputHelper output) : IDisposable
{
    private const int PerVersion = 150;
    private readonly ClusterHarness _harness = new(output);

    [Fact]
    public async Task A_mixed_1_6_and_2_0_1_fleet_on_two_nodes_boots_each_station_on_its_version_and_loses_nothing_through_a_drop_and_a_restart()
    {
        var profile = Path.Combine(_harness.Directory, "mixed.yaml");
        await File.WriteAllTextAsync(profile, $$"""
            name: cluster-mixed
            duration: 30s
            drain: 10s
            target:
              url: embedded
            fleet:
              - name: ac16
                count: {{PerVersion}}
                idPattern: CLMIX16-{000}
                connectors: 1
                configuration:
                  HeartbeatInterval: "60"
                  MeterValueSampleInterval: "2"
                reconnect:
                  policy: exponential
                  base: 1s
                  cap: 3s
                  jitter: full
              - name: ac201
                ocppVersion: "2.0.1"
                count: {{PerVersion}}
                idPattern: CLMIX201-{000}
                connectors: 1
                configuration:
                  HeartbeatInterval: "60"
                  SampledDataCtrlr.TxUpdatedInterval: "2"
                  MessageAttemptInterval: "1"
                  MessageAttempts: "20"
                  RetryBackOffWaitMinimum: "1"
                  RetryBackOffRandomRange: "2"
                  RetryBackOffRepeatTimes: "1"
            arrival: allAtOnce
            behaviour:
              sessions:
                meanTimeBetweenSessions: 2s
                plugInDuration: {uniform: [4s, 7s]}
                energyNeed: 3kWh
            timeline:
              - {at: 9s, event: network-drop, for: 3s}
              - {at: 18s, event: csms-restart, for: 2s, refusal: tcp}
            thresholds:
              - "lost == 0"
            """);
        var port = FreePort();
        var reportFile = Path.Combine(_harness.Directory, "report.json");
        var coordinator = _harness.Start("coordinator", "run", profile, "--cluster", "--port", port.ToString(), "--min-nodes", "2",
            "--nodes-timeout", "60s", "--report", reportFile);
        await coordinator.WaitForLineAsync(l => l.StartsWith("Cluster coordinator at", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var worker = _harness.Start("worker", "node", "--seed", $"127.0.0.1:{port}", "--port", FreePort().ToString());
        await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(100));
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, worker.ExitCode);
        Assert.Equal(0, coordinator.ExitCode);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(reportFile))!;

        var nodes = report["cluster"]!["nodes"]!.AsArray();
        Assert.Equal(2, nodes.Count);
        Assert.All(nodes, n => Assert.True(n!["bootNotifications"]!.GetValue<long>() > PerVersion / 3, $"{n!["node"]} holds too small a share: {n.ToJsonString()}"));
        Assert.Empty(report["cluster"]!["failures"]!.AsArray());

        // Before any drop, every station booted once, on its own version.
        var rampUp = report["phases"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "rampUp")!;
        Assert.Equal(PerVersion, Ok(rampUp, "BootNotification", "1.6"));
        Assert.Equal(PerVersion, Ok(rampUp, "BootNotification", "2.0.1"));

        // Each version's rows carry its label and only its own messages.
        Assert.All(report["actions"]!.AsArray(), a => Assert.Contains(a!["ocppVersion"]!.GetValue<string>(), new[] { "1.6", "2.0.1" }));
        Assert.True(Ok(report, "StartTransaction", "1.6") > 0, "no 1.6 session started");
        Assert.True(Ok(report, "StopTransaction", "1.6") > 0, "no 1.6 session ended");
        Assert.True(Ok(report, "MeterValues", "1.6") > 0, "no 1.6 meter values");
        Assert.Equal(0, Ok(report, "TransactionEvent", "1.6"));
        Assert.Equal(0, Ok(report, "StartTransaction", "2.0.1"));
        var events = Ok(report, "TransactionEvent", "2.0.1");
        var sessions = report["sessions"]!["completed"]!.GetValue<long>();
        Assert.True(events > 0 && sessions > 0, $"2.0.1 stations ran no transaction: {events} TransactionEvents");

        // The drop and the restart really cut the connections, and both versions came back.
        Assert.True(report["connections"]!["reconnects"]!.GetValue<long>() >= 2 * PerVersion,
            $"the fleet reconnected after the drop and the restart: {report["connections"]!.ToJsonString()}");
        var drain = report["phases"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "drain")!;
        Assert.True(Ok(drain, "TransactionEvent", "2.0.1") > 0, "no 2.0.1 transaction ended in the drain");

        // The loss check covers both versions: 1.6 by message, 2.0.1 by transactionId and seqNo.
        var loss = report["lossCheck"]!;
        Assert.Equal(0, loss["lost"]!.GetValue<long>());
        var produced = loss["produced"]!.GetValue<long>();
        Assert.True(produced > events, $"the loss check counted the 2.0.1 TransactionEvents too: {loss.ToJsonString()}");
        Assert.Equal(produced, loss["delivered"]!.GetValue<long>() + loss["stillQueued"]!.GetValue<long>() + loss["givenUp"]!.GetValue<long>());
        Assert.True(report["thresholds"]!.AsArray().Single()!["passed"]!.GetValue<bool>());
    }

    /// <summary>Successful calls of <paramref name="action"/> by the charge points of <paramref name="version"/> in a report or phase.</summary>
    private static long Ok(JsonNode scope, string action, string version)
        => scope["actions"]!.AsArray()
            .Where(a => a!["action"]!.GetValue<string>() == action && a["ocppVersion"]!.GetValue<string>() == version
                && a["direction"]!.GetValue<string>() == "cp_to_csms")
            .Sum(a => a!["ok"]!.GetValue<long>());

    public void Dispose() => _harness.Dispose();
}
