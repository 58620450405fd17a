using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Simulator.Fleet.ChargePoints;
using Simulator.Metrics;

namespace Simulator.Fleet.Cluster;

/// <summary>A worker that left the run early: when it went, and what it was running then (its last statistics).</summary>
public sealed record NodeFailure(
    string Node,
    string Address,
    DateTimeOffset? UnreachableAt,
    DateTimeOffset RemovedAt,
    long ChargePointsInterrupted,
    long SessionsInterrupted);

/// <summary>One node's part of the run, for the report.</summary>
public sealed record NodeShare(string Node, string Address, bool Failed, StatisticsSnapshot Statistics);

/// <summary>
/// The whole fleet as the coordinator sees it: all nodes merged, each node's share, the nodes that failed, and the latencies
/// of every node's last second merged.
/// </summary>
public sealed record FleetViewSnapshot(StatisticsSnapshot Merged, IReadOnlyList<NodeShare> Nodes, IReadOnlyList<NodeFailure> Failures, WindowStatistics Window)
{
    /// <summary>Transaction messages the coordinator holds in its copies of the other nodes' records.</summary>
    public int CopiedMessagesHeld { get; init; }
}

/// <summary>
/// The coordinator's view of the cluster's nodes during a run: hands every member the assignment, collects each node's
/// statistics about once a second (and the final ones with the journals at the end), merges them, and notes the nodes
/// that became unreachable and were removed. Looks the nodes' settled messages up in the run's CSMS ledger for their folds
/// (<see cref="LedgerLookupRequest"/>) with <c>lookup</c>, and drops what the ledger recorded from its copy of their records.
/// Lives on the coordinator only; its own requests below never cross nodes.
/// </summary>
public sealed class FleetView : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, Node> _nodes = [];
    private readonly Dictionary<Address, DateTimeOffset> _unreachableSince = [];
    private readonly List<NodeFailure> _failures = [];
    private IActorRef? _assignRequester;
    private int _awaitingAssignments;
    private IActorRef? _finalRequester;
    private readonly Dictionary<Address, NodeFinal> _finals = [];
    private readonly Dictionary<Address, string> _unfoldedShort = [];
    private TimeSpan _finalsTimeout;
    private readonly Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>>? _lookup;

    public FleetView(Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>>? lookup)
    {
        _lookup = lookup;
        Receive<AssignNodes>(OnAssign);
        Receive<NodeAssigned>(OnAssigned);
        Receive<AssignTimedOut>(_ => CompleteAssignment());
        Receive<Poll>(_ => PollNodes(CollectStatistics.Instance));
        Receive<NodeStatistics>(OnStatistics);
        Receive<GetView>(_ => Sender.Tell(View()));
        Receive<CollectFinals>(OnCollectFinals);
        Receive<NodeFinal>(OnFinal);
        Receive<NodeUnfolded>(unfolded =>
        {
            if (NodeOf(Sender) is { Failed: false } node)
            {
                node.Unfolded.AddRange(unfolded.Messages);
            }
        });
        Receive<LedgerLookupRequest>(OnLookup);
        Receive<LookedUp>(OnLookedUp);
        Receive<FinalsTimedOut>(_ => CompleteFinals());
        Receive<EndRun>(end =>
        {
            foreach (var node in _nodes.Values.Where(n => !n.Failed && n.Address != _cluster.SelfAddress))
            {
                node.Actor.Tell(new RunOver(end.AbortReason));
            }
        });
        Receive<ClusterEvent.UnreachableMember>(u => _unreachableSince.TryAdd(u.Member.Address, DateTimeOffset.UtcNow));
        Receive<ClusterEvent.ReachableMember>(r => _unreachableSince.Remove(r.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(OnRemoved);
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>>? lookup = null)
        => Akka.Actor.Props.Create(() => new FleetView(lookup));

    protected override void PreStart()
        => _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void OnAssign(AssignNodes assign)
    {
        _assignRequester = Sender;
        var members = _cluster.State.Members.Where(m => m.Status == MemberStatus.Up).ToList();
        _awaitingAssignments = members.Count;
        foreach (var member in members)
        {
            var path = new RootActorPath(member.Address) / "user" / FleetNodeActor.Name;
            Context.ActorSelection(path).Tell(assign.Assignment);
        }
        Timers.StartSingleTimer("assign", AssignTimedOut.Instance, assign.Timeout);
    }

    private void OnAssigned(NodeAssigned assigned)
    {
        var address = Sender.Path.Address.HasGlobalScope ? Sender.Path.Address : _cluster.SelfAddress;
        _nodes[address] = new Node(assigned.Node, address, Sender) { Assigned = assigned };
        if (--_awaitingAssignments <= 0)
        {
            CompleteAssignment();
        }
    }

    private void CompleteAssignment()
    {
        Timers.Cancel("assign");
        _assignRequester?.Tell(new NodesAssigned([.. _nodes.Values.Select(n => n.Assigned!)]));
        _assignRequester = null;
        Timers.StartPeriodicTimer("poll", Poll.Instance, TimeSpan.Zero, PollInterval);
    }

    private void PollNodes(object request)
    {
        foreach (var node in _nodes.Values.Where(n => !n.Failed))
        {
            node.Actor.Tell(request);
        }
    }

    private void OnStatistics(NodeStatistics statistics)
    {
        if (NodeOf(Sender) is { Failed: false } node)
        {
            node.Latest = StatisticsSnapshot.FromBytes(statistics.Snapshot);
            node.Remember(node.Latest);
            node.LatestWindow = statistics.Window ?? [];
            if (statistics.Records is { } records && node.Address != _cluster.SelfAddress)
            {
                node.Records.Add(records);
            }
        }
    }

    private void OnLookup(LedgerLookupRequest request)
    {
        var node = NodeOf(Sender);
        if (request.Records is { } records && node is { Failed: false } && node.Address != _cluster.SelfAddress)
        {
            node.Records.Add(records);
        }
        if (_lookup is not { } lookup)
        {
            Sender.Tell(new LedgerLookupAnswer([], "the coordinator has no CSMS ledger to look messages up in"));
            return;
        }
        var replyTo = Sender;
        var count = request.Settled.Sum(s => s.Produced.Count);
        // Off the view's thread: an in-process ledger answers synchronously.
        Task.Run(() => LookUpAsync(lookup, request.Settled, count)).PipeTo(Self,
            success: verdicts => new LookedUp(node, request.Settled, verdicts, null, replyTo),
            failure: ex => new LookedUp(node, request.Settled, null, ex.GetBaseException().Message, replyTo));
    }

    private static async Task<IReadOnlyList<LedgerLookup>> LookUpAsync(
        Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>> lookup, IReadOnlyList<ChargePointStopped> settled, int count)
    {
        var verdicts = await lookup(settled, CancellationToken.None).ConfigureAwait(false);
        return verdicts.Count == count ? verdicts : throw new InvalidOperationException($"the ledger answered {verdicts.Count} look-ups for {count} messages");
    }

    private void OnLookedUp(LookedUp done)
    {
        if (done.Verdicts is { } verdicts && done.Node is { Failed: false } node && node.Address != _cluster.SelfAddress)
        {
            node.Records.Fold(done.Settled, verdicts);
        }
        done.ReplyTo.Tell(done.Verdicts is { } answered
            ? new LedgerLookupAnswer([.. answered.Select(v => (byte)v)])
            : new LedgerLookupAnswer([], done.Error ?? "the look-up failed"));
    }

    private void OnRemoved(ClusterEvent.MemberRemoved removed)
    {
        var address = removed.Member.Address;
        var unreachableAt = _unreachableSince.GetValueOrDefault(address);
        _unreachableSince.Remove(address);
        if (!_nodes.TryGetValue(address, out var node) || node.Failed || _finals.ContainsKey(address))
        {
            return;
        }
        node.Failed = true;
        var failure = new NodeFailure(node.Name, address.ToString(), unreachableAt == default ? null : unreachableAt, DateTimeOffset.UtcNow,
            node.Recent.Max(r => (long?)r.Booted) ?? 0, node.Recent.Max(r => (long?)r.Sessions) ?? 0);
        _failures.Add(failure);
        _log.Warning("Node {0} ({1}) left the run: about {2} charge points and {3} sessions interrupted; they start again on the other nodes",
            node.Name, address, failure.ChargePointsInterrupted, failure.SessionsInterrupted);
        if (_finalRequester is not null && _nodes.Values.All(n => n.Failed || _finals.ContainsKey(n.Address)))
        {
            CompleteFinals();
        }
    }

    private void OnCollectFinals(CollectFinals collect)
    {
        _finalRequester = Sender;
        _finalsTimeout = collect.Timeout;
        Timers.Cancel("poll");
        PollNodes(CollectFinal.Instance);
        Timers.StartSingleTimer("finals", FinalsTimedOut.Instance, collect.Timeout);
        if (_nodes.Values.All(n => n.Failed))
        {
            CompleteFinals();
        }
    }

    private void OnFinal(NodeFinal final)
    {
        if (NodeOf(Sender) is not { Failed: false } node)
        {
            return;
        }
        node.Latest = StatisticsSnapshot.FromBytes(final.Snapshot);
        var unfolded = node.Unfolded.Sum(s => (long)s.Produced.Count);
        if (unfolded != final.Unfolded)
        {
            _log.Error("Node {0} reported {1} transaction messages its fold did not fold, and {2} arrived: the loss check misses the difference", node.Name, final.Unfolded, unfolded);
        }
        if (unfolded < final.Unfolded)
        {
            _unfoldedShort[node.Address] = string.Create(CultureInfo.InvariantCulture,
                $"its final report counted {final.Unfolded} transaction messages its loss-check fold kept for the check, and {unfolded} arrived: the others were not checked");
        }
        _finals[node.Address] = final;
        if (_nodes.Values.All(n => n.Failed || _finals.ContainsKey(n.Address)))
        {
            CompleteFinals();
        }
    }

    private void CompleteFinals()
    {
        if (_finalRequester is null)
        {
            return;
        }
        Timers.Cancel("finals");
        var missing = _nodes.Values.Where(n => !n.Failed && !_finals.ContainsKey(n.Address)).Select(n => n.Name).ToList();
        var fromFailed = _nodes.Values.Where(n => n.Failed).Select(n => new FailedNodeRecords(n.Name, n.Records.Journal, n.Records.Produced) { Folded = n.Records.Folded }).ToList();
        var reported = _nodes.Values.Where(n => !n.Failed && _finals.ContainsKey(n.Address)).ToList();
        var noFinalReport = string.Create(CultureInfo.InvariantCulture,
            $"no final report within {_finalsTimeout.TotalSeconds:0.#} s: the transaction messages its loss-check fold held (kept for the check, or found recorded) were not checked");
        _finalRequester.Tell(new FinalsCollected(View(), [.. _finals.Values], missing, fromFailed)
        {
            Unchecked =
            [
                .. missing.Select(name => new UncheckedNode(name, noFinalReport)),
                .. reported.Where(n => _unfoldedShort.ContainsKey(n.Address)).Select(n => new UncheckedNode(n.Name, _unfoldedShort[n.Address])),
            ],
            Unfolded = [.. reported.SelectMany(n => n.Unfolded)],
            Folded = new FoldedMessages(reported.Sum(n => _finals[n.Address].FoldedAcknowledged), reported.Sum(n => _finals[n.Address].FoldedGivenUp)),
        });
        _finalRequester = null;
    }

    private Node? NodeOf(IActorRef sender)
        => _nodes.GetValueOrDefault(sender.Path.Address.HasGlobalScope ? sender.Path.Address : _cluster.SelfAddress);

    private FleetViewSnapshot View()
    {
        var shares = _nodes.Values
            .OrderBy(n => n.Address.Port)
            .Select(n =>
            {
                var stats = n.Latest ?? StatisticsSnapshot.Empty(n.Name, DateTimeOffset.UtcNow);
                return new NodeShare(n.Name, n.Address.ToString(), n.Failed, n.Failed ? stats.WithoutLiveGauges() : stats);
            })
            .ToList();
        var merged = shares.Select(s => s.Statistics).Aggregate((StatisticsSnapshot?)null, (sum, s) => sum is null ? s : sum.Merge(s))
            ?? StatisticsSnapshot.Empty("none", DateTimeOffset.UtcNow);
        var window = WindowStatistics.FromHistograms(PollInterval, _nodes.Values.Where(n => !n.Failed)
            .SelectMany(n => n.LatestWindow.Select(w => new WindowHistogram(w.Action, w.Direction, LatencyHistogram.FromCompressedBytes(w.Histogram)) { OcppVersion = w.OcppVersion })));
        return new FleetViewSnapshot(merged, shares, [.. _failures], window) { CopiedMessagesHeld = _nodes.Values.Sum(n => n.Records.Held) };
    }

    private sealed class Node(string name, Address address, IActorRef actor)
    {
        public string Name { get; } = name;
        public Address Address { get; } = address;
        public IActorRef Actor { get; } = actor;
        public NodeAssigned? Assigned { get; init; }
        public StatisticsSnapshot? Latest { get; set; }
        public bool Failed { get; set; }
        /// <summary>
        /// What the node held over its last polls: a node that leaves gracefully stops its charge points (shard hand-off)
        /// before it is removed, so its very last statistics show none; a killed one stops answering with them all.
        /// </summary>
        private const int RecentPolls = 10;

        private readonly Queue<(long Booted, long Sessions)> _recent = new();

        public IEnumerable<(long Booted, long Sessions)> Recent => _recent;

        public void Remember(StatisticsSnapshot statistics)
        {
            if (_recent.Count == RecentPolls)
            {
                _recent.Dequeue();
            }
            _recent.Enqueue((statistics.BootedNow, statistics.SessionsActive));
        }

        public NodeRecordCopy Records { get; } = new();

        /// <summary>What the node's fold did not fold, sent before its final report.</summary>
        public List<ChargePointStopped> Unfolded { get; } = [];
        public IReadOnlyList<WindowSlice> LatestWindow { get; set; } = [];
    }

    /// <summary>A look-up for a node's fold is done: its verdicts (null: failed, <see cref="Error"/> says why) go back to <see cref="ReplyTo"/>.</summary>
    private sealed record LookedUp(Node? Node, IReadOnlyList<ChargePointStopped> Settled, IReadOnlyList<LedgerLookup>? Verdicts, string? Error, IActorRef ReplyTo);

    private sealed class Poll
    {
        public static Poll Instance { get; } = new();
    }

    private sealed class AssignTimedOut
    {
        public static AssignTimedOut Instance { get; } = new();
    }

    private sealed class FinalsTimedOut
    {
        public static FinalsTimedOut Instance { get; } = new();
    }
}

/// <summary>Give every up member the assignment; answered with <see cref="NodesAssigned"/> when all answered or at the timeout.</summary>
public sealed record AssignNodes(RunAssignment Assignment, TimeSpan Timeout);

public sealed record NodesAssigned(IReadOnlyList<NodeAssigned> Nodes);

/// <summary>Ask for the merged view; answered with <see cref="FleetViewSnapshot"/>.</summary>
public sealed record GetView
{
    public static GetView Instance { get; } = new();
}

/// <summary>Collect every node's final statistics and journal; answered with <see cref="FinalsCollected"/>.</summary>
public sealed record CollectFinals(TimeSpan Timeout);

/// <summary>
/// Every node's final report; <see cref="Unfolded"/> and <see cref="Folded"/> are the folds' results of the nodes that sent one
/// (the messages kept whole for the check at the stop, and those the ledger recorded during the run). <see cref="Unchecked"/>:
/// the nodes whose fold's messages did not all arrive (<see cref="Missing"/>, and those whose final report counted more
/// than came), and why.
/// </summary>
public sealed record FinalsCollected(FleetViewSnapshot View, IReadOnlyList<NodeFinal> Finals, IReadOnlyList<string> Missing, IReadOnlyList<FailedNodeRecords> FromFailedNodes)
{
    public IReadOnlyList<UncheckedNode> Unchecked { get; init; } = [];
    public IReadOnlyList<ChargePointStopped> Unfolded { get; init; } = [];
    public FoldedMessages Folded { get; init; }
}

/// <summary>
/// What a node that failed had handed over until its last statistics: its journal and its charge points' transaction messages
/// still held, and how many of them left the copy during the run because the ledger recorded them (<see cref="Folded"/>).
/// </summary>
public sealed record FailedNodeRecords(string Node, NodeJournal Journal, IReadOnlyList<ChargePoints.ChargePointStopped> Produced)
{
    public long Folded { get; init; }
}

/// <summary>Tell every worker the run is over.</summary>
public sealed record EndRun(string? AbortReason);
