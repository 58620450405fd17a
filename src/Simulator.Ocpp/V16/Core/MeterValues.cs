using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record MeterValuesRequest : IOcppRequest<MeterValuesResponse>
{
    public static string Action => "MeterValues";

    public required int ConnectorId { get; init; }
    public int? TransactionId { get; init; }
    public required IReadOnlyList<MeterValue> MeterValue { get; init; }

    public void Validate(PayloadChecker check) => check.Each(MeterValue, "meterValue");
}

public sealed record MeterValuesResponse : IOcppResponse
{
    public void Validate(PayloadChecker check) { }
}
