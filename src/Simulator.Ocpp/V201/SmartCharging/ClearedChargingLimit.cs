using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.SmartCharging;

public sealed record ClearedChargingLimitRequest : IOcppRequest<ClearedChargingLimitResponse>
{
    public static string Action => "ClearedChargingLimit";

    public required ChargingLimitSource ChargingLimitSource { get; init; }
    public int? EvseId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record ClearedChargingLimitResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
