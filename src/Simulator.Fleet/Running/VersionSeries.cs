using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Fleet.Running;

/// <summary>
/// The charge points' own CALLs that every fleet of an OCPP version sends or may send, by version: their error and timeout
/// series (labelled with the version) are published at 0 from the start, so a dashboard shows 0 rather than "No data".
/// </summary>
public static class VersionSeries
{
    private static readonly Dictionary<string, string[]> CoreActions = new(StringComparer.Ordinal)
    {
        ["1.6"] = ["Authorize", "BootNotification", "Heartbeat", "MeterValues", "StartTransaction", "StatusNotification", "StopTransaction"],
        ["2.0.1"] = ["Authorize", "BootNotification", "Heartbeat", "MeterValues", "StatusNotification", "TransactionEvent"],
    };

    /// <summary>Declares the versions of the plan's types (call before the exporter starts).</summary>
    public static void Declare(FleetTelemetry telemetry, FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Declare(telemetry, plan.Types.Select(t => t.OcppVersion));
    }

    /// <summary>Declares these versions (a cluster node, before it knows the plan: every version).</summary>
    public static void Declare(FleetTelemetry telemetry, IEnumerable<string> versions)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        foreach (var version in versions.Distinct(StringComparer.Ordinal))
        {
            telemetry.DeclareVersion(version, CoreActions.GetValueOrDefault(version, []));
        }
    }
}
