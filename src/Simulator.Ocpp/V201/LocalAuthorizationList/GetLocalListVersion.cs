using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.LocalAuthorizationList;

public sealed record GetLocalListVersionRequest : IOcppRequest<GetLocalListVersionResponse>
{
    public static string Action => "GetLocalListVersion";

    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record GetLocalListVersionResponse : IOcppResponse
{
    public required int VersionNumber { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
