using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Metrics;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;
using static Simulator.Fleet.Tests.Security.SecureFleet;

namespace Simulator.Fleet.Tests.Security;

/// <summary>
/// Runs fleets with AuthorizationKeys (right, wrong, rotated) and with client certificates from PEM files, captures every
/// log line at DEBUG and the run reports, and looks for the keys and for any private-key material.
/// </summary>
[Collection("security end-to-end")]
public class NoSecretsInLogsTests
{
    [Fact]
    public async Task No_key_and_no_private_key_appears_in_any_log_line_or_report()
    {
        const string wrong = "aabbccddeeff00112233445566778899";
        const string rotated = "99887766554433221100ffeeddccbbaa";
        var reports = new List<string>();

        await using (var fleet = await StartAsync(1, new SecurityPlan { Profile = 1, AuthorizationKey = Key, CpoName = Cpo }, count: 2))
        {
            fleet.StartAll();
            foreach (var id in fleet.Ids)
            {
                await fleet.WaitBootedAsync(id);
            }
            fleet.Server.SetAuthorizationKey(fleet.Ids[0], rotated);
            await fleet.Server.CallAsync(fleet.Ids[0], new ChangeConfigurationRequest { Key = "AuthorizationKey", Value = rotated });
            await fleet.Server.CallAsync(fleet.Ids[1], new ChangeConfigurationRequest { Key = "AuthorizationKey", Value = "not hex" });
            await WaitUntilAsync(() => fleet.State(fleet.Ids[0]).Snapshot() is { Connections: >= 2, Connected: true }, "the reconnect with the rotated key");
            reports.Add(Report(fleet.Telemetry));
        }

        await using (var refused = await StartAsync(1, new SecurityPlan { Profile = 1, AuthorizationKey = wrong, CpoName = Cpo }))
        {
            refused.StartAll();
            await WaitUntilAsync(() => refused.Attempts(ConnectResults.Http(401)) >= 3, "refused attempts");
            reports.Add(Report(refused.Telemetry));
        }

        var keyBodies = new List<string>();
        var dir = Directory.CreateTempSubdirectory("fleetsim-certs-").FullName;
        try
        {
            using var authority = CertificateAuthority.Create();
            foreach (var id in new[] { "SEC-001", "SEC-002" })
            {
                using var certificate = authority.IssueClientCertificate(id, Cpo);
                using var key = certificate.GetECDsaPrivateKey()!;
                var keyPem = key.ExportPkcs8PrivateKeyPem();
                keyBodies.Add(keyPem.Split('\n')[1][..40]);
                await File.WriteAllTextAsync(Path.Combine(dir, id + ".pem"), certificate.ExportCertificatePem());
                await File.WriteAllTextAsync(Path.Combine(dir, id + ".key"), keyPem);
            }
            var plan = new SecurityPlan
            {
                Profile = 3,
                CpoName = Cpo,
                ClientCertificatePattern = Path.Combine(dir, "{id}.pem"),
                ClientKeyPattern = Path.Combine(dir, "{id}.key"),
            };
            await using var mtls = await StartAsync(3, plan, count: 2, authority: authority, materials: a => new FleetSecurityMaterials { CentralSystemRoots = [a.Certificate] });
            mtls.StartAll();
            foreach (var id in mtls.Ids)
            {
                await mtls.WaitBootedAsync(id);
            }
            await mtls.Server.CallAsync(mtls.Ids[0], new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.SignChargePointCertificate });
            await WaitUntilAsync(() => mtls.State(mtls.Ids[0]).Snapshot().LastCertificateSigned == "Accepted", "CertificateSigned");
            reports.Add(Report(mtls.Telemetry));
        }
        finally
        {
            Directory.Delete(dir, true);
        }

        var everything = string.Join('\n', CapturingLogger.Lines) + "\n" + string.Join('\n', reports);
        Assert.Contains("SEC-001", everything, StringComparison.Ordinal);   // the capture did see this fleet's lines
        foreach (var secret in new[] { Key, wrong, rotated }.Concat(keyBodies))
        {
            Assert.DoesNotContain(secret, everything, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain("PRIVATE KEY", everything, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("FailedToAuthenticationAtCentralSystem", reports[1], StringComparison.Ordinal);
    }

    private static string Report(FleetTelemetry telemetry)
    {
        var now = DateTimeOffset.UtcNow;
        return RunReportBuilder.Build(new RunInfo("test", "security", now.AddMinutes(-1), now, 2), telemetry.Snapshot()).ToJson();
    }
}
