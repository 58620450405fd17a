using System.Security.Cryptography.X509Certificates;
using Simulator.Cli.Cluster;
using Simulator.Cli.Embedded;
using Simulator.Cli.Profiles;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Metrics;

namespace Simulator.Cli.Tests;

/// <summary>What a worker node makes of the coordinator's assignment: the same plan, the command-line overrides included.</summary>
public sealed class ClusterAssignmentTests
{
    private const string Key = "00112233445566778899aabbccddeeff";

    private static readonly string Profile = TestProfiles.Minimal(target: "target:\n  url: wss://127.0.0.1:9443/ocpp\n");

    [Fact]
    public void A_worker_applies_the_security_overrides_trusts_the_CSMS_CA_and_issues_client_certificates_with_a_CA_of_its_own()
    {
        using var csmsCa = CertificateAuthority.Create();
        var coordinatorMaterials = CsmsCertificateIssuer.MaterialsFor(csmsCa, 3);
        var overrides = new ProfileOverrides { SecurityProfile = 3, CpoName = "ACME", Count = 4 };
        var assignment = ClusterAssignments.Create("run-1", "test.yaml", Profile, overrides, new Uri("wss://127.0.0.1:9443/ocpp/"), 7, "127.0.0.1:4053", coordinatorMaterials, 3);
        using var telemetry = new FleetTelemetry("worker");

        var outcome = ClusterAssignments.Accept(assignment, telemetry);

        Assert.Empty(outcome.Errors);
        var environment = outcome.Environment!;
        Assert.Equal((3, "ACME", 4), (environment.Plan.Target.Security.Profile, environment.Plan.Target.Security.CpoName, environment.Plan.TotalCount));
        Assert.Equal(csmsCa.Certificate.RawData, Assert.Single(environment.Security.CentralSystemRoots).RawData);

        using var nodeCa = X509Certificate2.CreateFromPem(outcome.ClientCertificateIssuerPem);
        Assert.NotEqual(csmsCa.Certificate.Thumbprint, nodeCa.Thumbprint);
        var member = environment.Catalog.Members[0];
        using var certificate = environment.InitialClientCertificate(member)!;
        Assert.True(certificate.HasPrivateKey);
        Assert.True(CertificateAuthority.ChainsTo(certificate, nodeCa));
        Assert.Contains("O=ACME", certificate.Subject, StringComparison.Ordinal);
        Assert.Equal(
            new[] { nodeCa.Thumbprint, csmsCa.Certificate.Thumbprint },
            environment.OptionsFor(member).CpoRootCertificates.Select(c => c.Thumbprint));
    }

    [Fact]
    public void The_coordinator_keeps_its_own_materials_and_announces_no_issuer()
    {
        using var csmsCa = CertificateAuthority.Create();
        var materials = CsmsCertificateIssuer.MaterialsFor(csmsCa, 3);
        var assignment = ClusterAssignments.Create("run-1", "test.yaml", Profile, new ProfileOverrides { SecurityProfile = 3 }, new Uri("wss://127.0.0.1:9443/ocpp/"), 7, "127.0.0.1:4053", materials, 3);
        using var telemetry = new FleetTelemetry("coordinator");

        var outcome = ClusterAssignments.Accept(assignment, telemetry, materials);

        Assert.Null(outcome.ClientCertificateIssuerPem);
        Assert.Same(materials, outcome.Environment!.Security);
    }

    [Fact]
    public void Below_profile_3_a_worker_makes_no_CA_and_the_authorization_key_arrives_but_is_never_printed()
    {
        var yamlWithKey = TestProfiles.Minimal(target: $"target:\n  url: ws://127.0.0.1:9/ocpp\n  security:\n    profile: 1\n    authorizationKey: \"{Key}\"\n");
        var assignment = ClusterAssignments.Create("run-1", "test.yaml", yamlWithKey, new ProfileOverrides { AuthorizationKey = Key.ToUpperInvariant() }, new Uri("ws://127.0.0.1:9/ocpp/"), 7, "127.0.0.1:4053", FleetSecurityMaterials.None, 3);
        using var telemetry = new FleetTelemetry("worker");

        var outcome = ClusterAssignments.Accept(assignment, telemetry);

        Assert.Null(outcome.ClientCertificateIssuerPem);
        Assert.Equal(Key.ToUpperInvariant(), outcome.Environment!.Plan.Target.Security.AuthorizationKey);
        Assert.DoesNotContain(Key, assignment.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("AuthorizationKey = ***", assignment.Overrides.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_CA_file_missing_on_the_worker_refuses_the_run_and_names_the_option()
    {
        var assignment = ClusterAssignments.Create("run-1", "test.yaml", Profile,
            new ProfileOverrides { SecurityProfile = 2, AuthorizationKey = Key, CaCertificate = "/nonexistent/fleetsim/ca.pem" },
            new Uri("wss://127.0.0.1:9443/ocpp/"), 7, "127.0.0.1:4053", FleetSecurityMaterials.None, 3);
        using var telemetry = new FleetTelemetry("worker");

        var outcome = ClusterAssignments.Accept(assignment, telemetry);

        Assert.Null(outcome.Environment);
        var error = Assert.Single(outcome.Errors);
        Assert.Contains("--ca-cert", error, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/fleetsim/ca.pem", error, StringComparison.Ordinal);
    }
}
