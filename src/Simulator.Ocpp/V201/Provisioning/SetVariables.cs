using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Provisioning;

public sealed record SetVariablesRequest : IOcppRequest<SetVariablesResponse>
{
    public static string Action => "SetVariables";

    public required IReadOnlyList<SetVariableData> SetVariableData { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(SetVariableData, 1, "setVariableData")
        .Each(SetVariableData, "setVariableData")
        .Nested(CustomData, "customData");
}

public sealed record SetVariablesResponse : IOcppResponse
{
    public required IReadOnlyList<SetVariableResult> SetVariableResult { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(SetVariableResult, 1, "setVariableResult")
        .Each(SetVariableResult, "setVariableResult")
        .Nested(CustomData, "customData");
}

public sealed record SetVariableData : IOcppValidatable
{
    public AttributeKind? AttributeType { get; init; }
    public required string AttributeValue { get; init; }
    public required Component Component { get; init; }
    public required Variable Variable { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(AttributeValue, 1000, "attributeValue")
        .Nested(Component, "component")
        .Nested(Variable, "variable")
        .Nested(CustomData, "customData");
}

public sealed record SetVariableResult : IOcppValidatable
{
    public AttributeKind? AttributeType { get; init; }
    public required SetVariableStatus AttributeStatus { get; init; }
    public StatusInfo? AttributeStatusInfo { get; init; }
    public required Component Component { get; init; }
    public required Variable Variable { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(AttributeStatusInfo, "attributeStatusInfo")
        .Nested(Component, "component")
        .Nested(Variable, "variable")
        .Nested(CustomData, "customData");
}

/// <summary>SetVariableResult <c>attributeStatus</c> (SetVariableStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<SetVariableStatus>))]
public enum SetVariableStatus
{
    Accepted,
    Rejected,
    UnknownComponent,
    UnknownVariable,
    NotSupportedAttributeType,
    RebootRequired,
}
