using Simulator.ChargePoint.Metering;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;

namespace Simulator.ChargePoint.V201;

/// <summary>One EVSE with its one connector (connector 1): the cable, the authorization, the transaction and the reported status.</summary>
internal sealed class EvseState(int id, ConnectorMeter meter)
{
    public int Id { get; } = id;
    public ConnectorMeter Meter { get; } = meter;
    public bool Plugged { get; set; }
    public bool Faulted { get; set; }
    public bool Inoperative { get; set; }
    public bool InoperativeScheduled { get; set; }

    /// <summary>A Reset OnIdle of this EVSE waits for its transaction to end.</summary>
    public bool ResetScheduled { get; set; }

    /// <summary>The driver authorized here and the station has not yet used it up.</summary>
    public Authorization? Authorization { get; set; }

    /// <summary>EVConnectionTimeOut: an authorization without an EV lapses then (local clock).</summary>
    public DateTimeOffset? PlugInDeadline { get; set; }

    public TransactionState? Transaction { get; set; }

    public ConnectorStatus? Reported { get; set; }
    public ConnectorStatus Candidate { get; set; } = ConnectorStatus.Available;
    public DateTimeOffset CandidateSince { get; set; }
}

/// <summary>An authorized driver: the token (with its group), and the remote start it came from.</summary>
internal sealed record Authorization(IdToken IdToken, IdToken? GroupIdToken, int? RemoteStartId);

internal sealed class TransactionState(string id, long localRef, DateTimeOffset startedAt, double meterStartWh)
{
    public string Id { get; } = id;
    public long LocalRef { get; } = localRef;

    /// <summary>CSMS time.</summary>
    public DateTimeOffset StartedAt { get; } = startedAt;
    public double MeterStartWh { get; } = meterStartWh;
    public int NextSeqNo { get; set; }

    /// <summary>The token the transaction runs under (null until authorized, e.g. started at EVConnected).</summary>
    public IdToken? IdToken { get; set; }
    public IdToken? GroupIdToken { get; set; }
    public bool IdTokenSent { get; set; }

    /// <summary>The remote start id still to send (in the next TransactionEvent).</summary>
    public int? RemoteStartId { get; set; }

    /// <summary>The authorization ended (stop by token, remote stop, deauthorized) but the stop point keeps the transaction.</summary>
    public StopReason? PendingStopReason { get; set; }
    public bool Deauthorized { get; set; }
    public ChargingState? ReportedChargingState { get; set; }
    public DateTimeOffset? NextUpdatedAt { get; set; }
    public DateTimeOffset? NextEndedSampleAt { get; set; }
    /// <summary>The TxEndedMeasurands samples (sampled and clock-aligned) for the Ended TransactionEvent's meterValue.</summary>
    public MeterSampleLog EndedData { get; } = new();
    /// <summary>MaxEnergyOnInvalidId: after the CSMS invalidated the token, the energy the transaction may reach (Wh since its start), and when to check next.</summary>
    public double? InvalidIdBudgetWh { get; set; }
    public DateTimeOffset? InvalidIdCheckAt { get; set; }
    public double ChargingSeconds { get; set; }
    public DateTimeOffset? ChargingSince { get; set; }
}
