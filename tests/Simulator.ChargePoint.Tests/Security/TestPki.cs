using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Simulator.ChargePoint.Tests.Security;

/// <summary>Certificates for the model tests, dated around the harness's fake clock.</summary>
internal sealed class TestPki : IDisposable
{
    private static readonly DateTimeOffset Start = Model.Harness.Start;

    public TestPki(string name = "Test Root", ECDsa? key = null)
    {
        Key = key ?? ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Name(name, "TestOrg"), Key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Root = request.CreateSelfSigned(Start.AddDays(-30), Start.AddYears(5));
    }

    public ECDsa Key { get; }

    /// <summary>The self-signed root, with its key.</summary>
    public X509Certificate2 Root { get; }

    public string RootPem => Root.ExportCertificatePem();

    public static X500DistinguishedName Name(string cn, string o)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(o);
        builder.AddCommonName(cn);
        return builder.Build();
    }

    /// <summary>A certificate for <paramref name="publicKeyRequest"/> signed by this root.</summary>
    public X509Certificate2 Sign(CertificateRequest publicKeyRequest, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool ca = false, byte[]? serial = null)
    {
        publicKeyRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        publicKeyRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        return publicKeyRequest.Create(Root.SubjectName, X509SignatureGenerator.CreateForECDsa(Key), notBefore ?? Start.AddDays(-1), notAfter ?? Start.AddYears(1),
            serial ?? [0x00, 0x3A, 0x01, 0x02, 0x03]);
    }

    /// <summary>Signs a PEM CSR (the charge point's) like a CA would.</summary>
    public string SignCsr(string csrPem, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256);
        using var leaf = Sign(request, notBefore, notAfter, serial: [0x11, 0x22, 0x33]);
        return leaf.ExportCertificatePem() + "\n" + RootPem + "\n";
    }

    /// <summary>A firmware signing certificate (RSA or ECDSA) issued by this root, with its key.</summary>
    public X509Certificate2 IssueSigner(bool rsa)
    {
        if (rsa)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest(Name("Firmware Signer", "TestOrg"), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            using var issued = Sign(request);
            return issued.CopyWithPrivateKey(key);
        }
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecRequest = new CertificateRequest(Name("Firmware Signer", "TestOrg"), ec, HashAlgorithmName.SHA256);
        using var ecIssued = Sign(ecRequest);
        return ecIssued.CopyWithPrivateKey(ec);
    }

    public void Dispose()
    {
        Root.Dispose();
        Key.Dispose();
    }
}
