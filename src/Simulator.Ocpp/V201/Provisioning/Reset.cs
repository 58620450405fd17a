using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Provisioning;

public sealed record ResetRequest : IOcppRequest<ResetResponse>
{
    public static string Action => "Reset";

    public required ResetKind Type { get; init; }
    public int? EvseId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record ResetResponse : IOcppResponse
{
    public required ResetStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>Reset.req <c>type</c> (ResetEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ResetKind>))]
public enum ResetKind
{
    Immediate,
    OnIdle,
}

/// <summary>Reset.conf <c>status</c> (ResetStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ResetStatus>))]
public enum ResetStatus
{
    Accepted,
    Rejected,
    Scheduled,
}
