using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Availability;

public sealed record HeartbeatRequest : IOcppRequest<HeartbeatResponse>
{
    public static string Action => "Heartbeat";

    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record HeartbeatResponse : IOcppResponse
{
    public required DateTimeOffset CurrentTime { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
