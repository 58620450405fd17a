using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Types;

/// <summary>One entry of the local authorization list in SendLocalList.req.</summary>
public sealed record AuthorizationData : IOcppValidatable
{
    public required string IdTag { get; init; }
    public IdTagInfo? IdTagInfo { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(IdTag, 20, "idTag")
        .Nested(IdTagInfo, "idTagInfo");
}
