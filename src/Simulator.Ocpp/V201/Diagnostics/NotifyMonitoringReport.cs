using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Diagnostics;

public sealed record NotifyMonitoringReportRequest : IOcppRequest<NotifyMonitoringReportResponse>
{
    public static string Action => "NotifyMonitoringReport";

    public IReadOnlyList<MonitoringData>? Monitor { get; init; }
    public required int RequestId { get; init; }
    public bool? Tbc { get; init; }
    public required int SeqNo { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(Monitor, 1, "monitor")
        .Each(Monitor, "monitor")
        .Nested(CustomData, "customData");
}

public sealed record NotifyMonitoringReportResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record MonitoringData : IOcppValidatable
{
    public required Component Component { get; init; }
    public required Variable Variable { get; init; }
    public required IReadOnlyList<VariableMonitoring> VariableMonitoring { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Component, "component")
        .Nested(Variable, "variable")
        .MinItems(VariableMonitoring, 1, "variableMonitoring")
        .Each(VariableMonitoring, "variableMonitoring")
        .Nested(CustomData, "customData");
}

public sealed record VariableMonitoring : IOcppValidatable
{
    public required int Id { get; init; }
    public required bool Transaction { get; init; }
    public required decimal Value { get; init; }
    public required MonitorKind Type { get; init; }
    public required int Severity { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
