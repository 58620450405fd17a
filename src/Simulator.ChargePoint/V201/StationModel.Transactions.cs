using System.Globalization;
using Simulator.ChargePoint.Metering;
using Simulator.ChargePoint.Station;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using C = Simulator.ChargePoint.V201.DeviceModel.Components;
using M16 = Simulator.Ocpp.V16.Types;
using V = Simulator.ChargePoint.V201.DeviceModel.Variables;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// E: transactions. A transaction starts at TxStartPoint (EVConnected, Authorized, PowerPathClosed, ...) and ends at TxStopPoint;
/// every change is a TransactionEvent (Started/Updated/Ended, seqNo 0, 1, 2, ... without gaps, <c>offline</c> when made while
/// offline) in the offline queue: sent in order, one at a time, retried MessageAttempts times MessageAttemptInterval × attempt apart.
/// </summary>
public sealed partial class StationModel
{
    private static readonly HashSet<string> CablePoints = ["EVConnected", "ParkingBayOccupancy"];
    private static readonly HashSet<string> BothPoints = ["PowerPathClosed", "EnergyTransfer", "DataSigned"];

    private InboundReply Transactions(IOcppRequest request) => request switch
    {
        GetTransactionStatusRequest r => Ok(GetTransactionStatus(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    /// <summary>E14: whether the transaction runs, and whether TransactionEvents (of it, or any) wait in the queue.</summary>
    private GetTransactionStatusResponse GetTransactionStatus(GetTransactionStatusRequest request)
    {
        if (request.TransactionId is not { } id)
        {
            return new() { MessagesInQueue = core.Queue.Count > 0 };
        }
        return new()
        {
            OngoingIndicator = Evses.Any(e => e.Transaction?.Id == id),
            MessagesInQueue = core.Queue.Any(q => ((TransactionEventRequest)q.Request).TransactionInfo.TransactionId == id),
        };
    }

    // ───────────────────────── the driver ─────────────────────────

    /// <summary>An EV is plugged in at the EVSE. Starts (or updates) the transaction per TxStartPoint. False when the EVSE does not exist or is occupied.</summary>
    public bool PlugIn(int connectorId, EvSpec ev)
    {
        if (!IsEvse(connectorId) || ev is null || evses[connectorId].Plugged)
        {
            return false;
        }
        var evse = evses[connectorId];
        try
        {
            evse.Meter.AttachEv(ev, LocalNow);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
        evse.Plugged = true;
        evse.PlugInDeadline = null;
        if (evse.Transaction is not null)
        {
            UpdateFlow(evse);
            EmitEvent(evse, TransactionEventKind.Updated, TriggerReason.CablePluggedIn);
        }
        else if (!evse.Faulted && !IsInoperative(evse) && StartPointReached(evse))
        {
            StartTransaction(evse, TriggerReason.CablePluggedIn);
        }
        Settle();
        return true;
    }

    /// <summary>The EV leaves. The transaction ends when StopTxOnEVSideDisconnect or TxStopPoint says so, else it stays (Idle).</summary>
    public void Unplug(int connectorId)
    {
        if (!IsEvse(connectorId) || !evses[connectorId].Plugged)
        {
            return;
        }
        var evse = evses[connectorId];
        evse.Meter.AdvanceTo(LocalNow);
        evse.Plugged = false;
        if (evse.Transaction is { } transaction)
        {
            var stopPoints = StopPoints();
            if (Device.GetBool(C.TxCtrlr, V.StopTxOnEVSideDisconnect) || stopPoints.Overlaps(CablePoints) || stopPoints.Overlaps(BothPoints))
            {
                EndTransaction(evse, transaction.Deauthorized ? TriggerReason.EVDeparted : TriggerReason.EVCommunicationLost,
                    transaction.PendingStopReason ?? StopReason.EVDisconnected);
            }
            else
            {
                UpdateFlow(evse);
                EmitEvent(evse, TransactionEventKind.Updated, TriggerReason.EVDeparted);
            }
        }
        else
        {
            DropAuthorization(evse, "the EV left");
        }
        evse.Meter.DetachEv(LocalNow);
        Settle();
    }

    // ───────────────────────── start and stop points ─────────────────────────

    private HashSet<string> StartPoints()
    {
        var points = Device.GetList(C.TxCtrlr, V.TxStartPoint);
        return points.Count == 0 ? ["PowerPathClosed"] : [.. points];
    }

    private HashSet<string> StopPoints()
    {
        var points = Device.GetList(C.TxCtrlr, V.TxStopPoint);
        return points.Count == 0 ? ["EVConnected", "Authorized"] : [.. points];
    }

    /// <summary>Any listed start point is reached: the cable (EVConnected), the driver (Authorized), or both (PowerPathClosed, EnergyTransfer).</summary>
    private bool StartPointReached(EvseState evse)
    {
        var points = StartPoints();
        var authorized = evse.Authorization is not null;
        return (points.Overlaps(CablePoints) && evse.Plugged)
            || (points.Contains("Authorized") && authorized)
            || (points.Overlaps(BothPoints) && evse.Plugged && authorized);
    }

    /// <summary>A driver is authorized at the EVSE (locally, by the CSMS, or by a remote start).</summary>
    private void GrantAuthorization(EvseState evse, Authorization authorization, bool remote)
    {
        var trigger = remote ? TriggerReason.RemoteStart : TriggerReason.Authorized;
        var announced = evse.Authorization is { RemoteStartId: not null } earlier && SameToken(earlier.IdToken, authorization.IdToken);
        evse.Authorization = authorization;
        if (evse.Transaction is { } transaction)
        {
            transaction.IdToken = authorization.IdToken;
            transaction.GroupIdToken = authorization.GroupIdToken;
            transaction.IdTokenSent = false;
            transaction.RemoteStartId = authorization.RemoteStartId ?? transaction.RemoteStartId;
            UpdateFlow(evse);
            EmitEvent(evse, TransactionEventKind.Updated, trigger);
        }
        else if (StartPointReached(evse))
        {
            StartTransaction(evse, trigger);
        }
        if (!evse.Plugged)
        {
            // EVConnectionTimeOut counts from the authorization.
            evse.PlugInDeadline = LocalNow + TimeSpan.FromSeconds(Device.GetInt(C.TxCtrlr, V.EVConnectionTimeOut));
            if (remote && !announced)
            {
                Signal(new RemoteStartAwaitingPlugIn(evse.Id, authorization.IdToken.Token));
            }
        }
    }

    /// <summary>The driver's authorization ended (stop by token, RequestStopTransaction, invalidated): the transaction ends if TxStopPoint names the authorization.</summary>
    private void Deauthorize(EvseState evse, TriggerReason trigger, StopReason reason)
    {
        if (evse.Transaction is not { } transaction)
        {
            return;
        }
        var stopPoints = StopPoints();
        if (stopPoints.Contains("Authorized") || stopPoints.Overlaps(BothPoints) || !evse.Plugged)
        {
            EndTransaction(evse, trigger, reason);
            return;
        }
        transaction.Deauthorized = true;
        transaction.PendingStopReason = reason;
        evse.Authorization = null;
        UpdateFlow(evse);
        EmitEvent(evse, TransactionEventKind.Updated, trigger);
    }

    /// <summary>An authorization without a transaction goes (a remote start's driver hears it). A transaction, if any, is the caller's business.</summary>
    private void DropAuthorization(EvseState evse, string reason)
    {
        if (evse.Transaction is not null || evse.Authorization is not { } authorization)
        {
            evse.PlugInDeadline = evse.Transaction is null ? null : evse.PlugInDeadline;
            return;
        }
        evse.Authorization = null;
        evse.PlugInDeadline = null;
        if (authorization.RemoteStartId is not null)
        {
            Signal(new RemoteStartLapsed(evse.Id, authorization.IdToken.Token, reason));
        }
    }

    /// <summary>E03/F01: the EV did not come within EVConnectionTimeOut: the authorization lapses; a transaction started at Authorized ends (Timeout).</summary>
    private void EvConnectionTimedOut(EvseState evse)
    {
        evse.PlugInDeadline = null;
        var authorization = evse.Authorization;
        if (evse.Transaction is not null)
        {
            EndTransaction(evse, TriggerReason.EVConnectTimeout, StopReason.Timeout);
            if (authorization?.RemoteStartId is not null)
            {
                Signal(new RemoteStartLapsed(evse.Id, authorization.IdToken.Token, "EVConnectionTimeOut expired before the EV was plugged in"));
            }
            return;
        }
        DropAuthorization(evse, "EVConnectionTimeOut expired before the EV was plugged in");
    }

    // ───────────────────────── the transaction ─────────────────────────

    private void StartTransaction(EvseState evse, TriggerReason trigger)
    {
        var now = LocalNow;
        evse.Meter.AdvanceTo(now);
        var localRef = ++nextLocalRef;
        var startedAt = CsmsNow;
        var transaction = new TransactionState(TransactionIdFor(startedAt, localRef), localRef, startedAt, evse.Meter.RegisterWh);
        if (evse.Authorization is { } authorization)
        {
            transaction.IdToken = authorization.IdToken;
            transaction.GroupIdToken = authorization.GroupIdToken;
            transaction.RemoteStartId = authorization.RemoteStartId;
        }
        evse.Transaction = transaction;
        UpdateFlow(evse);
        var sampled = Device.GetBool(C.SampledDataCtrlr, V.Enabled);
        var begin = sampled ? Sample(evse, MeasurandsOf(C.SampledDataCtrlr, V.TxStartedMeasurands), ReadingContext.TransactionBegin) : null;
        EmitEvent(evse, TransactionEventKind.Started, trigger, begin is null ? null : [begin]);
        Signal(new SessionStarted(evse.Id, localRef, transaction.IdToken?.Token ?? "", transaction.MeterStartWh, startedAt) { TransactionKey = transaction.Id });
        ScheduleSamples(transaction, now);
    }

    /// <summary>
    /// Unique across runs and power cuts (the start time is saved with the transaction) and across stations (a CSMS may key
    /// transactions by id alone, and thousands of stations start in the same millisecond): start time, a stable hash of the
    /// station's id, the local reference; at most 36 characters.
    /// </summary>
    private string TransactionIdFor(DateTimeOffset startedAt, long localRef) =>
        string.Create(CultureInfo.InvariantCulture, $"{startedAt.ToUnixTimeMilliseconds():x}-{StationTag(options.ChargeBoxId):x8}-{localRef}");

    /// <summary>FNV-1a of the id: the same in every process (string.GetHashCode is not), so a resumed station names its transactions alike.</summary>
    private static uint StationTag(string chargeBoxId)
    {
        var hash = 2166136261u;
        foreach (var c in chargeBoxId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }

    private void ScheduleSamples(TransactionState transaction, DateTimeOffset now)
    {
        var updated = Device.GetInt(C.SampledDataCtrlr, V.TxUpdatedInterval);
        var ended = Device.GetInt(C.SampledDataCtrlr, V.TxEndedInterval);
        transaction.NextUpdatedAt = updated > 0 ? now + TimeSpan.FromSeconds(updated) : null;
        transaction.NextEndedSampleAt = ended > 0 ? now + TimeSpan.FromSeconds(ended) : null;
    }

    /// <summary>Ends the transaction running on the EVSE (if any) with Ended: TxEndedMeasurands at the end plus what was gathered on the way.</summary>
    private void EndTransaction(EvseState evse, TriggerReason trigger, StopReason reason)
    {
        if (evse.Transaction is not { } transaction)
        {
            return;
        }
        var now = LocalNow;
        evse.Meter.AdvanceTo(now);
        transaction.Deauthorized = true;
        if (Device.GetBool(C.SampledDataCtrlr, V.Enabled))
        {
            KeepForEnded(evse, transaction, MeasurandsOf(C.SampledDataCtrlr, V.TxEndedMeasurands), ReadingContext.TransactionEnd);
        }
        evse.Meter.StopDelivery(now);
        var timestamp = CsmsNow;
        EmitEvent(evse, TransactionEventKind.Ended, trigger, EndedDataOf(evse, transaction), stoppedReason: reason);
        Signal(new SessionEnded(evse.Id, transaction.LocalRef, null, ReasonFor16(reason), evse.Meter.RegisterWh - transaction.MeterStartWh, timestamp)
        {
            TransactionKey = transaction.Id,
            StoppedReason = reason.ToString(),
        });
        evse.Transaction = null;
        evse.Authorization = null;
        evse.PlugInDeadline = null;
    }

    private static M16.StopReason ReasonFor16(StopReason reason) => reason switch
    {
        StopReason.DeAuthorized => M16.StopReason.DeAuthorized,
        StopReason.EmergencyStop => M16.StopReason.EmergencyStop,
        StopReason.EVDisconnected => M16.StopReason.EVDisconnected,
        StopReason.ImmediateReset => M16.StopReason.HardReset,
        StopReason.Local => M16.StopReason.Local,
        StopReason.PowerLoss => M16.StopReason.PowerLoss,
        StopReason.Reboot => M16.StopReason.Reboot,
        StopReason.Remote => M16.StopReason.Remote,
        _ => M16.StopReason.Other,
    };

    /// <summary>Energy flows while a transaction runs with the EV plugged in and the driver authorized.</summary>
    private void UpdateFlow(EvseState evse)
    {
        var now = LocalNow;
        var flow = evse.Transaction is { Deauthorized: false } && evse.Plugged && evse.Authorization is not null;
        if (flow && !evse.Meter.Delivering)
        {
            evse.Meter.StartDelivery(now);
        }
        else if (!flow && evse.Meter.Delivering)
        {
            evse.Meter.StopDelivery(now);
        }
    }

    private static ChargingState ChargingStateOf(EvseState evse) =>
        !evse.Plugged ? ChargingState.Idle
        : evse.Transaction is { Deauthorized: true } || evse.Authorization is null ? ChargingState.EVConnected
        : evse.Meter.EvseSuspended ? ChargingState.SuspendedEVSE
        : evse.Meter.EvSuspended ? ChargingState.SuspendedEV
        : ChargingState.Charging;

    /// <summary>Periodic Updated (TxUpdatedInterval), TxEnded samples (TxEndedInterval), and the EV's own charging-state changes.</summary>
    private void AdvanceTransaction(EvseState evse, DateTimeOffset now)
    {
        if (evse.Transaction is not { } transaction)
        {
            return;
        }
        var sampled = Device.GetBool(C.SampledDataCtrlr, V.Enabled);
        if (transaction.NextUpdatedAt is { } updatedAt && updatedAt <= now)
        {
            var interval = TimeSpan.FromSeconds(Device.GetInt(C.SampledDataCtrlr, V.TxUpdatedInterval));
            transaction.NextUpdatedAt = interval <= TimeSpan.Zero ? null : updatedAt + interval > now ? updatedAt + interval : now + interval;
            if (sampled && Sample(evse, MeasurandsOf(C.SampledDataCtrlr, V.TxUpdatedMeasurands), ReadingContext.SamplePeriodic) is { } value)
            {
                EmitEvent(evse, TransactionEventKind.Updated, TriggerReason.MeterValuePeriodic, [value], updatedAt);
            }
        }
        if (transaction.NextEndedSampleAt is { } endedAt && endedAt <= now)
        {
            var interval = TimeSpan.FromSeconds(Device.GetInt(C.SampledDataCtrlr, V.TxEndedInterval));
            transaction.NextEndedSampleAt = interval <= TimeSpan.Zero ? null : endedAt + interval > now ? endedAt + interval : now + interval;
            if (sampled)
            {
                KeepForEnded(evse, transaction, MeasurandsOf(C.SampledDataCtrlr, V.TxEndedMeasurands), ReadingContext.SamplePeriodic);
            }
        }
        if (transaction.InvalidIdCheckAt is { } checkAt && checkAt <= now)
        {
            CheckInvalidIdBudget(evse, transaction, TriggerReason.ChargingStateChanged);
        }
        if (ChargingStateOf(evse) != transaction.ReportedChargingState)
        {
            EmitEvent(evse, TransactionEventKind.Updated, TriggerReason.ChargingStateChanged);
        }
    }

    /// <summary>Makes the next TransactionEvent of the EVSE's transaction and queues it.</summary>
    private void EmitEvent(EvseState evse, TransactionEventKind kind, TriggerReason trigger, MeterValue[]? meterValues = null,
        DateTimeOffset? scheduledFor = null, StopReason? stoppedReason = null)
    {
        var transaction = evse.Transaction!;
        var now = LocalNow;
        var state = ChargingStateOf(evse);
        if (transaction.ChargingSince is { } since)
        {
            transaction.ChargingSeconds += (now - since).TotalSeconds;
        }
        transaction.ChargingSince = state == ChargingState.Charging ? now : null;
        var sendState = kind == TransactionEventKind.Started || state != transaction.ReportedChargingState;
        transaction.ReportedChargingState = state;
        var idToken = transaction.IdToken is { } token && !transaction.IdTokenSent ? token : null;
        transaction.IdTokenSent |= idToken is not null;
        var remoteStartId = transaction.RemoteStartId;
        transaction.RemoteStartId = null;
        var timestamp = trigger == TriggerReason.MeterValueClock && meterValues is { Length: > 0 } ? meterValues[0].Timestamp : CsmsNow;
        var request = new TransactionEventRequest
        {
            EventType = kind,
            Timestamp = timestamp,
            TriggerReason = trigger,
            SeqNo = transaction.NextSeqNo++,
            Offline = IsConnected ? null : true,
            NumberOfPhasesUsed = kind == TransactionEventKind.Started ? options.Meter.Phases : null,
            TransactionInfo = new Transaction
            {
                TransactionId = transaction.Id,
                ChargingState = sendState ? state : null,
                TimeSpentCharging = kind == TransactionEventKind.Ended || trigger == TriggerReason.ChargingStateChanged ? (int)transaction.ChargingSeconds : null,
                StoppedReason = stoppedReason,
                RemoteStartId = remoteStartId,
            },
            Evse = kind == TransactionEventKind.Started ? new Evse { Id = evse.Id, ConnectorId = 1 } : null,
            IdToken = idToken,
            ReservationId = ClaimReservation(evse, idToken),
            MeterValue = meterValues is { Length: > 0 } ? meterValues : null,
        };
        var messageKind = kind switch
        {
            TransactionEventKind.Started => TransactionMessageKind.StartTransaction,
            TransactionEventKind.Ended => TransactionMessageKind.StopTransaction,
            _ => TransactionMessageKind.MeterValues,
        };
        core.Enqueue(messageKind, evse.Id, transaction.LocalRef, request, scheduledFor);
        var context = meterValues is { Length: > 0 } && meterValues[0].SampledValue[0].Context is { } c ? Enum.Parse<M16.ReadingContext>(c.ToString()) : (M16.ReadingContext?)null;
        Produced(new TransactionMessageProduced(messageKind, evse.Id, transaction.LocalRef, idToken?.Token ?? transaction.IdToken?.Token, timestamp,
            kind == TransactionEventKind.Updated ? null : (int)Math.Round(evse.Meter.RegisterWh), null, kind == TransactionEventKind.Updated ? context : null)
        {
            TransactionKey = transaction.Id,
            SeqNo = request.SeqNo,
            TriggerReason = trigger.ToString(),
        });
    }

    // ───────────────────────── the queue ─────────────────────────

    /// <summary>The CSMS answered a TransactionEvent: an idTokenInfo updates the cache, and a rejected token ends (StopTxOnInvalidId) or stops the charging.</summary>
    private void TransactionEventAnswered(QueuedTransactionMessage entry, TransactionEventResponse response)
    {
        if (response.IdTokenInfo is not { } info || ((TransactionEventRequest)entry.Request).IdToken is not { } token)
        {
            return;
        }
        UpdateCache(token, info);
        var evse = evses[entry.ConnectorId];
        if (info.Status == AuthorizationStatus.Accepted || evse.Transaction is not { } transaction || transaction.LocalRef != entry.LocalRef)
        {
            return;
        }
        if (Device.GetBool(C.TxCtrlr, V.StopTxOnInvalidId))
        {
            EndTransaction(evse, TriggerReason.Deauthorized, StopReason.DeAuthorized);
            return;
        }
        // E05: the transaction stays; energy flows until it has delivered MaxEnergyOnInvalidId, then the EVSE stops it.
        transaction.PendingStopReason = StopReason.DeAuthorized;
        transaction.InvalidIdBudgetWh = Device.GetInt(C.TxCtrlr, V.MaxEnergyOnInvalidId);
        CheckInvalidIdBudget(evse, transaction, TriggerReason.Deauthorized);
    }

    /// <summary>Stops the energy once the invalidated transaction reached its budget; else checks again when it would at the present power.</summary>
    private void CheckInvalidIdBudget(EvseState evse, TransactionState transaction, TriggerReason trigger)
    {
        if (transaction.InvalidIdBudgetWh is not { } budget || transaction.Deauthorized)
        {
            return;
        }
        var now = LocalNow;
        evse.Meter.AdvanceTo(now);
        var remainingWh = budget - (evse.Meter.RegisterWh - transaction.MeterStartWh);
        if (remainingWh > 0.001 && evse.Meter.PowerW > 0)
        {
            transaction.InvalidIdCheckAt = now + TimeSpan.FromSeconds(Math.Max(0.001, remainingWh / evse.Meter.PowerW * 3600));
            return;
        }
        if (remainingWh > 0.001)
        {
            transaction.InvalidIdCheckAt = now + TimeSpan.FromSeconds(60);
            return;
        }
        transaction.InvalidIdCheckAt = null;
        transaction.Deauthorized = true;
        evse.Authorization = null;
        UpdateFlow(evse);
        EmitEvent(evse, TransactionEventKind.Updated, trigger);
    }
}
