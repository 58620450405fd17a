using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Simulator.ChargePoint.Security;

/// <summary>
/// Certificate and signature checks both station models use (1.6 security extension, 2.0.1 block A/L/M): PEM parsing, path
/// validation to installed anchors at the station's (CSMS) time, firmware signatures, and CSR key pairs. Pure; no files, no downloads.
/// </summary>
public static class CertificateChecks
{
    /// <summary>One PEM certificate, or null when the text is not one.</summary>
    public static X509Certificate2? Parse(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return null;
        }
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (Exception error) when (error is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    public static bool IsValidAt(X509Certificate2 certificate, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return certificate.NotBefore.ToUniversalTime() <= utc && utc <= certificate.NotAfter.ToUniversalTime();
    }

    public static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true };

    /// <summary>The subject's O, or null.</summary>
    public static string? OrganizationOf(X509Certificate2 certificate)
    {
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.10")
            {
                return rdn.GetSingleElementValue();
            }
        }
        return null;
    }

    /// <summary>RFC 5280 path validation to one of <paramref name="anchors"/> at <paramref name="now"/>; no revocation, no downloads.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> anchors, IEnumerable<X509Certificate2>? intermediates, DateTimeOffset now)
    {
        if (anchors.Count == 0)
        {
            return false;
        }
        using var chain = NewChain(anchors, intermediates, now);
        return chain.Build(certificate);
    }

    /// <summary>A chain builder that trusts only <paramref name="anchors"/>, at <paramref name="now"/>. The caller disposes it.</summary>
    public static X509Chain NewChain(IReadOnlyCollection<X509Certificate2> anchors, IEnumerable<X509Certificate2>? intermediates, DateTimeOffset now)
    {
        var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(anchors.ToArray());
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        if (intermediates is not null)
        {
            policy.ExtraStore.AddRange(intermediates.ToArray());
        }
        return chain;
    }

    /// <summary>L01.FR.04 (both versions): RSA-PSS or ECDSA (DER or IEEE P1363 encoded) over SHA-256 of the whole file.</summary>
    public static bool VerifyFirmwareSignature(X509Certificate2 signing, byte[] signature, ReadOnlySpan<byte> content)
    {
        try
        {
            using var rsa = signing.GetRSAPublicKey();
            if (rsa is not null)
            {
                return rsa.VerifyData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            }
            using var ec = signing.GetECDsaPublicKey();
            return ec is not null
                && (ec.VerifyData(content, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                    || ec.VerifyData(content, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>A new key pair of <paramref name="keyType"/> and its PKCS#10 CSR (PEM) for CN = <paramref name="commonName"/>, O = <paramref name="organization"/>.</summary>
    public static (string Pem, AsymmetricAlgorithm Key) CreateCsr(CsrKeyType keyType, string commonName, string organization)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName(organization);
        name.AddCommonName(commonName);
        var subject = name.Build();
        AsymmetricAlgorithm key;
        CertificateRequest csr;
        if (keyType == CsrKeyType.Rsa2048)
        {
            var rsa = RSA.Create(2048);
            csr = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            key = rsa;
        }
        else
        {
            var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            csr = new CertificateRequest(subject, ec, HashAlgorithmName.SHA256);
            key = ec;
        }
        csr.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        return (csr.CreateSigningRequestPem(), key);
    }

    /// <summary>The leaf with the private key of a CSR attached.</summary>
    public static X509Certificate2 WithKey(X509Certificate2 leaf, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => leaf.CopyWithPrivateKey(ec),
        RSA rsa => leaf.CopyWithPrivateKey(rsa),
        _ => throw new InvalidOperationException("the pending key is neither ECDSA nor RSA"),
    };
}
