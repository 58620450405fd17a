using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.RemoteControl;

public sealed record RequestStartTransactionRequest : IOcppRequest<RequestStartTransactionResponse>
{
    public static string Action => "RequestStartTransaction";

    public int? EvseId { get; init; }
    public IdToken? GroupIdToken { get; init; }
    public required IdToken IdToken { get; init; }
    public required int RemoteStartId { get; init; }
    public ChargingProfile? ChargingProfile { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(GroupIdToken, "groupIdToken")
        .Nested(IdToken, "idToken")
        .Nested(ChargingProfile, "chargingProfile")
        .Nested(CustomData, "customData");
}

public sealed record RequestStartTransactionResponse : IOcppResponse
{
    public required RequestStartStopStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public string? TransactionId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .MaxLength(TransactionId, 36, "transactionId")
        .Nested(CustomData, "customData");
}
