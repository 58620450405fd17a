using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.MeterValues;

public sealed record MeterValuesRequest : IOcppRequest<MeterValuesResponse>
{
    public static string Action => "MeterValues";

    public required int EvseId { get; init; }
    public required IReadOnlyList<MeterValue> MeterValue { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(MeterValue, 1, "meterValue")
        .Each(MeterValue, "meterValue")
        .Nested(CustomData, "customData");
}

public sealed record MeterValuesResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
