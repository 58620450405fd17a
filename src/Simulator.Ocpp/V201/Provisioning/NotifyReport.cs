using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Provisioning;

public sealed record NotifyReportRequest : IOcppRequest<NotifyReportResponse>
{
    public static string Action => "NotifyReport";

    public required int RequestId { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public IReadOnlyList<ReportData>? ReportData { get; init; }
    public bool? Tbc { get; init; }
    public required int SeqNo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(ReportData, 1, "reportData")
        .Each(ReportData, "reportData")
        .Nested(CustomData, "customData");
}

public sealed record NotifyReportResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record ReportData : IOcppValidatable
{
    public required Component Component { get; init; }
    public required Variable Variable { get; init; }
    public required IReadOnlyList<VariableAttribute> VariableAttribute { get; init; }
    public VariableCharacteristics? VariableCharacteristics { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Component, "component")
        .Nested(Variable, "variable")
        .MinItems(VariableAttribute, 1, "variableAttribute")
        .MaxItems(VariableAttribute, 4, "variableAttribute")
        .Each(VariableAttribute, "variableAttribute")
        .Nested(VariableCharacteristics, "variableCharacteristics")
        .Nested(CustomData, "customData");
}

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The OCPP name (VariableAttributeType): an attribute of a device-model variable, not a .NET attribute.")]
public sealed record VariableAttribute : IOcppValidatable
{
    public AttributeKind? Type { get; init; }
    public string? Value { get; init; }
    public Mutability? Mutability { get; init; }
    public bool? Persistent { get; init; }
    public bool? Constant { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Value, 2500, "value")
        .Nested(CustomData, "customData");
}

public sealed record VariableCharacteristics : IOcppValidatable
{
    public string? Unit { get; init; }
    public required DataKind DataType { get; init; }
    public decimal? MinLimit { get; init; }
    public decimal? MaxLimit { get; init; }
    public string? ValuesList { get; init; }
    public required bool SupportsMonitoring { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Unit, 16, "unit")
        .MaxLength(ValuesList, 1000, "valuesList")
        .Nested(CustomData, "customData");
}

/// <summary>VariableAttribute <c>mutability</c> (MutabilityEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<Mutability>))]
public enum Mutability
{
    ReadOnly,
    WriteOnly,
    ReadWrite,
}

/// <summary>VariableCharacteristics <c>dataType</c> (DataEnumType).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The OCPP names of the data types a variable can have.")]
[JsonConverter(typeof(OcppEnumConverter<DataKind>))]
public enum DataKind
{
    [JsonStringEnumMemberName("string")] String,
    [JsonStringEnumMemberName("decimal")] Decimal,
    [JsonStringEnumMemberName("integer")] Integer,
    [JsonStringEnumMemberName("dateTime")] DateTime,
    [JsonStringEnumMemberName("boolean")] Boolean,
    OptionList,
    SequenceList,
    MemberList,
}
