using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Transactions;

public sealed record TransactionEventRequest : IOcppRequest<TransactionEventResponse>
{
    public static string Action => "TransactionEvent";

    public required TransactionEventKind EventType { get; init; }
    public IReadOnlyList<MeterValue>? MeterValue { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required TriggerReason TriggerReason { get; init; }
    public required int SeqNo { get; init; }
    public bool? Offline { get; init; }
    public int? NumberOfPhasesUsed { get; init; }
    public int? CableMaxCurrent { get; init; }
    public int? ReservationId { get; init; }
    public required Transaction TransactionInfo { get; init; }
    public Evse? Evse { get; init; }
    public IdToken? IdToken { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(MeterValue, 1, "meterValue")
        .Each(MeterValue, "meterValue")
        .Nested(TransactionInfo, "transactionInfo")
        .Nested(Evse, "evse")
        .Nested(IdToken, "idToken")
        .Nested(CustomData, "customData");
}

public sealed record TransactionEventResponse : IOcppResponse
{
    public decimal? TotalCost { get; init; }
    public int? ChargingPriority { get; init; }
    public IdTokenInfo? IdTokenInfo { get; init; }
    public MessageContent? UpdatedPersonalMessage { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(IdTokenInfo, "idTokenInfo")
        .Nested(UpdatedPersonalMessage, "updatedPersonalMessage")
        .Nested(CustomData, "customData");
}

public sealed record Transaction : IOcppValidatable
{
    public required string TransactionId { get; init; }
    public ChargingState? ChargingState { get; init; }
    public int? TimeSpentCharging { get; init; }
    public StopReason? StoppedReason { get; init; }
    public int? RemoteStartId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(TransactionId, 36, "transactionId")
        .Nested(CustomData, "customData");
}

/// <summary>TransactionEvent.req <c>eventType</c> (TransactionEventEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<TransactionEventKind>))]
public enum TransactionEventKind
{
    Ended,
    Started,
    Updated,
}

/// <summary>TransactionEvent.req <c>triggerReason</c> (TriggerReasonEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<TriggerReason>))]
public enum TriggerReason
{
    Authorized,
    CablePluggedIn,
    ChargingRateChanged,
    ChargingStateChanged,
    Deauthorized,
    EnergyLimitReached,
    EVCommunicationLost,
    EVConnectTimeout,
    MeterValueClock,
    MeterValuePeriodic,
    TimeLimitReached,
    Trigger,
    UnlockCommand,
    StopAuthorized,
    EVDeparted,
    EVDetected,
    RemoteStop,
    RemoteStart,
    AbnormalCondition,
    SignedDataReceived,
    ResetCommand,
}

/// <summary>Transaction <c>chargingState</c> (ChargingStateEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ChargingState>))]
public enum ChargingState
{
    Charging,
    EVConnected,
    SuspendedEV,
    SuspendedEVSE,
    Idle,
}

/// <summary>Transaction <c>stoppedReason</c> (ReasonEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<StopReason>))]
public enum StopReason
{
    DeAuthorized,
    EmergencyStop,
    EnergyLimitReached,
    EVDisconnected,
    GroundFault,
    ImmediateReset,
    Local,
    LocalOutOfCredit,
    MasterPass,
    Other,
    OvercurrentFault,
    PowerLoss,
    PowerQuality,
    Reboot,
    Remote,
    SOCLimitReached,
    StoppedByEV,
    TimeLimitReached,
    Timeout,
}
