using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Transactions;

public sealed record GetTransactionStatusRequest : IOcppRequest<GetTransactionStatusResponse>
{
    public static string Action => "GetTransactionStatus";

    public string? TransactionId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(TransactionId, 36, "transactionId")
        .Nested(CustomData, "customData");
}

public sealed record GetTransactionStatusResponse : IOcppResponse
{
    public bool? OngoingIndicator { get; init; }
    public required bool MessagesInQueue { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
