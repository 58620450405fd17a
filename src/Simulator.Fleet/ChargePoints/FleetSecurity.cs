using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Simulator.Fleet.ChargePoints;

/// <summary>Issues charge point client certificates for a run (security profile 3 without certificate files).</summary>
public interface IClientCertificateIssuer
{
    /// <summary>The issuing CA's certificate (public part): the CSMS must trust it, and CertificateSigned chains may end in it.</summary>
    X509Certificate2 CaCertificate { get; }

    /// <summary>A client certificate with its private key: CN = <paramref name="chargeBoxId"/>, O = <paramref name="organization"/>.</summary>
    X509Certificate2 Issue(string chargeBoxId, string organization);
}

/// <summary>
/// What the node is given for the security profiles, besides the plan: the CentralSystemRootCertificates to install when the
/// plan names no caCert file (e.g. the embedded CSMS's CA), and the issuer of client certificates (profile 3 without files).
/// </summary>
public sealed record FleetSecurityMaterials
{
    public static FleetSecurityMaterials None { get; } = new();

    public IReadOnlyList<X509Certificate2> CentralSystemRoots { get; init; } = [];

    /// <summary>Null: with profile 3 and no certificate files the node makes its own throwaway CA (once).</summary>
    public IClientCertificateIssuer? ClientCertificateIssuer { get; init; }

    /// <summary>
    /// CPO roots installed besides the issuer's CA: on a cluster node whose certificates come from its own CA, the CSMS's CA,
    /// which signs the certificates of A01 rotations.
    /// </summary>
    public IReadOnlyList<X509Certificate2> AdditionalCpoRoots { get; init; } = [];
}

/// <summary>
/// A throwaway ECDSA P-256 CA that lives for one run: one per node, issuing one short-lived client certificate per charge point
/// when it first connects, so 10,000 charge points need no files. The private key stays in memory; <see cref="ToString"/> shows none.
/// </summary>
public sealed class ThrowawayCertificateAuthority : IClientCertificateIssuer, IDisposable
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private readonly ECDsa _key;
    private readonly X509SignatureGenerator _signer;
    private readonly Lock _lock = new();

    public ThrowawayCertificateAuthority(string commonName = "FleetSim throwaway CA", string organization = "FleetSim", TimeSpan? lifetime = null)
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signer = X509SignatureGenerator.CreateForECDsa(_key);
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName(organization);
        name.AddCommonName(commonName);
        var request = new CertificateRequest(name.Build(), _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var selfSigned = request.CreateSelfSigned(now.AddMinutes(-5), now + (lifetime ?? TimeSpan.FromDays(30)));
        CaCertificate = X509CertificateLoader.LoadCertificate(selfSigned.RawData);
    }

    public X509Certificate2 CaCertificate { get; }

    public string CaCertificatePem => CaCertificate.ExportCertificatePem();

    public X509Certificate2 Issue(string chargeBoxId, string organization)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName(organization);
        name.AddCommonName(chargeBoxId);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(CaCertificate, true, false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        var now = DateTimeOffset.UtcNow;
        X509Certificate2 issued;
        lock (_lock)
        {
            issued = request.Create(CaCertificate.SubjectName, _signer, now.AddMinutes(-5), CaCertificate.NotAfter, serial);
        }
        using (issued)
        {
            return issued.CopyWithPrivateKey(key);
        }
    }

    public void Dispose()
    {
        _key.Dispose();
        CaCertificate.Dispose();
    }

    public override string ToString() => $"ThrowawayCertificateAuthority {{ {CaCertificate.Subject} }}";
}
