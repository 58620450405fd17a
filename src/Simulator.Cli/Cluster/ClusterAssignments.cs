using Simulator.Cli.Profiles;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Cluster;
using Simulator.Metrics;

namespace Simulator.Cli.Cluster;

/// <summary>
/// The profile as it travels to the nodes, and what each node makes of it: the same loader and overrides as the
/// coordinator, so every node holds the same plan; its own telemetry (its own <c>node</c> label) and journal.
/// </summary>
internal static class ClusterAssignments
{
    public static RunAssignment Create(string runId, string profileName, string profileYaml, ProfileOverrides overrides, Uri targetUrl, int seed, string seedNode)
        => new(runId, profileName, profileYaml, new PlanOverrides(overrides.Target, overrides.Count, overrides.IdPattern, overrides.Duration), targetUrl.ToString(), seed, seedNode);

    /// <summary>Loads the assignment's profile on this node and builds the node's environment for the run.</summary>
    public static AssignmentOutcome Accept(RunAssignment assignment, FleetTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var loaded = ProfileLoader.LoadText(assignment.ProfileYaml, assignment.ProfileName);
        if (loaded.Plan is { } parsed)
        {
            var o = assignment.Overrides;
            loaded = ProfileLoader.ApplyOverrides(parsed, new ProfileOverrides { Target = o.Target, Count = o.Count, IdPattern = o.IdPattern, Duration = o.Duration });
        }
        if (loaded.Plan is not { } plan)
        {
            return AssignmentOutcome.Failed([.. loaded.Errors.Select(e => e.ToString())]);
        }
        if (!Uri.TryCreate(assignment.TargetUrl, UriKind.Absolute, out var targetUrl))
        {
            return AssignmentOutcome.Failed([$"the target URL '{assignment.TargetUrl}' is not a URL"]);
        }
        var journal = new ConnectionJournal(DateTimeOffset.UtcNow);
        return AssignmentOutcome.Ready(new FleetEnvironment(plan, targetUrl, telemetry, journal, TimeProvider.System, assignment.Seed));
    }
}
