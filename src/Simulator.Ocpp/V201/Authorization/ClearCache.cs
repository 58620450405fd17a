using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Authorization;

public sealed record ClearCacheRequest : IOcppRequest<ClearCacheResponse>
{
    public static string Action => "ClearCache";

    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record ClearCacheResponse : IOcppResponse
{
    public required ClearCacheStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>ClearCache.conf <c>status</c> (ClearCacheStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ClearCacheStatus>))]
public enum ClearCacheStatus
{
    Accepted,
    Rejected,
}
