using Simulator.Ocpp.V16;
using Simulator.ChargePoint.V16.Authorization;
using Simulator.ChargePoint.V16.Configuration;
using Simulator.ChargePoint.Metering;
using Simulator.ChargePoint.SmartCharging;
using Simulator.ChargePoint.Station;
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
public sealed partial class ChargePointModel : IChargingStation, IStationProtocol
{
    private readonly ChargePointOptions options;
    private readonly Random random;
    private readonly Connector[] connectors;
    private readonly SmartChargingEngine smartCharging;
    private readonly AuthorizationCache cache = new();
    private readonly LocalAuthorizationList localList = new();

    /// <summary>Connection, registration, heartbeat, outbox and offline queue: the version-neutral part (this model is its <see cref="IStationProtocol"/>).</summary>
    private readonly StationCore core;
    private readonly Dictionary<long, int> transactionIds = [];
    private readonly List<PendingAuthorization> pendingAuthorizations = [];

    private TimeSpan csmsOffset;
    private string firmwareVersion;
    private long nextLocalRef;
    private long nextTransferId;

    /// <summary>CSMS time of the next clock-aligned sample.</summary>
    private DateTimeOffset? alignedDue;
    private (RebootKind Kind, DateTimeOffset Deadline)? pendingReboot;

    /// <exception cref="ArgumentException">The options are inconsistent (connector count, configuration overrides).</exception>
    public ChargePointModel(ChargePointOptions options, TimeProvider clock, Random random)
    {
        StationCore.CheckArguments(options, clock, random, "a charge point has 1 to 100 connectors");
        if (options.FirmwareInstallFailureProbability is < 0 or > 1 || double.IsNaN(options.FirmwareInstallFailureProbability))
        {
            throw new ArgumentException("FirmwareInstallFailureProbability must be within [0, 1].", nameof(options));
        }
        this.options = options;
        this.random = random;
        core = new StationCore(this, clock);
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
    public bool IsConnected => core.IsConnected;

    /// <summary>The running firmware: the options' version until an UpdateFirmware installs another (named after the file it came from).</summary>
    public string FirmwareVersion => firmwareVersion;

    /// <summary>Registration Accepted in this power cycle.</summary>
    public bool IsBooted => core.Boot.IsAccepted;

    public RegistrationStatus? Registration => core.Boot.Registration == Station.Registration.None ? null : (RegistrationStatus)core.Boot.Registration;
    public ConfigurationStore Configuration { get; }
    public int LocalListVersion => localList.Version;
    public int AuthorizationCacheCount => cache.Count;

    /// <summary>The injected clock's time plus the CSMS offset: what the charge point believes the time is.</summary>
    public DateTimeOffset CsmsNow => LocalNow + csmsOffset;

    public int OfflineQueueDepth => core.Queue.Count;

    /// <summary>How many transactions' CSMS ids the model keeps for its queued messages (tests: the count stays bounded).</summary>
    internal int TransactionIdsKept => transactionIds.Count;

    /// <summary>Local-clock creation time of the oldest queued transaction message.</summary>
    public DateTimeOffset? OldestQueuedAt => core.Queue.Head?.CreatedAt;

    public IReadOnlyList<ConnectorState> Connectors => connectors.Select(Snapshot).ToList();

    private DateTimeOffset LocalNow => core.Now;
    private bool IsOnline => core.IsOnline;
    private int ConnectorCount => connectors.Length - 1;

    // ───────────────────────── connection lifecycle ─────────────────────────

    /// <summary>The socket is open: boot if this power cycle has not been accepted yet (or BootOnReconnect), else resume.</summary>
    public void OnConnected() => core.Connected();

    /// <summary>The socket closed: non-transaction messages are dropped, transaction messages stay queued, heartbeats stop.</summary>
    public void OnDisconnected()
    {
        core.Disconnected();
        ReleaseSecurityReconnect();
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
    /// only after the previous was answered, and not before its retry time (<see cref="StationCore"/>).
    /// </summary>
    public bool TryTakeOutbound(out OutboundMessage message) => core.TryTakeOutbound(out message);

    public bool TryTakeSignal(out ChargePointSignal signal) => core.TryTakeSignal(out signal);

    public bool TryTakeProduced(out TransactionMessageProduced produced) => core.TryTakeProduced(out produced);

    /// <summary>The CSMS answered a message the model sent.</summary>
    public void OnAnswered(OutboundMessage message, IOcppResponse response) => core.Answered(message, response);

    /// <summary>A message the model sent got no usable answer.</summary>
    public void OnFailed(OutboundMessage message, OutboundFailure failure) => core.Failed(message, failure);

    void IStationProtocol.Answered(IOcppRequest request, IOcppResponse response, object? context)
    {
        switch (response)
        {
            case HeartbeatResponse heartbeat:
                csmsOffset = heartbeat.CurrentTime - LocalNow;
                break;
            case AuthorizeResponse authorize when context is PendingAuthorization auth:
                AuthorizeAnswered(auth, authorize.IdTagInfo);
                break;
            case Simulator.Ocpp.V16.FirmwareManagement.FirmwareStatusNotificationResponse:
            case Simulator.Ocpp.V16.Security.SignedFirmwareStatusNotificationResponse:
                FirmwareStatusDelivered(request);
                break;
            case Simulator.Ocpp.V16.Security.SignCertificateResponse signCertificate:
                SignCertificateAnswered(signCertificate);
                break;
        }
    }

    void IStationProtocol.Failed(IOcppRequest request, OutboundFailure failure, object? context)
    {
        switch (request)
        {
            case AuthorizeRequest when context is PendingAuthorization auth && pendingAuthorizations.Remove(auth):
                DecideOffline(auth);
                break;
            case Simulator.Ocpp.V16.FirmwareManagement.FirmwareStatusNotificationRequest:
            case Simulator.Ocpp.V16.Security.SignedFirmwareStatusNotificationRequest:
                FirmwareStatusDelivered(request);
                break;
        }
    }

    /// <summary>An Authorize is answered for the first pending authorization of its idTag.</summary>
    object? IStationProtocol.ContextFor(IOcppRequest request) =>
        request is AuthorizeRequest authorize
            ? pendingAuthorizations.FirstOrDefault(p => string.Equals(p.IdTag, authorize.IdTag, StringComparison.OrdinalIgnoreCase))
            : null;

    /// <summary>MeterValues and StopTransaction carry the transactionId the CSMS gave in answer to StartTransaction, which may have come after they were queued.</summary>
    IOcppRequest? IStationProtocol.PrepareTransactionMessage(QueuedTransactionMessage entry, out string? whyNot)
    {
        whyNot = "its StartTransaction was never answered, so the transactionId is unknown";
        switch (entry.Request)
        {
            // Queued after the StartTransaction's answer (most are), a message carries its id already: sent as it is.
            case MeterValuesRequest meterValues:
                return !transactionIds.TryGetValue(entry.LocalRef, out var id) ? null
                    : meterValues.TransactionId == id ? meterValues : meterValues with { TransactionId = id };
            case StopTransactionRequest stop:
                return !transactionIds.TryGetValue(entry.LocalRef, out var stopId) ? null
                    : stop.TransactionId == stopId ? stop : stop with { TransactionId = stopId };
            default:
                return entry.Request;
        }
    }

    void IStationProtocol.TransactionMessageAnswered(QueuedTransactionMessage entry, IOcppRequest request, IOcppResponse response) =>
        TransactionMessageAnswered(entry, request, response);

    int IStationProtocol.HeartbeatIntervalSeconds => Configuration.GetInt(K.HeartbeatInterval);

    int IStationProtocol.TransactionMessageAttempts => Configuration.GetInt(K.TransactionMessageAttempts);

    int IStationProtocol.TransactionMessageAttemptInterval => Configuration.GetInt(K.TransactionMessageRetryInterval);

    IOcppRequest IStationProtocol.BootNotification() => new BootNotificationRequest
    {
        ChargePointVendor = options.Vendor,
        ChargePointModel = options.Model,
        ChargePointSerialNumber = options.SerialNumber,
        FirmwareVersion = firmwareVersion,
    };

    IOcppRequest IStationProtocol.Heartbeat() => new HeartbeatRequest();

    bool IStationProtocol.SameTrigger(IOcppRequest queued, IOcppRequest request) => (queued, request) switch
    {
        (MeterValuesRequest a, MeterValuesRequest b) => a.ConnectorId == b.ConnectorId,
        (StatusNotificationRequest a, StatusNotificationRequest b) => a.ConnectorId == b.ConnectorId,
        _ => queued.GetType() == request.GetType(),
    };

    /// <summary>Triggered messages may go while the registration is Pending; other messages only once it is Accepted.</summary>
    private bool CanSendTriggered => core.MayAnswerTrigger;

    /// <summary>Queues a non-transaction message; dropped unless online (BootNotification: connected; <paramref name="triggered"/>: <see cref="CanSendTriggered"/>).</summary>
    private void Send(IOcppRequest request, DateTimeOffset? scheduledFor = null, bool triggered = false) =>
        core.Send(request, scheduledFor, (triggered ? OutboxFlags.Triggered : OutboxFlags.None) | (request is BootNotificationRequest ? OutboxFlags.Boot : OutboxFlags.None));

    private void Enqueue(TransactionMessageKind kind, int connectorId, long localRef, IOcppRequest request, DateTimeOffset? scheduledFor) =>
        core.Enqueue(kind, connectorId, localRef, request, scheduledFor);

    private void Signal(ChargePointSignal signal) => core.Signal(signal);

    private void Produced(in TransactionMessageProduced produced) => core.Produced(produced);

    // ───────────────────────── boot and heartbeat ─────────────────────────

    private void QueueBoot() => core.QueueBoot();

    void IStationProtocol.BootAnswered(IOcppResponse answer)
    {
        var response = (BootNotificationResponse)answer;
        var wasAccepted = IsBooted;
        csmsOffset = response.CurrentTime - LocalNow;
        if (!core.BootAnswered((Station.Registration)response.Status, response.Interval))
        {
            return;
        }
        if (response.Interval > 0)
        {
            Configuration.Change(K.HeartbeatInterval, response.Interval.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        core.ScheduleHeartbeat(FirstPeriodicFraction);
        ScheduleAligned();
        if (!wasAccepted)
        {
            RefreshStatuses(reportAll: true);
        }
    }

    private double FirstPeriodicFraction => Math.Clamp(options.FirstPeriodicFraction ?? 1, 0.001, 1);

    /// <summary>The wait before the first periodic message of an interval in seconds (<see cref="ChargePointOptions.FirstPeriodicFraction"/>).</summary>
    private TimeSpan FirstPeriod(int intervalSeconds) => TimeSpan.FromSeconds(intervalSeconds * FirstPeriodicFraction);

    private void ScheduleAligned()
    {
        alignedDue = StationCore.NextAligned(CsmsNow, Configuration.GetInt(K.ClockAlignedDataInterval));
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
            if (IsOnline)
            {
                var msd = TimeSpan.FromSeconds(Configuration.GetInt(K.MinimumStatusDuration));
                foreach (var connector in connectors)
                {
                    if (connector.Candidate != connector.Reported || connector.CandidateError != connector.ReportedError)
                    {
                        next.Consider(connector.CandidateSince + msd);
                    }
                }
            }
            next.Consider(alignedDue - csmsOffset);
            foreach (var connector in connectors)
            {
                next.Consider(connector.PendingStart?.Deadline);
                next.Consider(connector.Reservation?.ExpiryDate - csmsOffset);
                next.Consider(connector.Transaction?.NextSampleAt);
                next.Consider(connector.Transaction?.InvalidIdCheckAt);
                if (connector.Meter is { } meter)
                {
                    // Only future instants: a component answering "now" again would make the actor's timer spin.
                    next.Consider(meter.NextChangeAt(now) is { } change && change > now ? change : null);
                    next.Consider(smartCharging.NextLimitChangeAt(connector.Id, CsmsNow) - csmsOffset is { } limitChange && limitChange > now ? limitChange : null);
                }
            }
            next.Consider(pendingReboot?.Deadline);
            next.Consider(IsConnected ? securityReconnectAt : null);
            next.Consider(FirmwareNextDue());
            next.Consider(diagnosticsRetryAt);
            next.Consider(logRetryAt);
            return next.At;
        }
    }

    /// <summary>Does whatever is due at the clock's current time (heartbeats, meter values, timeouts, status reports, retries).</summary>
    public void Advance()
    {
        var now = LocalNow;
        ApplyLimits();   // a limit that changes now already shapes the samples taken now
        core.Advance();
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
    void IStationProtocol.Settle() => Settle();

    private void Settle()
    {
        ApplyLimits();
        if (firmwarePhase == FirmwarePhase.Downloaded)
        {
            AdvanceFirmware(LocalNow);   // installation starts as soon as the last transaction has ended
        }
        if (pendingReboot is { } reboot && (reboot.Deadline <= LocalNow || (core.Queue.Count == 0 && !core.HasOutstandingMessages)))
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
        core.PowerLost();
        AbortTransfersOnReboot();
        AbortLogUploadOnReboot();
        pendingSecurityEvents?.Clear();
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
