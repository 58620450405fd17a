using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record ResetRequest : IOcppRequest<ResetResponse>
{
    public static string Action => "Reset";

    public required ResetType Type { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record ResetResponse : IOcppResponse
{
    public required ResetStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
