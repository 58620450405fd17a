using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.TariffAndCost;

public sealed record CostUpdatedRequest : IOcppRequest<CostUpdatedResponse>
{
    public static string Action => "CostUpdated";

    public required decimal TotalCost { get; init; }
    public required string TransactionId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(TransactionId, 36, "transactionId")
        .Nested(CustomData, "customData");
}

public sealed record CostUpdatedResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
