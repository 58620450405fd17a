using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Types;

public sealed record StatusInfo : IOcppValidatable
{
    public required string ReasonCode { get; init; }
    public string? AdditionalInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(ReasonCode, 20, "reasonCode")
        .MaxLength(AdditionalInfo, 512, "additionalInfo")
        .Nested(CustomData, "customData");
}
