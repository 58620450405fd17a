using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Diagnostics;

public sealed record GetLogRequest : IOcppRequest<GetLogResponse>
{
    public static string Action => "GetLog";

    public required LogParameters Log { get; init; }
    public required LogKind LogType { get; init; }
    public required int RequestId { get; init; }
    public int? Retries { get; init; }
    public int? RetryInterval { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Log, "log")
        .Nested(CustomData, "customData");
}

public sealed record GetLogResponse : IOcppResponse
{
    public required LogStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public string? Filename { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .MaxLength(Filename, 255, "filename")
        .Nested(CustomData, "customData");
}

public sealed record LogParameters : IOcppValidatable
{
    public required string RemoteLocation { get; init; }
    public DateTimeOffset? OldestTimestamp { get; init; }
    public DateTimeOffset? LatestTimestamp { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(RemoteLocation, 512, "remoteLocation")
        .Nested(CustomData, "customData");
}

/// <summary>GetLog.req <c>logType</c> (LogEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<LogKind>))]
public enum LogKind
{
    DiagnosticsLog,
    SecurityLog,
}

/// <summary>GetLog.conf <c>status</c> (LogStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<LogStatus>))]
public enum LogStatus
{
    Accepted,
    Rejected,
    AcceptedCanceled,
}
