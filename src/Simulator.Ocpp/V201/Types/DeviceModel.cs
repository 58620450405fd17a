using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Types;

public sealed record Component : IOcppValidatable
{
    public Evse? Evse { get; init; }
    public required string Name { get; init; }
    public string? Instance { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Evse, "evse")
        .MaxLength(Name, 50, "name")
        .MaxLength(Instance, 50, "instance")
        .Nested(CustomData, "customData");
}

public sealed record Variable : IOcppValidatable
{
    public required string Name { get; init; }
    public string? Instance { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Name, 50, "name")
        .MaxLength(Instance, 50, "instance")
        .Nested(CustomData, "customData");
}

public sealed record ComponentVariable : IOcppValidatable
{
    public required Component Component { get; init; }
    public Variable? Variable { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Component, "component")
        .Nested(Variable, "variable")
        .Nested(CustomData, "customData");
}

/// <summary>GetVariableData <c>attributeType</c>, GetVariableResult <c>attributeType</c> and others (AttributeEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<AttributeKind>))]
public enum AttributeKind
{
    Actual,
    Target,
    MinSet,
    MaxSet,
}

/// <summary>SetMonitoringData <c>type</c>, SetMonitoringResult <c>type</c> and VariableMonitoring <c>type</c> (MonitorEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<MonitorKind>))]
public enum MonitorKind
{
    UpperThreshold,
    LowerThreshold,
    Delta,
    Periodic,
    PeriodicClockAligned,
}
