using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Provisioning;

public sealed record GetReportRequest : IOcppRequest<GetReportResponse>
{
    public static string Action => "GetReport";

    public IReadOnlyList<ComponentVariable>? ComponentVariable { get; init; }
    public required int RequestId { get; init; }
    public IReadOnlyList<ComponentCriterion>? ComponentCriteria { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(ComponentVariable, 1, "componentVariable")
        .Each(ComponentVariable, "componentVariable")
        .MinItems(ComponentCriteria, 1, "componentCriteria")
        .MaxItems(ComponentCriteria, 4, "componentCriteria")
        .Nested(CustomData, "customData");
}

public sealed record GetReportResponse : IOcppResponse
{
    public required GenericDeviceModelStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>GetReport.req <c>componentCriteria</c> (ComponentCriterionEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ComponentCriterion>))]
public enum ComponentCriterion
{
    Active,
    Available,
    Enabled,
    Problem,
}
