using Akka.Actor;
using Simulator.ChargePoint;
using Simulator.Cli.Cluster;
using Simulator.Cli.Embedded;
using Simulator.Cli.Reports;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Cluster;
using Simulator.Fleet.Coordination;
using Simulator.Fleet.Running;
using Simulator.Metrics;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using ChargePointMessageKind = Simulator.ChargePoint.TransactionMessageKind;
using ProducedKind = Simulator.Fleet.ChargePoints.ProducedKind;
using ProducedTransactionMessage = Simulator.Fleet.ChargePoints.ProducedTransactionMessage;

namespace Simulator.Cluster.Tests;

/// <summary>
/// The loss check's fold in a cluster: three real nodes on loopback (each its own actor system, the MessagePack serializer
/// between them), the coordinator's view looking the nodes' settled messages up in a real ledger. The test plays the charge
/// points (their fates and their node's feed, as the charge-point actor drives them) and decides when folds run: nothing
/// here waits for a timer, and the figures are counts.
/// </summary>
public sealed class ClusterLossFoldTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);
    private const string Yaml = """
        name: cluster-fold
        duration: 1h
        target:
          url: ws://127.0.0.1:1/ocpp
        fleet:
          - name: ac
            count: 6
            idPattern: FOLD-{0}
            connectors: 1
            current: ac3
            maxPower: 11kW
        arrival: allAtOnce
        behaviour: idle

        """;

    private readonly List<FleetClusterNode> _nodes = [];
    private readonly List<FleetTelemetry> _telemetry = [];

    [Fact]
    public async Task Many_answered_messages_keep_few_entries_on_every_node_and_at_the_coordinator()
    {
        var ledger = new TransactionLedger();
        var (view, nodes) = await StartRunAsync(LookupIn(ledger));
        // Two charge points per node (the coordinator's own node included), 10,000 answered and recorded MeterValues each.
        var chargePoints = nodes.SelectMany((node, n) => Enumerable.Range(0, 2).Select(c => new PlayedChargePoint($"FOLD-{n}{c}", node, ledger))).ToList();
        foreach (var chargePoint in chargePoints)
        {
            chargePoint.StartRecordedAndAnswered();
        }
        const int Samples = 10_000;
        var mostHeldOnANode = 0;
        var mostHeldAtTheCoordinator = 0;
        for (var i = 1; i <= Samples; i++)
        {
            foreach (var chargePoint in chargePoints)
            {
                chargePoint.MeterValues(i, recorded: 1, answered: true);
            }
            if (i % 1_000 == 0)
            {
                mostHeldOnANode = Math.Max(mostHeldOnANode, nodes.Max(n => Held(n, chargePoints)));
                mostHeldAtTheCoordinator = Math.Max(mostHeldAtTheCoordinator, await CopiedAsync(view));
                foreach (var node in nodes)
                {
                    await node.State.SettledMessages!.FoldAsync(CancellationToken.None);
                }
                mostHeldOnANode = Math.Max(mostHeldOnANode, nodes.Max(n => Held(n, chargePoints)));
                mostHeldAtTheCoordinator = Math.Max(mostHeldAtTheCoordinator, await CopiedAsync(view));
            }
        }

        // 20,002 produced per node, 40,004 copied from the two workers: held, at most a fold round's worth (2,000 per node;
        // a node's own 5-second fold may have taken some first).
        Assert.InRange(mostHeldOnANode, 100, 2_500);
        Assert.InRange(mostHeldAtTheCoordinator, 0, 5_000);
        Assert.InRange(await CopiedAsync(view), 0, 600);
        Assert.All(nodes, n => Assert.InRange(Held(n, chargePoints), 0, 300));
        Assert.All(nodes, n => Assert.Null(n.State.SettledMessages!.LookupFailure));

        var finals = await view.Ask<FinalsCollected>(new CollectFinals(AskTimeout), AskTimeout);
        var stopped = chargePoints.Select(c => c.Stopped()).ToList();
        Assert.Equal(chargePoints.Count * (Samples + 1), finals.Folded.Acknowledged + stopped.Sum(s => s.Produced.Count) + finals.Unfolded.Sum(u => u.Produced.Count));
        Assert.InRange(finals.Folded.Acknowledged, chargePoints.Count * (Samples - 300), chargePoints.Count * (Samples + 1));
        Assert.Equal(3, finals.Finals.Count);
    }

    [Theory]
    [InlineData("folds")]
    [InlineData("the coordinator's look-up fails")]
    public async Task A_loss_a_duplicate_given_up_and_still_queued_messages_across_nodes_and_folds_give_the_figures_of_every_message_kept(string mode)
    {
        // Without a fold: every message stays with its charge point until the stop.
        var kept = new TransactionLedger();
        var keptChargePoints = Roles.Select(role => new PlayedChargePoint(role.Id, null, kept)).ToList();
        await PlayAsync(keptChargePoints, null);
        var without = await CheckAsync(kept, [.. keptChargePoints.Select(c => c.Stopped())], default);

        var (ledger, view, nodes, chargePoints) = await PlayAndFoldAsync(
            played => mode == "folds" ? LookupIn(played) : (_, _) => throw new HttpRequestException("the CSMS's control API is gone"));
        var finals = await view.Ask<FinalsCollected>(new CollectFinals(AskTimeout), AskTimeout);
        var with = await CheckAsync(ledger, [.. chargePoints.Select(c => c.Stopped()), .. finals.Unfolded], finals.Folded);

        var expected = new LossCheck(Produced: Roles.Length * (Samples + 2), Delivered: (Roles.Length * (Samples + 2)) - 5, Lost: 1, DuplicatesRecognised: 1) { StillQueued = 3, GivenUp = 1 };
        Assert.Equal(expected, without.Check);
        var lost = Assert.Single(without.LostExamples);
        Assert.StartsWith($"FOLD-10 MeterValues connector 1 at {T0.AddSeconds(700):O}", lost, StringComparison.Ordinal);
        Assert.Equal(expected, with.Check);
        Assert.Equal(without.LostExamples, with.LostExamples);
        if (mode == "folds")
        {
            Assert.InRange(finals.Folded.Total, Roles.Length * (Samples - 300), Roles.Length * Samples);
            Assert.All(nodes, n => Assert.Null(n.State.SettledMessages!.LookupFailure));
        }
        else
        {
            // Nothing folded: every settled message came back whole, from all three nodes.
            Assert.Equal(0, finals.Folded.Total);
            Assert.All(nodes, n => Assert.Contains("the CSMS's control API is gone", n.State.SettledMessages!.LookupFailure, StringComparison.Ordinal));
            Assert.InRange(finals.Unfolded.Sum(u => u.Produced.Count), Roles.Length * (Samples - 300), Roles.Length * (Samples + 2));
            Assert.Equal(3, finals.Unfolded.Select(u => u.ChargeBoxId[..6]).Distinct().Count());
        }
    }

    [Fact]
    public async Task A_worker_whose_final_report_never_comes_leaves_the_loss_check_incomplete_naming_it_and_fails_the_run_unless_a_threshold_accepts_it()
    {
        var (ledger, view, nodes, chargePoints) = await PlayAndFoldAsync(LookupIn);
        // worker-1 holds FOLD-10's lost message in its fold (answered, never recorded). Its node actor goes away: the node
        // stays in the cluster, reachable, and never answers for its final report.
        var worker = nodes[1];
        var workerFold = worker.State.SettledMessages!;
        var heldByTheWorkersFold = workerFold.Folded.Total + workerFold.Unfolded().Sum(u => (long)u.Produced.Count);
        Assert.Contains(workerFold.Unfolded(), u => u.ChargeBoxId == "FOLD-10");
        Assert.True(await worker.NodeActor.GracefulStop(AskTimeout), "worker-1's node actor did not stop");

        var finals = await view.Ask<FinalsCollected>(new CollectFinals(TimeSpan.FromSeconds(10)), AskTimeout);
        Assert.Equal(["worker-1"], finals.Missing);
        Assert.Equal(2, finals.Finals.Count);
        var loss = await CheckAtTheStopAsync(ledger, chargePoints, finals);

        // The figures leave worker-1's fold out — its lost message too — and say so.
        var check = loss.Check;
        Assert.Equal((Roles.Length * (Samples + 2)) - heldByTheWorkersFold, check.Produced);
        Assert.Equal(0, check.Lost);
        Assert.Equal(3, check.StillQueued);
        Assert.Equal(1, check.GivenUp);
        var notChecked = Assert.Single(check.Incomplete!);
        Assert.Equal("worker-1", notChecked.Node);
        Assert.Equal("no final report within 10 s: the transaction messages its loss-check fold held (kept for the check, or found recorded) were not checked", notChecked.Reason);
        Assert.Null(check.OnFailedNodes);

        var report = RunReportBuilder.Build(new RunInfo("fold-run", "cluster-fold", T0, T0.AddMinutes(1), 6), finals.View.Merged) with { LossCheck = check };
        var json = System.Text.Json.Nodes.JsonNode.Parse(report.ToJson())!;
        Assert.Equal("worker-1", json["lossCheck"]!["incomplete"]![0]!["node"]!.GetValue<string>());
        Assert.Equal(check, RunReport.FromJson(report.ToJson()).LossCheck! with { Incomplete = check.Incomplete });
        Assert.Equal(check.Incomplete, RunReport.FromJson(report.ToJson()).LossCheck!.Incomplete);

        // Without a word from the user an incomplete check fails the run; an uncheckedNodes threshold decides instead.
        (int ExitCode, RunReport Report) Judge(params string[] thresholds)
        {
            var parsed = thresholds.Select(t => Threshold.Parse(t)).ToList();
            var judged = report with { Thresholds = ThresholdEvaluator.Evaluate(report, parsed) };
            var exitCode = ThresholdEvaluator.ExitCode(judged, parsed);
            return (exitCode, judged.WithExitCode(exitCode));
        }
        var (silent, failed) = Judge();
        Assert.Equal(ExitCodes.ThresholdFailed, silent);
        Assert.StartsWith("FAILED (exit 99)", SummaryRenderer.VerdictLine(failed), StringComparison.Ordinal);
        Assert.Contains("loss check incomplete: worker-1 not checked", SummaryRenderer.VerdictLine(failed), StringComparison.Ordinal);
        Assert.Contains("loss check INCOMPLETE, not checked (not counted above): worker-1: no final report within 10 s", SummaryRenderer.Render(failed, int.MaxValue, verdict: false), StringComparison.Ordinal);
        var html = HtmlReport.Render(failed, [], new HtmlReportContext(new Uri("ws://127.0.0.1:1/ocpp"), 1, "coordinator", silent));
        Assert.Contains("<p id=\"loss-incomplete\" class=\"fail\">Incomplete: not checked (not counted above): worker-1: no final report within 10 s", html, StringComparison.Ordinal);

        var (accepted, passed) = Judge("uncheckedNodes <= 1", "lost == 0");
        Assert.Equal(ExitCodes.Ok, accepted);
        Assert.Equal("1 (worker-1)", passed.Thresholds[0].Actual);
        Assert.True(passed.Thresholds[0].Passed);
        var (refused, refusedReport) = Judge("uncheckedNodes == 0");
        Assert.Equal(ExitCodes.ThresholdFailed, refused);
        Assert.False(Assert.Single(refusedReport.Thresholds).Passed);
    }

    [Fact]
    public async Task A_final_report_whose_folds_messages_did_not_all_arrive_leaves_the_loss_check_incomplete_naming_the_node()
    {
        var (ledger, view, nodes, chargePoints) = await PlayAndFoldAsync(LookupIn);
        // worker-1's node actor goes; a stand-in on worker-1 sends its final report over the same remoting, without the part of
        // its fold's messages that holds FOLD-10's lost one, as if that part had been dropped on the way.
        var worker = nodes[1];
        Assert.True(await worker.NodeActor.GracefulStop(AskTimeout), "worker-1's node actor did not stop");
        var fold = worker.State.SettledMessages!;
        var (unfolded, folded) = (fold.Unfolded(), fold.Folded);
        Assert.Contains(unfolded, u => u.ChargeBoxId == "FOLD-10");
        var arriving = unfolded.Where(u => u.ChargeBoxId != "FOLD-10").ToList();
        var collecting = view.Ask<FinalsCollected>(new CollectFinals(AskTimeout - TimeSpan.FromSeconds(5)), AskTimeout);
        var standIn = worker.System.ActorOf(Props.Empty, "stand-in");
        var viewFromTheWorker = worker.System.ActorSelection(new RootActorPath(nodes[0].Cluster.SelfAddress) / "user" / "fleet-view");
        viewFromTheWorker.Tell(new NodeUnfolded(arriving), standIn);
        viewFromTheWorker.Tell(new NodeFinal("worker-1", worker.Cluster.SelfAddress.ToString(), worker.State.Snapshot().ToBytes(), new NodeJournal(0, [], []),
            folded.Acknowledged, folded.GivenUp, unfolded.Sum(u => (long)u.Produced.Count)), standIn);
        var finals = await collecting;

        Assert.Empty(finals.Missing);
        Assert.Equal(3, finals.Finals.Count);
        var loss = await CheckAtTheStopAsync(ledger, chargePoints, finals);
        var notChecked = Assert.Single(loss.Check.Incomplete!);
        Assert.Equal("worker-1", notChecked.Node);
        var sent = unfolded.Sum(u => u.Produced.Count);
        Assert.Equal($"its final report counted {sent} transaction messages its loss-check fold kept for the check, and {sent - unfolded.Single(u => u.ChargeBoxId == "FOLD-10").Produced.Count} arrived: the others were not checked", notChecked.Reason);
        Assert.Equal(0, loss.Check.Lost);
        var report = RunReportBuilder.Build(new RunInfo("fold-run", "cluster-fold", T0, T0.AddMinutes(1), 6), finals.View.Merged) with { LossCheck = loss.Check };
        Assert.Equal(ExitCodes.ThresholdFailed, ThresholdEvaluator.ExitCode(report, []));
    }

    /// <summary>The cluster run's check at the stop, as <c>fleetsim run --cluster</c> makes it, from the collected finals.</summary>
    private static Task<LossOutcome> CheckAtTheStopAsync(TransactionLedger ledger, List<PlayedChargePoint> chargePoints, FinalsCollected finals)
    {
        var cluster = new ClusterRunResult(
            new FleetRunResult(new RunFinished(T0, T0, chargePoints.Count, [], [], null), finals.View.Merged, new ConnectionJournal(T0), new RunJournal()),
            finals.View, finals.Missing, [])
        {
            Unfolded = finals.Unfolded,
            Folded = finals.Folded,
            UncheckedNodes = finals.Unchecked,
        };
        return ClusterLossCheck.CheckAsync(cluster, [.. chargePoints.Select(c => c.Stopped())], (stopped, folded, _) => CheckAsync(ledger, stopped, folded), CancellationToken.None);
    }

    private const int Samples = 1_500;

    /// <summary>Who plays what where: node 0 is the coordinator's own, 1 and 2 are workers.</summary>
    private static readonly (string Id, int Node)[] Roles = [("FOLD-00", 0), ("FOLD-10", 1), ("FOLD-11", 1), ("FOLD-20", 2)];

    /// <summary>
    /// A transaction on each charge point, 1,500 MeterValues and a Stop, recorded and answered as a CSMS would, except: on
    /// FOLD-10 sample 700 answered but never recorded (lost); on FOLD-20 sample 800 given up and never recorded, 900 given up
    /// but recorded (it arrived, its answer did not); on FOLD-00 sample 1,000 recorded twice (a resend); on FOLD-11 the last
    /// three never sent (still queued) and the fourth-last recorded but not answered by the stop. Folds run every 250 samples.
    /// </summary>
    private static async Task PlayAsync(List<PlayedChargePoint> chargePoints, List<FleetClusterNode>? nodes)
    {
        foreach (var chargePoint in chargePoints)
        {
            chargePoint.StartRecordedAndAnswered();
        }
        for (var i = 1; i <= Samples; i++)
        {
            foreach (var chargePoint in chargePoints)
            {
                switch (chargePoint.Id, i)
                {
                    case ("FOLD-10", 700):
                        chargePoint.MeterValues(i, recorded: 0, answered: true);
                        break;
                    case ("FOLD-20", 800):
                        chargePoint.MeterValues(i, recorded: 0, answered: false, givenUp: true);
                        break;
                    case ("FOLD-20", 900):
                        chargePoint.MeterValues(i, recorded: 1, answered: false, givenUp: true);
                        break;
                    case ("FOLD-00", 1_000):
                        chargePoint.MeterValues(i, recorded: 2, answered: true);
                        break;
                    case ("FOLD-11", >= Samples - 2):
                        chargePoint.MeterValues(i, recorded: 0, answered: false);
                        break;
                    case ("FOLD-11", Samples - 3):
                        chargePoint.MeterValues(i, recorded: 1, answered: false);
                        break;
                    default:
                        chargePoint.MeterValues(i, recorded: 1, answered: true);
                        break;
                }
            }
            if (nodes is not null && i % 250 == 0)
            {
                await FoldAllAsync(nodes);
            }
        }
        foreach (var chargePoint in chargePoints)
        {
            chargePoint.StopRecordedAndAnswered();
        }
    }

    private static async Task FoldAllAsync(List<FleetClusterNode> nodes)
    {
        foreach (var node in nodes)
        {
            await node.State.SettledMessages!.FoldAsync(CancellationToken.None);
        }
    }

    /// <summary>The check at the stop, as <c>fleetsim run</c> makes it against the embedded CSMS's ledger.</summary>
    private static Task<LossOutcome> CheckAsync(TransactionLedger ledger, IReadOnlyList<ChargePointStopped> stopped, FoldedMessages folded)
        => LossClassification.CheckAsync(stopped, (some, _) =>
        {
            var details = ledger.Reconcile(ProducedMessages.ForLedger(some));
            return Task.FromResult(new LedgerAnswer(details.Produced, details.Lost, [.. details.LostExamples.Select(ProducedMessages.Describe)]));
        }, ledger.Report().Total.Resent, CancellationToken.None, folded);

    private static Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>> LookupIn(TransactionLedger ledger)
        => (settled, _) => Task.FromResult<IReadOnlyList<LedgerLookup>>([.. ledger.Lookup([.. ProducedMessages.ForLedger(settled)]).Select(r => (LedgerLookup)r)]);

    /// <summary>What a node holds: its charge points' entries and its fold's.</summary>
    private static int Held(FleetClusterNode node, List<PlayedChargePoint> chargePoints)
        => chargePoints.Where(c => c.Node == node).Sum(c => c.Fates.Count) + node.State.SettledMessages!.Held;

    private static async Task<int> CopiedAsync(IActorRef view) => (await view.Ask<FleetViewSnapshot>(GetView.Instance, AskTimeout)).CopiedMessagesHeld;

    /// <summary>The coordinator and two workers, joined; the run assigned (with ledger look-ups) and accepted by all three.</summary>
    /// <summary>A run on the three nodes whose charge points played their sessions against a ledger, and whose folds then folded.</summary>
    private async Task<(TransactionLedger Ledger, IActorRef View, List<FleetClusterNode> Nodes, List<PlayedChargePoint> ChargePoints)> PlayAndFoldAsync(
        Func<TransactionLedger, Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>>> lookupIn)
    {
        var ledger = new TransactionLedger();
        var (view, nodes) = await StartRunAsync(lookupIn(ledger));
        var chargePoints = Roles.Select(role => new PlayedChargePoint(role.Id, nodes[role.Node], ledger)).ToList();
        await PlayAsync(chargePoints, nodes);
        await FoldAllAsync(nodes);
        return (ledger, view, nodes, chargePoints);
    }

    private async Task<(IActorRef View, List<FleetClusterNode> Nodes)> StartRunAsync(Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>> lookup)
    {
        var seedPort = ClusterHarness.FreePort();
        var seed = $"127.0.0.1:{seedPort}";
        var coordinator = await StartNodeAsync("coordinator", seedPort, seed, isCoordinator: true);
        await StartNodeAsync("worker-1", ClusterHarness.FreePort(), seed, isCoordinator: false);
        await StartNodeAsync("worker-2", ClusterHarness.FreePort(), seed, isCoordinator: false);
        Assert.True(await coordinator.WaitForMembersAsync(3, TimeSpan.FromSeconds(60), null, CancellationToken.None), "the three nodes did not join");

        var view = coordinator.System.ActorOf(FleetView.Props(lookup), "fleet-view");
        var assignment = new RunAssignment("fold-run", "cluster-fold", Yaml, new PlanOverrides(null, null, null, null), "ws://127.0.0.1:1/ocpp", 1, seed, LedgerLookups: true);
        var assigned = await view.Ask<NodesAssigned>(new AssignNodes(assignment, AskTimeout - TimeSpan.FromSeconds(5)), AskTimeout);
        Assert.Equal(3, assigned.Nodes.Count);
        Assert.All(assigned.Nodes, n => Assert.Empty(n.Errors));
        Assert.All(_nodes, n => Assert.NotNull(n.State.Environment!.ProducedFeed));
        return (view, _nodes);
    }

    private async Task<FleetClusterNode> StartNodeAsync(string name, int port, string seed, bool isCoordinator)
    {
        var telemetry = new FleetTelemetry(name);
        _telemetry.Add(telemetry);
        var node = await FleetClusterNode.StartAsync(
            new ClusterNodeOptions { NodeName = name, Port = port, Seeds = [seed], IsCoordinator = isCoordinator },
            (assignment, fold) => ClusterAssignments.Accept(assignment, telemetry, fold: fold),
            CancellationToken.None);
        _nodes.Add(node);
        return node;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Workers leave first; the coordinator (seed, shard coordinator) last.
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            await node.DisposeAsync();
        }
        foreach (var telemetry in _telemetry)
        {
            telemetry.Dispose();
        }
    }

    /// <summary>
    /// One charge point, played as its actor drives it: each produced message to its fates (which hand settled ones to the
    /// node's fold) and to its node's feed (the coordinator's copy); answers and give-ups to its fates. The ledger records as
    /// the CSMS would have.
    /// </summary>
    private sealed class PlayedChargePoint(string id, FleetClusterNode? node, TransactionLedger ledger)
    {
        private int _transactionId;

        public string Id { get; } = id;
        public FleetClusterNode? Node { get; } = node;
        public ProducedMessageFates Fates { get; } = new(node?.State.SettledMessages, id);

        private ProducedMessageFeed? Feed => Node?.State.Environment!.ProducedFeed;

        public void StartRecordedAndAnswered()
        {
            var start = new StartTransactionRequest { ConnectorId = 1, IdTag = "TAG", MeterStart = 0, Timestamp = T0 };
            Produce(new TransactionMessageProduced(ChargePointMessageKind.StartTransaction, 1, 1, "TAG", T0, 0, null));
            _transactionId = ledger.RecordStart(Id, start).TransactionId;
            Fates.Answered(start);
            Fates.TransactionIdLearnt(1, _transactionId);
            Feed?.AddTransactionId(Id, 1, _transactionId);
        }

        /// <summary>Sample <paramref name="i"/>: every tenth produced before the transaction id was known (learnt at the Start's answer).</summary>
        public void MeterValues(int i, int recorded, bool answered, bool givenUp = false)
        {
            var at = T0.AddSeconds(i);
            Produce(new TransactionMessageProduced(ChargePointMessageKind.MeterValues, 1, 1, null, at, null, i % 10 == 0 ? null : _transactionId));
            var request = new MeterValuesRequest
            {
                ConnectorId = 1,
                TransactionId = _transactionId,
                MeterValue = [new MeterValue { Timestamp = at, SampledValue = [new SampledValue { Value = "1" }] }],
            };
            for (var r = 0; r < recorded; r++)
            {
                ledger.RecordMeterValues(Id, request);
            }
            if (answered)
            {
                Fates.Answered(request);
            }
            if (givenUp)
            {
                Fates.GivenUp(ChargePointMessageKind.MeterValues, 1, 1);
            }
        }

        public void StopRecordedAndAnswered()
        {
            var stop = new StopTransactionRequest { TransactionId = _transactionId, MeterStop = 9_000, Timestamp = T0.AddHours(3) };
            Produce(new TransactionMessageProduced(ChargePointMessageKind.StopTransaction, 1, 1, "TAG", stop.Timestamp, 9_000, _transactionId));
            ledger.RecordStop(Id, stop);
            Fates.Answered(stop);
        }

        public ChargePointStopped Stopped() => new(Id, [.. Fates.AtStop()], 0);

        private void Produce(TransactionMessageProduced produced)
        {
            Fates.Produced(produced);
            Feed?.Add(Id, new ProducedTransactionMessage(
                produced.Kind switch
                {
                    ChargePointMessageKind.StartTransaction => ProducedKind.StartTransaction,
                    ChargePointMessageKind.StopTransaction => ProducedKind.StopTransaction,
                    _ => ProducedKind.MeterValues,
                },
                produced.ConnectorId, produced.IdTag, produced.Timestamp,
                produced.Kind == ChargePointMessageKind.StartTransaction ? produced.MeterWh : null, produced.TransactionId, produced.LocalTransactionRef));
        }
    }
}
