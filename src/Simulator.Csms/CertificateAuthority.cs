using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Simulator.Csms;

/// <summary>Why a CSR was refused.</summary>
public sealed class CsrRejectedException(string message) : Exception(message);

/// <summary>Why a certificate and key given to be the CSMS's CA cannot be one; the message names the file, never the key.</summary>
public sealed class CaRejectedException(string message) : Exception(message);

/// <summary>
/// The CSMS's certificate authority: a self-signed ECDSA P-256 root (or a CA loaded from PEM, ECDSA or RSA) that issues the
/// server certificates, signs charge points' PKCS#10 CSRs and issues client certificates for ids. Private keys stay in
/// memory and are never logged; only <see cref="WritePrivateKeyPem"/> writes one, to an owner-only file.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private readonly AsymmetricAlgorithm _key;
    private readonly X509SignatureGenerator _signer;
    private readonly X509AuthorityKeyIdentifierExtension _authorityKeyIdentifier;

    private CertificateAuthority(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        Certificate = certificate;
        _key = key;
        _signer = key is RSA rsa ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1) : X509SignatureGenerator.CreateForECDsa((ECDsa)key);
        // RFC 5280 lets a CA certificate go without a Subject Key Identifier; the key identifier issued certificates carry is
        // then computed the way the SKI would be (SHA-1 of the public key), so chains still link by key.
        var keyIdentifier = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes
            ?? new X509SubjectKeyIdentifierExtension(certificate.PublicKey, false).SubjectKeyIdentifierBytes;
        _authorityKeyIdentifier = X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(keyIdentifier.Span);
    }

    /// <summary>The root certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    public static CertificateAuthority Create(string commonName = "FleetSim CSMS Root CA", string organization = "FleetSim", TimeSpan? lifetime = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Name(commonName, organization), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var selfSigned = request.CreateSelfSigned(now.AddMinutes(-5), now + (lifetime ?? TimeSpan.FromDays(3650)));
        var publicOnly = X509CertificateLoader.LoadCertificate(selfSigned.RawData);
        return new CertificateAuthority(publicOnly, key);
    }

    /// <summary>
    /// Uses an existing CA given as PEM (certificate and unencrypted private key, ECDSA or RSA). Refuses, with
    /// <see cref="CaRejectedException"/>, a certificate that cannot be a CA now: no basicConstraints CA:TRUE, a keyUsage
    /// without keyCertSign, outside its validity, or a key that is not the certificate's.
    /// </summary>
    public static CertificateAuthority Load(string certificatePem, string privateKeyPem, string certificateName = "the CA certificate", string keyName = "the CA key")
    {
        X509Certificate2 certificate;
        try
        {
            using var parsed = X509Certificate2.CreateFromPem(certificatePem);
            certificate = X509CertificateLoader.LoadCertificate(parsed.RawData);
        }
        catch (CryptographicException)
        {
            throw new CaRejectedException($"{certificateName}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        }
        try
        {
            CheckIsCa(certificate, certificateName, DateTimeOffset.UtcNow);
            var key = LoadMatchingKey(certificate, privateKeyPem, certificateName, keyName);
            return new CertificateAuthority(certificate, key);
        }
        catch (Exception ex) when (ex is CryptographicException or NotSupportedException)
        {
            // E.g. a curve this platform does not implement.
            certificate.Dispose();
            throw new CaRejectedException($"{certificateName}: its key cannot be used here ({ex.Message})");
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    private static void CheckIsCa(X509Certificate2 certificate, string certificateName, DateTimeOffset now)
    {
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new CaRejectedException($"{certificateName}: not a CA certificate (no basicConstraints CA:TRUE); subject {certificate.Subject}");
        }
        if (certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage && (usage.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0)
        {
            throw new CaRejectedException($"{certificateName}: its keyUsage ({usage.KeyUsages}) does not allow signing certificates (keyCertSign)");
        }
        if (now > certificate.NotAfter.ToUniversalTime())
        {
            throw new CaRejectedException($"{certificateName}: expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
        }
        if (now < certificate.NotBefore.ToUniversalTime())
        {
            throw new CaRejectedException($"{certificateName}: not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
        }
    }

    private static AsymmetricAlgorithm LoadMatchingKey(X509Certificate2 certificate, string privateKeyPem, string certificateName, string keyName)
    {
        using var ecPublic = certificate.GetECDsaPublicKey();
        using var rsaPublic = ecPublic is null ? certificate.GetRSAPublicKey() : null;
        AsymmetricAlgorithm key = ecPublic is not null ? ECDsa.Create() : rsaPublic is not null ? RSA.Create()
            : throw new CaRejectedException($"{certificateName}: its key is neither ECDSA nor RSA ({certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value})");
        try
        {
            key.ImportFromPem(privateKeyPem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            // The exception's own message is not repeated: it could quote part of the key.
            throw new CaRejectedException($"{keyName}: no unencrypted {(ecPublic is not null ? "ECDSA" : "RSA")} private key PEM in it (the certificate's key type)");
        }
        // The key must be the certificate's: sign with it, verify with the certificate.
        var probe = RandomNumberGenerator.GetBytes(32);
        var matches = key is ECDsa ec
            ? ecPublic!.VerifyData(probe, ec.SignData(probe, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256)
            : rsaPublic!.VerifyData(probe, ((RSA)key).SignData(probe, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (!matches)
        {
            key.Dispose();
            throw new CaRejectedException($"{keyName}: not the private key of {certificateName} (subject {certificate.Subject})");
        }
        return key;
    }

    /// <summary>Writes <c>ca.pem</c> (certificate only) into the directory and returns its path.</summary>
    public string WriteCertificatePem(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "ca.pem");
        File.WriteAllText(path, CertificatePem);
        return path;
    }

    /// <summary>
    /// Writes the CA's private key as PKCS#8 PEM to <paramref name="path"/>, readable by the owner only (for a CSMS in another
    /// process of the same run). The key never goes anywhere else.
    /// </summary>
    public void WritePrivateKeyPem(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(_key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Uses an existing CA given as PEM files (certificate, private key); see <see cref="Load"/>. Messages name the files.</summary>
    public static CertificateAuthority LoadFiles(string certificatePemPath, string privateKeyPemPath)
        => Load(ReadPem(certificatePemPath), ReadPem(privateKeyPemPath), certificatePemPath, privateKeyPemPath);

    private static string ReadPem(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CaRejectedException($"{path}: cannot be read ({ex.Message})");
        }
    }

    /// <summary>A TLS server certificate (with its private key) for localhost and 127.0.0.1.</summary>
    public X509Certificate2 IssueServerCertificate(ServerKeyType keyType, string commonName = "localhost")
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        var now = DateTimeOffset.UtcNow;
        if (keyType == ServerKeyType.Rsa)
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest(Name(commonName, "FleetSim"), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            AddLeafExtensions(request, ServerAuth, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment);
            request.CertificateExtensions.Add(san.Build());
            using var issued = Sign(request, now.AddMinutes(-5), now.AddDays(365));
            return Reload(issued.CopyWithPrivateKey(rsa));
        }
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecRequest = new CertificateRequest(Name(commonName, "FleetSim"), ec, HashAlgorithmName.SHA256);
        AddLeafExtensions(ecRequest, ServerAuth, X509KeyUsageFlags.DigitalSignature);
        ecRequest.CertificateExtensions.Add(san.Build());
        using var ecIssued = Sign(ecRequest, now.AddMinutes(-5), now.AddDays(365));
        return Reload(ecIssued.CopyWithPrivateKey(ec));
    }

    /// <summary>
    /// A charge point client certificate (CN = id, O = organisation) with its private key; for tests and throwaway fleets.
    /// The PKCS#12 round trip that makes the key usable by SslStream on Windows costs milliseconds per certificate, which adds up
    /// over 10,000 charge points; elsewhere it is skipped (the ephemeral key works with SslStream on Linux and macOS).
    /// </summary>
    public X509Certificate2 IssueClientCertificate(string chargeBoxId, string organization, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);   // owned by the returned certificate
        var request = new CertificateRequest(Name(chargeBoxId, organization), key, HashAlgorithmName.SHA256);
        AddLeafExtensions(request, ClientAuth, X509KeyUsageFlags.DigitalSignature);
        var now = DateTimeOffset.UtcNow;
        using var issued = Sign(request, notBefore ?? now.AddMinutes(-5), notAfter ?? now.AddDays(365));
        if (OperatingSystem.IsWindows())
        {
            using (key)
            {
                return Reload(issued.CopyWithPrivateKey(key));
            }
        }
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Signs a PKCS#10 CSR (PEM) after checking its signature and, when given, its CN and O. Returns the PEM chain, leaf first,
    /// then this root. The CSR's own extension requests are ignored; the CA sets the charge point profile's extensions.
    /// </summary>
    public string SignCsr(string csrPem, string? expectedCommonName, string? expectedOrganization, TimeSpan lifetime)
    {
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException ex)
        {
            throw new CsrRejectedException($"the CSR does not parse or its signature is wrong: {ex.Message}");
        }
        var cn = request.SubjectName.GetSingleValue("2.5.4.3");
        var o = request.SubjectName.GetSingleValue("2.5.4.10");
        if (expectedCommonName is not null && !string.Equals(cn, expectedCommonName, StringComparison.Ordinal))
        {
            throw new CsrRejectedException($"CN '{cn}' is not '{expectedCommonName}'");
        }
        if (expectedOrganization is not null && !string.Equals(o, expectedOrganization, StringComparison.Ordinal))
        {
            throw new CsrRejectedException($"O '{o}' is not '{expectedOrganization}'");
        }
        CheckKeyStrength(request.PublicKey);
        AddLeafExtensions(request, ClientAuth, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement);
        var now = DateTimeOffset.UtcNow;
        using var issued = Sign(request, now.AddMinutes(-5), now + lifetime);
        return issued.ExportCertificatePem() + "\n" + CertificatePem + "\n";
    }

    /// <summary>Whether the certificate chains to this root at the current time (no revocation check).</summary>
    public bool Verifies(X509Certificate2 certificate, IEnumerable<X509Certificate2>? intermediates = null)
        => ChainsTo(certificate, Certificate, intermediates);

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="root"/> at the current time (no revocation check).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root, IEnumerable<X509Certificate2>? intermediates = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(root);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        }
        var ok = chain.Build(certificate);
        var last = chain.ChainElements.Count > 0 ? chain.ChainElements[^1].Certificate : null;
        return ok && last is not null && last.RawData.AsSpan().SequenceEqual(root.RawData);
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(_authorityKeyIdentifier);
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }
        return request.Create(Certificate.SubjectName, _signer, notBefore, notAfter, serial);
    }

    private static void AddLeafExtensions(CertificateRequest request, Oid usage, X509KeyUsageFlags keyUsage)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private static void CheckKeyStrength(PublicKey key)
    {
        using var rsa = key.GetRSAPublicKey();
        if (rsa is not null)
        {
            if (rsa.KeySize < 2048)
            {
                throw new CsrRejectedException($"RSA key of {rsa.KeySize} bits; at least 2048 required");
            }
            return;
        }
        using var ec = key.GetECDsaPublicKey();
        if (ec is null)
        {
            throw new CsrRejectedException("the CSR's key is neither RSA nor ECDSA");
        }
        if (ec.KeySize < 224)
        {
            throw new CsrRejectedException($"EC key of {ec.KeySize} bits; at least 224 required");
        }
    }

    private static X500DistinguishedName Name(string commonName, string organization)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(organization);
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    /// <summary>Round-trips through PKCS#12 so the key is usable by SslStream on every platform.</summary>
    private static X509Certificate2 Reload(X509Certificate2 withKey)
    {
        using (withKey)
        {
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
    }
}

internal static class X500Extensions
{
    /// <summary>The value of the single RDN with the given OID, or null.</summary>
    public static string? GetSingleValue(this X500DistinguishedName name, string oid)
    {
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid)
            {
                return rdn.GetSingleElementValue();
            }
        }
        return null;
    }
}
