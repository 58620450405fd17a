using Simulator.ChargePoint.Metering;
using Simulator.ChargePoint.Station;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.V16;

/// <summary>Connectors, the status machine, authorization, transactions and meter values.</summary>
public sealed partial class ChargePointModel
{
    // ───────────────────────── local behaviour driven by the fleet ─────────────────────────

    /// <summary>An EV is plugged in. Starts the transaction when an authorized id tag is waiting for it. False when the connector does not exist or is occupied.</summary>
    public bool PlugIn(int connectorId, EvSpec ev)
    {
        if (!IsConnector(connectorId) || ev is null || connectors[connectorId].Plugged)
        {
            return false;
        }
        var connector = connectors[connectorId];
        try
        {
            connector.Meter!.AttachEv(ev, LocalNow);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
        connector.Plugged = true;
        if (connector.PendingStart is { } pending && connector.Transaction is null)
        {
            connector.PendingStart = null;
            TryStartTransaction(connector, pending.IdTag, pending.ParentIdTag, pending.TxProfile);
        }
        Settle();
        return true;
    }

    /// <summary>The EV leaves. A running transaction stops with EVDisconnected when StopTransactionOnEVSideDisconnect is true, else it stays (SuspendedEV).</summary>
    public void Unplug(int connectorId)
    {
        if (!IsConnector(connectorId) || !connectors[connectorId].Plugged)
        {
            return;
        }
        var connector = connectors[connectorId];
        connector.Meter!.AdvanceTo(LocalNow);
        if (connector.Transaction is not null && Configuration.GetBool(K.StopTransactionOnEVSideDisconnect))
        {
            StopTransaction(connector, StopReason.EVDisconnected, null);
        }
        connector.Plugged = false;
        connector.Finishing = false;
        connector.Meter.DetachEv(LocalNow);
        Settle();
    }

    /// <summary>A driver presents an id tag at a connector: starts (after authorization per configuration) or stops the session there.</summary>
    public void PresentIdTag(int connectorId, string idTag)
    {
        if (!IsConnector(connectorId) || string.IsNullOrEmpty(idTag) || idTag.Length > 20)
        {
            return;
        }
        var connector = connectors[connectorId];
        if (connector.Transaction is { } transaction)
        {
            if (string.Equals(transaction.IdTag, idTag, StringComparison.OrdinalIgnoreCase))
            {
                StopTransaction(connector, StopReason.Local, idTag);
            }
            else
            {
                var local = LocalLookup(idTag);
                if (local is { Status: AuthorizationStatus.Accepted } && SameParent(local.ParentIdTag, transaction.ParentIdTag))
                {
                    StopTransaction(connector, StopReason.Local, idTag);
                }
                else if (IsOnline)
                {
                    RequestAuthorization(new PendingAuthorization(connectorId, idTag, AuthPurpose.LocalStop, null));
                }
            }
            Settle();
            return;
        }
        // Reservations are checked after authorization, when the tag's parent is known.
        if (!CanStartOn(connector, idTag, null, checkReservations: false))
        {
            Signal(new IdTagRejected(connectorId, idTag, AuthorizationStatus.Invalid));
            return;
        }
        Authorize(new PendingAuthorization(connectorId, idTag, AuthPurpose.LocalStart, null));
        Settle();
    }

    /// <summary>Sets or clears a hardware fault. A running transaction on a faulted connector ends with reason Other.</summary>
    public void SetFaulted(int connectorId, bool faulted) => SetFaulted(connectorId, faulted, ChargePointErrorCode.OtherError);

    public void SetFaulted(int connectorId, bool faulted, ChargePointErrorCode code)
    {
        if (connectorId < 0 || connectorId > ConnectorCount)
        {
            return;
        }
        var affected = connectorId == 0 ? connectors : [connectors[connectorId]];
        var target = connectors[connectorId];
        target.Faulted = faulted;
        target.ErrorCode = faulted ? (code == ChargePointErrorCode.NoError ? ChargePointErrorCode.OtherError : code) : ChargePointErrorCode.NoError;
        if (faulted)
        {
            foreach (var connector in affected)
            {
                if (connector.Transaction is not null)
                {
                    StopTransaction(connector, StopReason.Other, null);
                }
                DropPendingStart(connector, "the connector faulted");
            }
        }
        Settle();
    }

    // ───────────────────────── status machine ─────────────────────────

    private (ChargePointStatus Status, ChargePointErrorCode Error) ComputeStatus(Connector connector)
    {
        var error = connector.Faulted ? connector.ErrorCode : ChargePointErrorCode.NoError;
        if (connector.Id == 0)
        {
            return connector.Faulted ? (ChargePointStatus.Faulted, error)
                : connector.Inoperative ? (ChargePointStatus.Unavailable, error)
                : (ChargePointStatus.Available, error);
        }
        if (connector.Faulted || connectors[0].Faulted)
        {
            return (ChargePointStatus.Faulted, connector.Faulted ? error : connectors[0].ErrorCode);
        }
        if (connector.Transaction is { } transaction)
        {
            var meter = connector.Meter!;
            if (transaction.SuspendedByInvalidId || meter.EvseSuspended)
            {
                return (ChargePointStatus.SuspendedEVSE, error);
            }
            return !connector.Plugged || meter.EvSuspended ? (ChargePointStatus.SuspendedEV, error) : (ChargePointStatus.Charging, error);
        }
        if (IsInoperative(connector))
        {
            return (ChargePointStatus.Unavailable, error);
        }
        if (connector.Finishing)
        {
            return (ChargePointStatus.Finishing, error);
        }
        if (connector.Plugged || connector.PendingStart is not null)
        {
            return (ChargePointStatus.Preparing, error);
        }
        return connector.Reservation is not null ? (ChargePointStatus.Reserved, error) : (ChargePointStatus.Available, error);
    }

    private bool IsInoperative(Connector connector) => connector.Inoperative || connectors[0].Inoperative;

    /// <summary>Tracks status changes and reports a status once it has lasted MinimumStatusDuration (flickers shorter than that are never sent).</summary>
    private void RefreshStatuses(bool reportAll = false)
    {
        var now = LocalNow;
        var msd = TimeSpan.FromSeconds(Configuration.GetInt(K.MinimumStatusDuration));
        foreach (var connector in connectors)
        {
            var (status, error) = ComputeStatus(connector);
            if (status != connector.Candidate || error != connector.CandidateError)
            {
                connector.Candidate = status;
                connector.CandidateError = error;
                connector.CandidateSince = now;
            }
            if (IsOnline && reportAll)
            {
                ReportStatus(connector);
            }
            else if (IsOnline && (connector.Candidate != connector.Reported || connector.CandidateError != connector.ReportedError) && now >= connector.CandidateSince + msd)
            {
                ReportStatus(connector);
            }
        }
    }

    private void ReportStatus(Connector connector, bool triggered = false)
    {
        connector.Reported = connector.Candidate;
        connector.ReportedError = connector.CandidateError;
        Send(StatusRequest(connector), null, triggered);
    }

    private StatusNotificationRequest StatusRequest(Connector connector) => new()
    {
        ConnectorId = connector.Id,
        Status = connector.Candidate,
        ErrorCode = connector.CandidateError,
        Timestamp = connector.CandidateSince + csmsOffset,
    };

    private ConnectorState Snapshot(Connector c)
    {
        var (status, error) = ComputeStatus(c);
        return new ConnectorState(c.Id, status, c.Reported, error, !IsInoperative(c), c.Plugged,
            c.Transaction?.LocalRef, c.Transaction?.TransactionId, c.Transaction?.IdTag, c.Reservation?.ReservationId,
            c.Meter?.RegisterWh ?? 0, c.Transaction is { } t && c.Meter is { } m ? m.RegisterWh - t.MeterStartWh : 0,
            c.Meter?.PowerW ?? 0, c.AppliedLimitW);
    }

    // ───────────────────────── authorization ─────────────────────────

    /// <summary>The id tag's info from the local list (when enabled) or the cache (when enabled), with expiry applied.</summary>
    private IdTagInfo? LocalLookup(string idTag)
    {
        var info = (Configuration.GetBool(K.LocalAuthListEnabled) ? localList.Find(idTag) : null)
            ?? (Configuration.GetBool(K.AuthorizationCacheEnabled) ? cache.Find(idTag) : null);
        if (info is { Status: AuthorizationStatus.Accepted, ExpiryDate: { } expiry } && expiry <= CsmsNow)
        {
            return info with { Status = AuthorizationStatus.Expired };
        }
        return info;
    }

    private static bool SameParent(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private void UpdateCache(string? idTag, IdTagInfo? info)
    {
        if (idTag is not null && info is not null && Configuration.GetBool(K.AuthorizationCacheEnabled))
        {
            cache.Update(idTag, info);
        }
    }

    /// <summary>Online: local pre-authorization if allowed, else Authorize.req. Offline: local list/cache or AllowOfflineTxForUnknownId.</summary>
    private void Authorize(PendingAuthorization auth)
    {
        if (IsOnline)
        {
            var local = LocalLookup(auth.IdTag);
            if (Configuration.GetBool(K.LocalPreAuthorize) && local is { Status: AuthorizationStatus.Accepted })
            {
                Authorized(auth, local);
                return;
            }
            RequestAuthorization(auth);
            return;
        }
        DecideOffline(auth);
    }

    private void RequestAuthorization(PendingAuthorization auth)
    {
        pendingAuthorizations.RemoveAll(p => string.Equals(p.IdTag, auth.IdTag, StringComparison.OrdinalIgnoreCase));
        pendingAuthorizations.Add(auth);
        Send(new AuthorizeRequest { IdTag = auth.IdTag });
    }

    private void DecideOffline(PendingAuthorization auth)
    {
        var local = LocalLookup(auth.IdTag);
        if (local is not null)
        {
            if (local.Status == AuthorizationStatus.Accepted && Configuration.GetBool(K.LocalAuthorizeOffline))
            {
                Authorized(auth, local);
            }
            else
            {
                NotAuthorized(auth, local.Status);
            }
            return;
        }
        if (Configuration.GetBool(K.AllowOfflineTxForUnknownId) && auth.Purpose != AuthPurpose.LocalStop)
        {
            Authorized(auth, new IdTagInfo { Status = AuthorizationStatus.Accepted });
            return;
        }
        NotAuthorized(auth, AuthorizationStatus.Invalid);
    }

    private void AuthorizeAnswered(PendingAuthorization auth, IdTagInfo info)
    {
        if (!pendingAuthorizations.Remove(auth))
        {
            return;
        }
        UpdateCache(auth.IdTag, info);
        if (info.Status == AuthorizationStatus.Accepted && (info.ExpiryDate is null || info.ExpiryDate > CsmsNow))
        {
            Authorized(auth, info);
        }
        else
        {
            NotAuthorized(auth, info.Status == AuthorizationStatus.Accepted ? AuthorizationStatus.Expired : info.Status);
        }
    }

    private void Authorized(PendingAuthorization auth, IdTagInfo info)
    {
        var connector = connectors[auth.ConnectorId];
        if (auth.Purpose == AuthPurpose.LocalStop)
        {
            if (connector.Transaction is { } transaction && SameParent(info.ParentIdTag, transaction.ParentIdTag))
            {
                StopTransaction(connector, StopReason.Local, auth.IdTag);
            }
            return;
        }
        if (!CanStartOn(connector, auth.IdTag, info.ParentIdTag))
        {
            Signal(new IdTagRejected(auth.ConnectorId, auth.IdTag, AuthorizationStatus.Invalid));
            return;
        }
        if (connector.Plugged)
        {
            TryStartTransaction(connector, auth.IdTag, info.ParentIdTag, auth.TxProfile);
        }
        else
        {
            var remote = auth.Purpose == AuthPurpose.RemoteStart;
            var announced = false;
            if (connector.PendingStart is { } earlier)
            {
                if (string.Equals(earlier.IdTag, auth.IdTag, StringComparison.OrdinalIgnoreCase))
                {
                    announced = earlier.Remote;   // the same driver again: still the remote start the driver heard of
                    remote |= earlier.Remote;
                }
                else
                {
                    DropPendingStart(connector, $"the id tag {auth.IdTag} took the connector");
                }
            }
            // ConnectionTimeOut counts from the start of Preparing, which is now.
            connector.PendingStart = new PendingStart(auth.IdTag, info.ParentIdTag, LocalNow + TimeSpan.FromSeconds(Configuration.GetInt(K.ConnectionTimeOut)), auth.TxProfile, remote);
            if (remote && !announced)
            {
                Signal(new RemoteStartAwaitingPlugIn(connector.Id, auth.IdTag));
            }
        }
    }

    /// <summary>The charge point stops waiting for the EV; the driver of a remote start hears it.</summary>
    private void DropPendingStart(Connector connector, string reason)
    {
        if (connector.PendingStart is { Remote: true } pending)
        {
            Signal(new RemoteStartLapsed(connector.Id, pending.IdTag, reason));
        }
        connector.PendingStart = null;
    }

    private void NotAuthorized(PendingAuthorization auth, AuthorizationStatus status)
    {
        if (auth.Purpose != AuthPurpose.LocalStop)
        {
            Signal(new IdTagRejected(auth.ConnectorId, auth.IdTag, status));
        }
    }

    // ───────────────────────── transactions ─────────────────────────

    private bool IsConnector(int connectorId) => connectorId >= 1 && connectorId <= ConnectorCount;

    /// <summary>Whether a transaction for the tag may start on the connector now (operative, not faulted, free, reservations respected).</summary>
    private bool CanStartOn(Connector connector, string idTag, string? parentIdTag, bool checkReservations = true)
    {
        if (connector.Id == 0 || connector.Faulted || connectors[0].Faulted || IsInoperative(connector) || connector.Transaction is not null)
        {
            return false;
        }
        if (!checkReservations)
        {
            return true;
        }
        if (connector.Reservation is { } own)
        {
            return Matches(own, idTag, parentIdTag);
        }
        if (connectors[0].Reservation is { } whole && !Matches(whole, idTag, parentIdTag))
        {
            // A reservation on connector 0 keeps one connector free for its tag.
            var free = connectors.Skip(1).Count(c => c.Transaction is null && c.Reservation is null && !c.Faulted && !IsInoperative(c) && c.PendingStart is null);
            return free > 1;
        }
        return true;
    }

    private bool Matches(Reservation reservation, string idTag, string? parentIdTag) =>
        string.Equals(reservation.IdTag, idTag, StringComparison.OrdinalIgnoreCase)
        || SameParent(reservation.ParentIdTag, parentIdTag ?? LocalLookup(idTag)?.ParentIdTag);

    private void TryStartTransaction(Connector connector, string idTag, string? parentIdTag, ChargingProfile? txProfile)
    {
        if (!CanStartOn(connector, idTag, parentIdTag))
        {
            Signal(new IdTagRejected(connector.Id, idTag, AuthorizationStatus.Invalid));
            return;
        }
        var now = LocalNow;
        var meter = connector.Meter!;
        meter.AdvanceTo(now);
        Reservation? reservation = null;
        if (connector.Reservation is { } own && Matches(own, idTag, parentIdTag))
        {
            reservation = own;
            connector.Reservation = null;
        }
        else if (connectors[0].Reservation is { } whole && Matches(whole, idTag, parentIdTag))
        {
            reservation = whole;
            connectors[0].Reservation = null;
        }
        var localRef = ++nextLocalRef;
        var startWh = meter.RegisterWh;
        var meterStart = (int)Math.Round(startWh);
        var transaction = new Transaction(localRef, connector.Id, idTag, parentIdTag, CsmsNow, startWh) { PendingTxProfile = txProfile, ReservationId = reservation?.ReservationId };
        connector.Transaction = transaction;
        connector.PendingStart = null;
        connector.Finishing = false;
        meter.StartDelivery(now);
        var request = new StartTransactionRequest
        {
            ConnectorId = connector.Id,
            IdTag = idTag,
            MeterStart = meterStart,
            ReservationId = reservation?.ReservationId,
            Timestamp = transaction.StartedAt,
        };
        Enqueue(TransactionMessageKind.StartTransaction, connector.Id, localRef, request, null);
        Produced(new TransactionMessageProduced(TransactionMessageKind.StartTransaction, connector.Id, localRef, idTag, transaction.StartedAt, meterStart, null));
        Signal(new SessionStarted(connector.Id, localRef, idTag, startWh, transaction.StartedAt));
        KeepForStop(connector, transaction, Configuration.GetMeasurands(K.StopTxnSampledData), ReadingContext.TransactionBegin);
        var interval = Configuration.GetInt(K.MeterValueSampleInterval);
        transaction.NextSampleAt = interval > 0 ? now + FirstPeriod(interval) : null;
    }

    private void StopTransaction(Connector connector, StopReason reason, string? idTag)
    {
        if (connector.Transaction is not { } transaction)
        {
            return;
        }
        var now = LocalNow;
        var meter = connector.Meter!;
        meter.AdvanceTo(now);
        KeepForStop(connector, transaction, Configuration.GetMeasurands(K.StopTxnSampledData), ReadingContext.TransactionEnd);
        meter.StopDelivery(now);
        var stopWh = meter.RegisterWh;
        var meterStop = (int)Math.Round(stopWh);
        var timestamp = CsmsNow;
        var request = new StopTransactionRequest
        {
            IdTag = idTag,
            MeterStop = meterStop,
            Timestamp = timestamp,
            TransactionId = transaction.TransactionId ?? 0,
            Reason = reason,
            TransactionData = StopTxnDataOf(transaction, meter),
        };
        Enqueue(TransactionMessageKind.StopTransaction, connector.Id, transaction.LocalRef, request, null);
        Produced(new TransactionMessageProduced(TransactionMessageKind.StopTransaction, connector.Id, transaction.LocalRef, idTag, timestamp, meterStop, transaction.TransactionId));
        Signal(new SessionEnded(connector.Id, transaction.LocalRef, transaction.TransactionId, reason, stopWh - transaction.MeterStartWh, timestamp));
        connector.Transaction = null;
        connector.Finishing = connector.Plugged;
        smartCharging.OnTransactionEnded(connector.Id);
        if (connector.InoperativeScheduled)
        {
            connector.InoperativeScheduled = false;
            connector.Inoperative = true;
        }
        if (connectors[0].InoperativeScheduled && connectors.All(c => c.Transaction is null))
        {
            connectors[0].InoperativeScheduled = false;
            connectors[0].Inoperative = true;
        }
    }

    private void TransactionMessageAnswered(QueuedTransactionMessage entry, Simulator.Ocpp.Messages.IOcppRequest request, Simulator.Ocpp.Messages.IOcppResponse response)
    {
        switch (response)
        {
            case StartTransactionResponse start when request is StartTransactionRequest startRequest:
                transactionIds[entry.LocalRef] = start.TransactionId;
                UpdateCache(startRequest.IdTag, start.IdTagInfo);
                Signal(new TransactionIdAssigned(entry.ConnectorId, entry.LocalRef, start.TransactionId, start.IdTagInfo.Status));
                var connector = connectors[entry.ConnectorId];
                if (connector.Transaction is { } transaction && transaction.LocalRef == entry.LocalRef)
                {
                    transaction.TransactionId = start.TransactionId;
                    transaction.ParentIdTag = start.IdTagInfo.ParentIdTag ?? transaction.ParentIdTag;
                    smartCharging.OnTransactionStarted(connector.Id, start.TransactionId, transaction.StartedAt);
                    if (transaction.PendingTxProfile is { } profile)
                    {
                        transaction.PendingTxProfile = null;
                        smartCharging.Set(connector.Id, profile with { TransactionId = start.TransactionId }, start.TransactionId);
                    }
                    if (start.IdTagInfo.Status != AuthorizationStatus.Accepted)
                    {
                        if (Configuration.GetBool(K.StopTransactionOnInvalidId))
                        {
                            StopTransaction(connector, StopReason.DeAuthorized, transaction.IdTag);
                        }
                        else
                        {
                            transaction.InvalidIdEnergyBudgetWh = Configuration.GetInt(K.MaxEnergyOnInvalidId);
                            CheckInvalidIdBudget(connector, transaction);
                        }
                    }
                }
                break;
            case StopTransactionResponse stop when request is StopTransactionRequest stopRequest:
                UpdateCache(stopRequest.IdTag, stop.IdTagInfo);
                ForgetTransactionId(entry.LocalRef);
                break;
        }
    }

    /// <summary>
    /// The StopTransaction is a transaction's last message: once it is answered no queued message needs the transaction's id any
    /// more. Without this every transaction of a long run would keep its id until the run ends.
    /// </summary>
    private void ForgetTransactionId(long localRef)
    {
        foreach (var queued in core.Queue)
        {
            if (queued.LocalRef == localRef)
            {
                return;
            }
        }
        transactionIds.Remove(localRef);
    }

    /// <summary>
    /// MaxEnergyOnInvalidId: after the CSMS invalidated the tag (and StopTransactionOnInvalidId is false) energy flows until the transaction
    /// has delivered that much, then the EVSE suspends. The next check is when the budget would run out at the present power.
    /// </summary>
    private void CheckInvalidIdBudget(Connector connector, Transaction transaction)
    {
        if (transaction.InvalidIdEnergyBudgetWh is not { } budget || transaction.SuspendedByInvalidId)
        {
            return;
        }
        var meter = connector.Meter!;
        var now = LocalNow;
        meter.AdvanceTo(now);
        var remainingWh = budget - (meter.RegisterWh - transaction.MeterStartWh);
        if (remainingWh <= 0.001)
        {
            transaction.SuspendedByInvalidId = true;
            transaction.InvalidIdCheckAt = null;
            meter.StopDelivery(now);
            return;
        }
        var power = meter.PowerW;
        transaction.InvalidIdCheckAt = power > 0 ? now + TimeSpan.FromSeconds(Math.Max(0.001, remainingWh / power * 3600)) : now + TimeSpan.FromSeconds(60);
    }

    // ───────────────────────── meter values ─────────────────────────

    private MeterValue? Sample(Connector connector, IReadOnlyList<Measurand> measurands, ReadingContext context)
    {
        if (measurands.Count == 0 || connector.Meter is not { } meter)
        {
            return null;
        }
        var values = meter.Sample(measurands, context, LocalNow);
        return values.Count == 0 ? null : new MeterValue { Timestamp = CsmsNow, SampledValue = values };
    }

    /// <summary>A sample for StopTransaction's transactionData, kept as a reading until the StopTransaction is made.</summary>
    private void KeepForStop(Connector connector, Transaction transaction, IReadOnlyList<Measurand> measurands, ReadingContext context)
    {
        if (measurands.Count > 0 && connector.Meter is { } meter)
        {
            var reading = meter.Read(LocalNow);
            transaction.StopTxnData.Add(CsmsNow, context, measurands, reading);
        }
    }

    private static MeterValue[]? StopTxnDataOf(Transaction transaction, ConnectorMeter meter) =>
        transaction.StopTxnData.Count == 0 ? null
        : transaction.StopTxnData.Replay(meter, static (timestamp, _, values) => new MeterValue { Timestamp = timestamp, SampledValue = values });

    private void SamplePeriodic(Connector connector, Transaction transaction, DateTimeOffset scheduledFor)
    {
        var interval = TimeSpan.FromSeconds(Configuration.GetInt(K.MeterValueSampleInterval));
        var now = LocalNow;
        transaction.NextSampleAt = interval <= TimeSpan.Zero ? null : scheduledFor + interval > now ? scheduledFor + interval : now + interval;
        var value = Sample(connector, Configuration.GetMeasurands(K.MeterValuesSampledData), ReadingContext.SamplePeriodic);
        if (value is not null)
        {
            EnqueueMeterValues(connector, transaction, value, scheduledFor);
        }
        KeepForStop(connector, transaction, Configuration.GetMeasurands(K.StopTxnSampledData), ReadingContext.SamplePeriodic);
    }

    /// <summary>Clock-aligned samples for every connector: with a transaction they are transaction messages, without one plain (dropped offline).</summary>
    private void SampleAligned(DateTimeOffset scheduledFor)
    {
        foreach (var connector in connectors.Skip(1))
        {
            var value = Sample(connector, Configuration.GetMeasurands(K.MeterValuesAlignedData), ReadingContext.SampleClock);
            if (connector.Transaction is { } transaction)
            {
                if (value is not null)
                {
                    EnqueueMeterValues(connector, transaction, value, scheduledFor);
                }
                KeepForStop(connector, transaction, Configuration.GetMeasurands(K.StopTxnAlignedData), ReadingContext.SampleClock);
            }
            else if (value is not null)
            {
                Send(new MeterValuesRequest { ConnectorId = connector.Id, MeterValue = [value] }, scheduledFor);
            }
        }
    }

    private void EnqueueMeterValues(Connector connector, Transaction transaction, MeterValue value, DateTimeOffset scheduledFor)
    {
        var request = new MeterValuesRequest { ConnectorId = connector.Id, TransactionId = transaction.TransactionId, MeterValue = [value] };
        Enqueue(TransactionMessageKind.MeterValues, connector.Id, transaction.LocalRef, request, scheduledFor);
        Produced(new TransactionMessageProduced(TransactionMessageKind.MeterValues, connector.Id, transaction.LocalRef, null, value.Timestamp, null, transaction.TransactionId, value.SampledValue[0].Context));
    }
}
