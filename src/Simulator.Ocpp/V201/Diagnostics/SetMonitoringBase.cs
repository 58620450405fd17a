using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Diagnostics;

public sealed record SetMonitoringBaseRequest : IOcppRequest<SetMonitoringBaseResponse>
{
    public static string Action => "SetMonitoringBase";

    public required MonitoringBase MonitoringBase { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record SetMonitoringBaseResponse : IOcppResponse
{
    public required GenericDeviceModelStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>SetMonitoringBase.req <c>monitoringBase</c> (MonitoringBaseEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<MonitoringBase>))]
public enum MonitoringBase
{
    All,
    FactoryDefault,
    HardWiredOnly,
}
