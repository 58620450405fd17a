using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record StopTransactionRequest : IOcppRequest<StopTransactionResponse>
{
    public static string Action => "StopTransaction";

    public string? IdTag { get; init; }
    /// <summary>Wh on the meter at the end.</summary>
    public required int MeterStop { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required int TransactionId { get; init; }
    public StopReason? Reason { get; init; }
    public IReadOnlyList<MeterValue>? TransactionData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(IdTag, 20, "idTag")
        .Each(TransactionData, "transactionData");
}

public sealed record StopTransactionResponse : IOcppResponse
{
    public IdTagInfo? IdTagInfo { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(IdTagInfo, "idTagInfo");
}
