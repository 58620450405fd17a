using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Types;

/// <summary>Where to upload a log and which time span it covers (GetLog.req <c>log</c>).</summary>
public sealed record LogParameters : IOcppValidatable
{
    public required string RemoteLocation { get; init; }
    public DateTimeOffset? OldestTimestamp { get; init; }
    public DateTimeOffset? LatestTimestamp { get; init; }

    public void Validate(PayloadChecker check) => check.MaxLength(RemoteLocation, 512, "remoteLocation");
}
