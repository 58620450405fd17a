using Akka.Actor;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Coordination;
using Simulator.Fleet.Plan;
using Simulator.Fleet.Running;
using Simulator.Metrics;

namespace Simulator.Fleet.Cluster;

/// <summary>
/// A clustered run's result: what a single-node run gives, plus each node's share and the nodes that failed.
/// <see cref="ProducedOnFailedNodes"/> are the transaction messages charge points produced while they ran on a node that
/// failed (until its last hand-over) and still undecided then; <see cref="FoldedOnFailedNodes"/> those of them the ledger
/// had recorded, folded into a count. The charge points' later lives on other nodes are in the run's stopped list.
/// <see cref="Unfolded"/> and <see cref="Folded"/> are the nodes' loss-check folds: for the check at the stop, the messages
/// to check with the stopped list, and the ones already found recorded (as a run in one process has them), of the nodes
/// that sent their final report; <see cref="NodesWithoutFinalReport"/> (none within <see cref="ClusterFleetRunner.FinalReportsWait"/>)
/// are not in them. <see cref="UncheckedNodes"/>: those nodes, and those whose fold's messages did not all arrive, with why.
/// </summary>
public sealed record ClusterRunResult(FleetRunResult Run, FleetViewSnapshot View, IReadOnlyList<string> NodesWithoutFinalReport, IReadOnlyList<ChargePointStopped> ProducedOnFailedNodes)
{
    public long FoldedOnFailedNodes { get; init; }
    public IReadOnlyList<UncheckedNode> UncheckedNodes { get; init; } = [];
    public IReadOnlyList<ChargePointStopped> Unfolded { get; init; } = [];
    public FoldedMessages Folded { get; init; }
}

/// <summary>Some member refused the assignment (its own check of the profile failed, or it already runs another run).</summary>
public sealed class AssignmentRefusedException(IReadOnlyList<string> errors)
    : Exception("a node refused the run: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Runs one plan across the cluster from the coordinator node: hands every member the assignment, runs the same
/// <see cref="FleetCoordinator"/> as a single-node run but against the shard region, merges every node's statistics for
/// the live view, and at the end merges the final statistics and journals into one result. Workers are told the run is over.
/// </summary>
public sealed class ClusterFleetRunner(FleetClusterNode node, FleetPlan plan, RunAssignment assignment, ICsmsControl? csms)
{
    /// <summary>How often the coordinator re-sends StartChargePoint to every started charge point (failover without remember-entities).</summary>
    public static readonly TimeSpan ResendStartsEvery = TimeSpan.FromSeconds(3);

    /// <summary>How long the coordinator waits for the nodes' final reports (statistics, journal, what the loss-check fold held) after the run.</summary>
    public static readonly TimeSpan FinalReportsWait = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    private IActorRef? _coordinator;

    /// <summary>
    /// Called once every node has accepted the assignment, before the first charge point starts (e.g. to make the CSMS
    /// trust the nodes' client certificate CAs). A failure ends the run before it began.
    /// </summary>
    public Func<IReadOnlyList<NodeAssigned>, CancellationToken, Task>? BeforeStart { get; init; }

    /// <summary>Where the run's phases are decided and recorded (give one to evaluate thresholds per phase while the run goes).</summary>
    public RunPhaseTracker? Phases { get; init; }

    /// <summary>
    /// Whether the run's CSMS ledger recorded each of some produced messages (the in-process ledger, or a CSMS's control API):
    /// with it, every node folds its charge points' settled messages during the run and asks the coordinator to look them up.
    /// Null: there is no ledger to check against; nodes count settled messages and drop them.
    /// </summary>
    public Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>>? LookupInLedger { get; init; }

    /// <summary>Called about once a second while the run goes, with all nodes' statistics merged.</summary>
    public Action<FleetViewSnapshot, TimeSpan>? OnProgress { get; init; }

    public async Task<ClusterRunResult> RunAsync(CancellationToken cancellationToken)
    {
        var system = node.System;
        var view = system.ActorOf(FleetView.Props(LookupInLedger), "fleet-view");
        var assigned = await view.Ask<NodesAssigned>(new AssignNodes(assignment with { LedgerLookups = LookupInLedger is not null }, AskTimeout - TimeSpan.FromSeconds(5)), AskTimeout, cancellationToken).ConfigureAwait(false);
        var refusals = assigned.Nodes.SelectMany(n => n.Errors.Select(e => $"{n.Node} ({n.Address}): {e}")).ToList();
        if (refusals.Count > 0)
        {
            view.Tell(new EndRun("a node refused the run"));
            throw new AssignmentRefusedException(refusals);
        }

        if (BeforeStart is { } beforeStart)
        {
            try
            {
                await beforeStart(assigned.Nodes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                view.Tell(new EndRun("the run could not be prepared"));
                throw new AssignmentRefusedException([$"preparing the run failed: {ex.Message}"]);
            }
        }

        if (!await node.WaitForRegionsAsync(assigned.Nodes.Count, AskTimeout, cancellationToken).ConfigureAwait(false))
        {
            view.Tell(new EndRun("not every node's shard region registered"));
            throw new AssignmentRefusedException([$"not all {assigned.Nodes.Count} nodes' charge-point regions registered with the shard coordinator within {AskTimeout.TotalSeconds:0} s"]);
        }

        var startedAt = DateTimeOffset.UtcNow;
        var connections = new ConnectionJournal(startedAt);
        var phases = Phases ?? new RunPhaseTracker(plan);
        phases.Start(startedAt, node.State.NodeName);
        // The nodes' statistics arrive about once a second: the drain begins with the last merged view from before the stop.
        FleetViewSnapshot? lastView = null;
        var timeline = new RunJournal { OnStopRequested = at => phases.EnterDrain(at, Volatile.Read(ref lastView)?.Merged ?? StatisticsSnapshot.Empty(node.State.NodeName, at)) };
        var catalog = new FleetCatalog(plan);
        _coordinator = system.ActorOf(FleetCoordinator.Props(plan, catalog, node.ChargePoints, csms, timeline, ResendStartsEvery), "coordinator");
        try
        {
            await using var abort = cancellationToken.Register(() => Abort("interrupted (SIGINT/SIGTERM)"));
            var finishedTask = _coordinator.Ask<RunFinished>(BeginRun.Instance, plan.Duration + plan.Drain + TimeSpan.FromMinutes(2), CancellationToken.None);
            while (!finishedTask.IsCompleted)
            {
                await Task.WhenAny(finishedTask, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false);
                var current = await view.Ask<FleetViewSnapshot>(GetView.Instance, AskTimeout, CancellationToken.None).ConfigureAwait(false);
                connections.RecordQueueDepth(DateTimeOffset.UtcNow, (int)current.Merged.OfflineQueueDepth);
                if (timeline.StopRequestedAt is null)
                {
                    Volatile.Write(ref lastView, current);
                }
                phases.Tick(DateTimeOffset.UtcNow, current.Merged.ConnectedNow, current.Merged.BootedNow, () => current.Merged);
                OnProgress?.Invoke(current, DateTimeOffset.UtcNow - startedAt);
            }
            var finished = await finishedTask.ConfigureAwait(false);
            var finals = await view.Ask<FinalsCollected>(new CollectFinals(FinalReportsWait), AskTimeout, CancellationToken.None).ConfigureAwait(false);
            foreach (var journal in finals.Finals.Select(f => f.Journal).Concat(finals.FromFailedNodes.Select(f => f.Journal)))
            {
                NodeJournals.MergeInto(connections, journal);
            }
            view.Tell(new EndRun(finished.AbortReason));
            await WaitForWorkersToLeaveAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            return new ClusterRunResult(new FleetRunResult(finished, finals.View.Merged, connections, timeline) { Phases = phases.Complete(finished.EndedAt, finals.View.Merged) }, finals.View, finals.Missing,
                [.. finals.FromFailedNodes.SelectMany(f => f.Produced)])
            {
                FoldedOnFailedNodes = finals.FromFailedNodes.Sum(f => f.Folded),
                UncheckedNodes = finals.Unchecked,
                Unfolded = finals.Unfolded,
                Folded = finals.Folded,
            };
        }
        finally
        {
            _coordinator = null;
        }
    }

    /// <summary>The workers leave on <see cref="RunOver"/>; the coordinator (seed and shard coordinator) leaves last.</summary>
    private async Task WaitForWorkersToLeaveAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var self = node.Cluster.SelfAddress;
        while (DateTimeOffset.UtcNow < deadline && node.Cluster.State.Members.Any(m => m.Address != self && m.Status != Akka.Cluster.MemberStatus.Removed))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the run early and gracefully on every node; the report is still produced.</summary>
    public void Abort(string reason) => _coordinator?.Tell(new AbortRun(reason));
}
