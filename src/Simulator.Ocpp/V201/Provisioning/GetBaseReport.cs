using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Provisioning;

public sealed record GetBaseReportRequest : IOcppRequest<GetBaseReportResponse>
{
    public static string Action => "GetBaseReport";

    public required int RequestId { get; init; }
    public required ReportBase ReportBase { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record GetBaseReportResponse : IOcppResponse
{
    public required GenericDeviceModelStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>GetBaseReport.req <c>reportBase</c> (ReportBaseEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ReportBase>))]
public enum ReportBase
{
    ConfigurationInventory,
    FullInventory,
    SummaryInventory,
}
