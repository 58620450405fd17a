using Simulator.Ocpp.Messages.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Messages.Core;

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
