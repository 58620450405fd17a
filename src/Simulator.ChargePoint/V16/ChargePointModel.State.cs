using Simulator.ChargePoint.Station;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.SmartCharging;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.V16;

/// <summary>
/// What a real charge point keeps in non-volatile memory, so that a power cut loses no transaction message: the offline
/// queue, the open transactions and the meter registers; and the ChargePointMaxProfiles and TxDefaultProfiles. The model only exposes and accepts plain data; whoever owns
/// the model stores it (<see cref="TakeStateChanges"/> after each turn) and hands it back after a crash (<see cref="RestoreAfterPowerLoss"/>).
/// </summary>
public sealed partial class ChargePointModel
{
    /// <summary>
    /// What changed in the non-volatile state since the last call (the first call: everything), or null when nothing did.
    /// The memory part (registers, open transactions, known transaction ids) comes whenever a message was queued, a transaction
    /// changed or a StartTransaction left the queue (its id is then known), so the saved registers follow the meter-value cadence;
    /// the queue comes as appended and removed entries.
    /// </summary>
    public ChargePointStateChanges? TakeStateChanges() => core.TakeStateChanges(startAnswerChangesMemory: true);

    /// <summary>The whole non-volatile state now (for tests and tools; the store is fed by <see cref="TakeStateChanges"/>).</summary>
    public ChargePointPersistentState CaptureState() => core.CaptureState();

    /// <summary>
    /// Comes back from a power cut: the registers, known transaction ids and the queue as saved, then every transaction that
    /// was running ends with a StopTransaction reason PowerLoss, the saved register as meterStop and the save time as its
    /// timestamp, queued after the saved messages. The saved ChargePointMaxProfiles and TxDefaultProfiles are installed again. Call once, on a fresh model, before it connects. Every restored or new
    /// queued transaction message is announced with <see cref="TransactionMessageProduced"/> (this run's loss check covers them).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The state does not fit this charge point (connector numbers; nothing is restored), or a saved profile is refused now (the rest is restored).
    /// </exception>
    public void RestoreAfterPowerLoss(ChargePointPersistentState state)
    {
        core.EnsureRestorable(state, connectors.Any(c => c.Transaction is not null));
        var memory = state.Memory;
        if (memory.RegistersWh.Count > ConnectorCount
            || memory.Transactions.Any(t => !IsConnector(t.ConnectorId))
            || state.Queue.Any(q => q.ConnectorId < 0 || q.ConnectorId > ConnectorCount)
            || memory.ChargingProfiles?.Any(p => p.Request is SetChargingProfileRequest { ConnectorId: var c } && (c < 0 || c > ConnectorCount)) == true)
        {
            throw new ArgumentException($"the saved state names connectors this charge point ({ConnectorCount} connectors) does not have", nameof(state));
        }
        if (memory.ChargingProfiles?.FirstOrDefault(p => p.Request is not SetChargingProfileRequest) is { } foreign)
        {
            throw new ArgumentException($"a saved charging profile is a {foreign.Request.GetType().FullName}, not an OCPP 1.6 SetChargingProfile", nameof(state));
        }
        for (var i = 0; i < memory.RegistersWh.Count; i++)
        {
            connectors[i + 1].Meter!.RestoreRegister(memory.RegistersWh[i]);
        }
        foreach (var known in memory.TransactionIds)
        {
            transactionIds[known.LocalRef] = known.TransactionId;
        }
        nextLocalRef = state.LastLocalRef;
        core.RestoreQueue(state);
        foreach (var saved in state.Queue.OrderBy(q => q.Order))
        {
            AnnounceRestored(saved);
        }
        foreach (var open in memory.Transactions.OrderBy(t => t.LocalRef))
        {
            var meterStop = (int)Math.Round(memory.RegistersWh.Count >= open.ConnectorId ? memory.RegistersWh[open.ConnectorId - 1] : open.MeterStartWh);
            var transactionId = open.TransactionId ?? (transactionIds.TryGetValue(open.LocalRef, out var id) ? id : null);
            if (transactionId is { } knownId)
            {
                // The stop takes its id from here when it goes (a transaction whose messages were all delivered has no saved id).
                transactionIds[open.LocalRef] = knownId;
            }
            var request = new StopTransactionRequest
            {
                MeterStop = meterStop,
                Timestamp = memory.SavedAt,
                TransactionId = transactionId ?? 0,
                Reason = StopReason.PowerLoss,
            };
            Enqueue(TransactionMessageKind.StopTransaction, open.ConnectorId, open.LocalRef, request, null);
            Produced(new TransactionMessageProduced(TransactionMessageKind.StopTransaction, open.ConnectorId, open.LocalRef, null, memory.SavedAt, meterStop, transactionId));
        }
        var refused = new List<string>();
        foreach (var saved in memory.ChargingProfiles ?? [])
        {
            var request = (SetChargingProfileRequest)saved.Request;
            if (smartCharging.Set(request.ConnectorId, request.CsChargingProfiles, null) is { Accepted: false } outcome)
            {
                refused.Add($"profile {request.CsChargingProfiles.ChargingProfileId}: {outcome.Reason}");
            }
        }
        ApplyLimits();
        if (refused.Count > 0)
        {
            throw new ArgumentException($"saved charging profiles were not installed again ({string.Join("; ", refused)})", nameof(state));
        }
    }

    private void AnnounceRestored(QueuedMessageState saved)
    {
        transactionIds.TryGetValue(saved.LocalRef, out var known);
        int? id = known == 0 ? null : known;
        switch (saved.Request)
        {
            case StartTransactionRequest start:
                Produced(new TransactionMessageProduced(saved.Kind, saved.ConnectorId, saved.LocalRef, start.IdTag, start.Timestamp, start.MeterStart, null));
                break;
            case StopTransactionRequest stop:
                Produced(new TransactionMessageProduced(saved.Kind, saved.ConnectorId, saved.LocalRef, stop.IdTag, stop.Timestamp, stop.MeterStop, id));
                break;
            case MeterValuesRequest { MeterValue.Count: > 0 } meterValues:
                var first = meterValues.MeterValue[0];
                Produced(new TransactionMessageProduced(saved.Kind, saved.ConnectorId, saved.LocalRef, null, first.Timestamp, null, id,
                    first.SampledValue.Count > 0 ? first.SampledValue[0].Context : null));
                break;
        }
    }

    ChargePointMemory IStationProtocol.CaptureMemory()
    {
        var now = LocalNow;
        var registers = new double[ConnectorCount];
        var open = new List<OpenTransactionState>();
        for (var i = 1; i < connectors.Length; i++)
        {
            var connector = connectors[i];
            connector.Meter!.AdvanceTo(now);
            registers[i - 1] = connector.Meter.RegisterWh;
            if (connector.Transaction is { } t)
            {
                open.Add(new OpenTransactionState(i, t.LocalRef, t.IdTag, t.ParentIdTag, t.TransactionId, t.MeterStartWh, t.StartedAt, t.ReservationId));
            }
        }
        // Only the ids something saved still needs: queued messages waiting for substitution, open transactions.
        var known = new List<KnownTransactionId>();
        foreach (var entry in core.Queue)
        {
            if (entry.Kind is TransactionMessageKind.MeterValues or TransactionMessageKind.StopTransaction
                && transactionIds.TryGetValue(entry.LocalRef, out var id) && !known.Exists(k => k.LocalRef == entry.LocalRef))
            {
                known.Add(new KnownTransactionId(entry.LocalRef, id));
            }
        }
        return new ChargePointMemory(nextLocalRef, core.LastOrder, CsmsNow, registers, open, known) { ChargingProfiles = SavedProfiles() };
    }

    private List<SavedChargingProfile>? SavedProfiles()
    {
        List<SavedChargingProfile>? saved = null;
        foreach (var (connectorId, profile) in smartCharging.Persistent)
        {
            (saved ??= []).Add(new SavedChargingProfile(new SetChargingProfileRequest { ConnectorId = connectorId, CsChargingProfiles = profile }));
        }
        return saved;
    }

    long IStationProtocol.MemoryFingerprint()
    {
        var hash = new HashCode();
        hash.Add(nextLocalRef);
        hash.Add(smartCharging.Revision);
        for (var i = 1; i < connectors.Length; i++)
        {
            hash.Add(connectors[i].Transaction?.LocalRef ?? 0);
            hash.Add(connectors[i].Transaction?.TransactionId ?? -1);
        }
        return hash.ToHashCode();
    }
}
