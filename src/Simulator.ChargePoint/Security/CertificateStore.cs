using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Simulator.Ocpp.V16.Types;
using HashAlgorithm = Simulator.Ocpp.V16.Types.HashAlgorithm;

namespace Simulator.ChargePoint.Security;

/// <summary>
/// The charge point's certificates: the installed root certificates per use (CentralSystemRootCertificate,
/// ManufacturerRootCertificate), its own certificate with its private key, and the key pair waiting for a CertificateSigned.
/// Holds <see cref="X509Certificate2"/> objects only; no files. <see cref="ToString"/> never shows a key.
/// </summary>
public sealed class CertificateStore
{
    private static readonly IReadOnlyList<X509Certificate2> None = [];

    // Made on the first certificate: most charge points of a fleet never hold one.
    private List<X509Certificate2>? centralSystemRoots;
    private List<X509Certificate2>? manufacturerRoots;
    private List<X509Certificate2>? cpoRoots;

    /// <summary>The CentralSystemRootCertificates, oldest first.</summary>
    public IReadOnlyList<X509Certificate2> CentralSystemRoots => centralSystemRoots ?? None;

    public IReadOnlyList<X509Certificate2> ManufacturerRoots => manufacturerRoots ?? None;

    /// <summary>Roots of the CPO hierarchy the charge point was provisioned with (the issuers of its first certificate).</summary>
    public IReadOnlyList<X509Certificate2> CpoRoots => cpoRoots ?? None;

    /// <summary>The charge point certificate (with its private key) used for TLS client authentication; null when none.</summary>
    public X509Certificate2? ChargePointCertificate { get; private set; }

    /// <summary>The key pair of the last CSR, waiting for its CertificateSigned (A02.FR.05: it never leaves the charge point).</summary>
    internal AsymmetricAlgorithm? PendingKey { get; set; }

    /// <summary>Changes whenever the CentralSystemRoot set changes: lets callers share one trust store between charge points with the same roots.</summary>
    public string CentralSystemRootsFingerprint =>
        string.Join(',', CentralSystemRoots.Select(c => c.Thumbprint).Order(StringComparer.Ordinal));

    public int RootCount => CentralSystemRoots.Count + ManufacturerRoots.Count;

    public IReadOnlyList<X509Certificate2> Roots(CertificateUse use) => use == CertificateUse.CentralSystemRootCertificate ? CentralSystemRoots : ManufacturerRoots;

    internal void AddRoot(CertificateUse use, X509Certificate2 certificate)
    {
        var list = use == CertificateUse.CentralSystemRootCertificate ? centralSystemRoots ??= [] : manufacturerRoots ??= [];
        if (!list.Any(c => c.RawData.AsSpan().SequenceEqual(certificate.RawData)))
        {
            list.Add(certificate);
        }
    }

    internal bool RemoveRoot(CertificateUse use, X509Certificate2 certificate) =>
        (use == CertificateUse.CentralSystemRootCertificate ? centralSystemRoots : manufacturerRoots)?.Remove(certificate) == true;

    internal void AddCpoRoot(X509Certificate2 certificate)
    {
        cpoRoots ??= [];
        if (!cpoRoots.Any(c => c.RawData.AsSpan().SequenceEqual(certificate.RawData)))
        {
            cpoRoots.Add(certificate);
        }
    }

    internal void SetChargePointCertificate(X509Certificate2 certificate)
    {
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The charge point certificate needs its private key.", nameof(certificate));
        }
        ChargePointCertificate = certificate;
    }

    /// <summary>The installed root whose hash data (computed with the same algorithm) matches, or null.</summary>
    public (CertificateUse Use, X509Certificate2 Certificate)? Find(CertificateHashData hashData)
    {
        ArgumentNullException.ThrowIfNull(hashData);
        foreach (var use in new[] { CertificateUse.CentralSystemRootCertificate, CertificateUse.ManufacturerRootCertificate })
        {
            foreach (var certificate in Roots(use))
            {
                if (CertificateHashes.Matches(CertificateHashes.Compute(certificate, IssuerOf(certificate), hashData.HashAlgorithm), hashData))
                {
                    return (use, certificate);
                }
            }
        }
        return null;
    }

    /// <summary>The issuer of an installed certificate: itself when self-signed, else an installed certificate that signed it, else null.</summary>
    public X509Certificate2? IssuerOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return certificate;
        }
        return CentralSystemRoots.Concat(ManufacturerRoots).Concat(CpoRoots)
            .FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData));
    }

    public override string ToString() =>
        $"CertificateStore {{ CentralSystemRoots = {CentralSystemRoots.Count}, ManufacturerRoots = {ManufacturerRoots.Count}, " +
        $"ChargePointCertificate = {ChargePointCertificate?.Subject ?? "none"}, CsrPending = {PendingKey is not null} }}";
}

/// <summary>CertificateHashData as the ed3 whitepaper defines it: the RFC 6960 CertID fields.</summary>
public static class CertificateHashes
{
    /// <summary>
    /// issuerNameHash = hash of the DER issuer Name; issuerKeyHash = hash of the issuer's subjectPublicKey BIT STRING value
    /// (without tag, length and unused-bits byte); serialNumber = hex without leading zeroes. Lower-case hex.
    /// When the issuer is unknown (a non-self-signed certificate whose issuer is not installed) the certificate's own key is used.
    /// </summary>
    public static CertificateHashData Compute(X509Certificate2 certificate, X509Certificate2? issuer, HashAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var issuerKey = (issuer ?? certificate).PublicKey.EncodedKeyValue.RawData;
        return new CertificateHashData
        {
            HashAlgorithm = algorithm,
            IssuerNameHash = Convert.ToHexStringLower(Hash(algorithm, certificate.IssuerName.RawData)),
            IssuerKeyHash = Convert.ToHexStringLower(Hash(algorithm, issuerKey)),
            SerialNumber = TrimSerial(certificate.SerialNumber),
        };
    }

    /// <summary>Case-insensitive comparison of the hashes and of the serial numbers (leading zeroes ignored).</summary>
    public static bool Matches(CertificateHashData a, CertificateHashData b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.HashAlgorithm == b.HashAlgorithm
            && string.Equals(a.IssuerNameHash, b.IssuerNameHash, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.IssuerKeyHash, b.IssuerKeyHash, StringComparison.OrdinalIgnoreCase)
            && string.Equals(TrimSerial(a.SerialNumber), TrimSerial(b.SerialNumber), StringComparison.OrdinalIgnoreCase);
    }

    internal static string TrimSerial(string serial)
    {
        var s = serial.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? serial[2..] : serial;
        s = s.TrimStart('0');
        return s.Length == 0 ? "0" : s.ToLowerInvariant();
    }

    private static byte[] Hash(HashAlgorithm algorithm, byte[] data) => algorithm switch
    {
        HashAlgorithm.SHA384 => SHA384.HashData(data),
        HashAlgorithm.SHA512 => SHA512.HashData(data),
        _ => SHA256.HashData(data),
    };
}
