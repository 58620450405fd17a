using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Simulator.Fleet.ChargePoints;
using Simulator.Metrics;

namespace Simulator.Fleet.Cluster;

/// <summary>
/// What a node makes of a <see cref="RunAssignment"/>: its own environment for the run, or why it cannot take part; and the
/// CA certificate (PEM) the node issues client certificates with when the CSMS must be told to trust it.
/// </summary>
public sealed record AssignmentOutcome(FleetEnvironment? Environment, IReadOnlyList<string> Errors, string? ClientCertificateIssuerPem = null)
{
    public static AssignmentOutcome Ready(FleetEnvironment environment, string? clientCertificateIssuerPem = null) => new(environment, [], clientCertificateIssuerPem);

    public static AssignmentOutcome Failed(IReadOnlyList<string> errors) => new(null, errors);
}

/// <summary>
/// A node's part of a clustered run, shared between its <see cref="FleetNodeActor"/> (which fills it when the assignment
/// arrives) and the shard region's entity factory (which reads it from the region's thread): hence the volatile field.
/// <paramref name="onAssignment"/> builds the node's environment with the given <see cref="SettledMessageFold"/> as its
/// charge points' <see cref="FleetEnvironment.SettledMessages"/>.
/// </summary>
public sealed class FleetNodeState(string nodeName, Func<RunAssignment, SettledMessageFold, AssignmentOutcome> onAssignment) : IDisposable
{
    /// <summary>How often the node's fold looks up what its charge points handed over (as a run in one process does).</summary>
    public static readonly TimeSpan FoldEvery = TimeSpan.FromSeconds(5);

    private volatile FleetEnvironment? _environment;
    private readonly TaskCompletionSource<string?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopFolding = new();
    private Task _folding = Task.CompletedTask;

    public string NodeName { get; } = nodeName;

    public FleetEnvironment? Environment => _environment;

    /// <summary>Completes when this node's part of the run is over: the reason it was aborted, or null for a normal end.</summary>
    public Task<string?> Ended => _ended.Task;

    /// <summary>
    /// The loss check's fold of this node's charge points (after the assignment): with the coordinator's ledger look-ups it
    /// keeps what the ledger did not record for the check at the stop; without, it only counts settled messages.
    /// </summary>
    public SettledMessageFold? SettledMessages { get; private set; }

    /// <summary><paramref name="lookup"/> asks the coordinator; used only when the assignment says it can (<see cref="RunAssignment.LedgerLookups"/>).</summary>
    internal AssignmentOutcome Assign(RunAssignment assignment, Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>> lookup)
    {
        var fold = new SettledMessageFold(assignment.LedgerLookups ? lookup : null);
        var outcome = onAssignment(assignment, fold);
        if (outcome.Environment is { } environment)
        {
            SettledMessages = fold;
            if (fold.KeepsMessages)
            {
                _folding = fold.RunAsync(FoldEvery, _stopFolding.Token);
            }
            _environment = environment;
        }
        return outcome;
    }

    /// <summary>Ends the folding (a look-up under way is given up: its messages stay whole); what the fold holds then is final.</summary>
    internal async Task StopFoldingAsync()
    {
        if (!_stopFolding.IsCancellationRequested)
        {
            await _stopFolding.CancelAsync().ConfigureAwait(false);
        }
        await _folding.ConfigureAwait(false);
    }

    /// <summary>Stops the folding if it still runs (the node is going away).</summary>
    public void Dispose()
    {
        _stopFolding.Cancel();
        _stopFolding.Dispose();
    }

    internal void End(string? abortReason) => _ended.TrySetResult(abortReason);

    /// <summary>
    /// The sharding entity factory: a charge-point actor with this node's environment. An id the plan does not know, or a
    /// message before the plan arrived, gets an actor that answers a stop and goes away.
    /// </summary>
    public Props EntityProps(string chargeBoxId)
        => _environment is { } environment && environment.Catalog.Find(chargeBoxId) is { } member
            ? ChargePointActor.Props(environment, member)
            : UnassignedChargePoint.Props(chargeBoxId);

    private readonly NodeRecordCursor _records = new();

    /// <summary>What the node recorded since the previous call; null before the assignment. Called by the node's actor only.</summary>
    internal NodeRecords? NextRecords() => _environment is { } environment ? _records.Next(environment.Journal, environment.ProducedFeed) : null;

    /// <summary>The node's latencies since the previous call, per action (empty windows left out); empty before the assignment.</summary>
    internal IReadOnlyList<WindowSlice> RollWindow() => _environment is { } environment
        ? [.. environment.Telemetry.RollWindowHistograms().Where(w => w.Histogram.Count > 0).Select(w => new WindowSlice(w.Action, w.Direction, w.Histogram.ToCompressedBytes()) { OcppVersion = w.OcppVersion })]
        : [];

    /// <summary>The node's statistics so far; empty before the assignment.</summary>
    public StatisticsSnapshot Snapshot() => _environment?.Telemetry.Snapshot() ?? StatisticsSnapshot.Empty(NodeName, DateTimeOffset.UtcNow);
}

/// <summary>
/// One per node, at <c>/user/fleet-node</c>: takes the run assignment, answers the coordinator's requests for statistics
/// and the final journal, and ends this node's part when told so or when the coordinator is gone from the cluster — then
/// it first stops the charge points it hosts (sessions end, queues drain, sockets close) as the coordinator would have.
/// </summary>
public sealed class FleetNodeActor : ReceiveActor, IWithTimers
{
    public const string Name = "fleet-node";

    /// <summary>What a charge point gets to deliver its queue when the node ends without a plan (else the plan's drain).</summary>
    private static readonly TimeSpan DrainFor = TimeSpan.FromSeconds(5);

    private readonly FleetNodeState _state;
    private readonly IActorRef _chargePoints;
    private bool _ending;
    private string? _endReason;
    private int _stopsAwaited;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private string? _runId;
    private Address? _coordinator;
    /// <summary>The coordinator's view of the run (who sent the assignment): it looks settled messages up and takes the final report.</summary>
    private IActorRef? _view;

    /// <summary>How long a node waits for the coordinator's ledger look-up (as long as a CSMS control API request may take).</summary>
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromMinutes(2);

    /// <summary>About how many messages a <see cref="NodeUnfolded"/> part carries (whole charge points: one may bring more).</summary>
    private const int UnfoldedSlice = 8_192;

    public FleetNodeActor(FleetNodeState state, IActorRef chargePoints)
    {
        _state = state;
        _chargePoints = chargePoints;
        Receive<RunAssignment>(OnAssignment);
        Receive<CollectStatistics>(_ => Sender.Tell(new NodeStatistics(_state.NodeName, SelfAddress, _state.Snapshot().ToBytes(), _state.NextRecords(), _state.RollWindow())));
        Receive<CollectFinal>(_ =>
        {
            // The charge points have stopped: the fold ends before what it holds is reported.
            var view = Sender;
            _state.StopFoldingAsync().PipeTo(Self, success: () => new FinalDue(view), failure: _ => new FinalDue(view));
        });
        Receive<FinalDue>(due => SendFinal(due.View));
        Receive<LookUpSettled>(lookUp =>
        {
            if (_view is null)
            {
                Sender.Tell(new LedgerLookupAnswer([], "this node has no coordinator to look messages up through"));
                return;
            }
            // With what was recorded since the last hand-over, so that the coordinator's copy holds these messages first.
            _view.Tell(new LedgerLookupRequest(_state.NextRecords(), lookUp.Settled), Sender);
        });
        Receive<RunOver>(over =>
        {
            _ending = true;
            _state.End(over.AbortReason);
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.Member.Address == _cluster.SelfAddress)
            {
                _state.End("this node was removed from the cluster");
            }
            else if (removed.Member.Address == _coordinator && !_ending)
            {
                _log.Warning("The coordinator {0} left the cluster; stopping this node's charge points and ending its part of the run", _coordinator);
                _ending = true;
                _endReason = "the coordinator left the cluster";
                _chargePoints.Ask<Akka.Cluster.Sharding.CurrentShardRegionState>(Akka.Cluster.Sharding.GetShardRegionState.Instance, TimeSpan.FromSeconds(5))
                    .PipeTo(Self, success: state => new LocalChargePoints([.. state.Shards.SelectMany(shard => shard.EntityIds)]), failure: _ => new LocalChargePoints([]));
            }
        });
        Receive<LocalChargePoints>(OnLocalChargePoints);
        Receive<ChargePointStopped>(_ =>
        {
            if (--_stopsAwaited == 0)
            {
                EndAfterStops();
            }
        });
        Receive<StopsTimedOut>(_ => EndAfterStops());
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private string SelfAddress => _cluster.SelfAddress.ToString();

    public static Props Props(FleetNodeState state, IActorRef chargePoints) => Akka.Actor.Props.Create(() => new FleetNodeActor(state, chargePoints));

    /// <summary>The shard region reaches its local entities without the (gone) shard coordinator.</summary>
    private void OnLocalChargePoints(LocalChargePoints local)
    {
        _stopsAwaited = local.ChargeBoxIds.Count;
        var drainFor = _state.Environment?.Plan.Drain ?? DrainFor;
        _log.Warning("Stopping the {0} charge points hosted here", _stopsAwaited);
        foreach (var chargeBoxId in local.ChargeBoxIds)
        {
            _chargePoints.Tell(new StopChargePoint(chargeBoxId, drainFor));
        }
        if (_stopsAwaited == 0)
        {
            EndAfterStops();
            return;
        }
        Timers.StartSingleTimer(StopsTimedOut.Instance, StopsTimedOut.Instance, drainFor + TimeSpan.FromSeconds(10));
    }

    /// <summary>What the fold did not fold, in slices, then the final report (one sender, one receiver: they arrive in this order).</summary>
    private void SendFinal(IActorRef view)
    {
        long unfolded = 0;
        var fold = _state.SettledMessages;
        if (fold is not null)
        {
            var part = new List<ChargePointStopped>();
            var inPart = 0;
            foreach (var stopped in fold.Unfolded())
            {
                part.Add(stopped);
                inPart += stopped.Produced.Count;
                unfolded += stopped.Produced.Count;
                if (inPart >= UnfoldedSlice)
                {
                    view.Tell(new NodeUnfolded(part));
                    part = [];
                    inPart = 0;
                }
            }
            if (part.Count > 0)
            {
                view.Tell(new NodeUnfolded(part));
            }
        }
        var folded = fold?.Folded ?? default;
        view.Tell(new NodeFinal(
            _state.NodeName,
            SelfAddress,
            _state.Snapshot().ToBytes(),
            _state.Environment is { } environment ? NodeJournals.ToWire(environment.Journal) : new NodeJournal(0, [], []),
            folded.Acknowledged,
            folded.GivenUp,
            unfolded));
    }

    /// <summary>The node fold's look-up: through the coordinator, by way of this actor (see <see cref="LedgerLookupRequest"/>).</summary>
    private static async Task<IReadOnlyList<LedgerLookup>> LookUpAsync(IActorRef nodeActor, IReadOnlyList<ChargePointStopped> settled, CancellationToken cancellationToken)
    {
        var answer = await nodeActor.Ask<LedgerLookupAnswer>(new LookUpSettled(settled), LookupTimeout, cancellationToken).ConfigureAwait(false);
        if (answer.Error is not null)
        {
            throw new InvalidOperationException($"the coordinator could not look the messages up: {answer.Error}");
        }
        return [.. answer.Verdicts.Select(v => (LedgerLookup)v)];
    }

    private void EndAfterStops()
    {
        Timers.Cancel(StopsTimedOut.Instance);
        _state.End(_endReason);
    }

    protected override void PreStart() => _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void OnAssignment(RunAssignment assignment)
    {
        if (_runId is not null)
        {
            Sender.Tell(new NodeAssigned(_state.NodeName, SelfAddress, _runId == assignment.RunId ? [] : [$"this node already takes part in run {_runId}"]));
            return;
        }
        AssignmentOutcome outcome;
        var self = Self;
        try
        {
            outcome = _state.Assign(assignment, (settled, token) => LookUpAsync(self, settled, token));
        }
        catch (Exception ex)
        {
            outcome = AssignmentOutcome.Failed([$"{_state.NodeName}: {ex.Message}"]);
        }
        if (outcome.Environment is not null)
        {
            _runId = assignment.RunId;
            _coordinator = Sender.Path.Address.HasGlobalScope ? Sender.Path.Address : _cluster.SelfAddress;
            _view = Sender;
        }
        Sender.Tell(new NodeAssigned(_state.NodeName, SelfAddress, outcome.Errors, outcome.ClientCertificateIssuerPem));
    }
}

/// <summary>The fold asks the node's actor to look these up through the coordinator (local only).</summary>
internal sealed record LookUpSettled(IReadOnlyList<ChargePointStopped> Settled);

/// <summary>The fold has ended: send the final report to the coordinator's view (local only).</summary>
internal sealed record FinalDue(IActorRef View);

/// <summary>The charge points this node hosts, by id (from its shard region's state).</summary>
internal sealed record LocalChargePoints(IReadOnlyList<string> ChargeBoxIds);

internal sealed class StopsTimedOut
{
    public static StopsTimedOut Instance { get; } = new();
}

/// <summary>
/// The entity for a chargeBoxId this node cannot run (not in its plan, or no plan yet): answers a stop like a charge point
/// that produced nothing, and stops at once so that a later message finds a real charge point.
/// </summary>
internal sealed class UnassignedChargePoint : ReceiveActor
{
    public UnassignedChargePoint(string chargeBoxId)
    {
        Receive<StopChargePoint>(_ =>
        {
            Sender.Tell(new ChargePointStopped(chargeBoxId, [], 0));
            Context.Stop(Self);
        });
        ReceiveAny(_ => Context.Stop(Self));
    }

    public static Props Props(string chargeBoxId) => Akka.Actor.Props.Create(() => new UnassignedChargePoint(chargeBoxId));
}
