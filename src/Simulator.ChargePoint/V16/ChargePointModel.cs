using Simulator.Ocpp.V16;
using Simulator.ChargePoint.V16.Authorization;
using Simulator.ChargePoint.V16.Configuration;
using Simulator.ChargePoint.Metering;
using Simulator.ChargePoint.SmartCharging;
using Simulator.Ocpp;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.V16;

/// <summary>
/// The pure-logic behaviour of one OCPP 1.6 charge point. Single-threaded: the owning actor calls it, then drains
/// <see cref="TryTakeOutbound"/> and <see cref="TryTakeSignal"/>, and keeps one timer for <see cref="NextDueAt"/>.
/// Time comes only from the injected <see cref="TimeProvider"/>; every timestamp written into an OCPP message is CSMS time
/// (the injected clock plus the offset learnt from BootNotification/Heartbeat <c>currentTime</c>).
/// Design choice: the heartbeat runs on its own cadence; other traffic does not reset it.
/// </summary>
public sealed partial class ChargePointModel : IChargingStation
{
    private readonly ChargePointOptions options;
    private readonly TimeProvider clock;
    private readonly Random random;
    private readonly Connector[] connectors;
    private readonly SmartChargingEngine smartCharging;
    private readonly AuthorizationCache cache = new();
    private readonly LocalAuthorizationList localList = new();

    /// <summary>Non-transaction messages in creation order. <c>Triggered</c>: asked for by TriggerMessage/ExtendedTriggerMessage, so it may go while Pending.</summary>
    private readonly Queue<(long Order, OutboundMessage Message, bool Triggered)> outbox = new();
    private readonly List<QueuedTransactionMessage> transactionQueue = [];
    private readonly Dictionary<long, SentContext> sent = [];
    private readonly Queue<ChargePointSignal> signals = new();
    private readonly Dictionary<long, int> transactionIds = [];
    private readonly List<PendingAuthorization> pendingAuthorizations = [];

    private TimeSpan csmsOffset;
    private string firmwareVersion;
    private long nextSequence;
    private long nextOrder;
    private long nextLocalRef;
    private long nextTransferId;

    private RegistrationStatus? registration;
    private bool bootInFlight;
    private DateTimeOffset? bootRetryAt;
    private DateTimeOffset? heartbeatDue;
    /// <summary>CSMS time of the next clock-aligned sample.</summary>
    private DateTimeOffset? alignedDue;
    private (RebootKind Kind, DateTimeOffset Deadline)? pendingReboot;

    /// <exception cref="ArgumentException">The options are inconsistent (connector count, configuration overrides).</exception>
    public ChargePointModel(ChargePointOptions options, TimeProvider clock, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(random);
        if (string.IsNullOrWhiteSpace(options.ChargeBoxId))
        {
            throw new ArgumentException("ChargeBoxId must not be empty.", nameof(options));
        }
        if (options.Connectors is < 1 or > 100)
        {
            throw new ArgumentException($"Connectors = {options.Connectors}: a charge point has 1 to 100 connectors.", nameof(options));
        }
        if (options.FirmwareInstallFailureProbability is < 0 or > 1 || double.IsNaN(options.FirmwareInstallFailureProbability))
        {
            throw new ArgumentException("FirmwareInstallFailureProbability must be within [0, 1].", nameof(options));
        }
        this.options = options;
        this.clock = clock;
        this.random = random;
        firmwareVersion = options.FirmwareVersion;
        Configuration = new ConfigurationStore(options.Connectors, options.ConfigurationOverrides, SecurityExtensionFor(options));
        connectors = new Connector[options.Connectors + 1];
        connectors[0] = new Connector(0, null);
        for (var i = 1; i <= options.Connectors; i++)
        {
            connectors[i] = new Connector(i, new ConnectorMeter(options.Meter));
        }
        smartCharging = new SmartChargingEngine(options.Connectors,
            Configuration.GetInt(K.ChargeProfileMaxStackLevel), Configuration.GetInt(K.MaxChargingProfilesInstalled))
        {
            UnrestrictedLimitW = options.Meter.MaxPowerW,
        };
        var now = LocalNow;
        foreach (var connector in connectors)
        {
            connector.CandidateSince = now;
        }
        ScheduleAligned();
        InitializeSecurity();
    }

    public OcppMessageSet Messages => Ocpp16.Messages;

    public string ChargeBoxId => options.ChargeBoxId;
    public ChargePointOptions Options => options;
    public bool IsConnected { get; private set; }

    /// <summary>The running firmware: the options' version until an UpdateFirmware installs another (named after the file it came from).</summary>
    public string FirmwareVersion => firmwareVersion;

    /// <summary>Registration Accepted in this power cycle.</summary>
    public bool IsBooted => registration == RegistrationStatus.Accepted;

    public RegistrationStatus? Registration => registration;
    public ConfigurationStore Configuration { get; }
    public int LocalListVersion => localList.Version;
    public int AuthorizationCacheCount => cache.Count;

    /// <summary>The injected clock's time plus the CSMS offset: what the charge point believes the time is.</summary>
    public DateTimeOffset CsmsNow => LocalNow + csmsOffset;

    public int OfflineQueueDepth => transactionQueue.Count;

    /// <summary>Local-clock creation time of the oldest queued transaction message.</summary>
    public DateTimeOffset? OldestQueuedAt => transactionQueue.Count == 0 ? null : transactionQueue[0].CreatedAt;

    public IReadOnlyList<ConnectorState> Connectors => connectors.Select(Snapshot).ToList();

    private DateTimeOffset LocalNow => clock.GetUtcNow();
    private bool IsOnline => IsConnected && IsBooted;
    private int ConnectorCount => connectors.Length - 1;

    // ───────────────────────── connection lifecycle ─────────────────────────

    /// <summary>The socket is open: boot if this power cycle has not been accepted yet (or BootOnReconnect), else resume.</summary>
    public void OnConnected()
    {
        IsConnected = true;
        bootInFlight = false;
        if (!IsBooted || options.BootOnReconnect)
        {
            registration = registration == RegistrationStatus.Accepted ? null : registration;
            QueueBoot();
        }
        else
        {
            ScheduleHeartbeat();
        }
        Settle();
    }

    /// <summary>The socket closed: non-transaction messages are dropped, transaction messages stay queued, heartbeats stop.</summary>
    public void OnDisconnected()
    {
        IsConnected = false;
        ReleaseSecurityReconnect();
        bootInFlight = false;
        bootRetryAt = null;
        heartbeatDue = null;
        outbox.Clear();
        sent.Clear();
        foreach (var entry in transactionQueue)
        {
            entry.InFlightSequence = null;
        }
        var waiting = pendingAuthorizations.ToList();
        pendingAuthorizations.Clear();
        foreach (var auth in waiting)
        {
            DecideOffline(auth);
        }
        Settle();
    }

    // ───────────────────────── outbound ─────────────────────────

    /// <summary>
    /// The next message to send now. Before registration is Accepted only BootNotification goes out, and while it is Pending also the
    /// messages a TriggerMessage asked for (OCPP 1.6 §4.2.1); the rest is held. Transaction messages go one at a time in order, the next
    /// only after the previous was answered, and not before its retry time.
    /// </summary>
    public bool TryTakeOutbound(out OutboundMessage message)
    {
        var now = LocalNow;
        if (IsConnected && outbox.Count > 0)
        {
            var (order, candidate, triggered) = outbox.Peek();
            var transactionFirst = IsOnline && transactionQueue.Count > 0 && transactionQueue[0] is { InFlightSequence: null } head0
                && (head0.NotBefore is null || head0.NotBefore <= now) && head0.Order < order;
            if (IsBooted ? !transactionFirst : TakeBeforeAcceptance(out candidate))
            {
                if (IsBooted)
                {
                    outbox.Dequeue();
                }
                message = candidate with { Sequence = ++nextSequence };
                sent[message.Sequence] = new SentContext(null, TakeAuthorizationContext(candidate)) { Triggered = IsBooted && triggered ? candidate.Request : null };
                return true;
            }
        }
        while (IsOnline && transactionQueue.Count > 0)
        {
            var head = transactionQueue[0];
            if (head.InFlightSequence is not null || (head.NotBefore is { } notBefore && notBefore > now))
            {
                break;
            }
            var request = WithTransactionId(head);
            if (request is null)
            {
                transactionQueue.RemoveAt(0);
                Signal(new TransactionMessageAbandoned(head.Kind, head.ConnectorId, head.LocalRef, head.FailedAttempts,
                    "its StartTransaction was never answered, so the transactionId is unknown"));
                continue;
            }
            head.InFlightSequence = ++nextSequence;
            message = new OutboundMessage(request, true, head.CreatedAt, head.ScheduledFor, head.FailedAttempts + 1) { Sequence = head.InFlightSequence.Value };
            sent[message.Sequence] = new SentContext(head, null);
            return true;
        }
        message = null!;
        return false;
    }

    public bool TryTakeSignal(out ChargePointSignal signal) => signals.TryDequeue(out signal!);

    /// <summary>The CSMS answered a message the model sent.</summary>
    public void OnAnswered(OutboundMessage message, IOcppResponse response)
    {
        if (message is null || response is null || !sent.Remove(message.Sequence, out var context))
        {
            return;
        }
        if (Ocpp16.Messages.Of(message.Request).ResponseType != response.GetType())
        {
            Fail(message, context, new OutboundFailure.InvalidResponse($"expected {Ocpp16.Messages.Of(message.Request).ResponseType.Name}, got {response.GetType().Name}"));
            Settle();
            return;
        }
        if (context.Entry is { } entry)
        {
            if (transactionQueue.Count > 0 && ReferenceEquals(transactionQueue[0], entry))
            {
                transactionQueue.RemoveAt(0);
                TransactionMessageAnswered(entry, message.Request, response);
            }
            else if (transactionQueue.Remove(entry))
            {
                TransactionMessageAnswered(entry, message.Request, response);
            }
        }
        else
        {
            switch (response)
            {
                case BootNotificationResponse boot:
                    BootAnswered(boot);
                    break;
                case HeartbeatResponse heartbeat:
                    csmsOffset = heartbeat.CurrentTime - LocalNow;
                    break;
                case AuthorizeResponse authorize when context.Authorization is { } auth:
                    AuthorizeAnswered(auth, authorize.IdTagInfo);
                    break;
                case Simulator.Ocpp.V16.FirmwareManagement.FirmwareStatusNotificationResponse:
                case Simulator.Ocpp.V16.Security.SignedFirmwareStatusNotificationResponse:
                    FirmwareStatusDelivered(message.Request);
                    break;
                case Simulator.Ocpp.V16.Security.SignCertificateResponse signCertificate:
                    SignCertificateAnswered(signCertificate);
                    break;
            }
        }
        Settle();
    }

    /// <summary>A message the model sent got no usable answer.</summary>
    public void OnFailed(OutboundMessage message, OutboundFailure failure)
    {
        if (message is null || failure is null || !sent.Remove(message.Sequence, out var context))
        {
            return;
        }
        Fail(message, context, failure);
        Settle();
    }

    private void Fail(OutboundMessage message, SentContext context, OutboundFailure failure)
    {
        if (context.Entry is { } entry)
        {
            if (!transactionQueue.Contains(entry) || entry.InFlightSequence != message.Sequence)
            {
                return;
            }
            entry.InFlightSequence = null;
            if (failure is OutboundFailure.ConnectionLost)
            {
                return;
            }
            entry.FailedAttempts++;
            var attempts = Configuration.GetInt(K.TransactionMessageAttempts);
            if (entry.FailedAttempts >= attempts)
            {
                transactionQueue.Remove(entry);
                Signal(new TransactionMessageAbandoned(entry.Kind, entry.ConnectorId, entry.LocalRef, entry.FailedAttempts, $"{attempts} attempts failed, the last with {failure}"));
                return;
            }
            entry.NotBefore = LocalNow + TimeSpan.FromSeconds((double)Configuration.GetInt(K.TransactionMessageRetryInterval) * entry.FailedAttempts);
            return;
        }
        switch (message.Request)
        {
            case BootNotificationRequest:
                bootInFlight = false;
                if (failure is not OutboundFailure.ConnectionLost && IsConnected && !IsBooted)
                {
                    bootRetryAt = LocalNow + options.BootRetryInterval;
                }
                break;
            case AuthorizeRequest when context.Authorization is { } auth && pendingAuthorizations.Remove(auth):
                DecideOffline(auth);
                break;
            case Simulator.Ocpp.V16.FirmwareManagement.FirmwareStatusNotificationRequest:
            case Simulator.Ocpp.V16.Security.SignedFirmwareStatusNotificationRequest:
                FirmwareStatusDelivered(message.Request);
                break;
        }
    }

    private PendingAuthorization? TakeAuthorizationContext(OutboundMessage message) =>
        message.Request is AuthorizeRequest authorize
            ? pendingAuthorizations.FirstOrDefault(p => string.Equals(p.IdTag, authorize.IdTag, StringComparison.OrdinalIgnoreCase))
            : null;

    private IOcppRequest? WithTransactionId(QueuedTransactionMessage entry)
    {
        switch (entry.Request)
        {
            case MeterValuesRequest meterValues:
                return transactionIds.TryGetValue(entry.LocalRef, out var id) ? meterValues with { TransactionId = id } : null;
            case StopTransactionRequest stop:
                return transactionIds.TryGetValue(entry.LocalRef, out var stopId) ? stop with { TransactionId = stopId } : null;
            default:
                return entry.Request;
        }
    }

    /// <summary>
    /// Before acceptance: takes the first BootNotification, or while Pending the first triggered message, out of the outbox. What was
    /// created before the registration fell back from Accepted stays queued, in order, until it is Accepted again.
    /// </summary>
    private bool TakeBeforeAcceptance(out OutboundMessage message)
    {
        var pending = registration == RegistrationStatus.Pending;
        var index = 0;
        foreach (var entry in outbox)
        {
            if (entry.Message.Request is BootNotificationRequest || (pending && entry.Triggered))
            {
                break;
            }
            index++;
        }
        if (index == outbox.Count)
        {
            message = null!;
            return false;
        }
        var kept = outbox.ToList();
        message = kept[index].Message;
        kept.RemoveAt(index);
        outbox.Clear();
        foreach (var entry in kept)
        {
            outbox.Enqueue(entry);
        }
        return true;
    }

    /// <summary>Triggered messages may go while the registration is Pending; other messages only once it is Accepted.</summary>
    private bool CanSendTriggered => IsConnected && (IsBooted || registration == RegistrationStatus.Pending);

    /// <summary>Queues a non-transaction message; dropped unless online (BootNotification: connected; <paramref name="triggered"/>: <see cref="CanSendTriggered"/>).</summary>
    private void Send(IOcppRequest request, DateTimeOffset? scheduledFor = null, bool triggered = false)
    {
        if (!IsConnected || !(IsBooted || request is BootNotificationRequest || (triggered && CanSendTriggered)))
        {
            return;
        }
        if (triggered && (outbox.Any(queued => queued.Triggered && SameTrigger(queued.Message.Request, request))
            || sent.Values.Any(context => context.Triggered is { } waiting && SameTrigger(waiting, request))))
        {
            // The same triggered message still waits to go or for its answer: a CSMS triggering faster than messages go gets that
            // one, and the queue (with the charge point's own messages behind it) does not grow with every trigger.
            return;
        }
        outbox.Enqueue((++nextOrder, new OutboundMessage(request, false, LocalNow, scheduledFor, 1), triggered));
    }

    private static bool SameTrigger(IOcppRequest queued, IOcppRequest request) => (queued, request) switch
    {
        (MeterValuesRequest a, MeterValuesRequest b) => a.ConnectorId == b.ConnectorId,
        (StatusNotificationRequest a, StatusNotificationRequest b) => a.ConnectorId == b.ConnectorId,
        _ => queued.GetType() == request.GetType(),
    };

    private void Enqueue(TransactionMessageKind kind, int connectorId, long localRef, IOcppRequest request, DateTimeOffset? scheduledFor)
    {
        transactionQueue.Add(new QueuedTransactionMessage(kind, connectorId, localRef, request, LocalNow, scheduledFor) { Order = ++nextOrder });
    }

    private void Signal(ChargePointSignal signal) => signals.Enqueue(signal);

    private sealed record SentContext(QueuedTransactionMessage? Entry, PendingAuthorization? Authorization)
    {
        /// <summary>The request, when it was a triggered message (see <see cref="SameTrigger"/>).</summary>
        public IOcppRequest? Triggered { get; init; }
    }

    // ───────────────────────── boot and heartbeat ─────────────────────────

    private void QueueBoot()
    {
        if (!IsConnected || bootInFlight || outbox.Any(m => m.Message.Request is BootNotificationRequest))
        {
            return;
        }
        bootRetryAt = null;
        bootInFlight = true;
        outbox.Enqueue((++nextOrder, new OutboundMessage(new BootNotificationRequest
        {
            ChargePointVendor = options.Vendor,
            ChargePointModel = options.Model,
            ChargePointSerialNumber = options.SerialNumber,
            FirmwareVersion = firmwareVersion,
        }, false, LocalNow, null, 1), false));
    }

    private void BootAnswered(BootNotificationResponse response)
    {
        bootInFlight = false;
        var wasAccepted = IsBooted;
        csmsOffset = response.CurrentTime - LocalNow;
        registration = response.Status;
        if (response.Status != RegistrationStatus.Accepted)
        {
            heartbeatDue = null;
            bootRetryAt = LocalNow + (response.Interval > 0 ? TimeSpan.FromSeconds(response.Interval) : options.BootRetryInterval);
            return;
        }
        bootRetryAt = null;
        if (response.Interval > 0)
        {
            Configuration.Change(K.HeartbeatInterval, response.Interval.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        ScheduleHeartbeat(first: true);
        ScheduleAligned();
        if (!wasAccepted)
        {
            RefreshStatuses(reportAll: true);
        }
    }

    private void ScheduleHeartbeat(bool first = false)
    {
        var interval = Configuration.GetInt(K.HeartbeatInterval);
        heartbeatDue = IsOnline && interval > 0 ? LocalNow + (first ? FirstPeriod(interval) : TimeSpan.FromSeconds(interval)) : null;
    }

    /// <summary>The wait before the first periodic message of an interval in seconds (<see cref="ChargePointOptions.FirstPeriodicFraction"/>).</summary>
    private TimeSpan FirstPeriod(int intervalSeconds) => TimeSpan.FromSeconds(intervalSeconds * Math.Clamp(options.FirstPeriodicFraction ?? 1, 0.001, 1));

    private void ScheduleAligned()
    {
        var interval = Configuration.GetInt(K.ClockAlignedDataInterval);
        if (interval <= 0)
        {
            alignedDue = null;
            return;
        }
        var now = CsmsNow;
        var midnight = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var elapsed = (now - midnight).TotalSeconds;
        var next = midnight + TimeSpan.FromSeconds((Math.Floor(elapsed / interval) + 1) * interval);
        alignedDue = next > midnight.AddDays(1) ? midnight.AddDays(1) : next;
    }

    // ───────────────────────── time ─────────────────────────

    /// <summary>The earliest local-clock instant at which <see cref="Advance"/> has work to do; null when nothing is scheduled.</summary>
    public DateTimeOffset? NextDueAt
    {
        get
        {
            var now = LocalNow;
            DateTimeOffset? next = null;
            void Consider(DateTimeOffset? at)
            {
                if (at is { } t && (next is null || t < next))
                {
                    next = t;
                }
            }
            if (IsConnected && !IsBooted && !bootInFlight)
            {
                Consider(bootRetryAt);
            }
            if (IsOnline)
            {
                Consider(heartbeatDue);
                var msd = TimeSpan.FromSeconds(Configuration.GetInt(K.MinimumStatusDuration));
                foreach (var connector in connectors)
                {
                    if (connector.Candidate != connector.Reported || connector.CandidateError != connector.ReportedError)
                    {
                        Consider(connector.CandidateSince + msd);
                    }
                }
                if (transactionQueue.Count > 0 && transactionQueue[0].InFlightSequence is null && transactionQueue[0].NotBefore is { } retry && retry > now)
                {
                    Consider(retry);
                }
            }
            Consider(alignedDue - csmsOffset);
            foreach (var connector in connectors)
            {
                Consider(connector.PendingStart?.Deadline);
                Consider(connector.Reservation?.ExpiryDate - csmsOffset);
                Consider(connector.Transaction?.NextSampleAt);
                Consider(connector.Transaction?.InvalidIdCheckAt);
                if (connector.Meter is { } meter)
                {
                    // Only future instants: a component answering "now" again would make the actor's timer spin.
                    Consider(meter.NextChangeAt(now) is { } change && change > now ? change : null);
                    Consider(smartCharging.NextLimitChangeAt(connector.Id, CsmsNow) - csmsOffset is { } limitChange && limitChange > now ? limitChange : null);
                }
            }
            Consider(pendingReboot?.Deadline);
            Consider(IsConnected ? securityReconnectAt : null);
            Consider(FirmwareNextDue());
            Consider(diagnosticsRetryAt);
            Consider(logRetryAt);
            return next;
        }
    }

    /// <summary>Does whatever is due at the clock's current time (heartbeats, meter values, timeouts, status reports, retries).</summary>
    public void Advance()
    {
        var now = LocalNow;
        ApplyLimits();   // a limit that changes now already shapes the samples taken now
        if (IsConnected && !IsBooted && !bootInFlight && bootRetryAt is { } retry && retry <= now)
        {
            QueueBoot();
        }
        if (IsOnline && heartbeatDue is { } beat && beat <= now)
        {
            Send(new HeartbeatRequest(), beat);
            var interval = TimeSpan.FromSeconds(Configuration.GetInt(K.HeartbeatInterval));
            var next = beat + interval;
            heartbeatDue = interval <= TimeSpan.Zero ? null : next > now ? next : now + interval;
        }
        foreach (var connector in connectors)
        {
            connector.Meter?.AdvanceTo(now);
            if (connector.PendingStart is { } pending && pending.Deadline <= now)
            {
                DropPendingStart(connector, "ConnectionTimeOut expired before the EV was plugged in");
            }
            if (connector.Reservation is { } reservation && reservation.ExpiryDate <= CsmsNow)
            {
                connector.Reservation = null;
            }
            if (connector.Transaction is { InvalidIdCheckAt: { } checkAt } invalidated && checkAt <= now)
            {
                CheckInvalidIdBudget(connector, invalidated);
            }
            if (connector.Transaction is { NextSampleAt: { } sampleAt } transaction && sampleAt <= now)
            {
                SamplePeriodic(connector, transaction, sampleAt);
            }
        }
        if (alignedDue is { } aligned && aligned <= CsmsNow)
        {
            SampleAligned(aligned - csmsOffset);
            ScheduleAligned();
        }
        AdvanceFirmware(now);
        AdvanceDiagnostics(now);
        AdvanceLogUpload(now);
        AdvanceSecurityReconnect(now);
        Settle();
    }

    /// <summary>Brings derived state up to date after any change: smart-charging limits, reboots that are due, status reports.</summary>
    private void Settle()
    {
        ApplyLimits();
        if (firmwarePhase == FirmwarePhase.Downloaded)
        {
            AdvanceFirmware(LocalNow);   // installation starts as soon as the last transaction has ended
        }
        if (pendingReboot is { } reboot && (reboot.Deadline <= LocalNow || (transactionQueue.Count == 0 && outbox.Count == 0 && !sent.Values.Any(s => s.Entry is null))))
        {
            pendingReboot = null;
            Reboot(reboot.Kind, null);
        }
        RefreshStatuses();
        FlushSecurityEvents();
    }

    private void ApplyLimits()
    {
        var (phases, voltage) = PhasesAndVoltage();
        var now = LocalNow;
        var csmsNow = CsmsNow;
        for (var i = 1; i < connectors.Length; i++)
        {
            var connector = connectors[i];
            var limit = smartCharging.LimitW(i, csmsNow, phases, voltage);
            if (limit != connector.AppliedLimitW)
            {
                connector.AppliedLimitW = limit;
                connector.Meter!.SetLimit(limit, now);
            }
        }
    }

    // ───────────────────────── reboot ─────────────────────────

    /// <summary>A hard power cycle: running transactions end with PowerLoss (sent after the next boot), then the charge point boots again.</summary>
    public void PowerCycle()
    {
        pendingReboot = null;
        Reboot(RebootKind.PowerCycle, StopReason.PowerLoss);
        Settle();
    }

    private void Reboot(RebootKind kind, StopReason? stopReason)
    {
        foreach (var connector in connectors)
        {
            if (connector.Transaction is not null)
            {
                StopTransaction(connector, stopReason ?? (kind == RebootKind.HardReset ? StopReason.HardReset : kind == RebootKind.SoftReset ? StopReason.SoftReset : StopReason.Reboot), null);
            }
            DropPendingStart(connector, "the charge point rebooted");
            connector.Reservation = null;
            connector.Reported = null;
            connector.ReportedError = ChargePointErrorCode.NoError;
        }
        pendingAuthorizations.Clear();
        outbox.Clear();
        sent.Clear();
        foreach (var entry in transactionQueue)
        {
            entry.InFlightSequence = null;
        }
        registration = null;
        IsConnected = false;
        bootInFlight = false;
        bootRetryAt = null;
        heartbeatDue = null;
        AbortTransfersOnReboot();
        AbortLogUploadOnReboot();
        pendingSecurityEvents.Clear();
        if (securityExtension)
        {
            // After the reboot (queued with guaranteed delivery): FirmwareUpdated after an install (L01), ResetOrReboot after a reset, StartupOfTheDevice after power loss.
            RaiseSecurityEvent(kind switch
            {
                RebootKind.FirmwareInstalled => Security.SecurityEventTypes.FirmwareUpdated,
                RebootKind.PowerCycle => Security.SecurityEventTypes.StartupOfTheDevice,
                _ => Security.SecurityEventTypes.ResetOrReboot,
            }, kind == RebootKind.FirmwareInstalled ? $"firmware {firmwareVersion}" : kind.ToString());
        }
        Signal(new RebootRequested(kind));
    }
}
