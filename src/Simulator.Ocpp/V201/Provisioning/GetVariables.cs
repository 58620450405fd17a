using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Provisioning;

public sealed record GetVariablesRequest : IOcppRequest<GetVariablesResponse>
{
    public static string Action => "GetVariables";

    public required IReadOnlyList<GetVariableData> GetVariableData { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(GetVariableData, 1, "getVariableData")
        .Each(GetVariableData, "getVariableData")
        .Nested(CustomData, "customData");
}

public sealed record GetVariablesResponse : IOcppResponse
{
    public required IReadOnlyList<GetVariableResult> GetVariableResult { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(GetVariableResult, 1, "getVariableResult")
        .Each(GetVariableResult, "getVariableResult")
        .Nested(CustomData, "customData");
}

public sealed record GetVariableData : IOcppValidatable
{
    public AttributeKind? AttributeType { get; init; }
    public required Component Component { get; init; }
    public required Variable Variable { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Component, "component")
        .Nested(Variable, "variable")
        .Nested(CustomData, "customData");
}

public sealed record GetVariableResult : IOcppValidatable
{
    public StatusInfo? AttributeStatusInfo { get; init; }
    public required GetVariableStatus AttributeStatus { get; init; }
    public AttributeKind? AttributeType { get; init; }
    public string? AttributeValue { get; init; }
    public required Component Component { get; init; }
    public required Variable Variable { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(AttributeStatusInfo, "attributeStatusInfo")
        .MaxLength(AttributeValue, 2500, "attributeValue")
        .Nested(Component, "component")
        .Nested(Variable, "variable")
        .Nested(CustomData, "customData");
}

/// <summary>GetVariableResult <c>attributeStatus</c> (GetVariableStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<GetVariableStatus>))]
public enum GetVariableStatus
{
    Accepted,
    Rejected,
    UnknownComponent,
    UnknownVariable,
    NotSupportedAttributeType,
}
