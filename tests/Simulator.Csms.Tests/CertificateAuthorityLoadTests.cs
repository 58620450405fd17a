using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;

namespace Simulator.Csms.Tests;

/// <summary>A CA given as PEM (<c>fleetsim csms --ca-cert/--ca-key</c>): any real CA is taken; what cannot be one is refused by name.</summary>
public sealed class CertificateAuthorityLoadTests
{
    private const string Cpo = "Test CPO";

    /// <summary>A self-signed certificate made with CertificateRequest: only the extensions <paramref name="extensions"/> adds.</summary>
    internal static (string CertificatePem, string KeyPem) SelfSigned(AsymmetricAlgorithm key, Action<CertificateRequest> extensions, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var name = new X500DistinguishedName("CN=Given CA, O=Somebody");
        var request = key is RSA rsa
            ? new CertificateRequest(name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(name, (ECDsa)key, HashAlgorithmName.SHA256);
        extensions(request);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(30));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    internal static void CaWithoutSki(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
    }

    [Theory]
    [InlineData("ecdsa")]
    [InlineData("rsa")]
    public async Task A_CA_without_a_Subject_Key_Identifier_is_accepted_and_what_it_issues_validates(string keyType)
    {
        using AsymmetricAlgorithm key = keyType == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (certificatePem, keyPem) = SelfSigned(key, CaWithoutSki);
        using var given = X509Certificate2.CreateFromPem(certificatePem);
        Assert.Empty(given.Extensions.OfType<X509SubjectKeyIdentifierExtension>());

        using var ca = CertificateAuthority.Load(certificatePem, keyPem);
        using var client = ca.IssueClientCertificate("CP-1", Cpo);
        Assert.True(ca.Verifies(client));
        var expectedKeyId = new X509SubjectKeyIdentifierExtension(given.PublicKey, false).SubjectKeyIdentifierBytes.ToArray();
        var aki = client.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        Assert.Equal(expectedKeyId, aki.KeyIdentifier!.Value.ToArray());

        using var csrKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest($"CN=CP-2, O={Cpo}", csrKey, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var chain = ca.SignCsr(csr, "CP-2", Cpo, TimeSpan.FromDays(30));
        using var signed = X509Certificate2.CreateFromPem(chain);
        Assert.True(ca.Verifies(signed));

        // Real TLS with it: profile 3, a server certificate and a client certificate both issued by the given CA.
        await using var csms = await Support.StartAsync(new CsmsOptions { SecurityProfile = 3, CertificateAuthority = ca, CpoName = Cpo, ControlPort = null });
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", Support.TrustCa(ca, client));
        await cp.AskDecodedAsync(new HeartbeatRequest());
    }

    [Fact]
    public void A_CA_with_its_Subject_Key_Identifier_keeps_it_as_the_Authority_Key_Identifier()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (certificatePem, keyPem) = SelfSigned(key, request =>
        {
            CaWithoutSki(request);
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, false));
        });
        using var ca = CertificateAuthority.Load(certificatePem, keyPem);
        using var client = ca.IssueClientCertificate("CP-1", Cpo);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, client.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray());
        Assert.True(ca.Verifies(client));
    }

    public static TheoryData<string, string> NotACa => new()
    {
        { "leaf", "not a CA certificate (no basicConstraints CA:TRUE)" },
        { "no-extensions", "not a CA certificate (no basicConstraints CA:TRUE)" },
        { "no-keyCertSign", "does not allow signing certificates (keyCertSign)" },
        { "expired", "expired on " },
        { "not-yet-valid", "not valid before " },
        { "other-key", "not the private key of " },
        { "rsa-key-for-ec-certificate", "no unencrypted ECDSA private key PEM in it" },
        { "garbage-certificate", "no PEM certificate" },
    };

    [Theory]
    [MemberData(nameof(NotACa))]
    public void What_cannot_be_a_CA_is_refused_naming_the_file_and_the_reason(string kind, string reason)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        var (certificatePem, keyPem) = kind switch
        {
            "leaf" => SelfSigned(key, r => r.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true))),
            "no-extensions" => SelfSigned(key, _ => { }),
            "no-keyCertSign" => SelfSigned(key, r =>
            {
                r.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                r.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            }),
            "expired" => SelfSigned(key, CaWithoutSki, now.AddDays(-30), now.AddDays(-1)),
            "not-yet-valid" => SelfSigned(key, CaWithoutSki, now.AddDays(1), now.AddDays(30)),
            "other-key" => (SelfSigned(key, CaWithoutSki).CertificatePem, otherKey.ExportPkcs8PrivateKeyPem()),
            "rsa-key-for-ec-certificate" => (SelfSigned(key, CaWithoutSki).CertificatePem, rsa.ExportPkcs8PrivateKeyPem()),
            _ => ("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n", key.ExportPkcs8PrivateKeyPem()),
        };
        var dir = Directory.CreateTempSubdirectory("csms-ca-load-");
        try
        {
            var certificateFile = Path.Combine(dir.FullName, "given-ca.pem");
            var keyFile = Path.Combine(dir.FullName, "given-ca.key");
            File.WriteAllText(certificateFile, certificatePem);
            File.WriteAllText(keyFile, keyPem);
            var refused = Assert.Throws<CaRejectedException>(() => CertificateAuthority.LoadFiles(certificateFile, keyFile));
            Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
            var named = kind is "other-key" or "rsa-key-for-ec-certificate" ? keyFile : certificateFile;
            Assert.StartsWith(named + ": ", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY-----", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', refused.Message);

            var missing = Assert.Throws<CaRejectedException>(() => CertificateAuthority.LoadFiles(Path.Combine(dir.FullName, "missing.pem"), keyFile));
            Assert.StartsWith(Path.Combine(dir.FullName, "missing.pem") + ": cannot be read", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
