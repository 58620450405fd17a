using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Diagnostics;

public sealed record ClearVariableMonitoringRequest : IOcppRequest<ClearVariableMonitoringResponse>
{
    public static string Action => "ClearVariableMonitoring";

    public required IReadOnlyList<int> Id { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(Id, 1, "id")
        .Nested(CustomData, "customData");
}

public sealed record ClearVariableMonitoringResponse : IOcppResponse
{
    public required IReadOnlyList<ClearMonitoringResult> ClearMonitoringResult { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(ClearMonitoringResult, 1, "clearMonitoringResult")
        .Each(ClearMonitoringResult, "clearMonitoringResult")
        .Nested(CustomData, "customData");
}

public sealed record ClearMonitoringResult : IOcppValidatable
{
    public required ClearMonitoringStatus Status { get; init; }
    public required int Id { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>ClearMonitoringResult <c>status</c> (ClearMonitoringStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ClearMonitoringStatus>))]
public enum ClearMonitoringStatus
{
    Accepted,
    Rejected,
    NotFound,
}
