using System.Security.Cryptography.X509Certificates;
using Simulator.ChargePoint.Metering;
using Simulator.ChargePoint.Security;
using Simulator.ChargePoint.V201.DeviceModel;
using Simulator.Ocpp;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Transactions;
using C = Simulator.ChargePoint.V201.DeviceModel.Components;
using V = Simulator.ChargePoint.V201.DeviceModel.Variables;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// The pure-logic behaviour of one OCPP 2.0.1 charging station: EVSEs with one connector each (<see cref="ChargePointOptions.Connectors"/>
/// EVSEs), the device model, and the functional blocks as partial files (<c>StationModel.&lt;Block&gt;.cs</c>). Single-threaded and
/// sans I/O like the 1.6 model: the driver calls it, drains <see cref="TryTakeOutbound"/> and <see cref="TryTakeSignal"/>, and keeps
/// one timer for <see cref="NextDueAt"/>. Every timestamp in a payload is CSMS time (the clock plus the offset learnt from currentTime).
/// </summary>
public sealed partial class StationModel : IChargingStation
{
    private readonly ChargePointOptions options;
    private readonly TimeProvider clock;
    private readonly Random random;
    private readonly EvseState[] evses;
    private readonly CertificateStore certificates = new();

    /// <summary>Non-transaction messages in creation order. <c>Triggered</c>: asked for by TriggerMessage, so it may go while Pending.</summary>
    private readonly List<(long Order, OutboundMessage Message, bool Triggered)> outbox = [];
    private readonly List<QueuedEvent> transactionQueue = [];
    private readonly Dictionary<long, SentContext> sent = [];
    private readonly Queue<ChargePointSignal> signals = new();

    private TimeSpan csmsOffset;
    private long nextSequence;
    private long nextOrder;
    private long nextLocalRef;

    private RegistrationStatus? registration;
    private bool bootInFlight;
    private DateTimeOffset? bootRetryAt;
    private BootReason bootReason = BootReason.PowerUp;
    private DateTimeOffset? heartbeatDue;

    /// <summary>A Reset (OnIdle, or Immediate while its transactions' Ended still go out) waits: reboot once idle or at the deadline.</summary>
    private (RebootKind Kind, BootReason Reason, DateTimeOffset? Deadline)? pendingReboot;
    private DateTimeOffset? reconnectAt;

    /// <exception cref="ArgumentException">The options are inconsistent (EVSE count, device-model overrides).</exception>
    public StationModel(ChargePointOptions options, TimeProvider clock, Random random)
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
            throw new ArgumentException($"Connectors = {options.Connectors}: a 2.0.1 station has 1 to 100 EVSEs (one connector each).", nameof(options));
        }
        this.options = options;
        this.clock = clock;
        this.random = random;
        evses = new EvseState[options.Connectors + 1];
        var now = LocalNow;
        for (var i = 1; i <= options.Connectors; i++)
        {
            evses[i] = new EvseState(i, new ConnectorMeter(options.Meter)) { CandidateSince = now };
        }
        Device = new DeviceModelStore(StandardVariables.For(options), new StateView(this));
        InitializeSecurity();
        Device.ApplyOverrides(options.ConfigurationOverrides, StandardVariables.Aliases);
        foreach (var root in options.CentralSystemRootCertificates)
        {
            certificates.AddRoot(Simulator.Ocpp.V16.Types.CertificateUse.CentralSystemRootCertificate, root);
        }
        foreach (var root in options.ManufacturerRootCertificates)
        {
            certificates.AddRoot(Simulator.Ocpp.V16.Types.CertificateUse.ManufacturerRootCertificate, root);
        }
        foreach (var root in options.CpoRootCertificates)
        {
            certificates.AddCpoRoot(root);
        }
        if (options.ChargePointCertificate is { } own)
        {
            certificates.SetChargePointCertificate(own);
        }
        ScheduleAligned();
    }

    public OcppMessageSet Messages => Ocpp201.Messages;

    public string ChargeBoxId => options.ChargeBoxId;
    public ChargePointOptions Options => options;
    public bool IsConnected { get; private set; }

    /// <summary>Registration Accepted in this power cycle.</summary>
    public bool IsBooted => registration == RegistrationStatus.Accepted;

    public RegistrationStatus? Registration => registration;

    /// <summary>The device model: components, variables, attributes.</summary>
    public DeviceModelStore Device { get; }

    /// <summary>The injected clock's time plus the CSMS offset: what the station believes the time is.</summary>
    public DateTimeOffset CsmsNow => LocalNow + csmsOffset;

    public int EvseCount => evses.Length - 1;

    public int OfflineQueueDepth => transactionQueue.Count;

    public DateTimeOffset? OldestQueuedAt => transactionQueue.Count == 0 ? null : transactionQueue[0].CreatedAt;

    /// <summary>The id of the transaction running on the EVSE, or null.</summary>
    public string? TransactionIdOf(int evseId) => IsEvse(evseId) ? evses[evseId].Transaction?.Id : null;

    /// <summary>The status the connector of the EVSE has now.</summary>
    public ConnectorStatus StatusOf(int evseId) => ComputeStatus(evses[evseId]);

    private DateTimeOffset LocalNow => clock.GetUtcNow();
    private bool IsOnline => IsConnected && IsBooted;
    private bool IsEvse(int evseId) => evseId >= 1 && evseId < evses.Length;
    private IEnumerable<EvseState> Evses => evses.Skip(1);

    // ───────────────────────── connection settings ─────────────────────────

    public int SecurityProfile => Device.GetInt(C.SecurityCtrlr, V.SecurityProfile);

    public string? AuthorizationKey => Device.Get(C.SecurityCtrlr, V.BasicAuthPassword) is { Length: > 0 } key ? key : null;

    public TimeSpan WebSocketPingInterval => TimeSpan.FromSeconds(Math.Max(0, Device.GetInt(C.OCPPCommCtrlr, V.WebSocketPingInterval)));

    public CertificateStore Certificates => certificates;

    /// <summary>
    /// The reconnect back-off of OCPP 2.0.1 (B10 / OCPPCommCtrlr): wait RetryBackOffWaitMinimum plus a random part up to
    /// RetryBackOffRandomRange, doubling the wait RetryBackOffRepeatTimes times. For the reconnect policy of whatever drives the station.
    /// </summary>
    public (TimeSpan WaitMinimum, TimeSpan RandomRange, int RepeatTimes)? ReconnectBackOff => (
        TimeSpan.FromSeconds(Device.GetInt(C.OCPPCommCtrlr, V.RetryBackOffWaitMinimum)),
        TimeSpan.FromSeconds(Device.GetInt(C.OCPPCommCtrlr, V.RetryBackOffRandomRange)),
        Device.GetInt(C.OCPPCommCtrlr, V.RetryBackOffRepeatTimes));

    public void ProvisionChargePointCertificate(X509Certificate2 certificate, IEnumerable<X509Certificate2>? cpoRoots = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        certificates.SetChargePointCertificate(certificate);
        foreach (var root in cpoRoots ?? [])
        {
            certificates.AddCpoRoot(root);
        }
    }

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
        bootInFlight = false;
        bootRetryAt = null;
        heartbeatDue = null;
        reconnectAt = null;
        outbox.Clear();
        sent.Clear();
        foreach (var entry in transactionQueue)
        {
            entry.InFlightSequence = null;
        }
        AuthorizationsLost();
        SecurityConnectionLost();
        Settle();
    }

    /// <summary>A connect failed; a security event (e.g. InvalidCsmsCertificate) is logged and notified once online. <paramref name="detail"/> must be credential-free.</summary>
    public void OnConnectFailed(string? securityEvent, string? detail) => ConnectFailed(securityEvent, detail);

    public void OnServerCertificate(X509Certificate2? serverCertificate) => ServerCertificate(serverCertificate);

    /// <summary>2.0.1 raises the security profile through SetNetworkProfile, NetworkConfigurationPriority and a reboot (A05); the first connection is on trial.</summary>
    public void OnSecurityProfileConnected() => SecurityProfileConnected();

    public int? RevertSecurityProfile() => RevertProfile();

    // ───────────────────────── outbound ─────────────────────────

    /// <summary>
    /// The next message to send now. Before registration is Accepted only BootNotification goes, and while it is Pending also what a
    /// TriggerMessage asked for (B02); the rest is held. TransactionEvents go one at a time in order, the next only after the previous
    /// was answered, and not before its retry time.
    /// </summary>
    public bool TryTakeOutbound(out OutboundMessage message)
    {
        var now = LocalNow;
        if (IsConnected && outbox.Count > 0)
        {
            var index = IsBooted ? 0 : outbox.FindIndex(e => e.Message.Request is BootNotificationRequest || (registration == RegistrationStatus.Pending && e.Triggered));
            var transactionFirst = IsOnline && transactionQueue.Count > 0 && transactionQueue[0] is { InFlightSequence: null } head0
                && (head0.NotBefore is null || head0.NotBefore <= now) && head0.Order < outbox[0].Order;
            if (index >= 0 && !transactionFirst)
            {
                var (_, candidate, triggered) = outbox[index];
                outbox.RemoveAt(index);
                message = candidate with { Sequence = ++nextSequence };
                sent[message.Sequence] = new SentContext(null) { Triggered = triggered && candidate.Request is not NotifyReportRequest ? candidate.Request : null };
                return true;
            }
        }
        if (IsOnline && transactionQueue.Count > 0)
        {
            var head = transactionQueue[0];
            if (head.InFlightSequence is null && (head.NotBefore is not { } notBefore || notBefore <= now))
            {
                head.InFlightSequence = ++nextSequence;
                message = new OutboundMessage(head.Request, true, head.CreatedAt, head.ScheduledFor, head.FailedAttempts + 1) { Sequence = head.InFlightSequence.Value };
                sent[message.Sequence] = new SentContext(head);
                return true;
            }
        }
        message = null!;
        return false;
    }

    public bool TryTakeSignal(out ChargePointSignal signal) => signals.TryDequeue(out signal!);

    /// <summary>The CSMS answered a message the station sent.</summary>
    public void OnAnswered(OutboundMessage message, IOcppResponse response)
    {
        if (message is null || response is null || !sent.Remove(message.Sequence, out var context))
        {
            return;
        }
        var expected = Ocpp201.Messages.Contains(message.Request) ? Ocpp201.Messages.Of(message.Request).ResponseType : null;
        if (expected != response.GetType())
        {
            Fail(message, context, new OutboundFailure.InvalidResponse($"expected {expected?.Name}, got {response.GetType().Name}"));
            Settle();
            return;
        }
        if (context.Entry is { } entry)
        {
            if (transactionQueue.Remove(entry))
            {
                TransactionEventAnswered(entry, (TransactionEventResponse)response);
            }
        }
        else
        {
            Answered(message.Request, response);
        }
        Settle();
    }

    /// <summary>A message the station sent got no usable answer.</summary>
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
            TransactionEventFailed(entry, message, failure);
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
            default:
                Failed(message.Request, failure);
                break;
        }
    }

    /// <summary>
    /// Queues a non-transaction message; dropped unless online (BootNotification: connected). <paramref name="triggered"/> (TriggerMessage)
    /// and <paramref name="requested"/> (the answer to a CSMS request, e.g. NotifyReport parts) may also go while Pending (B02); a triggered
    /// message that still waits is not queued twice.
    /// </summary>
    private void Send(IOcppRequest request, DateTimeOffset? scheduledFor = null, bool triggered = false, bool requested = false)
    {
        var mayTrigger = IsConnected && (IsBooted || registration == RegistrationStatus.Pending);
        if (!IsConnected || !(IsBooted || request is BootNotificationRequest || ((triggered || requested) && mayTrigger)))
        {
            return;
        }
        if (triggered && (outbox.Any(q => q.Triggered && q.Message.Request is not NotifyReportRequest && SameTrigger(q.Message.Request, request))
            || sent.Values.Any(c => c.Triggered is { } waiting && SameTrigger(waiting, request))))
        {
            // The same triggered message still waits to go or for its answer: a CSMS triggering faster than messages go gets that one.
            return;
        }
        outbox.Add((++nextOrder, new OutboundMessage(request, false, LocalNow, scheduledFor, 1), triggered || requested));
    }

    private static bool SameTrigger(IOcppRequest queued, IOcppRequest request) => (queued, request) switch
    {
        (Simulator.Ocpp.V201.MeterValues.MeterValuesRequest a, Simulator.Ocpp.V201.MeterValues.MeterValuesRequest b) => a.EvseId == b.EvseId,
        (StatusNotificationRequest a, StatusNotificationRequest b) => a.EvseId == b.EvseId && a.ConnectorId == b.ConnectorId,
        _ => queued.GetType() == request.GetType(),
    };

    private void Signal(ChargePointSignal signal) => signals.Enqueue(signal);

    private sealed record SentContext(QueuedEvent? Entry)
    {
        public IOcppRequest? Triggered { get; init; }
    }

    /// <summary>Station-initiated messages other than BootNotification and TransactionEvent were answered: route to their block.</summary>
    private void Answered(IOcppRequest request, IOcppResponse response)
    {
        switch (response)
        {
            case BootNotificationResponse boot:
                BootAnswered(boot);
                break;
            case HeartbeatResponse heartbeat:
                csmsOffset = heartbeat.CurrentTime - LocalNow;
                break;
            case Simulator.Ocpp.V201.Authorization.AuthorizeResponse authorize when request is Simulator.Ocpp.V201.Authorization.AuthorizeRequest authorizeRequest:
                AuthorizeAnswered(authorizeRequest, authorize);
                break;
            case Simulator.Ocpp.V201.Security.SignCertificateResponse sign when request is Simulator.Ocpp.V201.Security.SignCertificateRequest signRequest:
                SignCertificateAnswered(signRequest, sign);
                break;
            case Simulator.Ocpp.V201.Security.SecurityEventNotificationResponse when request is Simulator.Ocpp.V201.Security.SecurityEventNotificationRequest securityEvent:
                SecurityEventAnswered(securityEvent);
                break;
            case Simulator.Ocpp.V201.FirmwareManagement.FirmwareStatusNotificationResponse when request is Simulator.Ocpp.V201.FirmwareManagement.FirmwareStatusNotificationRequest firmwareStatus:
                FirmwareStatusAnswered(firmwareStatus);
                break;
        }
    }

    private void Failed(IOcppRequest request, OutboundFailure failure)
    {
        switch (request)
        {
            case Simulator.Ocpp.V201.Authorization.AuthorizeRequest authorizeRequest:
                AuthorizeFailed(authorizeRequest);
                break;
            case Simulator.Ocpp.V201.Security.SecurityEventNotificationRequest securityEvent:
                SecurityEventFailed(securityEvent, failure);
                break;
        }
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
        outbox.Add((++nextOrder, new OutboundMessage(BootRequest(bootReason), false, LocalNow, null, 1), false));
    }

    private BootNotificationRequest BootRequest(BootReason reason) => new()
    {
        Reason = reason,
        ChargingStation = new ChargingStation
        {
            VendorName = options.Vendor,
            Model = options.Model,
            SerialNumber = options.SerialNumber,
            FirmwareVersion = FirmwareVersion,
        },
    };

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
        bootReason = BootReason.PowerUp;
        if (response.Interval > 0)
        {
            Device.SetByStation(C.OCPPCommCtrlr, V.HeartbeatInterval, response.Interval.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        ScheduleHeartbeat();
        ScheduleAligned();
        if (!wasAccepted)
        {
            RefreshStatuses(reportAll: true);
        }
    }

    private void ScheduleHeartbeat()
    {
        var interval = Device.GetInt(C.OCPPCommCtrlr, V.HeartbeatInterval);
        heartbeatDue = IsOnline && interval > 0 ? LocalNow + TimeSpan.FromSeconds(interval) : null;
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
                if (transactionQueue.Count > 0 && transactionQueue[0].InFlightSequence is null && transactionQueue[0].NotBefore is { } retry && retry > now)
                {
                    Consider(retry);
                }
            }
            Consider(alignedDue - csmsOffset);
            foreach (var evse in Evses)
            {
                Consider(evse.PlugInDeadline);
                Consider(evse.Transaction?.NextUpdatedAt);
                Consider(evse.Transaction?.NextEndedSampleAt);
                Consider(evse.Transaction?.InvalidIdCheckAt);
                Consider(evse.Meter.NextChangeAt(now) is { } change && change > now ? change : null);
            }
            Consider(pendingReboot?.Deadline);
            Consider(SecurityNextDue());
            Consider(FirmwareNextDue());
            Consider(logRetryAt);
            Consider(NextEnergyBlocksDueAt());
            Consider(IsConnected ? reconnectAt : null);
            return next;
        }
    }

    /// <summary>Does whatever is due at the clock's current time (heartbeats, meter values, timeouts, retries).</summary>
    public void Advance()
    {
        var now = LocalNow;
        if (IsConnected && !IsBooted && !bootInFlight && bootRetryAt is { } retry && retry <= now)
        {
            QueueBoot();
        }
        if (IsOnline && heartbeatDue is { } beat && beat <= now)
        {
            Send(new HeartbeatRequest(), beat);
            var interval = TimeSpan.FromSeconds(Device.GetInt(C.OCPPCommCtrlr, V.HeartbeatInterval));
            var next = beat + interval;
            heartbeatDue = interval <= TimeSpan.Zero ? null : next > now ? next : now + interval;
        }
        foreach (var evse in Evses)
        {
            evse.Meter.AdvanceTo(now);
            if (evse.PlugInDeadline is { } deadline && deadline <= now)
            {
                EvConnectionTimedOut(evse);
            }
            AdvanceTransaction(evse, now);
        }
        if (alignedDue is { } aligned && aligned <= CsmsNow)
        {
            SampleAligned(aligned - csmsOffset);
            ScheduleAligned();
        }
        AdvanceEnergyBlocks();
        if (IsConnected && reconnectAt is { } at && at <= now)
        {
            reconnectAt = null;
            Signal(new ReconnectRequested("BasicAuthPassword changed"));
        }
        AdvanceSecurity(now);
        AdvanceFirmware(now);
        AdvanceLogUpload(now);
        Settle();
    }

    /// <summary>Brings derived state up to date after any change: scheduled resets and availability, status reports.</summary>
    private void Settle()
    {
        foreach (var evse in Evses)
        {
            if (evse.Transaction is null)
            {
                if (evse.InoperativeScheduled)
                {
                    evse.InoperativeScheduled = false;
                    evse.Inoperative = true;
                }
                if (evse.ResetScheduled)
                {
                    evse.ResetScheduled = false;
                    ResetEvseNow(evse);
                }
            }
        }
        if (stationInoperativeScheduled && Evses.All(e => e.Transaction is null))
        {
            stationInoperativeScheduled = false;
            stationInoperative = true;
        }
        if (pendingReboot is { } reboot && Evses.All(e => e.Transaction is null)
            && (reboot.Deadline is { } d && d <= LocalNow || transactionQueue.Count == 0 || !IsOnline))
        {
            pendingReboot = null;
            Reboot(reboot.Kind, reboot.Reason);
        }
        SettleEnergyBlocks();
        RefreshStatuses();
        SettleFirmware();
        FlushSecurityEvents();
    }

    // ───────────────────────── reboot ─────────────────────────

    /// <summary>A hard power cycle: running transactions end with PowerLoss (sent after the next boot), then the station boots again.</summary>
    public void PowerCycle()
    {
        pendingReboot = null;
        IsConnected = false;   // the power is gone: what the station records now is recorded offline
        foreach (var evse in Evses)
        {
            EndTransaction(evse, TriggerReason.AbnormalCondition, StopReason.PowerLoss);
        }
        Reboot(RebootKind.PowerCycle, BootReason.PowerUp);
        Settle();
    }

    private void Reboot(RebootKind kind, BootReason reason)
    {
        foreach (var evse in Evses)
        {
            EndTransaction(evse, TriggerReason.ResetCommand, kind == RebootKind.PowerCycle ? StopReason.PowerLoss : StopReason.Reboot);
            DropAuthorization(evse, "the station rebooted");
            evse.Reported = null;
            evse.ResetScheduled = false;
        }
        pendingAuthorizations.Clear();
        outbox.Clear();
        sent.Clear();
        foreach (var entry in transactionQueue)
        {
            entry.InFlightSequence = null;
        }
        registration = null;
        bootReason = reason;
        IsConnected = false;
        bootInFlight = false;
        bootRetryAt = null;
        heartbeatDue = null;
        reconnectAt = null;
        FirmwareRebooted(kind);
        LogsRebooted();
        SecurityRebooted(kind);
        Signal(new RebootRequested(kind));
    }

    /// <summary>What the computed device-model variables read.</summary>
    private sealed class StateView(StationModel station) : IStationState
    {
        public DateTimeOffset CsmsNow => station.CsmsNow;
        public int LocalListEntries => station.localList.Count;
        public int CacheEntries => station.cache.Count;
        public string Identity => station.ChargeBoxId;
        public int CertificateEntries => station.InstalledCertificateCount;

        public string AvailabilityState(int? evseId) => station.AvailabilityStateOf(evseId).ToString();

        public bool IsAvailable(int? evseId) => evseId is { } id ? !station.IsInoperative(station.evses[id]) : !station.stationInoperative;

        public double PowerW(int evseId) => station.evses[evseId].Meter.PowerW;

        public int ChargingProfileEntries => station.chargingProfiles?.Installed.Count ?? 0;

        public int DisplayMessageCount => station.displayMessages.Count;
    }

    /// <summary>A firmware download or log upload the station asked for finished; <paramref name="content"/> is the downloaded file when it was kept.</summary>
    public void OnTransferCompleted(long transferId, bool success, string? failure, ReadOnlyMemory<byte> content)
    {
        if (LogTransferCompleted(transferId, success) || FirmwareTransferCompleted(transferId, success, content))
        {
            Settle();
        }
    }
}
