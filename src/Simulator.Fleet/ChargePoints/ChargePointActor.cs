using Akka.Actor;
using Akka.Event;
using Simulator.ChargePoint;
using Simulator.ChargePoint.Metering;
using Simulator.Fleet.Behaviour;
using Simulator.Fleet.Logging;
using Simulator.Fleet.Plan;
using Simulator.Metrics;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Rpc;
using Simulator.Transport;
using Simulator.Transport.FileTransfer;
using Simulator.Transport.Reconnect;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// One virtual charge point: owns its model (all OCPP behaviour), its WebSocket, its RPC endpoint, its reconnect policy and
/// its share of the load (sessions). Everything time-driven goes through one actor timer set to the earliest of the model's,
/// the behaviour's and the RPC timeout's next due time. Addressed by chargeBoxId only, so it can be a sharding entity.
/// </summary>
public sealed class ChargePointActor : UntypedActor, IWithTimers
{
    private const string ReconnectTimer = "reconnect";
    private const string DrainTimer = "drain";

    private readonly FleetEnvironment _environment;
    private readonly FleetMember _member;
    private readonly IChargingStation _model;
    private readonly RpcEndpoint _rpc;
    private readonly InboundCallRecorder _inboundCalls;
    private readonly SessionBehaviour _behaviour;
    private readonly IReconnectPolicy _reconnectPolicy;
    private readonly FleetTelemetry _telemetry;
    private readonly OfflineQueueGauge _queueGauge;
    private readonly Tracing.FrameTracer? _trace;
    private readonly ProducedMessageFates _produced;
    private readonly List<BehaviourAction> _dueActions = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DueTimers.Slot _dueTimer;
    private readonly CallTrace? _callTrace = CallTrace.Current;

    // With a call trace only: the stamps of the timer turn being handled, and of the call in flight it sent.
    private (long Due, long Fired, long Turn) _traceTurn;
    private (OutgoingCall? Call, long Due, long Fired, long Turn) _traceCall;
    private TracingMailboxListener? _tracingListener;

    private WebSocketConnection? _connection;
    private long _connectionGeneration;
    private bool _connecting;
    private bool _countedBooted;
    private int _consecutiveFailures;
    private DateTimeOffset? _networkDownUntil;
    private DateTimeOffset? _timerDueAt;
    private IActorRef? _stopRequester;
    private bool _started;
    private bool _everConnected;
    private bool _profileTrial;
    private bool _certificateProvisioned;
    private WebSocketConnector? _connector;
    private bool _closeAfterFlush;

    public ChargePointActor(FleetEnvironment environment, FleetMember member)
    {
        _environment = environment;
        _member = member;
        _telemetry = environment.Telemetry;
        _produced = new ProducedMessageFates(environment.SettledMessages, member.ChargeBoxId);
        var random = environment.RandomFor(member);
        _model = ChargingStations.Create(member.Type.OcppVersion, environment.OptionsFor(member), environment.Clock, random);
        _rpc = new RpcEndpoint(_model.Messages, RpcRole.ChargePoint, environment.Clock, environment.CallTimeout);
        _inboundCalls = new InboundCallRecorder(_telemetry, _rpc, environment.Clock);
        _behaviour = new SessionBehaviour(environment.Plan.Behaviour, member.Type.Ev, member.Type.Connectors, random, environment.Clock.GetUtcNow());
        _reconnectPolicy = FleetEnvironment.ReconnectPolicyFor(member.Type, random, _model);
        _queueGauge = _telemetry.RegisterOfflineQueue();
        _trace = environment.Trace?.For(member.ChargeBoxId);
        _dueTimer = environment.DueTimers.CreateSlot(Self, Due.Instance);
        RestoreState();
    }

    // A switch rather than ReceiveActor's Receive<T> handlers: those are a delegate and a matcher per actor, about 1 KB for each
    // of thousands of charge points (tests/benchmarks/results/2026-12-05-memory.txt).
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case StartChargePoint:
                Start();
                break;
            case ConnectOutcome outcome:
                OnConnectOutcome(outcome);
                break;
            case Inbound inbound:
                OnInbound(inbound);
                break;
            case Closed closed:
                OnClosed(closed);
                break;
            case BinaryIgnored ignored:
                if (ignored.Generation == _connectionGeneration)
                {
                    _telemetry.CsmsProtocolViolation(CsmsViolationKind.BinaryFrame, null, _member.ChargeBoxId, CsmsViolations.BinaryDetail(ignored.Bytes));
                }
                break;
            case Due:
                OnDue();
                break;
            case ReconnectNow:
                Connect();
                break;
            case TransferFinished finished:
                OnTransferFinished(finished);
                break;
            case DropNetwork drop:
                OnDropNetwork(drop);
                break;
            case RebootChargePoint:
                OnReboot();
                break;
            case StopChargePoint stop:
                OnStop(stop);
                break;
            case DrainOver:
                FinishStop();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(FleetEnvironment environment, FleetMember member)
        => ActorProducer<ChargePointActor>.Props(() => new ChargePointActor(environment, member)).WithMailbox(ChargePointMailbox.Id);

    private DateTimeOffset Now => _environment.Clock.GetUtcNow();

    private bool IsStopping => _stopRequester is not null;

    private const string StoppedDescription = "charge point stopped";

    protected override void PostStop()
    {
        _connection?.Abort();
        _dueTimer.Cancel();
        _queueGauge.Dispose();
        if (_countedBooted)
        {
            _telemetry.Unbooted();
        }
        base.PostStop();
    }

    private void Start()
    {
        if (_started)
        {
            return;
        }
        _started = true;
        ProvisionCertificate();
        Connect();
        Pump();
    }

    private void Connect()
    {
        if (_connection is not null || _connecting || (IsStopping && _model.OfflineQueueDepth == 0))
        {
            return;
        }
        if (_networkDownUntil is { } downUntil && Now < downUntil)
        {
            Timers.StartSingleTimer(ReconnectTimer, ReconnectNow.Instance, downUntil - Now);
            return;
        }
        _networkDownUntil = null;
        _connecting = true;
        var generation = ++_connectionGeneration;
        // Per connection, from the model's current state: the profile (it may have been raised), the key (it may have been rotated),
        // the trusted roots (InstallCertificate/DeleteCertificate) and the client certificate (CertificateSigned).
        var profile = _model.SecurityProfile;
        _connector = _environment.ConnectorFor(_member, profile, _model.Certificates);
        var target = _environment.TargetFor(_member, profile is 0 or 1 or 2 ? _model.AuthorizationKey : null,
            profile == 3 ? _model.Certificates.ChargePointCertificate : null) with
        {
            KeepAliveInterval = _model.WebSocketPingInterval,
            Gate = _everConnected ? null : _environment.ArrivalGate,
        };
        _connector.ConnectAsync(target).PipeTo(
            Self,
            success: result => new ConnectOutcome(generation, result, null),
            failure: error => new ConnectOutcome(generation, null, error));
    }

    private void OnConnectOutcome(ConnectOutcome outcome)
    {
        _connecting = false;
        var result = outcome.Result;
        if (result?.Connection is { } connection)
        {
            _telemetry.ConnectionAttempt(ConnectResults.Ok, result.Timings.Tcp, _connector?.Settings.IsSecure == true ? result.Timings.Tls : null, result.Timings.Upgrade);
            _environment.Journal.RecordAttempt(ConnectResults.Ok, Now);
            if (IsStopping && _model.OfflineQueueDepth == 0)
            {
                connection.Abort();
                return;
            }
            _connection = connection;
            _consecutiveFailures = 0;
            _reconnectPolicy.Reset();
            connection.Start(_callTrace is null
                ? new MailboxListener(Self, outcome.Generation, _environment.Clock)
                : _tracingListener = new TracingMailboxListener(Self, outcome.Generation, _environment.Clock));
            _telemetry.Connected();
            if (_everConnected)
            {
                _telemetry.Reconnect();
            }
            _everConnected = true;
            _environment.Journal.Record(_member.ArrivalIndex, ConnectionEventKind.Connected, Now);
            if (_profileTrial)
            {
                _profileTrial = false;
                _model.OnSecurityProfileConnected();
                _log.Info("{0}: connected with security profile {1}", _member.ChargeBoxId, _model.SecurityProfile);
            }
            _model.OnServerCertificate(connection.RemoteCertificate is { } server ? new System.Security.Cryptography.X509Certificates.X509Certificate2(server) : null);
            _model.OnConnected();
            Pump();
            return;
        }

        var cause = result?.Failure?.Cause ?? ConnectResults.Other;
        _telemetry.ConnectionAttempt(MetricResult(result?.Failure));
        _environment.Journal.RecordAttempt(MetricResult(result?.Failure), Now);
        // The model logs the security event (and notifies the CSMS once it can); its signal feeds the telemetry.
        _model.OnConnectFailed(result?.Failure?.SecurityEvent, result?.Failure?.Detail);
        if (_profileTrial)
        {
            _profileTrial = false;
            var fallback = _model.RevertSecurityProfile();
            if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.SecurityProfileFallback))
            {
                _log.Warning("{0}: connecting with the raised security profile failed ({1}); falling back to profile {2} (A05.FR.08)", _member.ChargeBoxId, cause, fallback);
            }
        }
        if (outcome.Error is not null)
        {
            if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.ConnectFailedUnexpectedly))
            {
                _log.Warning("{0}: connect failed unexpectedly: {1}", _member.ChargeBoxId, outcome.Error.Message);
            }
        }
        else if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.ConnectFailed, LogLevel.Debug))
        {
            _log.Debug("{0}: connect failed: {1}", _member.ChargeBoxId, cause);
        }
        ScheduleReconnect();
        Pump();   // the model's signals (the security event) and its timer
    }


    /// <summary>The attempt's label: refused, timeout, http_NNN, TLS failures and other failures by the transport's cause.</summary>
    private static string MetricResult(ConnectFailure? failure) => failure is null ? ConnectResults.Other : failure.Kind switch
    {
        ConnectFailureKind.Refused => ConnectResults.Refused,
        ConnectFailureKind.Timeout => ConnectResults.Timeout,
        ConnectFailureKind.HttpStatus when failure.StatusCode is { } status => ConnectResults.Http(status),
        ConnectFailureKind.TlsFailure => ConnectResults.Tls(failure.Cause),
        _ => ConnectResults.Cause(failure.Cause),
    };

    private void ScheduleReconnect()
    {
        if (IsStopping && _model.OfflineQueueDepth == 0)
        {
            return;
        }
        var delay = _reconnectPolicy.NextDelay(++_consecutiveFailures);
        if (_networkDownUntil is { } downUntil && Now + delay < downUntil)
        {
            delay = downUntil - Now;
        }
        Timers.StartSingleTimer(ReconnectTimer, ReconnectNow.Instance, delay);
    }

    private void OnInbound(Inbound inbound)
    {
        if (inbound.Generation != _connectionGeneration || _connection is null)
        {
            return;
        }
        _trace?.In(inbound.Utf8);
        var dispatchedAt = _callTrace is null ? 0 : _environment.Clock.GetTimestamp();
        var rpcEvent = _rpc.Receive(inbound.Utf8, inbound.ReceivedAt);
        if (CsmsViolations.Of(rpcEvent, inbound.Utf8) is { } violation)
        {
            _telemetry.CsmsProtocolViolation(violation.Kind, violation.Action, _member.ChargeBoxId, violation.Detail);
        }
        switch (rpcEvent)
        {
            case CallReceived call:
                _telemetry.MessageReceived(call.Action.Name, _rpc.Messages.Version);
                _inboundCalls.Answer(call, _model.HandleCall(call.Request), inbound.ReceivedAt);
                break;
            case CallAnswered answered:
                _telemetry.MessageReceived(answered.Call.Action.Name, _rpc.Messages.Version);
                _telemetry.CallCompleted(answered.Call.Action.Name, Directions.CpToCsms, CallOutcome.Ok, null, answered.RoundTrip, answered.QueueWait, answered.SinceIntended, ocppVersion: _rpc.Messages.Version);
                if (_callTrace is not null)
                {
                    TraceAnswered(answered, inbound.ReceivedAt, dispatchedAt);
                }
                if (answered.Call.Tag is OutboundMessage { IsTransactionMessage: true } transactionMessage)
                {
                    _produced.Answered(transactionMessage.Request);
                }
                _model.OnAnswered((OutboundMessage)answered.Call.Tag!, answered.Response);
                break;
            case CallFailed failed:
                ReportFailure(failed);
                break;
            case FrameRejected rejected:
                _inboundCalls.Rejected(rejected, inbound.ReceivedAt);
                if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.Rejected(rejected.Reason)))
                {
                    _log.Warning("{0}: inbound frame rejected ({1}): {2}", _member.ChargeBoxId, rejected.Code, rejected.Description);
                }
                break;
            case FrameIgnored ignored:
                if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.FrameIgnored, LogLevel.Debug))
                {
                    _log.Debug("{0}: ignored result {1}: {2}", _member.ChargeBoxId, ignored.UniqueId, ignored.Reason);
                }
                break;
        }
        _connection?.Acknowledge();   // handled: the connection may read the next message (back-pressure)
        Pump();
    }

    private void ReportFailure(CallFailed failed)
    {
        var action = failed.Call.Action.Name;
        var message = (OutboundMessage)failed.Call.Tag!;
        switch (failed.Failure)
        {
            case CallFailure.Timeout:
                _telemetry.CallCompleted(action, Directions.CpToCsms, CallOutcome.Timeout, null, failed.Elapsed, TimeSpan.Zero, ocppVersion: _rpc.Messages.Version);
                _model.OnFailed(message, OutboundFailure.Timeout.Instance);
                break;
            case CallFailure.CallError:
                _telemetry.MessageReceived(action, _rpc.Messages.Version);
                _telemetry.CallCompleted(action, Directions.CpToCsms, CallOutcome.CallError, (failed.ErrorCode is { } code ? _rpc.Messages.Errors.ToWire(code) : null), failed.Elapsed, TimeSpan.Zero, ocppVersion: _rpc.Messages.Version);
                _model.OnFailed(message, new OutboundFailure.CallError(failed.ErrorCode ?? OcppErrorCode.GenericError, failed.Description));
                break;
            default:
                _telemetry.MessageReceived(action, _rpc.Messages.Version);
                _telemetry.CallCompleted(action, Directions.CpToCsms, CallOutcome.CallError, _rpc.Messages.Errors.ToWire(OcppErrorCode.FormatViolation), failed.Elapsed, TimeSpan.Zero, ocppVersion: _rpc.Messages.Version);
                if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.InvalidResponse))
                {
                    _log.Warning("{0}: invalid {1} response: {2}", _member.ChargeBoxId, action, failed.Description);
                }
                _model.OnFailed(message, new OutboundFailure.InvalidResponse(failed.Description));
                break;
        }
    }

    private void OnClosed(Closed closed)
    {
        if (closed.Generation != _connectionGeneration || _connection is null)
        {
            return;
        }
        if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.ConnectionClosed, LogLevel.Debug))
        {
            _log.Debug("{0}: connection closed: {1}", _member.ChargeBoxId, closed.Info);
        }
        if (CsmsViolations.Of(closed.Info) is { } violation)
        {
            _telemetry.CsmsProtocolViolation(violation.Kind, violation.Action, _member.ChargeBoxId, violation.Detail);
        }
        _connection = null;
        _telemetry.Disconnected();
        if (_countedBooted)
        {
            _countedBooted = false;
            _telemetry.Unbooted();
        }
        _environment.Journal.Record(_member.ArrivalIndex, ConnectionEventKind.Disconnected, Now);
        foreach (var abandoned in _rpc.Reset())
        {
            if (abandoned.Tag is OutboundMessage message)
            {
                _model.OnFailed(message, OutboundFailure.ConnectionLost.Instance);
            }
        }
        _model.OnDisconnected();
        if (IsStopping && _model.OfflineQueueDepth == 0)
        {
            FinishStop();
            return;
        }
        ScheduleReconnect();
        Pump();
    }

    private void OnDue()
    {
        if (_callTrace is not null && _timerDueAt is { } dueAt)
        {
            _traceTurn = (ToTimestamp(dueAt), _dueTimer.FiredAt, _environment.Clock.GetTimestamp());
        }
        // How late the one timer fired: the simulator falling behind its own schedule (not time spent offline).
        if (_timerDueAt is { } due && Now > due)
        {
            _telemetry.SchedulerLag(Now - due);
        }
        _timerDueAt = null;
        Pump();
        _traceTurn = default;
    }

    /// <summary>Call trace: the stamps of an answered call (the timer turn's only when that turn sent it).</summary>
    private void TraceAnswered(CallAnswered answered, long receivedAt, long dispatchedAt)
    {
        var call = answered.Call;
        var turn = ReferenceEquals(_traceCall.Call, call) ? _traceCall : default;
        var written = _tracingListener?.LastCallWritten is { } w && w.Id == call.UniqueId ? w.At : 0;
        _callTrace!.Record(new CallStamps(_member.ChargeBoxId, call.UniqueId, call.Action.Name, turn.Due, turn.Fired, turn.Turn,
            call.EnqueuedAt, call.SentAt, written, receivedAt, dispatchedAt, _environment.Clock.GetTimestamp()));
        _traceCall = default;
    }

    private void OnTransferFinished(TransferFinished finished)
    {
        var failure = finished.Failure;
        _telemetry.FileTransfer(finished.Direction, failure?.Cause ?? FileTransferDirections.Ok);
        if (failure is not null)
        {
            var where = Uri.TryCreate(finished.Location, UriKind.Absolute, out var uri) ? FileTransferLocation.Redact(uri) : "(not a URL)";
            if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.TransferFailed))
            {
                _log.Warning("{0}: {1} {2} failed ({3}): {4}", _member.ChargeBoxId, finished.Direction, where, failure.Cause, failure.Detail);
            }
        }
        _model.OnTransferCompleted(finished.TransferId, failure is null, failure?.ToString(), finished.Content ?? ReadOnlyMemory<byte>.Empty);
        Pump();
    }

    /// <summary>Profile 3: the charge point's first certificate, from the plan's files or issued by the node's CA, on its first start only.</summary>
    private void ProvisionCertificate()
    {
        if (_certificateProvisioned || _model.Certificates.ChargePointCertificate is not null)
        {
            return;
        }
        _certificateProvisioned = true;
        try
        {
            if (_environment.InitialClientCertificate(_member) is { } certificate)
            {
                _model.ProvisionChargePointCertificate(certificate);
            }
        }
        catch (IOException error)
        {
            _log.Error("{0}: no client certificate: {1}", _member.ChargeBoxId, error.Message);
        }
    }

    private void OnDropNetwork(DropNetwork drop)
    {
        _networkDownUntil = Now + drop.For;
        Timers.Cancel(ReconnectTimer);
        if (_connection is { } connection)
        {
            connection.Abort();
        }
        else
        {
            Timers.StartSingleTimer(ReconnectTimer, ReconnectNow.Instance, drop.For);
        }
    }

    private void OnReboot()
    {
        _model.PowerCycle();
        Pump();
    }

    private void OnStop(StopChargePoint stop)
    {
        if (IsStopping)
        {
            return;
        }
        _stopRequester = Sender;
        if (!_started)
        {
            FinishStop();
            return;
        }
        for (var connector = 1; connector <= _member.Type.Connectors; connector++)
        {
            _model.Unplug(connector);
        }
        Pump();
        // The drain: with messages queued, a charge point that is offline keeps reconnecting (on its policy's timer) to deliver them.
        if (_model.OfflineQueueDepth == 0)
        {
            Timers.Cancel(ReconnectTimer);
            if (_connection is null)
            {
                FinishStop();
                return;
            }
        }
        else if (_connection is null && !_connecting && !Timers.IsTimerActive(ReconnectTimer))
        {
            Connect();
        }
        Timers.StartSingleTimer(DrainTimer, DrainOver.Instance, stop.DrainFor);
    }

    private void FinishStop()
    {
        if (_stopRequester is null)
        {
            return;
        }
        Timers.CancelAll();
        _dueTimer.Cancel();
        _timerDueAt = null;
        // A stopped charger says goodbye (close frame, bounded by the close timeout, then abort); the CSMS can tell it from a crash.
        _ = _connection?.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, StoppedDescription);
        _connection = null;
        SaveState();
        _stopRequester.Tell(new ChargePointStopped(_member.ChargeBoxId, [.. _produced.AtStop()], _model.OfflineQueueDepth));
        _stopRequester = null;
        Context.Stop(Self);
    }

    /// <summary>
    /// The heart of the actor: after anything happened, apply the load's due actions, advance the model, take its signals,
    /// hand its outbound messages to the RPC endpoint, write the frames, and set the one timer for the next due time.
    /// </summary>
    private void Pump()
    {
        var now = Now;
        if (!IsStopping)
        {
            _dueActions.Clear();
            _behaviour.CollectDue(now, _dueActions);
            foreach (var action in _dueActions)
            {
                Apply(action);
            }
        }
        _model.Advance();
        if (_rpc.CheckTimeout() is { } timedOut)
        {
            ReportFailure(timedOut);
        }
        // Produced messages first: a signal may say that one was abandoned.
        while (_model.TryTakeProduced(out var produced))
        {
            Record(produced);
        }
        while (_model.TryTakeSignal(out var signal))
        {
            Handle(signal);
        }
        if (_connection is { } connection)
        {
            while (_model.TryTakeOutbound(out var message))
            {
                _rpc.Call(message.Request, message, message.ScheduledFor is { } scheduled ? ToTimestamp(scheduled) : null);
                _telemetry.MessageSent(message.Action, _rpc.Messages.Version);
            }
            if (_trace is null)
            {
                // Rented frames: the connection returns each array to the pool once written.
                while (_rpc.TryTakeOutgoingRented(out var rented))
                {
                    connection.SendRented(rented);
                }
            }
            else
            {
                // The frame trace keeps the bytes until its writer gets to them: frames of their own.
                while (_rpc.TryTakeOutgoing(out var frame))
                {
                    _trace.Out(frame);
                    connection.Send(frame);
                }
            }
            if (_callTrace is not null && _rpc.InFlight is { } inFlight && !ReferenceEquals(inFlight, _traceCall.Call))
            {
                _traceCall = (inFlight, _traceTurn.Due, _traceTurn.Fired, _traceTurn.Turn);
            }
            if (_closeAfterFlush)
            {
                // CloseAsync writes what is queued (the CALLRESULT of ChangeConfiguration/Reset) before the close frame.
                _closeAfterFlush = false;
                _ = connection.CloseAsync();
            }
        }
        else
        {
            _closeAfterFlush = false;
        }
        if (_model.IsBooted && _connection is not null && !_countedBooted)
        {
            _countedBooted = true;
            _telemetry.Booted();
            _environment.Journal.Record(_member.ArrivalIndex, ConnectionEventKind.Booted, now);
        }
        _queueGauge.Update(_model.OfflineQueueDepth, _model.OldestQueuedAt is { } oldest ? ToTimestamp(oldest) : 0);
        SaveState();
        if (IsStopping && _model.OfflineQueueDepth == 0 && _rpc.Pending == 0 && _connection is not null)
        {
            // Everything delivered: close with a close frame; the connection's end (OnClosed) finishes the stop.
            _ = _connection.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, StoppedDescription);
            return;
        }
        ScheduleNextDue(now);
    }

    private void Apply(BehaviourAction action)
    {
        switch (action)
        {
            case PlugInAction plugIn:
                _model.PlugIn(plugIn.ConnectorId, new EvSpec(plugIn.BatteryCapacityWh, plugIn.ArrivalSoc, plugIn.MaxPowerW, plugIn.EnergyNeedWh));
                break;
            case PresentIdTagAction tag:
                _model.PresentIdTag(tag.ConnectorId, tag.IdTag);
                break;
            case UnplugAction unplug:
                _model.Unplug(unplug.ConnectorId);
                break;
            case FaultAction fault:
                _model.SetFaulted(fault.ConnectorId, fault.Faulted);
                break;
        }
    }

    private void Handle(ChargePointSignal signal)
    {
        switch (signal)
        {
            case SecurityProfileChangeRequested change:
                if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.SecurityProfileChange, LogLevel.Information))
                {
                    _log.Info("{0}: security profile {1} -> {2}: reconnecting", _member.ChargeBoxId, change.From, change.To);
                }
                _profileTrial = true;
                _closeAfterFlush = true;
                break;
            case SecurityEventRaised raised:
                _telemetry.SecurityEvent(raised.Type);
                break;
            case ChargePointCertificateChanged changed:
                if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.CertificateChanged, LogLevel.Information))
                {
                    _log.Info("{0}: new charge point certificate {1}, valid until {2:O}; used from the next connection", _member.ChargeBoxId, changed.Subject, changed.NotAfter);
                }
                break;
            case LogUploadRequested logUpload:
                Transfer(logUpload.TransferId, FileTransferDirections.Upload, logUpload.Location,
                    FileTransfers.UploadAsync(logUpload.Location, logUpload.FileName, logUpload.Content, _model.Certificates));
                break;
            case RebootRequested or ReconnectRequested:
                // The socket goes once the reply that caused it is written (Pump); the close brings the usual reconnect,
                // and the model boots again after a reboot.
                _closeAfterFlush = true;
                break;
            case SessionStarted started:
                _telemetry.SessionStarted();
                _behaviour.OnSessionStarted(started.ConnectorId, Now);
                break;
            case SessionEnded ended:
                _telemetry.SessionCompleted();
                _telemetry.EnergyDelivered(ended.EnergyWh);
                _behaviour.OnSessionEnded(ended.ConnectorId, Now);
                break;
            case RemoteStartAwaitingPlugIn awaiting:
                _behaviour.OnRemoteStartAwaitingPlugIn(awaiting.ConnectorId, Now);
                break;
            case RemoteStartLapsed lapsed:
                if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.RemoteStartLapsed, LogLevel.Debug))
                {
                    _log.Debug("{0}: the remote start on connector {1} lapsed: {2}", _member.ChargeBoxId, lapsed.ConnectorId, lapsed.Reason);
                }
                _behaviour.OnRemoteStartLapsed(lapsed.ConnectorId, Now);
                break;
            case TransactionIdAssigned assigned:
                _produced.TransactionIdLearnt(assigned.LocalTransactionRef, assigned.TransactionId);
                _environment.ProducedFeed?.AddTransactionId(_member.ChargeBoxId, assigned.LocalTransactionRef, assigned.TransactionId);
                break;
            case TransactionMessageAbandoned abandoned:
                _produced.GivenUp(abandoned.Kind, abandoned.ConnectorId, abandoned.LocalTransactionRef);
                if (_environment.CsmsLog.Admit(_log, CsmsLogKinds.TransactionMessageAbandoned))
                {
                    _log.Warning("{0}: {1} of connector {2} abandoned after {3} attempts: {4}", _member.ChargeBoxId, abandoned.Kind, abandoned.ConnectorId, abandoned.Attempts, abandoned.Reason);
                }
                break;
            case DiagnosticsUploadRequested upload:
                Transfer(upload.TransferId, FileTransferDirections.Upload, upload.Location,
                    FileTransfers.UploadAsync(upload.Location, upload.FileName, upload.Content, _model.Certificates));
                break;
            case FirmwareDownloadRequested download:
                Transfer(download.TransferId, FileTransferDirections.Download, download.Location,
                    FileTransfers.DownloadAsync(download.Location, download.KeepContent, _model.Certificates));
                break;
        }
    }

    /// <summary>A transaction message the model created, for the loss check.</summary>
    private void Record(in TransactionMessageProduced produced)
    {
        _produced.Produced(produced);
        // Only a cluster node's feed needs a record per message (the fates keep a compact entry until the stop).
        _environment.ProducedFeed?.Add(_member.ChargeBoxId, new ProducedTransactionMessage(
            produced.Kind switch
            {
                TransactionMessageKind.StartTransaction => ProducedKind.StartTransaction,
                TransactionMessageKind.StopTransaction => ProducedKind.StopTransaction,
                _ => ProducedKind.MeterValues,
            },
            produced.ConnectorId,
            produced.IdTag,
            produced.Timestamp,
            produced.Kind == TransactionMessageKind.StartTransaction ? produced.MeterWh : null,
            produced.TransactionId,
            produced.LocalTransactionRef)
        {
            EventTransactionId = produced.TransactionKey,
            SeqNo = produced.SeqNo,
        });
    }

    private void Transfer(long transferId, string direction, string location, Task<FileTransferResult> transfer) =>
        transfer.PipeTo(
            Self,
            success: result => new TransferFinished(transferId, direction, location, result.Failure, result.Content),
            failure: ex => new TransferFinished(transferId, direction, location, new FileTransferFailure(FileTransferFailureKind.Network, ex.Message), null));

    /// <summary>After a crash: the charge point comes back with what it had saved (its PowerLoss stops are queued then).</summary>
    private void RestoreState()
    {
        if (_environment.State?.TakeRestored(_member.ChargeBoxId) is not { } saved)
        {
            return;
        }
        try
        {
            _model.RestoreAfterPowerLoss(saved);
        }
        catch (ArgumentException error)
        {
            _log.Error("{0}: the saved state does not fit: {1}", _member.ChargeBoxId, error.Message);
        }
    }

    /// <summary>With a state store: hands in what changed in the charge point's non-volatile state during this turn.</summary>
    private void SaveState()
    {
        if (_environment.State is { } store && _model.TakeStateChanges() is { } changes)
        {
            store.Save(_member.ChargeBoxId, changes);
        }
    }

    private void ScheduleNextDue(DateTimeOffset now)
    {
        var next = Earliest(_model.NextDueAt, IsStopping ? null : _behaviour.NextDueAt);
        if (_rpc.Deadline is { } deadline)
        {
            next = Earliest(next, now + _environment.Clock.GetElapsedTime(_environment.Clock.GetTimestamp(), deadline));
        }
        if (next is null)
        {
            if (_timerDueAt is not null)
            {
                _dueTimer.Cancel();
                _timerDueAt = null;
            }
            return;
        }
        if (_timerDueAt == next)
        {
            return;
        }
        _timerDueAt = next;
        _dueTimer.Schedule(ToTimestamp(next.Value));
    }

    private long ToTimestamp(DateTimeOffset instant)
    {
        var clock = _environment.Clock;
        var offset = instant - clock.GetUtcNow();
        return clock.GetTimestamp() + (long)(offset.TotalSeconds * clock.TimestampFrequency);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    private sealed class MailboxListener(IActorRef self, long generation, TimeProvider clock) : IConnectionListener
    {
        public void OnMessage(byte[] utf8) => self.Tell(new Inbound(generation, utf8, clock.GetTimestamp()));

        public void OnClosed(ConnectionClosed info) => self.Tell(new Closed(generation, info));

        public void OnBinaryMessageIgnored(long bytes) => self.Tell(new BinaryIgnored(generation, bytes));
    }

    /// <summary>With a call trace: also remembers when the last CALL frame was written to the socket.</summary>
    /// <remarks>Without an object per frame written (a box, the id's string): the trace's own garbage would add to the gen0
    /// collections it measures.</remarks>
    private sealed class TracingMailboxListener(IActorRef self, long generation, TimeProvider clock) : IConnectionListener, IConnectionWriteObserver
    {
        private readonly Lock _gate = new();
        private (string Id, long At)? _lastCallWritten;

        public (string Id, long At)? LastCallWritten
        {
            get
            {
                lock (_gate)
                {
                    return _lastCallWritten;
                }
            }
        }

        public void OnMessage(byte[] utf8) => self.Tell(new Inbound(generation, utf8, clock.GetTimestamp()));

        public void OnClosed(ConnectionClosed info) => self.Tell(new Closed(generation, info));

        public void OnBinaryMessageIgnored(long bytes) => self.Tell(new BinaryIgnored(generation, bytes));

        public void OnWritten(ReadOnlySpan<byte> utf8, long timestamp)
        {
            // A CALL starts [2,"<id>" (FleetSim's encoder writes no spaces).
            if (utf8.Length > 4 && utf8[1] == (byte)'2' && utf8[3] == (byte)'"' && utf8[4..].IndexOf((byte)'"') is var length and > 0)
            {
                var id = utf8.Slice(4, length);
                var written = (NumericUniqueIds.TryShare(id) ?? System.Text.Encoding.UTF8.GetString(id), timestamp);
                lock (_gate)
                {
                    _lastCallWritten = written;
                }
            }
        }
    }

    private sealed record ConnectOutcome(long Generation, ConnectResult? Result, Exception? Error);

    private sealed record Inbound(long Generation, byte[] Utf8, long ReceivedAt);

    private sealed record Closed(long Generation, ConnectionClosed Info);

    private sealed record BinaryIgnored(long Generation, long Bytes);

    private sealed record TransferFinished(long TransferId, string Direction, string Location, FileTransferFailure? Failure, byte[]? Content);

    private sealed record Due
    {
        public static Due Instance { get; } = new();
    }

    private sealed record ReconnectNow
    {
        public static ReconnectNow Instance { get; } = new();
    }

    private sealed record DrainOver
    {
        public static DrainOver Instance { get; } = new();
    }
}
