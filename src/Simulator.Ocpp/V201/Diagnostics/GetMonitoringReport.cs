using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Diagnostics;

public sealed record GetMonitoringReportRequest : IOcppRequest<GetMonitoringReportResponse>
{
    public static string Action => "GetMonitoringReport";

    public IReadOnlyList<ComponentVariable>? ComponentVariable { get; init; }
    public required int RequestId { get; init; }
    public IReadOnlyList<MonitoringCriterion>? MonitoringCriteria { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(ComponentVariable, 1, "componentVariable")
        .Each(ComponentVariable, "componentVariable")
        .MinItems(MonitoringCriteria, 1, "monitoringCriteria")
        .MaxItems(MonitoringCriteria, 3, "monitoringCriteria")
        .Nested(CustomData, "customData");
}

public sealed record GetMonitoringReportResponse : IOcppResponse
{
    public required GenericDeviceModelStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>GetMonitoringReport.req <c>monitoringCriteria</c> (MonitoringCriterionEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<MonitoringCriterion>))]
public enum MonitoringCriterion
{
    ThresholdMonitoring,
    DeltaMonitoring,
    PeriodicMonitoring,
}
