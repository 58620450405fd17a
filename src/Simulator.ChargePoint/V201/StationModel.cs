using System.Security.Cryptography.X509Certificates;
using Simulator.ChargePoint.Metering;
using Simulator.ChargePoint.Security;
using Simulator.ChargePoint.Station;
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
public sealed partial class StationModel : IChargingStation, IStationProtocol
{
    private readonly ChargePointOptions options;
    private readonly Random random;
    private readonly EvseState[] evses;
    private readonly CertificateStore certificates = new();

    /// <summary>Connection, registration, heartbeat, outbox and offline queue: the version-neutral part (this model is its <see cref="IStationProtocol"/>).</summary>
    private readonly StationCore core;

    private TimeSpan csmsOffset;
    private long nextLocalRef;
    private BootReason bootReason = BootReason.PowerUp;

    /// <summary>A Reset (OnIdle, or Immediate while its transactions' Ended still go out) waits: reboot once idle or at the deadline.</summary>
    private (RebootKind Kind, BootReason Reason, DateTimeOffset? Deadline)? pendingReboot;
    private DateTimeOffset? reconnectAt;

    /// <exception cref="ArgumentException">The options are inconsistent (EVSE count, device-model overrides).</exception>
    public StationModel(ChargePointOptions options, TimeProvider clock, Random random)
    {
        StationCore.CheckArguments(options, clock, random, "a 2.0.1 station has 1 to 100 EVSEs (one connector each)");
        this.options = options;
        this.random = random;
        core = new StationCore(this, clock);
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
    public bool IsConnected => core.IsConnected;

    /// <summary>Registration Accepted in this power cycle.</summary>
    public bool IsBooted => core.Boot.IsAccepted;

    public RegistrationStatus? Registration => core.Boot.Registration == Station.Registration.None ? null : (RegistrationStatus)core.Boot.Registration;

    /// <summary>The device model: components, variables, attributes.</summary>
    public DeviceModelStore Device { get; }

    /// <summary>The injected clock's time plus the CSMS offset: what the station believes the time is.</summary>
    public DateTimeOffset CsmsNow => LocalNow + csmsOffset;

    public int EvseCount => evses.Length - 1;

    public int OfflineQueueDepth => core.Queue.Count;

    public DateTimeOffset? OldestQueuedAt => core.Queue.Head?.CreatedAt;

    /// <summary>The id of the transaction running on the EVSE, or null.</summary>
    public string? TransactionIdOf(int evseId) => IsEvse(evseId) ? evses[evseId].Transaction?.Id : null;

    /// <summary>The status the connector of the EVSE has now.</summary>
    public ConnectorStatus StatusOf(int evseId) => ComputeStatus(evses[evseId]);

    private DateTimeOffset LocalNow => core.Now;
    private bool IsOnline => core.IsOnline;
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
    public void OnConnected() => core.Connected();

    /// <summary>The socket closed: non-transaction messages are dropped, transaction messages stay queued, heartbeats stop.</summary>
    public void OnDisconnected()
    {
        core.Disconnected();
        reconnectAt = null;
        AuthorizationsLost();
        SecurityConnectionLost();
        OfflineEventsConnectionLost(rebooted: false);
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
    /// was answered, and not before its retry time (<see cref="StationCore"/>).
    /// </summary>
    public bool TryTakeOutbound(out OutboundMessage message) => core.TryTakeOutbound(out message);

    public bool TryTakeSignal(out ChargePointSignal signal) => core.TryTakeSignal(out signal);

    public bool TryTakeProduced(out TransactionMessageProduced produced) => core.TryTakeProduced(out produced);

    /// <summary>The CSMS answered a message the station sent.</summary>
    public void OnAnswered(OutboundMessage message, IOcppResponse response) => core.Answered(message, response);

    /// <summary>A message the station sent got no usable answer.</summary>
    public void OnFailed(OutboundMessage message, OutboundFailure failure) => core.Failed(message, failure);

    /// <summary>
    /// Queues a non-transaction message; dropped unless online (BootNotification: connected). <paramref name="triggered"/> (TriggerMessage)
    /// and <paramref name="requested"/> (the answer to a CSMS request, e.g. NotifyReport parts) may also go while Pending (B02); a triggered
    /// message that still waits is not queued twice.
    /// </summary>
    private void Send(IOcppRequest request, DateTimeOffset? scheduledFor = null, bool triggered = false, bool requested = false) =>
        core.Send(request, scheduledFor, (triggered ? OutboxFlags.Triggered : OutboxFlags.None) | (requested ? OutboxFlags.Requested : OutboxFlags.None)
            | (request is BootNotificationRequest ? OutboxFlags.Boot : OutboxFlags.None));

    bool IStationProtocol.SameTrigger(IOcppRequest queued, IOcppRequest request) => (queued, request) switch
    {
        (Simulator.Ocpp.V201.MeterValues.MeterValuesRequest a, Simulator.Ocpp.V201.MeterValues.MeterValuesRequest b) => a.EvseId == b.EvseId,
        (StatusNotificationRequest a, StatusNotificationRequest b) => a.EvseId == b.EvseId && a.ConnectorId == b.ConnectorId,
        _ => queued.GetType() == request.GetType(),
    };

    private void Signal(ChargePointSignal signal) => core.Signal(signal);

    private void Produced(in TransactionMessageProduced produced) => core.Produced(produced);

    object? IStationProtocol.ContextFor(IOcppRequest request) => null;

    /// <summary>A TransactionEvent goes as queued (seqNo and offline flag were set when it was made).</summary>
    IOcppRequest? IStationProtocol.PrepareTransactionMessage(QueuedTransactionMessage entry, out string? whyNot)
    {
        whyNot = null;
        return entry.Request;
    }

    void IStationProtocol.TransactionMessageAnswered(QueuedTransactionMessage entry, IOcppRequest request, IOcppResponse response) =>
        TransactionEventAnswered(entry, (TransactionEventResponse)response);

    int IStationProtocol.HeartbeatIntervalSeconds => Device.GetInt(C.OCPPCommCtrlr, V.HeartbeatInterval);

    int IStationProtocol.TransactionMessageAttempts => Math.Max(1, Device.GetInt(C.OCPPCommCtrlr, V.MessageAttempts));

    int IStationProtocol.TransactionMessageAttemptInterval => Device.GetInt(C.OCPPCommCtrlr, V.MessageAttemptInterval);

    IOcppRequest IStationProtocol.BootNotification() => BootRequest(bootReason);

    IOcppRequest IStationProtocol.Heartbeat() => new HeartbeatRequest();

    /// <summary>Station-initiated messages other than TransactionEvent were answered: route to their block.</summary>
    void IStationProtocol.Answered(IOcppRequest request, IOcppResponse response, object? context)
    {
        switch (response)
        {
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
            case Simulator.Ocpp.V201.Diagnostics.NotifyEventResponse when request is Simulator.Ocpp.V201.Diagnostics.NotifyEventRequest notifyEvent:
                OfflineEventDone(notifyEvent);
                break;
        }
    }

    void IStationProtocol.Failed(IOcppRequest request, OutboundFailure failure, object? context)
    {
        switch (request)
        {
            case Simulator.Ocpp.V201.Authorization.AuthorizeRequest authorizeRequest:
                AuthorizeFailed(authorizeRequest);
                break;
            case Simulator.Ocpp.V201.Security.SecurityEventNotificationRequest securityEvent:
                SecurityEventFailed(securityEvent, failure);
                break;
            case Simulator.Ocpp.V201.Diagnostics.NotifyEventRequest notifyEvent:
                OfflineEventDone(notifyEvent, failure);
                break;
        }
    }

    // ───────────────────────── boot and heartbeat ─────────────────────────

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

    void IStationProtocol.BootAnswered(IOcppResponse answer)
    {
        var response = (BootNotificationResponse)answer;
        var wasAccepted = IsBooted;
        csmsOffset = response.CurrentTime - LocalNow;
        if (!core.BootAnswered((Station.Registration)response.Status, response.Interval))
        {
            return;
        }
        bootReason = BootReason.PowerUp;
        if (response.Interval > 0)
        {
            Device.SetByStation(C.OCPPCommCtrlr, V.HeartbeatInterval, response.Interval.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        core.ScheduleHeartbeat();
        ScheduleAligned();
        if (!wasAccepted)
        {
            RefreshStatuses(reportAll: true);
        }
    }

    // ───────────────────────── time ─────────────────────────

    /// <summary>The earliest local-clock instant at which <see cref="Advance"/> has work to do; null when nothing is scheduled.</summary>
    public DateTimeOffset? NextDueAt
    {
        get
        {
            var now = LocalNow;
            var next = new Earliest();
            next.Consider(core.NextDueAt());
            next.Consider(alignedDue - csmsOffset);
            foreach (var evse in Evses)
            {
                next.Consider(evse.PlugInDeadline);
                next.Consider(evse.Transaction?.NextUpdatedAt);
                next.Consider(evse.Transaction?.NextEndedSampleAt);
                next.Consider(evse.Transaction?.InvalidIdCheckAt);
                next.Consider(evse.Meter.NextChangeAt(now) is { } change && change > now ? change : null);
            }
            next.Consider(pendingReboot?.Deadline);
            next.Consider(SecurityNextDue());
            next.Consider(FirmwareNextDue());
            next.Consider(logRetryAt);
            next.Consider(NextEnergyBlocksDueAt());
            next.Consider(IsConnected ? reconnectAt : null);
            return next.At;
        }
    }

    /// <summary>Does whatever is due at the clock's current time (heartbeats, meter values, timeouts, retries).</summary>
    public void Advance()
    {
        var now = LocalNow;
        core.Advance();
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
    void IStationProtocol.Settle() => Settle();

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
            && (reboot.Deadline is { } d && d <= LocalNow || core.Queue.Count == 0 || !IsOnline))
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
        core.PowerLost();   // the power is gone: what the station records now is recorded offline
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
        core.PowerLost();
        bootReason = reason;
        reconnectAt = null;
        FirmwareRebooted(kind);
        LogsRebooted();
        SecurityRebooted(kind);
        ExternalLimitsRebooted();
        OfflineEventsConnectionLost(rebooted: true);
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
