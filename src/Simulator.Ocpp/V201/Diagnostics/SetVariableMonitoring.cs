using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Diagnostics;

public sealed record SetVariableMonitoringRequest : IOcppRequest<SetVariableMonitoringResponse>
{
    public static string Action => "SetVariableMonitoring";

    public required IReadOnlyList<SetMonitoringData> SetMonitoringData { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(SetMonitoringData, 1, "setMonitoringData")
        .Each(SetMonitoringData, "setMonitoringData")
        .Nested(CustomData, "customData");
}

public sealed record SetVariableMonitoringResponse : IOcppResponse
{
    public required IReadOnlyList<SetMonitoringResult> SetMonitoringResult { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(SetMonitoringResult, 1, "setMonitoringResult")
        .Each(SetMonitoringResult, "setMonitoringResult")
        .Nested(CustomData, "customData");
}

public sealed record SetMonitoringData : IOcppValidatable
{
    public int? Id { get; init; }
    public bool? Transaction { get; init; }
    public required decimal Value { get; init; }
    public required MonitorKind Type { get; init; }
    public required int Severity { get; init; }
    public required Component Component { get; init; }
    public required Variable Variable { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Component, "component")
        .Nested(Variable, "variable")
        .Nested(CustomData, "customData");
}

public sealed record SetMonitoringResult : IOcppValidatable
{
    public int? Id { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public required SetMonitoringStatus Status { get; init; }
    public required MonitorKind Type { get; init; }
    public required Component Component { get; init; }
    public required Variable Variable { get; init; }
    public required int Severity { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(Component, "component")
        .Nested(Variable, "variable")
        .Nested(CustomData, "customData");
}

/// <summary>SetMonitoringResult <c>status</c> (SetMonitoringStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<SetMonitoringStatus>))]
public enum SetMonitoringStatus
{
    Accepted,
    UnknownComponent,
    UnknownVariable,
    UnsupportedMonitorType,
    Rejected,
    Duplicate,
}
