using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.RemoteControl;

public sealed record RequestStopTransactionRequest : IOcppRequest<RequestStopTransactionResponse>
{
    public static string Action => "RequestStopTransaction";

    public required string TransactionId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(TransactionId, 36, "transactionId")
        .Nested(CustomData, "customData");
}

public sealed record RequestStopTransactionResponse : IOcppResponse
{
    public required RequestStartStopStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}
