using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Fleet.Tests.EndToEnd;
using Simulator.Metrics;

namespace Simulator.Fleet.Tests.V201;

/// <summary>
/// OCPP 2.0.1 charging stations in the fleet, over real WebSockets on 127.0.0.1 against the embedded CSMS (which serves
/// ocpp2.0.1 and ocpp1.6 on one port): they boot, charge (TransactionEvent Started/Updated/Ended), and every TransactionEvent
/// they produced is in the CSMS ledger by transactionId and seqNo; beside 1.6 charge points, each version's calls stay apart.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class V201FleetTests
{
    /// <summary>A 2.0.1 type: one EVSE, meter values every second, the station's own retries quick.</summary>
    internal static ChargePointTypePlan Station201(string name, string idPattern, int count, int firstNumber = 1) => new()
    {
        Name = name,
        Count = count,
        FirstNumber = firstNumber,
        IdPattern = idPattern,
        OcppVersion = "2.0.1",
        Connectors = 1,
        MaxPowerW = 22_000,
        Ev = new EvPlan { MaxPowerW = 22_000, BatteryCapacityWh = 100_000, ArrivalSocMin = 0.1, ArrivalSocMax = 0.2 },
        Configuration = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SampledDataCtrlr.TxUpdatedInterval"] = "1",
            ["MessageAttemptInterval"] = "1",
            ["MessageAttempts"] = "10",
            ["RetryBackOffWaitMinimum"] = "0",
            ["RetryBackOffRandomRange"] = "1",
        },
    };

    [Fact]
    public void Without_a_reconnect_policy_in_the_profile_a_2_0_1_station_waits_by_its_own_RetryBackOff_settings()
    {
        var type = Station201("ac201", "BACKOFF-{000}", 1) with
        {
            Configuration = new Dictionary<string, string> { ["RetryBackOffWaitMinimum"] = "7", ["RetryBackOffRandomRange"] = "0", ["RetryBackOffRepeatTimes"] = "2" },
        };
        var options = new Simulator.ChargePoint.ChargePointOptions { ChargeBoxId = "BACKOFF-001", Connectors = 1, ConfigurationOverrides = type.Configuration };
        var station = Simulator.ChargePoint.ChargingStations.Create("2.0.1", options, TimeProvider.System, new Random(1));

        var own = FleetEnvironment.ReconnectPolicyFor(type, new Random(1), station);
        Assert.Equal([7, 14, 28, 28], new[] { 1, 2, 3, 4 }.Select(n => own.NextDelay(n).TotalSeconds));

        // A SetVariables from the CSMS applies from the next wait.
        var set = station.HandleCall(new Simulator.Ocpp.V201.Provisioning.SetVariablesRequest
        {
            SetVariableData = [new() { AttributeValue = "2", Component = new() { Name = "OCPPCommCtrlr" }, Variable = new() { Name = "RetryBackOffWaitMinimum" } }],
        });
        Assert.NotNull(set.Response);
        Assert.Equal(2, own.NextDelay(1).TotalSeconds);

        // A policy the profile names wins; a 1.6 charge point (no such settings) keeps the plan's.
        var named = FleetEnvironment.ReconnectPolicyFor(type with { Reconnect = new ReconnectPlan { Kind = ReconnectKind.Fixed, Interval = TimeSpan.FromSeconds(4), Given = true } }, new Random(1), station);
        Assert.Equal(4, named.NextDelay(3).TotalSeconds);
        var v16 = Simulator.ChargePoint.ChargingStations.Create("1.6", options with { ConfigurationOverrides = new Dictionary<string, string>() }, TimeProvider.System, new Random(1));
        var planDefault = FleetEnvironment.ReconnectPolicyFor(type with { Reconnect = new ReconnectPlan { Kind = ReconnectKind.Fixed, Interval = TimeSpan.FromSeconds(5) } }, new Random(1), v16);
        Assert.Equal(5, planDefault.NextDelay(1).TotalSeconds);
    }

    [Fact]
    public async Task A_2_0_1_fleet_boots_charges_and_loses_no_TransactionEvent_by_seqNo()
    {
        var plan = Plans.OneType("V201-{000}", behaviour: Plans.OneSession(TimeSpan.FromSeconds(4))) with { Types = [Station201("ac201", "V201-{000}", 3)] };
        await using var h = await FleetHarness.StartAsync(plan, tap: false);
        var ids = Enumerable.Range(0, 3).Select(i => h.Id(i)).ToList();
        ids.ForEach(h.Start);
        await Await.ConditionAsync(() => h.Csms.Ledger.Report().Ocpp201.Total.Ended >= 3, TimeSpan.FromSeconds(40), "three sessions ended (TransactionEvent Ended in the ledger)");
        var stopped = await Task.WhenAll(ids.Select(id => h.StopAsync(id)));

        var events = h.Csms.Ledger.Report().Ocpp201.Total;
        Assert.True(events.Started >= 3, $"Started {events.Started}");
        Assert.True(events.Updated >= 3, $"Updated (meter values every second) {events.Updated}");
        var produced = stopped.SelectMany(s => s.Produced).ToList();
        Assert.All(produced, p => Assert.NotNull(p.SeqNo));
        // seqNo 0, 1, 2, ... per transaction of a station, no gaps (a transaction id is a station's own).
        Assert.All(stopped.SelectMany(s => s.Produced.GroupBy(p => p.EventTransactionId)), transaction =>
            Assert.Equal(Enumerable.Range(0, transaction.Count()), transaction.Select(p => p.SeqNo!.Value).Order()));
        Assert.All(produced.Where(p => p.Fate != ProducedFate.StillQueued), p => Assert.Equal(ProducedFate.Acknowledged, p.Fate));

        var loss = h.Csms.Ledger.Reconcile(Simulator.Cli.Embedded.ProducedMessages.ForLedger(stopped));
        Assert.Equal(0, loss.Lost);
        Assert.Equal(produced.Count, loss.Produced);

        // A TransactionEvent the stations claim but never sent is lost, and named by transactionId and seqNo.
        var last = produced[^1];
        var phantom = last with { SeqNo = last.SeqNo + 100 };
        var withLoss = h.Csms.Ledger.Reconcile(Simulator.Cli.Embedded.ProducedMessages.ForLedger([.. stopped, stopped[0] with { Produced = [phantom] }]));
        Assert.Equal(1, withLoss.Lost);
        Assert.Contains($"seqNo {phantom.SeqNo}", Simulator.Cli.Embedded.ProducedMessages.Describe(Assert.Single(withLoss.LostExamples)), StringComparison.Ordinal);

        var calls = h.Telemetry.Snapshot().Calls;
        Assert.True(calls[new CallKey("TransactionEvent", Directions.CpToCsms, "2.0.1")].Ok >= 9);
        Assert.True(calls[new CallKey("BootNotification", Directions.CpToCsms, "2.0.1")].Ok >= 3);
        Assert.DoesNotContain(calls.Keys, k => k.OcppVersion != "2.0.1");
    }

    [Fact]
    public async Task A_mixed_fleet_keeps_each_versions_rows_apart_and_the_loss_check_covers_both()
    {
        var basePlan = Plans.OneType("MIX16-{000}", count: 2, connectors: 1, behaviour: Plans.OneSession(TimeSpan.FromSeconds(4)));
        var plan = basePlan with { Types = [basePlan.Types[0], Station201("ac201", "MIX201-{000}", 2, firstNumber: 3)] };
        await using var h = await FleetHarness.StartAsync(plan, tap: false);
        var ids = Enumerable.Range(0, 4).Select(i => h.Id(i)).ToList();
        ids.ForEach(h.Start);
        await Await.ConditionAsync(
            () => h.Csms.Ledger.Report() is { } l && l.Ocpp201.Total.Ended >= 2 && l.Total.StopsDelivered >= 2,
            TimeSpan.FromSeconds(40), "two 1.6 and two 2.0.1 sessions ended");
        var stopped = await Task.WhenAll(ids.Select(id => h.StopAsync(id)));

        var loss = h.Csms.Ledger.Reconcile(Simulator.Cli.Embedded.ProducedMessages.ForLedger(stopped));
        Assert.Equal(0, loss.Lost);
        Assert.Contains(stopped.SelectMany(s => s.Produced), p => p.SeqNo is null && p.Kind == ProducedKind.StopTransaction);
        Assert.Contains(stopped.SelectMany(s => s.Produced), p => p.SeqNo is not null && p.Kind == ProducedKind.StopTransaction);

        var report = RunReportBuilder.Build(new RunInfo("mixed", "mixed", DateTimeOffset.UtcNow.AddSeconds(-10), DateTimeOffset.UtcNow, 4), h.Telemetry.Snapshot());
        var boots = report.Actions.Where(a => a.Action == "BootNotification").ToList();
        Assert.Equal(["1.6", "2.0.1"], boots.Select(b => b.OcppVersion).Order(StringComparer.Ordinal));
        Assert.All(boots, b => Assert.Equal(2, b.Ok));
        Assert.Contains(report.Actions, a => a is { Action: "StartTransaction", OcppVersion: "1.6" });
        Assert.Contains(report.Actions, a => a is { Action: "TransactionEvent", OcppVersion: "2.0.1" });
        var summary = SummaryRenderer.Render(report, 120, verdict: false);
        Assert.Contains("BootNotification (1.6)", summary, StringComparison.Ordinal);
        Assert.Contains("BootNotification (2.0.1)", summary, StringComparison.Ordinal);

        var judged = ThresholdEvaluator.Evaluate(report, [Threshold.Parse("errors ocpp_version=2.0.1 == 0"), Threshold.Parse("p99 TransactionEvent ocpp_version=1.6 < 1s")]);
        Assert.True(judged[0].Passed, judged[0].Actual);
        Assert.False(judged[1].Passed);   // no 1.6 charge point sends TransactionEvent
    }
}
