using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record HeartbeatRequest : IOcppRequest<HeartbeatResponse>
{
    public static string Action => "Heartbeat";

    public void Validate(PayloadChecker check) { }
}

public sealed record HeartbeatResponse : IOcppResponse
{
    public required DateTimeOffset CurrentTime { get; init; }

    public void Validate(PayloadChecker check) { }
}
