using System.Security.Cryptography.X509Certificates;
using Simulator.Cli.Profiles;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Cluster;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Cli.Cluster;

/// <summary>
/// The profile as it travels to the nodes, and what each node makes of it: the same loader and overrides as the
/// coordinator, so every node holds the same plan; its own telemetry (its own <c>node</c> label) and journal.
/// </summary>
internal static class ClusterAssignments
{
    /// <summary>
    /// The assignment for every node. <paramref name="materials"/> are the coordinator's: their public certificates go along
    /// (the CSMS's CA as CentralSystemRoot and, when it issues client certificates, as CPO root).
    /// </summary>
    public static RunAssignment Create(string runId, string profileName, string profileYaml, ProfileOverrides overrides, Uri targetUrl, int seed, string seedNode, FleetSecurityMaterials materials, int nodeCount)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(materials);
        return new(runId, profileName, profileYaml,
            new PlanOverrides(overrides.Target, overrides.Count, overrides.IdPattern, overrides.Duration,
                overrides.SecurityProfile, overrides.AuthorizationKey, overrides.CaCertificate, overrides.ClientCertificate, overrides.ClientKey, overrides.CpoName, overrides.PasswordEncoding),
            targetUrl.ToString(), seed, seedNode,
            [.. materials.CentralSystemRoots.Select(c => c.ExportCertificatePem())],
            materials.ClientCertificateIssuer is { } issuer ? [issuer.CaCertificate.ExportCertificatePem()] : [],
            nodeCount);
    }

    /// <summary>
    /// Loads the assignment's profile on this node and builds the node's environment for the run. The coordinator passes
    /// its own <paramref name="localMaterials"/>; a worker builds them from the assignment's certificates and, when its charge
    /// points need client certificates issued for the run, makes a CA of its own and answers its certificate. The charge points
    /// hand their settled transaction messages to <paramref name="fold"/>; only a run whose coordinator can look messages up
    /// in the CSMS's ledger also streams every produced one to the coordinator (its copy, should this node fail).
    /// </summary>
    public static AssignmentOutcome Accept(RunAssignment assignment, FleetTelemetry telemetry, FleetSecurityMaterials? localMaterials = null, Simulator.Fleet.Tracing.FrameTrace? trace = null, SettledMessageFold? fold = null)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var loaded = ProfileLoader.LoadText(assignment.ProfileYaml, assignment.ProfileName);
        if (loaded.Plan is { } parsed)
        {
            loaded = ProfileLoader.ApplyOverrides(parsed, ToProfileOverrides(assignment.Overrides));
        }
        if (loaded.Plan is not { } plan)
        {
            return AssignmentOutcome.Failed([.. loaded.Errors.Select(e => e.ToString())]);
        }
        if (assignment.NodeCount > 0
            && OpenFileBudget.Check(OpenFileBudget.ShareOfNode(plan.TotalCount, assignment.NodeCount), OpenFileBudget.ProcessLimit(),
                $"this node's share of {plan.TotalCount} charge points over {assignment.NodeCount} nodes") is { } tooMany)
        {
            return AssignmentOutcome.Failed([tooMany + "; add nodes or raise the limit"]);
        }
        if (!Uri.TryCreate(assignment.TargetUrl, UriKind.Absolute, out var targetUrl))
        {
            return AssignmentOutcome.Failed([$"the target URL '{assignment.TargetUrl}' is not a URL"]);
        }
        FleetSecurityMaterials materials;
        string? issuerPem = null;
        if (localMaterials is not null)
        {
            materials = localMaterials;
        }
        else
        {
            if (ReadCertificates(assignment.CentralSystemRootsPem, "CentralSystemRoot", out var roots) is { } rootsProblem)
            {
                return AssignmentOutcome.Failed([rootsProblem]);
            }
            if (ReadCertificates(assignment.CpoRootsPem, "CPO root", out var cpoRoots) is { } cpoProblem)
            {
                return AssignmentOutcome.Failed([cpoProblem]);
            }
            var issuer = NeedsIssuedClientCertificates(plan) ? new ThrowawayCertificateAuthority("FleetSim node CA") : null;
            issuerPem = issuer?.CaCertificatePem;
            materials = new FleetSecurityMaterials { CentralSystemRoots = roots, ClientCertificateIssuer = issuer, AdditionalCpoRoots = cpoRoots };
        }
        var journal = new ConnectionJournal(DateTimeOffset.UtcNow);
        return AssignmentOutcome.Ready(new FleetEnvironment(plan, targetUrl, telemetry, journal, TimeProvider.System, assignment.Seed) { Security = materials, ProducedFeed = assignment.LedgerLookups ? new ProducedMessageFeed() : null, SettledMessages = fold, Trace = trace }, issuerPem);
    }

    /// <summary>Some charge point type connects with profile 3 and has no certificate files: its certificates are issued for the run.</summary>
    public static bool NeedsIssuedClientCertificates(FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Types.Any(t => (t.Security ?? plan.Target.Security) is { Profile: 3, ClientCertificatePattern: null });
    }

    private static ProfileOverrides ToProfileOverrides(PlanOverrides o) => new()
    {
        Target = o.Target,
        Count = o.Count,
        IdPattern = o.IdPattern,
        Duration = o.Duration,
        SecurityProfile = o.SecurityProfile,
        AuthorizationKey = o.AuthorizationKey,
        CaCertificate = o.CaCertificate,
        ClientCertificate = o.ClientCertificate,
        ClientKey = o.ClientKey,
        CpoName = o.CpoName,
        PasswordEncoding = o.PasswordEncoding,
    };

    private static string? ReadCertificates(IReadOnlyList<string>? pems, string what, out IReadOnlyList<X509Certificate2> certificates)
    {
        var read = new List<X509Certificate2>();
        certificates = read;
        foreach (var pem in pems ?? [])
        {
            try
            {
                read.Add(X509Certificate2.CreateFromPem(pem));
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                return $"the assignment's {what} certificate is not a PEM certificate: {ex.Message}";
            }
        }
        return null;
    }
}
