using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Fleet.Tests.Security;
using Simulator.Metrics;
using static Simulator.Fleet.Tests.Security.SecureFleet;

namespace Simulator.Fleet.Tests.V201;

/// <summary>
/// OCPP 2.0.1 stations at security profiles 2 and 3 against the embedded CSMS (ocpp2.0.1 over TLS), with certificates the
/// tests make: the same fleet security (trusted roots, Basic auth, client certificates) as 1.6, the version only data.
/// </summary>
[Collection("security end-to-end")]
public sealed class V201SecurityTests
{
    private static SecurityPlan Plan(int profile, string? key = Key) => new() { Profile = profile, AuthorizationKey = key, CpoName = Cpo };

    private static FleetSecurityMaterials Trusting(CertificateAuthority authority, IClientCertificateIssuer? issuer = null) =>
        new() { CentralSystemRoots = [authority.Certificate], ClientCertificateIssuer = issuer };

    [Fact]
    public async Task Profile_2_boots_over_TLS_with_Basic_auth_and_an_untrusted_server_is_refused()
    {
        await using (var good = await StartAsync(2, Plan(2), materials: a => Trusting(a), ocppVersion: "2.0.1"))
        {
            good.StartAll();
            await good.WaitBootedAsync(good.Ids[0]);
            Assert.Equal(0, good.Telemetry.Snapshot().ConnectionAttempts.Where(a => a.Key != ConnectResults.Ok).Sum(a => a.Value));
            Assert.Contains(good.Telemetry.Snapshot().Calls.Keys, k => k is { Action: "BootNotification", OcppVersion: "2.0.1" });
        }
        using var stranger = CertificateAuthority.Create("Somebody else's root");
        await using var bad = await StartAsync(2, Plan(2), materials: _ => Trusting(stranger), ocppVersion: "2.0.1");
        bad.StartAll();
        await WaitUntilAsync(() => bad.Attempts("tls_certificate") >= 2, "untrusted-server failures", describe: bad.Describe);
        Assert.Equal(0, bad.Attempts(ConnectResults.Ok));
    }

    [Fact]
    public async Task Profile_2_with_a_wrong_password_gets_401()
    {
        await using var bad = await StartAsync(2, Plan(2, "ffeeddccbbaa99887766554433221100"), materials: a => Trusting(a), ocppVersion: "2.0.1");
        bad.StartAll();
        await WaitUntilAsync(() => bad.Attempts(ConnectResults.Http(401)) >= 2, "401s", describe: bad.Describe);
        Assert.False(bad.State(bad.Ids[0]).Snapshot().Booted);
    }

    [Fact]
    public async Task Profile_3_boots_with_a_client_certificate_from_the_CSMS_CA()
    {
        await using var fleet = await StartAsync(3, Plan(3, null), count: 2,
            materials: a => Trusting(a, new TestIssuer(a.Certificate, (id, o) => a.IssueClientCertificate(id, o))), ocppVersion: "2.0.1");
        fleet.StartAll();
        foreach (var id in fleet.Ids)
        {
            await fleet.WaitBootedAsync(id);
            Assert.NotNull(fleet.State(id).ClientCertificateSerial);
        }
    }
}
