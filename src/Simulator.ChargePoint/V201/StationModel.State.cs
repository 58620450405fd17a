using Simulator.ChargePoint.Station;
using Simulator.Ocpp.V201.Security;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// What the station keeps in non-volatile memory so that a power cut loses no TransactionEvent: the queue, the open transactions
/// (with the seqNo their next event gets), the meter registers, the charging profiles but TxProfiles, the changed settings and the critical
/// security events not yet delivered, through the shared <see cref="ChargePointPersistentState"/> contract.
/// </summary>
public sealed partial class StationModel
{
    /// <summary>What changed since the last call (the first call: everything), or null. The memory comes whenever an event was queued or a transaction changed.</summary>
    public ChargePointStateChanges? TakeStateChanges() => core.TakeStateChanges(startAnswerChangesMemory: false);

    /// <summary>The whole non-volatile state now (for tests and tools).</summary>
    public ChargePointPersistentState CaptureState() => core.CaptureState();

    /// <summary>
    /// Comes back from a power cut: registers and queue as saved, then every transaction that was running ends with a
    /// TransactionEvent Ended (stoppedReason PowerLoss, triggerReason AbnormalCondition, offline, the save time, the saved register),
    /// with the seqNo that transaction was at. The saved charging profiles are installed again, and the saved critical security events
    /// are sent before those of this power-up. Call once, on a fresh model, before it connects.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The state does not fit this station (EVSE numbers, a message of another version: nothing is restored), or a saved profile is refused
    /// now (the rest is restored).
    /// </exception>
    public void RestoreAfterPowerLoss(ChargePointPersistentState state)
    {
        core.EnsureRestorable(state, Evses.Any(e => e.Transaction is not null));
        var memory = state.Memory;
        if (memory.RegistersWh.Count > EvseCount || memory.Transactions.Any(t => !IsEvse(t.ConnectorId)) || state.Queue.Any(q => !IsEvse(q.ConnectorId)))
        {
            throw new ArgumentException($"the saved state names EVSEs this station ({EvseCount} EVSEs) does not have", nameof(state));
        }
        if (state.Queue.FirstOrDefault(q => q.Request is not TransactionEventRequest) is { } foreign)
        {
            throw new ArgumentException($"the saved queue holds a {foreign.Request.GetType().Name}, not an OCPP 2.0.1 TransactionEvent", nameof(state));
        }
        if (memory.ChargingProfiles?.Select(SavedProfileProblem).FirstOrDefault(p => p is not null) is { } profileProblem)
        {
            throw new ArgumentException(profileProblem, nameof(state));
        }
        if (memory.SecurityEvents?.FirstOrDefault(e => e is not SecurityEventNotificationRequest) is { } foreignEvent)
        {
            throw new ArgumentException($"a saved security event is a {foreignEvent.GetType().Name}, not an OCPP 2.0.1 SecurityEventNotification", nameof(state));
        }
        for (var i = 0; i < memory.RegistersWh.Count; i++)
        {
            evses[i + 1].Meter.RestoreRegister(memory.RegistersWh[i]);
        }
        if (memory.Settings is { } settings)
        {
            Device.RestorePersistentValues(settings);
        }
        if (memory.SecurityEvents is { Count: > 0 } securityEvents)
        {
            RestoreSecurityEvents(securityEvents.Cast<SecurityEventNotificationRequest>());
        }
        nextLocalRef = state.LastLocalRef;
        core.RestoreQueue(state);
        foreach (var saved in state.Queue.OrderBy(q => q.Order))
        {
            var request = (TransactionEventRequest)saved.Request;
            Produced(new TransactionMessageProduced(saved.Kind, saved.ConnectorId, saved.LocalRef, request.IdToken?.Token, request.Timestamp,
                saved.Kind == TransactionMessageKind.MeterValues ? null : MeterWhOf(request), null)
            {
                TransactionKey = request.TransactionInfo.TransactionId,
                SeqNo = request.SeqNo,
                TriggerReason = request.TriggerReason.ToString(),
            });
        }
        foreach (var open in memory.Transactions.OrderBy(t => t.LocalRef))
        {
            var registerWh = memory.RegistersWh.Count >= open.ConnectorId ? memory.RegistersWh[open.ConnectorId - 1] : open.MeterStartWh;
            var transactionId = TransactionIdFor(open.StartedAt, open.LocalRef);
            var seqNo = open.NextSeqNo
                ?? state.Queue.Select(q => (TransactionEventRequest)q.Request).Where(r => r.TransactionInfo.TransactionId == transactionId).Select(r => r.SeqNo + 1).DefaultIfEmpty(1).Max();
            var request = new TransactionEventRequest
            {
                EventType = TransactionEventKind.Ended,
                Timestamp = memory.SavedAt,
                TriggerReason = TriggerReason.AbnormalCondition,
                SeqNo = seqNo,
                Offline = true,
                TransactionInfo = new Transaction { TransactionId = transactionId, StoppedReason = StopReason.PowerLoss },
                MeterValue =
                [
                    new MeterValue
                    {
                        Timestamp = memory.SavedAt,
                        SampledValue = [new SampledValue { Value = Math.Round((decimal)registerWh, 1), Measurand = Measurand.EnergyActiveImportRegister, Context = ReadingContext.TransactionEnd }],
                    },
                ],
            };
            core.Enqueue(TransactionMessageKind.StopTransaction, open.ConnectorId, open.LocalRef, request, null);
            Produced(new TransactionMessageProduced(TransactionMessageKind.StopTransaction, open.ConnectorId, open.LocalRef, open.IdTag.Length > 0 ? open.IdTag : null,
                memory.SavedAt, (int)Math.Round(registerWh), null)
            {
                TransactionKey = transactionId,
                SeqNo = seqNo,
                TriggerReason = nameof(TriggerReason.AbnormalCondition),
            });
            Signal(new SessionEnded(open.ConnectorId, open.LocalRef, null, Simulator.Ocpp.V16.Types.StopReason.PowerLoss, registerWh - open.MeterStartWh, memory.SavedAt)
            {
                TransactionKey = transactionId,
                StoppedReason = nameof(StopReason.PowerLoss),
            });
        }
        if (memory.ChargingProfiles is { Count: > 0 } profiles && RestoreProfiles(profiles) is { Count: > 0 } refused)
        {
            throw new ArgumentException($"saved charging profiles were not installed again ({string.Join("; ", refused)})", nameof(state));
        }
    }

    private static int? MeterWhOf(TransactionEventRequest request) =>
        request.MeterValue?.SelectMany(m => m.SampledValue).FirstOrDefault(v => v.Measurand is null or Measurand.EnergyActiveImportRegister) is { } value
            ? (int)Math.Round(value.Value) : null;

    ChargePointMemory IStationProtocol.CaptureMemory()
    {
        var now = LocalNow;
        var registers = new double[EvseCount];
        var open = new List<OpenTransactionState>();
        foreach (var evse in Evses)
        {
            evse.Meter.AdvanceTo(now);
            registers[evse.Id - 1] = evse.Meter.RegisterWh;
            if (evse.Transaction is { } t)
            {
                open.Add(new OpenTransactionState(evse.Id, t.LocalRef, t.IdToken?.Token ?? "", t.GroupIdToken?.Token, null, t.MeterStartWh, t.StartedAt, null)
                {
                    NextSeqNo = t.NextSeqNo,
                });
            }
        }
        return new ChargePointMemory(nextLocalRef, core.LastOrder, CsmsNow, registers, open, [])
        {
            Settings = Device.ChangedPersistentValues(),
            ChargingProfiles = SavedProfiles(),
            SecurityEvents = SavedSecurityEvents(),
        };
    }

    long IStationProtocol.MemoryFingerprint()
    {
        var hash = new HashCode();
        hash.Add(nextLocalRef);
        hash.Add(Device.ChangeCount);
        hash.Add(chargingProfiles?.Revision ?? 0);
        hash.Add(criticalSecurityEventsRevision);
        foreach (var evse in Evses)
        {
            hash.Add(evse.Transaction?.LocalRef ?? 0);
            hash.Add(evse.Transaction?.NextSeqNo ?? -1);
        }
        return hash.ToHashCode();
    }
}
