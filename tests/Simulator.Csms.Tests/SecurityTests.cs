using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms.Tests;

public sealed class SecurityTests
{
    private const string Key = "00112233445566778899AABBCCDDEEFF0A0B0C0D";
    private const string Cpo = "Test CPO";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Profile1_accepts_the_right_key_in_either_encoding_and_refuses_wrong_or_missing_credentials_with_401(bool perIdKey)
    {
        var options = perIdKey
            ? new CsmsOptions { SecurityProfile = 1, AuthorizationKeys = new Dictionary<string, string> { ["CP-1"] = Key } }
            : new CsmsOptions { SecurityProfile = 1, SharedAuthorizationKey = Key };
        await using var csms = await Support.StartAsync(options);
        await using (var hex = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", Support.Basic("CP-1", Encoding.ASCII.GetBytes(Key))))
        {
            await hex.AskDecodedAsync(new HeartbeatRequest());
        }
        await using (var raw = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", Support.Basic("CP-1", Convert.FromHexString(Key))))
        {
            await raw.AskDecodedAsync(new HeartbeatRequest());
        }
        var (wrong, _) = await TestChargePoint.TryConnectAsync(csms.Url, "CP-1", Support.Basic("CP-1", Encoding.ASCII.GetBytes("00112233445566778899AABBCCDDEEFF0A0B0C0E"), o => o.AddSubProtocol("ocpp1.6")));
        Assert.Equal(401, wrong);
        var (otherUser, _) = await TestChargePoint.TryConnectAsync(csms.Url, "CP-1", Support.Basic("CP-2", Encoding.ASCII.GetBytes(Key), o => o.AddSubProtocol("ocpp1.6")));
        Assert.Equal(401, otherUser);
        var (missing, _) = await TestChargePoint.TryConnectAsync(csms.Url, "CP-1", o => o.AddSubProtocol("ocpp1.6"));
        Assert.Equal(401, missing);
        Assert.Equal(3, csms.GetStats().Refused.BadCredentials);
    }

    [Fact]
    public async Task A_configured_password_encoding_refuses_the_other_one_and_a_rotated_key_stops_the_old_one()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { SecurityProfile = 1, SharedAuthorizationKey = Key, PasswordEncoding = BasicPasswordEncoding.HexString });
        var (raw, _) = await TestChargePoint.TryConnectAsync(csms.Url, "CP-1", Support.Basic("CP-1", Convert.FromHexString(Key), o => o.AddSubProtocol("ocpp1.6")));
        Assert.Equal(401, raw);
        csms.SetAuthorizationKey("CP-1", "FFEEDDCCBBAA99887766554433221100");
        var (old, _) = await TestChargePoint.TryConnectAsync(csms.Url, "CP-1", Support.Basic("CP-1", Encoding.ASCII.GetBytes(Key), o => o.AddSubProtocol("ocpp1.6")));
        Assert.Equal(401, old);
        await using var rotated = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", Support.Basic("CP-1", Encoding.ASCII.GetBytes("FFEEDDCCBBAA99887766554433221100")));
        await rotated.AskDecodedAsync(new HeartbeatRequest());
    }

    [Theory]
    [InlineData(ServerKeyType.Rsa)]
    [InlineData(ServerKeyType.Ecdsa)]
    public async Task Profile2_serves_TLS_that_a_client_trusting_the_CA_accepts_and_still_checks_Basic(ServerKeyType keyType)
    {
        var dir = Path.Combine(Path.GetTempPath(), "csms-ca-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var csms = await Support.StartAsync(new CsmsOptions { SecurityProfile = 2, SharedAuthorizationKey = Key, ServerKeyType = keyType, CaCertificateDirectory = dir });
            Assert.Equal("wss", csms.Url.Scheme);
            using var caFromDisk = X509Certificate2.CreateFromPem(File.ReadAllText(csms.CaCertificatePath!));
            Assert.Equal(csms.Authority.Certificate.Thumbprint, caFromDisk.Thumbprint);
            Assert.False(caFromDisk.HasPrivateKey);
            await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", Support.Basic("CP-1", Encoding.ASCII.GetBytes(Key), Support.TrustCa(csms.Authority)));
            await cp.AskDecodedAsync(new HeartbeatRequest());
            var (noPassword, _) = await TestChargePoint.TryConnectAsync(csms.Url, "CP-2", o =>
            {
                o.AddSubProtocol("ocpp1.6");
                Support.TrustCa(csms.Authority)(o);
            });
            Assert.Equal(401, noPassword);
            var (untrusted, _) = await TestChargePoint.TryConnectAsync(csms.Url, "CP-3", Support.Basic("CP-3", Encoding.ASCII.GetBytes(Key), o => o.AddSubProtocol("ocpp1.6")));
            Assert.NotEqual(101, untrusted);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_server_certificate_given_as_PEM_files_is_the_one_served()
    {
        using var ca = CertificateAuthority.Create();
        using var issued = ca.IssueServerCertificate(ServerKeyType.Ecdsa);
        var dir = Directory.CreateTempSubdirectory("csms-pem-").FullName;
        try
        {
            var certPath = Path.Combine(dir, "server.pem");
            var keyPath = Path.Combine(dir, "server.key");
            await File.WriteAllTextAsync(certPath, issued.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, issued.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            await using var csms = await Support.StartAsync(new CsmsOptions { SecurityProfile = 2, SharedAuthorizationKey = Key, ServerCertificatePemPath = certPath, ServerKeyPemPath = keyPath });
            string? served = null;
            await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", Support.Basic("CP-1", Encoding.ASCII.GetBytes(Key), o =>
                o.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    served = certificate?.GetCertHashString();
                    return ca.Verifies(X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData()));
                }));
            await cp.AskDecodedAsync(new HeartbeatRequest());
            Assert.Equal(issued.GetCertHashString(), served);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Profile3_accepts_a_CA_issued_certificate_with_the_right_CN_and_O_and_refuses_every_other()
    {
        using var ca = CertificateAuthority.Create();
        using var foreignCa = CertificateAuthority.Create("Somebody Else's CA");
        await using var csms = await Support.StartAsync(new CsmsOptions { SecurityProfile = 3, CertificateAuthority = ca, CpoName = Cpo });
        using var good = ca.IssueClientCertificate("CP-1", Cpo);
        await using (var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", Support.TrustCa(ca, good)))
        {
            await cp.AskDecodedAsync(new HeartbeatRequest());
        }

        Task<int> TryWith(X509Certificate2? certificate, string id = "CP-1") => TryConnectAsync(csms, ca, certificate, id);

        Assert.Equal(403, await TryWith(good, "CP-2"));
        using var wrongO = ca.IssueClientCertificate("CP-1", "Other CPO");
        Assert.Equal(403, await TryWith(wrongO));
        using var foreign = foreignCa.IssueClientCertificate("CP-1", Cpo);
        Assert.NotEqual(101, await TryWith(foreign));
        using var expired = ca.IssueClientCertificate("CP-1", Cpo, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        Assert.NotEqual(101, await TryWith(expired));
        Assert.NotEqual(101, await TryWith(null));
        Assert.Equal(2, csms.GetStats().Refused.BadClientCertificate);
        Assert.Equal(1, csms.GetStats().ConnectionsAccepted);
    }

    [Fact]
    public async Task Profile3_accepts_certificates_of_a_client_CA_trusted_through_the_control_API_and_refuses_a_non_CA_certificate()
    {
        using var ca = CertificateAuthority.Create();
        using var nodeCa = CertificateAuthority.Create("A cluster node's CA");
        await using var csms = await Support.StartAsync(new CsmsOptions { SecurityProfile = 3, CertificateAuthority = ca, CpoName = Cpo, ControlPort = 0 });
        using var fromNode = nodeCa.IssueClientCertificate("CP-7", Cpo);
        Task<int> TryWith(X509Certificate2 certificate, string id) => TryConnectAsync(csms, ca, certificate, id);

        Assert.NotEqual(101, await TryWith(fromNode, "CP-7"));

        var pem = System.Text.Json.JsonSerializer.Serialize(nodeCa.CertificatePem);
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "security/client-issuers", $"{{\"certificatePem\":{pem}}}");
        Assert.Equal(200, status);
        Assert.Equal([ca.Certificate.Subject, nodeCa.Certificate.Subject], body.GetProperty("subjects").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(101, await TryWith(fromNode, "CP-7"));
        using var wrongId = nodeCa.IssueClientCertificate("CP-8", Cpo);
        Assert.Equal(403, await TryWith(wrongId, "CP-9"));

        var leafPem = System.Text.Json.JsonSerializer.Serialize(fromNode.ExportCertificatePem());
        var (leafStatus, leafBody) = await csms.ControlAsync(HttpMethod.Post, "security/client-issuers", $"{{\"certificatePem\":{leafPem}}}");
        Assert.Equal(400, leafStatus);
        Assert.Contains("not a CA certificate", leafBody.GetProperty("error").GetString(), StringComparison.Ordinal);
        var (garbageStatus, garbageBody) = await csms.ControlAsync(HttpMethod.Post, "security/client-issuers", """{"certificatePem":"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"}""");
        Assert.Equal(400, garbageStatus);
        Assert.Contains("certificatePem", garbageBody.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Single(csms.ExtraClientIssuers);
    }

    /// <summary>Opens an OCPP WebSocket as <paramref name="id"/> with <paramref name="certificate"/>; the HTTP status (101: accepted).</summary>
    private static async Task<int> TryConnectAsync(CsmsServer csms, CertificateAuthority ca, X509Certificate2? certificate, string id)
    {
        var (status, client) = await TestChargePoint.TryConnectAsync(csms.Url, id, o =>
        {
            o.AddSubProtocol("ocpp1.6");
            Support.TrustCa(ca, certificate)(o);
        });
        if (client is not null)
        {
            await client.DisposeAsync();
        }
        return status;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SignCertificate_is_accepted_and_CertificateSigned_follows_with_a_chain_that_verifies_and_holds_the_CSR_key(bool rsa)
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { CpoName = Cpo });
        var delivered = new TaskCompletionSource<CertificateSignedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", handler: request =>
        {
            if (request is CertificateSignedRequest signed)
            {
                delivered.TrySetResult(signed);
                return new CertificateSignedResponse { Status = CertificateSignedStatus.Accepted };
            }
            return null;
        });
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedName($"CN=CP-1, O={Cpo}");
        var csr = rsa
            ? new CertificateRequest(subject, (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        var answer = await cp.AskDecodedAsync(new SignCertificateRequest { Csr = csr.CreateSigningRequestPem() });
        Assert.Equal(GenericStatus.Accepted, answer.Status);

        var chainPem = (await delivered.Task.WaitAsync(TimeSpan.FromSeconds(10))).CertificateChain;
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(chainPem);
        Assert.Equal(2, chain.Count);
        using var leaf = chain[0];
        Assert.True(csms.Authority.Verifies(leaf));
        Assert.Equal(csms.Authority.Certificate.Thumbprint, chain[1].Thumbprint);
        Assert.Equal(csr.PublicKey.ExportSubjectPublicKeyInfo(), leaf.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal("CP-1", leaf.GetNameInfo(X509NameType.SimpleName, false));
        Assert.True(await Support.EventuallyAsync(() => csms.Registry.Find("CP-1")!.Snapshot().LastCertificateSigned == "Accepted"));
        chain[1].Dispose();
    }

    [Fact]
    public async Task SignCertificate_with_the_wrong_O_or_a_broken_CSR_is_rejected_and_nothing_follows()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { CpoName = Cpo });
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var wrongO = new CertificateRequest(new X500DistinguishedName("CN=CP-1, O=Intruder"), key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        Assert.Equal(GenericStatus.Rejected, (await cp.AskDecodedAsync(new SignCertificateRequest { Csr = wrongO })).Status);
        var wrongCn = new CertificateRequest(new X500DistinguishedName($"CN=CP-2, O={Cpo}"), key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        Assert.Equal(GenericStatus.Rejected, (await cp.AskDecodedAsync(new SignCertificateRequest { Csr = wrongCn })).Status);
        Assert.Equal(GenericStatus.Rejected, (await cp.AskDecodedAsync(new SignCertificateRequest { Csr = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----" })).Status);
        await cp.AskDecodedAsync(new HeartbeatRequest());
        Assert.Empty(cp.Received);
    }
}
