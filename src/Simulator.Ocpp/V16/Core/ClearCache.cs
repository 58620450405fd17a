using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record ClearCacheRequest : IOcppRequest<ClearCacheResponse>
{
    public static string Action => "ClearCache";

    public void Validate(PayloadChecker check) { }
}

public sealed record ClearCacheResponse : IOcppResponse
{
    public required ClearCacheStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
