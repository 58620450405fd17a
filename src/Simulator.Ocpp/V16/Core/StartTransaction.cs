using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record StartTransactionRequest : IOcppRequest<StartTransactionResponse>
{
    public static string Action => "StartTransaction";

    public required int ConnectorId { get; init; }
    public required string IdTag { get; init; }
    /// <summary>Wh on the meter at the start.</summary>
    public required int MeterStart { get; init; }
    public int? ReservationId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }

    public void Validate(PayloadChecker check) => check.MaxLength(IdTag, 20, "idTag");
}

public sealed record StartTransactionResponse : IOcppResponse
{
    public required IdTagInfo IdTagInfo { get; init; }
    public required int TransactionId { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(IdTagInfo, "idTagInfo");
}
