using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Simulator.Metrics;

/// <summary>
/// The one facade every part of the fleet reports to. Thread-safe and allocation-free per call (after the first call
/// for a new action/direction/code). Each call feeds two sinks: the <c>System.Diagnostics.Metrics</c> instruments of the
/// <see cref="Meter"/> named "FleetSim" (exported by <see cref="MetricsExporter"/>), and the run statistics
/// (HdrHistograms and counters) returned by <see cref="Snapshot"/> for the end-of-run report.
/// Every series carries the <c>node</c> label; no series carries a charge-point id.
/// </summary>
public sealed class FleetTelemetry : IDisposable
{
    private readonly TimeProvider _time;
    private readonly string _node;

    private readonly Histogram<double> _callDuration;
    private readonly Histogram<double> _callIntendedDuration;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _messagesReceived;
    private readonly Counter<long> _callErrors;
    private readonly Counter<long> _callTimeouts;
    private readonly Histogram<double> _connectDuration;
    private readonly Histogram<double> _tlsDuration;
    private readonly Histogram<double> _upgradeDuration;
    private readonly Counter<long> _connectionAttempts;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _sessionsStarted;
    private readonly Counter<long> _sessionsCompleted;
    private readonly Counter<double> _energy;
    private readonly Histogram<double> _schedulerLag;
    private readonly Counter<long> _securityEvents;
    private readonly Counter<long> _fileTransfers;
    private readonly Counter<long> _csmsViolations;
    private readonly Counter<long> _responseStatuses;

    // Run statistics.
    private readonly ConcurrentDictionary<CallKey, CallRecorder> _calls = new();
    private readonly ConcurrentDictionary<string, Cell> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cell> _received = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cell> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cell> _security = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Cell> _transfers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<CsmsViolationKey, Cell> _violations = new();
    private readonly List<CsmsViolationExample> _violationExamples = [];
    private readonly LatencyRecorder _connectTime = new();
    private readonly LatencyRecorder _tlsTime = new();
    private readonly LatencyRecorder _upgradeTime = new();
    private readonly LatencyRecorder _lag = new();
    private readonly Lock _queuesGate = new();
    private readonly HashSet<OfflineQueueGauge> _queues = [];
    private long _reconnectCount;
    private long _connectedNow;
    private long _connectedPeak;
    private long _bootedNow;
    private long _bootedPeak;
    private long _sessionsStartedCount;
    private long _sessionsCompletedCount;
    private long _sessionsActiveNow;
    private long _sessionsActivePeak;
    private double _energyWh;
    private LedgerCounts? _ledger;
    private long _windowStart;

    /// <param name="node">The value of the <c>node</c> label on every series (constant per process).</param>
    /// <param name="timeProvider">Clock for snapshot times and offline-queue ages; the system clock by default.</param>
    public FleetTelemetry(string node, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        _node = node;
        _time = timeProvider ?? TimeProvider.System;
        _windowStart = _time.GetTimestamp();
        Meter = new Meter(new MeterOptions(MetricNames.MeterName) { Version = "1.0" });

        var latencyAdvice = new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricNames.LatencyBuckets };
        var lagAdvice = new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricNames.SchedulerLagBuckets };
        _callDuration = Meter.CreateHistogram(MetricNames.CallDuration, "s", "OCPP CALL round trip from send to CALLRESULT/CALLERROR or timeout", advice: latencyAdvice);
        _callIntendedDuration = Meter.CreateHistogram(MetricNames.CallIntendedDuration, "s", "OCPP CALL latency measured from the scheduled send time", advice: latencyAdvice);
        _queueWait = Meter.CreateHistogram(MetricNames.QueueWait, "s", "Time a CALL waited in the dispatcher queue before being sent", advice: latencyAdvice);
        _messagesSent = Meter.CreateCounter<long>(MetricNames.MessagesSent, "{message}", "OCPP messages sent");
        _messagesReceived = Meter.CreateCounter<long>(MetricNames.MessagesReceived, "{message}", "OCPP messages received");
        _callErrors = Meter.CreateCounter<long>(MetricNames.CallErrors, "{call}", "CALLs answered with a CALLERROR");
        _callTimeouts = Meter.CreateCounter<long>(MetricNames.CallTimeouts, "{call}", "CALLs that got no answer in time");
        _connectDuration = Meter.CreateHistogram(MetricNames.WebSocketConnectDuration, "s", "TCP connect duration", advice: latencyAdvice);
        _tlsDuration = Meter.CreateHistogram(MetricNames.TlsHandshakeDuration, "s", "TLS handshake duration", advice: latencyAdvice);
        _upgradeDuration = Meter.CreateHistogram(MetricNames.WebSocketUpgradeDuration, "s", "WebSocket HTTP upgrade duration", advice: latencyAdvice);
        _connectionAttempts = Meter.CreateCounter<long>(MetricNames.ConnectionAttempts, "{attempt}", "WebSocket connection attempts by result");
        Meter.CreateObservableGauge(MetricNames.Connected, () => ObserveLong(ref _connectedNow), "{charge_point}", "Charge points with an open WebSocket");
        Meter.CreateObservableGauge(MetricNames.Booted, () => ObserveLong(ref _bootedNow), "{charge_point}", "Charge points whose BootNotification was accepted");
        Meter.CreateObservableGauge(MetricNames.SessionsActive, () => ObserveLong(ref _sessionsActiveNow), "{session}", "Charging sessions in progress");
        _reconnects = Meter.CreateCounter<long>(MetricNames.Reconnects, "{reconnect}", "Reconnects after a lost connection");
        _sessionsStarted = Meter.CreateCounter<long>(MetricNames.SessionsStarted, "{session}", "Charging sessions started");
        _sessionsCompleted = Meter.CreateCounter<long>(MetricNames.SessionsCompleted, "{session}", "Charging sessions completed");
        _energy = Meter.CreateCounter<double>(MetricNames.EnergyDelivered, "Wh", "Energy delivered by all charge points");
        _schedulerLag = Meter.CreateHistogram(MetricNames.SchedulerLag, "s", "How late scheduled messages were sent", advice: lagAdvice);
        _securityEvents = Meter.CreateCounter<long>(MetricNames.SecurityEvents, "{event}", "Security events by type");
        _fileTransfers = Meter.CreateCounter<long>(MetricNames.FileTransfers, "{transfer}", "File transfers (diagnostics, logs, firmware) by direction and outcome");
        _csmsViolations = Meter.CreateCounter<long>(MetricNames.CsmsProtocolViolations, "{violation}", "CSMS protocol violations seen by the charge points, by kind and action");
        _responseStatuses = Meter.CreateCounter<long>(MetricNames.ResponseStatuses, "{call}", "CALLRESULTs by the status in their payload (Accepted, Rejected, ...), by action and direction");
        Meter.CreateObservableGauge(MetricNames.OfflineQueueDepth, ObserveQueueDepth, "{message}", "Messages held in offline queues");
        Meter.CreateObservableGauge(MetricNames.OfflineQueueOldestAge, ObserveOldestAge, "s", "Age of the oldest message held in any offline queue");
        Meter.CreateObservableGauge(MetricNames.MessagesLost, () => ObserveLedger(l => l.Lost), "{message}", "Messages lost, from the ledger check");
        Meter.CreateObservableGauge(MetricNames.MessagesDuplicated, () => ObserveLedger(l => l.DuplicatesRecognised), "{message}", "Duplicate messages recognised, from the ledger check");
    }

    /// <summary>The "FleetSim" meter holding every instrument.</summary>
    public Meter Meter { get; }

    public string Node => _node;

    public TimeProvider TimeProvider => _time;

    /// <summary>An OCPP CALL ended (answered, answered with a CALLERROR, or timed out).</summary>
    /// <param name="action">The OCPP action, e.g. "BootNotification".</param>
    /// <param name="direction"><see cref="Directions.CpToCsms"/> or <see cref="Directions.CsmsToCp"/>.</param>
    /// <param name="errorCode">The CALLERROR code when <paramref name="outcome"/> is <see cref="CallOutcome.CallError"/>.</param>
    /// <param name="roundTrip">From the actual send to the answer (or the timeout).</param>
    /// <param name="queueWait">Time spent queued before the send.</param>
    /// <param name="fromIntended">From the scheduled send time to the answer, when the CALL was scheduled (coordinated omission).</param>
    /// <param name="responseStatus">The <c>status</c> of the CALLRESULT's payload (Accepted, Rejected, NotSupported ...), when it has one.</param>
    /// <param name="ocppVersion">The charge point's OCPP version (the <c>ocpp_version</c> label); "" when not known.</param>
    public void CallCompleted(string action, string direction, CallOutcome outcome, string? errorCode, TimeSpan roundTrip, TimeSpan queueWait, TimeSpan? fromIntended = null, string? responseStatus = null, string ocppVersion = "")
    {
        ArgumentNullException.ThrowIfNull(ocppVersion);
        ArgumentNullException.ThrowIfNull(action);
        CheckDirection(direction);
        var outcomeLabel = outcome.ToLabel();

        var recorder = _calls.GetOrAdd(new CallKey(action, direction, ocppVersion), static _ => new CallRecorder());
        recorder.Record(outcome, errorCode, roundTrip, queueWait, fromIntended, outcome == CallOutcome.Ok ? responseStatus : null);
        if (outcome == CallOutcome.Ok && responseStatus is not null)
        {
            _responseStatuses.Add(1, new TagList { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Action, action }, { MetricNames.Labels.OcppVersion, ocppVersion }, { MetricNames.Labels.Direction, direction }, { MetricNames.Labels.Status, responseStatus } });
        }

        _callDuration.Record(roundTrip.TotalSeconds, new TagList { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Action, action }, { MetricNames.Labels.OcppVersion, ocppVersion }, { MetricNames.Labels.Direction, direction }, { MetricNames.Labels.Outcome, outcomeLabel } });
        var actionTags = new TagList { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Action, action }, { MetricNames.Labels.OcppVersion, ocppVersion }, { MetricNames.Labels.Direction, direction } };
        _queueWait.Record(queueWait.TotalSeconds, actionTags);
        if (fromIntended is { } intended)
        {
            _callIntendedDuration.Record(intended.TotalSeconds, actionTags);
        }

        if (outcome == CallOutcome.CallError)
        {
            _callErrors.Add(1, ErrorTags(action, ocppVersion, errorCode ?? CallRecorder.UnknownCode));
        }
        else if (outcome == CallOutcome.Timeout)
        {
            _callTimeouts.Add(1, TimeoutTags(action, ocppVersion));
        }
    }

    // The labels of the error and timeout counters, in one place for the calls and the series declared at 0 (KnownSeries).
    private TagList ErrorTags(string action, string ocppVersion, string code) => new() { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Action, action }, { MetricNames.Labels.OcppVersion, ocppVersion }, { MetricNames.Labels.Code, code } };

    private TagList TimeoutTags(string action, string ocppVersion) => new() { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Action, action }, { MetricNames.Labels.OcppVersion, ocppVersion } };

    private readonly Lock _versionsGate = new();
    private readonly List<(string Version, IReadOnlyList<string> CoreActions)> _versions = [];

    /// <summary>
    /// The run has charge points of this OCPP version, whose own CALLs every fleet sends or may send are
    /// <paramref name="coreActions"/>: their error and timeout series start at 0 (call before the exporter starts).
    /// </summary>
    public void DeclareVersion(string ocppVersion, IEnumerable<string> coreActions)
    {
        ArgumentNullException.ThrowIfNull(ocppVersion);
        ArgumentNullException.ThrowIfNull(coreActions);
        lock (_versionsGate)
        {
            if (!_versions.Exists(v => v.Version == ocppVersion))
            {
                _versions.Add((ocppVersion, [.. coreActions]));
            }
        }
    }

    /// <summary>The OCPP-J CALLERROR codes (OCPP 1.6 section 4.2.3; 2.0.1 adds a few, which start when seen).</summary>
    internal static readonly IReadOnlyList<string> CallErrorCodes =
        ["FormationViolation", "GenericError", "InternalError", "NotImplemented", "NotSupported", "OccurenceConstraintViolation", "PropertyConstraintViolation", "ProtocolError", "SecurityError", "TypeConstraintViolation"];

    /// <summary>
    /// Series whose labels are known before anything happened (errors and timeouts of the core actions, connection attempts
    /// by the fixed results, reconnects, sessions, energy, the connection histograms): the exporter publishes them at 0 from
    /// the start, so a dashboard shows 0 rather than "No data".
    /// </summary>
    internal IEnumerable<(Instrument Instrument, TagList Labels)> KnownSeries()
    {
        var node = new TagList { { MetricNames.Labels.Node, _node } };
        foreach (var instrument in (Instrument[])[_reconnects, _sessionsStarted, _sessionsCompleted, _energy, _connectDuration, _tlsDuration, _upgradeDuration, _schedulerLag])
        {
            yield return (instrument, node);
        }
        foreach (var result in (string[])[ConnectResults.Ok, ConnectResults.Refused, ConnectResults.Timeout, ConnectResults.TlsFailure, ConnectResults.Other])
        {
            yield return (_connectionAttempts, new TagList { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Result, result } });
        }
        List<(string Version, IReadOnlyList<string> CoreActions)> versions;
        lock (_versionsGate)
        {
            versions = [.. _versions];
        }
        foreach (var (version, actions) in versions)
        {
            foreach (var action in actions)
            {
                yield return (_callTimeouts, TimeoutTags(action, version));
                foreach (var code in CallErrorCodes)
                {
                    yield return (_callErrors, ErrorTags(action, version, code));
                }
            }
        }
    }

    /// <summary>An OCPP message (CALL, CALLRESULT or CALLERROR) of this action was written to a socket.</summary>
    public void MessageSent(string action, string ocppVersion = "")
    {
        ArgumentNullException.ThrowIfNull(action);
        Increment(_sent, action);
        _messagesSent.Add(1, new TagList { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Action, action }, { MetricNames.Labels.OcppVersion, ocppVersion } });
    }

    /// <summary>An OCPP message of this action was read from a socket.</summary>
    public void MessageReceived(string action, string ocppVersion = "")
    {
        ArgumentNullException.ThrowIfNull(action);
        Increment(_received, action);
        _messagesReceived.Add(1, new TagList { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Action, action }, { MetricNames.Labels.OcppVersion, ocppVersion } });
    }

    /// <summary>A connection attempt ended.</summary>
    /// <param name="result">One of <see cref="ConnectResults"/> (use <see cref="ConnectResults.Http"/> for a refused upgrade).</param>
    /// <param name="tcpConnect">TCP connect duration, if the attempt got that far.</param>
    /// <param name="tlsHandshake">TLS handshake duration, if TLS was used and got that far.</param>
    /// <param name="upgrade">WebSocket HTTP upgrade duration, if it got that far.</param>
    public void ConnectionAttempt(string result, TimeSpan? tcpConnect = null, TimeSpan? tlsHandshake = null, TimeSpan? upgrade = null)
    {
        if (!ConnectResults.IsValid(result))
        {
            throw new ArgumentException($"unknown connection result '{result}'; expected ok, refused, http_<status>, tls_failure, timeout or other", nameof(result));
        }

        Increment(_attempts, result);
        var nodeTags = new TagList { { MetricNames.Labels.Node, _node } };
        _connectionAttempts.Add(1, new TagList { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Result, result } });
        if (tcpConnect is { } tcp)
        {
            _connectTime.Record(tcp);
            _connectDuration.Record(tcp.TotalSeconds, nodeTags);
        }

        if (tlsHandshake is { } tls)
        {
            _tlsTime.Record(tls);
            _tlsDuration.Record(tls.TotalSeconds, nodeTags);
        }

        if (upgrade is { } up)
        {
            _upgradeTime.Record(up);
            _upgradeDuration.Record(up.TotalSeconds, nodeTags);
        }
    }

    /// <summary>A charge point's WebSocket opened.</summary>
    public void Connected() => Gauge(ref _connectedNow, ref _connectedPeak, +1);

    /// <summary>A charge point's WebSocket closed.</summary>
    public void Disconnected() => Gauge(ref _connectedNow, ref _connectedPeak, -1);

    /// <summary>A charge point's BootNotification was accepted.</summary>
    public void Booted() => Gauge(ref _bootedNow, ref _bootedPeak, +1);

    /// <summary>A booted charge point lost its booted state (disconnect, reset).</summary>
    public void Unbooted() => Gauge(ref _bootedNow, ref _bootedPeak, -1);

    /// <summary>A charge point reconnects after losing its connection.</summary>
    public void Reconnect()
    {
        Interlocked.Increment(ref _reconnectCount);
        _reconnects.Add(1, new TagList { { MetricNames.Labels.Node, _node } });
    }

    /// <summary>
    /// Registers one charge point's offline queue. The owner calls <see cref="OfflineQueueGauge.Update"/> when the queue
    /// changes and disposes the handle when the charge point stops; depth and oldest age are aggregated at collection time.
    /// </summary>
    public OfflineQueueGauge RegisterOfflineQueue()
    {
        var gauge = new OfflineQueueGauge(this);
        lock (_queuesGate)
        {
            _queues.Add(gauge);
        }

        return gauge;
    }

    internal void Unregister(OfflineQueueGauge gauge)
    {
        lock (_queuesGate)
        {
            _queues.Remove(gauge);
        }
    }

    public void SessionStarted()
    {
        Interlocked.Increment(ref _sessionsStartedCount);
        Gauge(ref _sessionsActiveNow, ref _sessionsActivePeak, +1);
        _sessionsStarted.Add(1, new TagList { { MetricNames.Labels.Node, _node } });
    }

    public void SessionCompleted()
    {
        Interlocked.Increment(ref _sessionsCompletedCount);
        Interlocked.Decrement(ref _sessionsActiveNow);
        _sessionsCompleted.Add(1, new TagList { { MetricNames.Labels.Node, _node } });
    }

    /// <summary>Energy delivered (Wh) since the previous report of this charge point.</summary>
    public void EnergyDelivered(double wattHours)
    {
        if (!(wattHours >= 0) || double.IsInfinity(wattHours))
        {
            throw new ArgumentOutOfRangeException(nameof(wattHours), wattHours, "energy must be a finite, non-negative number of Wh");
        }

        double seen, sum;
        do
        {
            seen = Volatile.Read(ref _energyWh);
            sum = seen + wattHours;
        }
        while (Interlocked.CompareExchange(ref _energyWh, sum, seen) != seen);

        _energy.Add(wattHours, new TagList { { MetricNames.Labels.Node, _node } });
    }

    /// <summary>How late a scheduled message was actually sent (negative values count as 0).</summary>
    public void SchedulerLag(TimeSpan lag)
    {
        if (lag < TimeSpan.Zero)
        {
            lag = TimeSpan.Zero;
        }

        _lag.Record(lag);
        _schedulerLag.Record(lag.TotalSeconds, new TagList { { MetricNames.Labels.Node, _node } });
    }

    /// <summary>A security event (OCPP security whitepaper type name, e.g. "InvalidCsmsCertificate").</summary>
    public void SecurityEvent(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        Increment(_security, type);
        _securityEvents.Add(1, new TagList { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Type, type } });
    }

    /// <summary>A file transfer ended: <paramref name="direction"/> upload or download, <paramref name="outcome"/> "ok" or the failure's cause (dns, refused, timeout, login, tls, file_unavailable, http_NNN, ...).</summary>
    public void FileTransfer(string direction, string outcome)
    {
        if (direction is not (FileTransferDirections.Upload or FileTransferDirections.Download))
        {
            throw new ArgumentException($"unknown file transfer direction '{direction}'; expected upload or download", nameof(direction));
        }

        ArgumentException.ThrowIfNullOrEmpty(outcome);
        Increment(_transfers, direction + "/" + outcome);
        _fileTransfers.Add(1, new TagList { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Direction, direction }, { MetricNames.Labels.Outcome, outcome } });
    }

    /// <summary>
    /// The CSMS broke the protocol towards a charge point. Counted by kind and action (never by charge point); the first
    /// <see cref="CsmsViolationKinds.ExamplesPerKind"/> of each kind are kept with the charge point and <paramref name="detail"/>
    /// (a frame excerpt or a size, never a secret) for the report.
    /// </summary>
    public void CsmsProtocolViolation(CsmsViolationKind kind, string? action, string chargePointId, string detail)
    {
        ArgumentNullException.ThrowIfNull(chargePointId);
        ArgumentNullException.ThrowIfNull(detail);
        var kindLabel = kind.ToLabel();
        var actionLabel = action ?? CsmsViolationKinds.UnknownAction;
        Interlocked.Increment(ref _violations.GetOrAdd(new CsmsViolationKey(kindLabel, actionLabel), static _ => new Cell()).Value);
        _csmsViolations.Add(1, new TagList { { MetricNames.Labels.Node, _node }, { MetricNames.Labels.Kind, kindLabel }, { MetricNames.Labels.Action, actionLabel } });
        lock (_violationExamples)
        {
            if (_violationExamples.Count(e => e.Kind == kindLabel) < CsmsViolationKinds.ExamplesPerKind)
            {
                _violationExamples.Add(new CsmsViolationExample(kindLabel, chargePointId, _time.GetUtcNow(), action, CsmsViolationKinds.Excerpt(detail)));
            }
        }
    }

    /// <summary>Sets the result of the message ledger check (produced / delivered / lost / duplicates recognised).</summary>
    public void SetLedger(LedgerCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        Volatile.Write(ref _ledger, counts);
    }

    /// <summary>Messages held in all offline queues now; cheap, unlike <see cref="Snapshot"/>.</summary>
    public long OfflineQueueDepthNow => AggregateQueues().Depth;

    /// <summary>Charge points connected now; cheap, unlike <see cref="Snapshot"/>.</summary>
    public long ConnectedNow => Interlocked.Read(ref _connectedNow);

    /// <summary>Charge points booted now; cheap, unlike <see cref="Snapshot"/>.</summary>
    public long BootedNow => Interlocked.Read(ref _bootedNow);

    /// <summary>
    /// An immutable copy of the run statistics so far (cumulative histograms and counters). Not cheap: every histogram is
    /// copied (47-188 KB each by its count, on the large-object heap), so do not call it every second unless the histograms are read.
    /// </summary>
    public StatisticsSnapshot Snapshot()
    {
        // The gauges before the calls: a charge point records its BootNotification's answer before it counts itself booted (and
        // its connect attempt before connected), so a snapshot never has more booted than answered boots. A cluster ends the
        // ramp-up when the merged gauge has them all and takes the same snapshot as the ramp-up's end.
        var connectedNow = Interlocked.Read(ref _connectedNow);
        var connectedPeak = Interlocked.Read(ref _connectedPeak);
        var bootedNow = Interlocked.Read(ref _bootedNow);
        var bootedPeak = Interlocked.Read(ref _bootedPeak);
        var calls = new Dictionary<CallKey, CallStatistics>();
        foreach (var (key, recorder) in _calls)
        {
            calls[key] = recorder.Snapshot();
        }

        var (depth, _) = AggregateQueues();
        return new StatisticsSnapshot
        {
            Nodes = [_node],
            CapturedAt = _time.GetUtcNow(),
            Calls = calls,
            MessagesSent = Copy(_sent),
            MessagesReceived = Copy(_received),
            ConnectionAttempts = Copy(_attempts),
            SecurityEvents = Copy(_security),
            FileTransfers = Copy(_transfers),
            ConnectTime = _connectTime.Cumulative(),
            TlsHandshake = _tlsTime.Cumulative(),
            UpgradeTime = _upgradeTime.Cumulative(),
            SchedulerLag = _lag.Cumulative(),
            Reconnects = Interlocked.Read(ref _reconnectCount),
            ConnectedNow = connectedNow,
            ConnectedPeak = connectedPeak,
            BootedNow = bootedNow,
            BootedPeak = bootedPeak,
            SessionsStarted = Interlocked.Read(ref _sessionsStartedCount),
            SessionsCompleted = Interlocked.Read(ref _sessionsCompletedCount),
            SessionsActive = Interlocked.Read(ref _sessionsActiveNow),
            SessionsActivePeak = Interlocked.Read(ref _sessionsActivePeak),
            OfflineQueueDepth = depth,
            EnergyWh = Volatile.Read(ref _energyWh),
            Ledger = Volatile.Read(ref _ledger),
            CsmsViolations = _violations.ToDictionary(v => v.Key, v => Interlocked.Read(ref v.Value.Value)),
            CsmsViolationExamples = ViolationExamples(),
        };
    }

    private CsmsViolationExample[] ViolationExamples()
    {
        lock (_violationExamples)
        {
            return [.. _violationExamples];
        }
    }

    /// <summary>
    /// Latency per action and direction since the previous call (the live view's "last window"), then starts a new window.
    /// Call it (or <see cref="RollWindowHistograms"/>) from one place only: the live view's timer, or a cluster node's
    /// answer to the coordinator.
    /// </summary>
    public WindowStatistics RollWindow()
    {
        var now = _time.GetTimestamp();
        var start = Interlocked.Exchange(ref _windowStart, now);
        return WindowStatistics.FromHistograms(_time.GetElapsedTime(start, now), RollRecorders());
    }

    /// <summary>The last window's histograms per action and direction (for merging with other nodes'), then starts a new window.</summary>
    public IReadOnlyList<WindowHistogram> RollWindowHistograms()
    {
        Interlocked.Exchange(ref _windowStart, _time.GetTimestamp());
        return RollRecorders();
    }

    private List<WindowHistogram> RollRecorders() => [.. _calls.Select(c => new WindowHistogram(c.Key.Action, c.Key.Direction, c.Value.RollWindow()) { OcppVersion = c.Key.OcppVersion })];

    public void Dispose() => Meter.Dispose();

    private (long Depth, long OldestTimestamp) AggregateQueues()
    {
        long depth = 0;
        var oldest = long.MaxValue;
        lock (_queuesGate)
        {
            foreach (var q in _queues)
            {
                var (d, ts) = q.Read();
                if (d > 0)
                {
                    depth += d;
                    oldest = Math.Min(oldest, ts);
                }
            }
        }

        return (depth, oldest);
    }

    private Measurement<long> ObserveQueueDepth() =>
        new(AggregateQueues().Depth, new KeyValuePair<string, object?>(MetricNames.Labels.Node, _node));

    private Measurement<double> ObserveOldestAge()
    {
        var (depth, oldest) = AggregateQueues();
        var age = depth == 0 ? 0 : Math.Max(0, _time.GetElapsedTime(oldest).TotalSeconds);
        return new Measurement<double>(age, new KeyValuePair<string, object?>(MetricNames.Labels.Node, _node));
    }

    private IEnumerable<Measurement<long>> ObserveLedger(Func<LedgerCounts, long> pick)
    {
        var ledger = Volatile.Read(ref _ledger);
        return ledger is null
            ? []
            : [new Measurement<long>(pick(ledger), new KeyValuePair<string, object?>(MetricNames.Labels.Node, _node))];
    }

    private Measurement<long> ObserveLong(ref long value) =>
        new(Interlocked.Read(ref value), new KeyValuePair<string, object?>(MetricNames.Labels.Node, _node));

    private static void Gauge(ref long now, ref long peak, int delta)
    {
        var value = Interlocked.Add(ref now, delta);
        long seen;
        while (value > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen)
        {
        }
    }

    private static void CheckDirection(string direction)
    {
        if (!Directions.IsValid(direction))
        {
            throw new ArgumentException($"unknown direction '{direction}'; expected {Directions.CpToCsms} or {Directions.CsmsToCp}", nameof(direction));
        }
    }

    private static void Increment(ConcurrentDictionary<string, Cell> cells, string key) =>
        Interlocked.Increment(ref cells.GetOrAdd(key, static _ => new Cell()).Value);

    private static Dictionary<string, long> Copy(ConcurrentDictionary<string, Cell> cells)
    {
        var copy = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, cell) in cells)
        {
            copy[key] = Interlocked.Read(ref cell.Value);
        }

        return copy;
    }

    internal sealed class Cell
    {
        public long Value;
    }

    private sealed class CallRecorder
    {
        public const string UnknownCode = "unknown";

        private readonly LatencyRecorder _roundTrip = new();
        private readonly LatencyRecorder _queueWait = new();
        private readonly ConcurrentDictionary<string, Cell> _errors = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Cell> _statuses = new(StringComparer.Ordinal);
        private LatencyRecorder? _intended;
        private long _count;
        private long _ok;
        private long _timeouts;

        public void Record(CallOutcome outcome, string? errorCode, TimeSpan roundTrip, TimeSpan queueWait, TimeSpan? fromIntended, string? status)
        {
            if (status is not null)
            {
                Increment(_statuses, status);
            }

            _roundTrip.Record(roundTrip);
            _queueWait.Record(queueWait);
            if (fromIntended is { } intended)
            {
                var recorder = Volatile.Read(ref _intended);
                if (recorder is null)
                {
                    Interlocked.CompareExchange(ref _intended, new LatencyRecorder(), null);
                    recorder = _intended;
                }

                recorder.Record(intended);
            }

            switch (outcome)
            {
                case CallOutcome.Ok:
                    Interlocked.Increment(ref _ok);
                    break;
                case CallOutcome.CallError:
                    Increment(_errors, errorCode ?? UnknownCode);
                    break;
                case CallOutcome.Timeout:
                    Interlocked.Increment(ref _timeouts);
                    break;
            }

            Interlocked.Increment(ref _count);
        }

        public CallStatistics Snapshot() => new(
            Interlocked.Read(ref _count),
            Interlocked.Read(ref _ok),
            Interlocked.Read(ref _timeouts),
            Copy(_errors),
            _roundTrip.Cumulative(),
            _queueWait.Cumulative(),
            Volatile.Read(ref _intended)?.Cumulative() ?? LatencyHistogram.Empty,
            Copy(_statuses));

        public LatencyHistogram RollWindow() => _roundTrip.RollWindow();
    }
}

/// <summary>One charge point's offline queue, registered with <see cref="FleetTelemetry.RegisterOfflineQueue"/>.</summary>
public sealed class OfflineQueueGauge : IDisposable
{
    private readonly FleetTelemetry _owner;
    private readonly Lock _gate = new();
    private int _depth;
    private long _oldestTimestamp;

    internal OfflineQueueGauge(FleetTelemetry owner) => _owner = owner;

    /// <summary>The queue now holds <paramref name="depth"/> messages, the oldest enqueued at <paramref name="oldestEnqueuedTimestamp"/>
    /// (a <see cref="TimeProvider.GetTimestamp"/> value of the telemetry's <see cref="FleetTelemetry.TimeProvider"/>; ignored when depth is 0).</summary>
    public void Update(int depth, long oldestEnqueuedTimestamp)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        lock (_gate)
        {
            _depth = depth;
            _oldestTimestamp = oldestEnqueuedTimestamp;
        }
    }

    internal (int Depth, long OldestTimestamp) Read()
    {
        lock (_gate)
        {
            return (_depth, _oldestTimestamp);
        }
    }

    public void Dispose() => _owner.Unregister(this);
}

/// <summary>Latency of the last window, per action and direction (for the live view).</summary>
public sealed record WindowStatistics(TimeSpan Window, IReadOnlyList<WindowRow> Rows)
{
    public static WindowStatistics Empty { get; } = new(TimeSpan.Zero, []);

    /// <summary>Rows from histograms, those of the same action and direction merged (several nodes' windows), sorted by action.</summary>
    public static WindowStatistics FromHistograms(TimeSpan window, IEnumerable<WindowHistogram> histograms)
    {
        var rows = histograms
            .GroupBy(h => (h.Action, h.Direction, h.OcppVersion))
            .Select(g =>
            {
                var merged = g.Skip(1).Aggregate(g.First().Histogram, (sum, h) => sum.Merge(h.Histogram));
                return new WindowRow(g.Key.Action, g.Key.Direction, merged.Count, merged.ValueAtPercentileMs(50), merged.ValueAtPercentileMs(99), merged.MaxMicros / 1000.0) { OcppVersion = g.Key.OcppVersion };
            })
            .OrderBy(r => r.Action, StringComparer.Ordinal)
            .ThenBy(r => r.Direction, StringComparer.Ordinal)
            .ThenBy(r => r.OcppVersion, StringComparer.Ordinal)
            .ToList();
        return new WindowStatistics(window, rows);
    }
}

/// <summary>One action's latency histogram of the last window.</summary>
public sealed record WindowHistogram(string Action, string Direction, LatencyHistogram Histogram)
{
    public string OcppVersion { get; init; } = "";
}

/// <summary>One action's calls in the last window; latencies in ms.</summary>
public sealed record WindowRow(string Action, string Direction, long Count, double P50Ms, double P99Ms, double MaxMs)
{
    public string OcppVersion { get; init; } = "";
}
