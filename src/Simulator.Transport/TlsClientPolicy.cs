using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Simulator.Transport;

/// <summary>
/// The client side of TLS for one <see cref="TlsSettings"/>: the trust store (custom roots or the system's), the host-name
/// check, the cipher policy, and the classification of a failed handshake. Built once and shared by every connection made
/// with those settings: the OCPP WebSocket (<see cref="WebSocketConnector"/>) and FTPS (<see cref="FileTransfer.FtpClient"/>).
/// </summary>
internal sealed class TlsClientPolicy
{
    private static readonly Oid ServerAuthOid = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    private readonly TlsSettings _settings;
    private readonly X509ChainPolicy? _chainPolicy;
    private readonly CipherSuitesPolicy? _cipherSuitesPolicy;

    public TlsClientPolicy(TlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        if (settings.TrustedRoots is { Count: > 0 } roots)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = settings.CheckRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
                DisableCertificateDownloads = !settings.CheckRevocation,
            };
            policy.CustomTrustStore.AddRange(roots);

            // Set here so that the TLS layer finds an application policy and never has to add one to this shared instance.
            policy.ApplicationPolicy.Add(ServerAuthOid);
            _chainPolicy = policy;
        }

        if (settings.CipherSuites is { Count: > 0 } suites)
        {
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("Restricting TLS cipher suites needs CipherSuitesPolicy (Linux, macOS).");
            }

            _cipherSuitesPolicy = new CipherSuitesPolicy(suites);
        }
    }

    /// <summary>Options for one handshake with <paramref name="targetHost"/> (also the name the certificate must carry); <paramref name="check"/> records the verdict.</summary>
    public SslClientAuthenticationOptions CreateOptions(string targetHost, ServerCertificateCheck check) => new()
    {
        TargetHost = targetHost,
        EnabledSslProtocols = _settings.EnabledProtocols,
        CertificateRevocationCheckMode = _settings.CheckRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
        CertificateChainPolicy = _chainPolicy,
        CipherSuitesPolicy = _cipherSuitesPolicy,
        RemoteCertificateValidationCallback = check.Validate,
        ApplicationProtocols = null,
    };

    /// <summary>What can be told about a failed handshake: the certificate verdict if there was one, else the platform's text.</summary>
    public static (TlsFailureReason Reason, string Detail) Classify(Exception e, ServerCertificateCheck? check)
    {
        if (check is { Errors: not SslPolicyErrors.None } c)
        {
            var reason = c.Errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) ? TlsFailureReason.NoServerCertificate
                : c.Errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) ? TlsFailureReason.UntrustedServerCertificate
                : TlsFailureReason.HostNameMismatch;
            var chainDetail = c.ChainStatus == X509ChainStatusFlags.NoError ? string.Empty : $" (chain: {c.ChainStatus})";
            return (reason, $"The server certificate was refused: {c.Errors}{chainDetail}.");
        }

        // The platform (OpenSSL on Linux) reports the peer's alert or its own verdict only as text.
        var detail = DescribeChain(e);
        var text = detail.ToUpperInvariant();
        var tlsReason =
            ContainsAny(text, "PROTOCOL VERSION", "UNSUPPORTED PROTOCOL", "WRONG VERSION NUMBER", "NO PROTOCOLS AVAILABLE", "VERSION TOO LOW", "VERSION TOO HIGH")
                ? TlsFailureReason.ProtocolVersion
            : ContainsAny(text, "NO SHARED CIPHER", "NO CIPHERS AVAILABLE", "NO CIPHER MATCH")
                ? TlsFailureReason.CipherSuite
            : ContainsAny(text, "CERTIFICATE REQUIRED", "BAD CERTIFICATE", "UNKNOWN CA", "CERTIFICATE UNKNOWN", "UNSUPPORTED CERTIFICATE", "CERTIFICATE REVOKED", "CERTIFICATE EXPIRED")
                ? TlsFailureReason.ClientCertificateRejected
            : text.Contains("HANDSHAKE FAILURE", StringComparison.Ordinal)
                ? TlsFailureReason.HandshakeFailure
            : TlsFailureReason.Other;
        return (tlsReason, "TLS handshake failed: " + detail);
    }

    private static bool ContainsAny(string text, params string[] needles)
    {
        foreach (var needle in needles)
        {
            if (text.Contains(needle, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string DescribeChain(Exception e)
    {
        var sb = new StringBuilder(e.Message);
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            sb.Append(" <- ").Append(inner.Message);
        }

        return sb.ToString();
    }
}

/// <summary>Per-handshake record of the server-certificate verdict, so a refused certificate can be told apart from other TLS failures.</summary>
internal sealed class ServerCertificateCheck
{
    public SslPolicyErrors Errors { get; private set; }

    public X509ChainStatusFlags ChainStatus { get; private set; }

    /// <summary>The server asked for a client certificate and none was given (see <see cref="SelectNoClientCertificate"/>).</summary>
    public bool ClientCertificateRequested { get; private set; }

    /// <summary>A client certificate went to the server (which asked for it).</summary>
    public bool ClientCertificateSent { get; set; }

    /// <summary>
    /// The selection callback of a connection without a client certificate: sends none, and notes when the server asked for
    /// one (the platform calls it once before the handshake, without the server's certificate, and again on a CertificateRequest).
    /// </summary>
    public X509Certificate SelectNoClientCertificate(object sender, string targetHost, X509CertificateCollection localCertificates, X509Certificate? remoteCertificate, string[] acceptableIssuers)
    {
        if (remoteCertificate is not null)
        {
            ClientCertificateRequested = true;
        }

        return null!;
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Errors = errors;
        if (chain is not null && errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            foreach (var status in chain.ChainStatus)
            {
                ChainStatus |= status.Status;
            }
        }

        return errors == SslPolicyErrors.None;
    }
}
