namespace Simulator.Csms;

/// <summary>A 2.0.1 connector's last StatusNotification (connectorStatus as the station sent it).</summary>
public sealed record EvseConnectorState(int EvseId, int ConnectorId, string Status, DateTimeOffset Timestamp, DateTimeOffset ReceivedAt);

/// <summary>A 2.0.1 transaction seen Started (or Updated) and not yet Ended.</summary>
public sealed record ActiveTransactionEvent(
    string TransactionId,
    int? EvseId,
    string? IdToken,
    int? RemoteStartId,
    string? ChargingState,
    DateTimeOffset StartedAt,
    DateTimeOffset LastEventAt,
    int LastSeqNo);

/// <summary>
/// A report a station sends in parts for one requestId: NotifyReport, NotifyMonitoringReport, ReportChargingProfiles,
/// NotifyCustomerInformation, NotifyDisplayMessages. <see cref="Complete"/> once a part came without <c>tbc</c>.
/// </summary>
public sealed record ReportProgress(string Action, int RequestId, int Parts, long Items, bool Complete, DateTimeOffset LastPartAt);

/// <summary>One NotifyEvent eventData entry.</summary>
public sealed record NotifiedEvent(int EventId, DateTimeOffset Timestamp, string Trigger, string Component, string Variable, string ActualValue, bool Cleared);

/// <summary>An external charging limit a station reported (NotifyChargingLimit) and has not reported cleared.</summary>
public sealed record ChargingLimitState(int? EvseId, string Source, bool? IsGridCritical, int Schedules, DateTimeOffset ReceivedAt);

/// <summary>What a 2.0.1 station told the CSMS beyond what both versions share.</summary>
public sealed record Ocpp201Snapshot(
    string? BootReason,
    IReadOnlyList<EvseConnectorState> Connectors,
    IReadOnlyList<ActiveTransactionEvent> ActiveTransactions,
    IReadOnlyList<ReportProgress> Reports,
    long EventsNotified,
    IReadOnlyList<NotifiedEvent> RecentEvents,
    IReadOnlyList<ChargingLimitState> ChargingLimits,
    long MeterValuesReceived,
    string? PublishFirmwareStatus,
    IReadOnlyList<string> ReservationUpdates,
    long EvChargingNeeds,
    long EvChargingSchedules);

/// <summary>One 2.0.1 station's state beyond <see cref="ChargePointState"/>; every member is guarded by the instance lock.</summary>
public sealed class Ocpp201State
{
    /// <summary>Reports kept (the most recent requestIds), events kept and reservation updates kept.</summary>
    public const int MaxKept = 50;

    private readonly Lock _lock = new();
    private readonly Dictionary<(int, int), EvseConnectorState> _connectors = [];
    private readonly Dictionary<string, ActiveTransactionEvent> _transactions = new(StringComparer.Ordinal);
    private readonly List<ReportProgress> _reports = [];
    private readonly Queue<NotifiedEvent> _events = new();
    private readonly Dictionary<(int?, string), ChargingLimitState> _limits = [];
    private readonly Queue<string> _reservations = new();
    private string? _bootReason, _publishFirmware;
    private long _eventCount, _meterValues, _needs, _schedules;

    public void OnBoot(string reason) { lock (_lock) { _bootReason = reason; } }

    public void OnStatus(EvseConnectorState state) { lock (_lock) { _connectors[(state.EvseId, state.ConnectorId)] = state; } }

    /// <summary>Keeps the transaction while it runs: from its first event (Started, or whichever came first) until Ended.</summary>
    public void OnTransactionEvent(string transactionId, bool ended, int? evseId, string? idToken, int? remoteStartId, string? chargingState, DateTimeOffset timestamp, int seqNo)
    {
        lock (_lock)
        {
            if (ended)
            {
                _transactions.Remove(transactionId);
                return;
            }
            _transactions[transactionId] = _transactions.TryGetValue(transactionId, out var known)
                ? known with
                {
                    EvseId = evseId ?? known.EvseId,
                    IdToken = idToken ?? known.IdToken,
                    RemoteStartId = remoteStartId ?? known.RemoteStartId,
                    ChargingState = chargingState ?? known.ChargingState,
                    LastEventAt = timestamp > known.LastEventAt ? timestamp : known.LastEventAt,
                    LastSeqNo = Math.Max(seqNo, known.LastSeqNo),
                }
                : new ActiveTransactionEvent(transactionId, evseId, idToken, remoteStartId, chargingState, timestamp, timestamp, seqNo);
        }
    }

    /// <summary>One part of a report for <paramref name="requestId"/>, carrying <paramref name="items"/> entries.</summary>
    public void OnReportPart(string action, int requestId, long items, bool toBeContinued, DateTimeOffset now)
    {
        lock (_lock)
        {
            var index = _reports.FindIndex(r => r.RequestId == requestId && r.Action == action);
            if (index >= 0)
            {
                var known = _reports[index];
                _reports.RemoveAt(index);
                _reports.Add(known with { Parts = known.Parts + 1, Items = known.Items + items, Complete = !toBeContinued, LastPartAt = now });
                return;
            }
            _reports.Add(new ReportProgress(action, requestId, 1, items, !toBeContinued, now));
            if (_reports.Count > MaxKept)
            {
                _reports.RemoveAt(0);
            }
        }
    }

    public void OnEvent(NotifiedEvent notified)
    {
        lock (_lock)
        {
            _eventCount++;
            _events.Enqueue(notified);
            if (_events.Count > MaxKept)
            {
                _events.Dequeue();
            }
        }
    }

    public void OnChargingLimit(ChargingLimitState limit) { lock (_lock) { _limits[(limit.EvseId, limit.Source)] = limit; } }

    /// <summary>ClearedChargingLimit: the source's limit on that EVSE (or, without one, on every EVSE) is gone.</summary>
    public void OnChargingLimitCleared(int? evseId, string source)
    {
        lock (_lock)
        {
            foreach (var key in _limits.Keys.Where(k => k.Item2 == source && (evseId is null || k.Item1 == evseId)).ToList())
            {
                _limits.Remove(key);
            }
        }
    }

    public void OnMeterValues(int samples) { lock (_lock) { _meterValues += samples; } }

    public void OnPublishFirmwareStatus(string status) { lock (_lock) { _publishFirmware = status; } }

    public void OnReservationUpdate(int reservationId, string status)
    {
        lock (_lock)
        {
            _reservations.Enqueue($"{status}#{reservationId}");
            if (_reservations.Count > MaxKept)
            {
                _reservations.Dequeue();
            }
        }
    }

    public void OnEvChargingNeeds() { lock (_lock) { _needs++; } }

    public void OnEvChargingSchedule() { lock (_lock) { _schedules++; } }

    public Ocpp201Snapshot Snapshot()
    {
        lock (_lock)
        {
            return new Ocpp201Snapshot(
                _bootReason,
                [.. _connectors.Values.OrderBy(c => c.EvseId).ThenBy(c => c.ConnectorId)],
                [.. _transactions.Values.OrderBy(t => t.StartedAt)],
                [.. _reports],
                _eventCount,
                [.. _events],
                [.. _limits.Values],
                _meterValues,
                _publishFirmware,
                [.. _reservations],
                _needs,
                _schedules);
        }
    }
}
