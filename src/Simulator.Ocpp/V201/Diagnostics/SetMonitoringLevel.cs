using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Diagnostics;

public sealed record SetMonitoringLevelRequest : IOcppRequest<SetMonitoringLevelResponse>
{
    public static string Action => "SetMonitoringLevel";

    public required int Severity { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record SetMonitoringLevelResponse : IOcppResponse
{
    public required GenericStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}
