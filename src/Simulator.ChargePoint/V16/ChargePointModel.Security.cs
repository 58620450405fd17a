using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Simulator.ChargePoint.Security;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;
using HashAlgorithm = Simulator.Ocpp.V16.Types.HashAlgorithm;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.V16;

/// <summary>
/// The security extension ("Improved security for OCPP 1.6-J", edition 3): certificates (M03–M05), the CSR flow (A02),
/// security events and the security log (A04), GetLog (N01), signed firmware (L01), security-profile upgrades (A05) and
/// AuthorizationKey rotation (A01). Pure: crypto through System.Security.Cryptography, no files, no sockets.
/// </summary>
public sealed partial class ChargePointModel
{
    /// <summary>Non-critical events raised while offline are kept (newest first out) and sent once online; critical ones use the guaranteed queue.</summary>
    private const int MaxPendingSecurityEvents = 20;

    private readonly CertificateStore certificates = new();
    private readonly SecurityLog securityLog = new();
    private Queue<SecurityEventNotificationRequest>? pendingSecurityEvents;   // made when an event waits for the connection

    // A01/A05: the reconnect a key or profile change asked for, due after the grace period, and what it covers.
    private DateTimeOffset? securityReconnectAt;
    private (int From, int To)? profileChangePending;
    private bool keyChangePending;
    private bool securityExtension;
    private int? profileTrialFrom;
    /// <summary>The CentralSystemRoot the current TLS connection's server certificate chains to (M04.FR.06), or null.</summary>
    private X509Certificate2? centralSystemRootInUse;

    private GetLogRequest? logRequest;
    private long? logTransferId;
    private string? logFileName;
    private byte[]? logContent;
    private int logRetriesLeft;
    private DateTimeOffset? logRetryAt;

    /// <summary>Whether the security extension is on (the 11 security actions work; UpdateFirmware is NotSupported).</summary>
    public bool SecurityExtensionEnabled => securityExtension;

    /// <summary>The security profile to connect with (the SecurityProfile configuration key).</summary>
    public int SecurityProfile => Configuration.GetInt(K.SecurityProfile);

    /// <summary>Installed roots, the charge point certificate (with its key; never printed) and the pending CSR key.</summary>
    public CertificateStore Certificates => certificates;

    public string? AuthorizationKey => Configuration.Get(K.AuthorizationKey) is { Length: > 0 } key ? key : null;

    public TimeSpan WebSocketPingInterval => TimeSpan.FromSeconds(Math.Max(0, Configuration.GetInt(K.WebSocketPingInterval)));

    public SecurityLog SecurityLog => securityLog;

    /// <summary>True while a GetLog upload is running or waiting to retry.</summary>
    public bool IsUploadingLog => logRequest is not null;

    private static bool SecurityExtensionFor(ChargePointOptions options) =>
        options.SecurityExtension ?? (options.ConfigurationOverrides.TryGetValue(K.SecurityProfile, out var profile)
            && int.TryParse(profile, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1);

    private void InitializeSecurity()
    {
        securityExtension = SecurityExtensionFor(options);
        foreach (var root in options.CentralSystemRootCertificates)
        {
            certificates.AddRoot(CertificateUse.CentralSystemRootCertificate, root);
        }
        foreach (var root in options.ManufacturerRootCertificates)
        {
            certificates.AddRoot(CertificateUse.ManufacturerRootCertificate, root);
        }
        foreach (var root in options.CpoRootCertificates)
        {
            certificates.AddCpoRoot(root);
        }
        if (options.ChargePointCertificate is { } own)
        {
            certificates.SetChargePointCertificate(own);
        }
        if (securityExtension)
        {
            RaiseSecurityEvent(SecurityEventTypes.StartupOfTheDevice, null);
        }
    }

    // ───────────────────────── actor-facing API ─────────────────────────

    /// <summary>
    /// Installs a charge point certificate from outside OCPP (provisioning: a PEM file or the fleet's throwaway CA) together with
    /// the roots of its CPO hierarchy, which later CertificateSigned chains may end in.
    /// </summary>
    public void ProvisionChargePointCertificate(X509Certificate2 certificate, IEnumerable<X509Certificate2>? cpoRoots = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        certificates.SetChargePointCertificate(certificate);
        foreach (var root in cpoRoots ?? [])
        {
            certificates.AddCpoRoot(root);
        }
    }

    /// <summary>A connect attempt failed; <paramref name="securityEvent"/> (e.g. InvalidCentralSystemCertificate) is raised and logged. <paramref name="detail"/> must be credential-free.</summary>
    public void OnConnectFailed(string? securityEvent, string? detail)
    {
        if (securityEvent is not null)
        {
            RaiseSecurityEvent(SecurityEventTypes.Normalize(securityEvent), detail);
        }
        Settle();
    }

    /// <summary>
    /// The TLS server certificate of the connection just opened (null for ws://): the installed CentralSystemRoot it chains to is
    /// the one "in use", which DeleteCertificate refuses to delete (M04.FR.06).
    /// </summary>
    public void OnServerCertificate(X509Certificate2? serverCertificate)
    {
        centralSystemRootInUse = null;
        if (serverCertificate is null || certificates.CentralSystemRoots.Count == 0)
        {
            return;
        }
        using var chain = NewChain(certificates.CentralSystemRoots, null);
        if (chain.Build(serverCertificate) && chain.ChainElements.Count > 0)
        {
            var root = chain.ChainElements[^1].Certificate;
            centralSystemRootInUse = certificates.CentralSystemRoots.FirstOrDefault(c => c.RawData.AsSpan().SequenceEqual(root.RawData));
        }
    }

    /// <summary>The first connection after a SecurityProfile upgrade succeeded: the new profile stays.</summary>
    public void OnSecurityProfileConnected()
    {
        if (profileTrialFrom is { } from)
        {
            profileTrialFrom = null;
            LogSecurity(SecurityEventTypes.ReconfigurationOfSecurityParameters, $"connected with SecurityProfile {SecurityProfile} (was {from})");
        }
    }

    /// <summary>The first connection after a SecurityProfile upgrade failed: fall back to the previous profile (A05.FR.08). Returns it, or null when no upgrade was on trial.</summary>
    public int? RevertSecurityProfile()
    {
        if (profileTrialFrom is not { } from)
        {
            return null;
        }
        profileTrialFrom = null;
        var tried = SecurityProfile;
        Configuration.Change(K.SecurityProfile, from.ToString(CultureInfo.InvariantCulture));
        LogSecurity(SecurityEventTypes.ReconfigurationOfSecurityParameters, $"SecurityProfile {tried} failed to connect; fell back to {from}");
        return from;
    }

    // ───────────────────────── events and log ─────────────────────────

    /// <summary>Logs an event (A04.FR.04) and, with the extension on, notifies the CSMS: critical ones with guaranteed delivery (A04.FR.01/02).</summary>
    private void RaiseSecurityEvent(string type, string? techInfo)
    {
        var critical = SecurityEventTypes.IsCritical(type);
        var info = techInfo is { Length: > 255 } ? techInfo[..255] : techInfo;
        var now = CsmsNow;
        securityLog.Add(new SecurityLogEntry(now, type, info, critical));
        Signal(new SecurityEventRaised(type, critical, info));
        if (!securityExtension)
        {
            return;
        }
        var request = new SecurityEventNotificationRequest { Type = type, Timestamp = now, TechInfo = info };
        if (critical)
        {
            Enqueue(TransactionMessageKind.SecurityEventNotification, 0, 0, request, null);
        }
        else if (IsOnline)
        {
            Send(request);
        }
        else
        {
            pendingSecurityEvents ??= new();
            if (pendingSecurityEvents.Count == MaxPendingSecurityEvents)
            {
                pendingSecurityEvents.Dequeue();
            }
            pendingSecurityEvents.Enqueue(request);
        }
    }

    /// <summary>A security-log entry that is not notified (configuration changes, certificate installs).</summary>
    private void LogSecurity(string type, string? techInfo) =>
        securityLog.Add(new SecurityLogEntry(CsmsNow, type, techInfo, SecurityEventTypes.IsCritical(type)));

    private void FlushSecurityEvents()
    {
        while (IsOnline && pendingSecurityEvents is not null && pendingSecurityEvents.TryDequeue(out var pending))
        {
            Send(pending);
        }
    }

    // ───────────────────────── dispatch ─────────────────────────

    private InboundReply DispatchSecurity(IOcppRequest request, ActionDescriptor action) => request switch
    {
        CertificateSignedRequest r => InboundReply.Ok(CertificateSigned(r)),
        DeleteCertificateRequest r => InboundReply.Ok(DeleteCertificate(r)),
        ExtendedTriggerMessageRequest r => InboundReply.Ok(ExtendedTriggerMessage(r)),
        GetInstalledCertificateIdsRequest r => InboundReply.Ok(GetInstalledCertificateIds(r)),
        GetLogRequest r => InboundReply.Ok(GetLog(r)),
        InstallCertificateRequest r => InboundReply.Ok(InstallCertificate(r)),
        SignedUpdateFirmwareRequest r => InboundReply.Ok(SignedUpdateFirmware(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{action.Name} is not sent to a charge point."),
    };

    private static InboundReply SecurityDisabled(ActionDescriptor action) =>
        InboundReply.Error(OcppErrorCode.NotSupported,
            $"{action.Name}: the security extension (Improved security for OCPP 1.6-J) is not enabled on this charge point.");

    // ───────────────────────── certificates (M03–M05) ─────────────────────────

    private InstallCertificateResponse InstallCertificate(InstallCertificateRequest request)
    {
        var rejected = new InstallCertificateResponse { Status = InstallCertificateStatus.Rejected };
        if (string.IsNullOrWhiteSpace(request.Certificate) || request.Certificate.Length > 5500 || ParseCertificate(request.Certificate) is not { } certificate)
        {
            return rejected;
        }
        if (!IsValidNow(certificate) || !IsCertificateAuthority(certificate))
        {
            return rejected;
        }
        var list = certificates.Roots(request.CertificateType);
        if (list.Any(c => c.RawData.AsSpan().SequenceEqual(certificate.RawData)))
        {
            return new() { Status = InstallCertificateStatus.Accepted };
        }
        if (certificates.RootCount >= Configuration.GetInt(K.CertificateStoreMaxLength))
        {
            return rejected;   // M05.FR.03
        }
        if (request.CertificateType == CertificateUse.CentralSystemRootCertificate && Configuration.GetBool(K.AdditionalRootCertificateCheck)
            && certificates.CentralSystemRoots.Count > 0)
        {
            // M05.FR.08–13: one CentralSystemRoot plus one fallback; a new one must be signed by the current one.
            var current = certificates.CentralSystemRoots[^1];
            if (!ChainsTo(certificate, [current], null))
            {
                return rejected;
            }
            while (certificates.CentralSystemRoots.Count > 1)
            {
                certificates.RemoveRoot(CertificateUse.CentralSystemRootCertificate, certificates.CentralSystemRoots[0]);
            }
        }
        certificates.AddRoot(request.CertificateType, certificate);
        LogSecurity(SecurityEventTypes.ReconfigurationOfSecurityParameters, $"{request.CertificateType} installed: serial {CertificateHashes.TrimSerial(certificate.SerialNumber)}");
        return new() { Status = InstallCertificateStatus.Accepted };
    }

    private DeleteCertificateResponse DeleteCertificate(DeleteCertificateRequest request)
    {
        if (request.CertificateHashData is null || certificates.Find(request.CertificateHashData) is not { } found)
        {
            return new() { Status = DeleteCertificateStatus.NotFound };
        }
        // M04.FR.06: the CentralSystemRoot in use cannot go: the one the server certificate chains to, or, before any TLS
        // connection told us, the last one left while the profile needs TLS.
        var inUse = centralSystemRootInUse is not null
            ? ReferenceEquals(found.Certificate, centralSystemRootInUse)
            : SecurityProfile >= 2 && certificates.CentralSystemRoots.Count == 1;
        if (found.Use == CertificateUse.CentralSystemRootCertificate && inUse)
        {
            return new() { Status = DeleteCertificateStatus.Failed };
        }
        certificates.RemoveRoot(found.Use, found.Certificate);
        LogSecurity(SecurityEventTypes.ReconfigurationOfSecurityParameters, $"{found.Use} deleted: serial {CertificateHashes.TrimSerial(found.Certificate.SerialNumber)}");
        return new() { Status = DeleteCertificateStatus.Accepted };
    }

    private GetInstalledCertificateIdsResponse GetInstalledCertificateIds(GetInstalledCertificateIdsRequest request)
    {
        var list = certificates.Roots(request.CertificateType);
        if (list.Count == 0)
        {
            return new() { Status = GetInstalledCertificateStatus.NotFound };
        }
        return new()
        {
            Status = GetInstalledCertificateStatus.Accepted,
            CertificateHashData = list.Select(c => CertificateHashes.Compute(c, certificates.IssuerOf(c), HashAlgorithm.SHA256)).ToList(),
        };
    }

    // ───────────────────────── A02: CSR and CertificateSigned ─────────────────────────

    /// <summary>
    /// Makes a new key pair and sends SignCertificate with its PKCS#10 CSR (CN = chargeBoxId, O = CpoName), as a triggered message: it goes
    /// while the registration is Pending too (provisioning is commonly done then). False when CpoName is not set.
    /// </summary>
    private bool RequestCertificateSigning()
    {
        var cpoName = Configuration.Get(K.CpoName);
        if (string.IsNullOrWhiteSpace(cpoName) || !CanSendTriggered)
        {
            return false;
        }
        var (pem, key) = CertificateChecks.CreateCsr(options.CsrKeyType, options.ChargeBoxId, cpoName);
        certificates.PendingKey?.Dispose();
        certificates.PendingKey = key;
        SendTriggered(new SignCertificateRequest { Csr = pem });
        return true;
    }

    private void SignCertificateAnswered(SignCertificateResponse response)
    {
        if (response.Status == GenericStatus.Rejected)
        {
            LogSecurity(SecurityEventTypes.ReconfigurationOfSecurityParameters, "SignCertificate was rejected by the central system");
        }
    }

    private CertificateSignedResponse CertificateSigned(CertificateSignedRequest request)
    {
        var problem = CheckCertificateSigned(request.CertificateChain, out var leaf);
        if (problem is not null || leaf is null)
        {
            RaiseSecurityEvent(SecurityEventTypes.InvalidChargePointCertificate, problem);
            return new() { Status = CertificateSignedStatus.Rejected };
        }
        var key = certificates.PendingKey!;
        var withKey = CertificateChecks.WithKey(leaf, key);
        certificates.PendingKey = null;   // now owned by the certificate
        certificates.SetChargePointCertificate(withKey);
        LogSecurity(SecurityEventTypes.ReconfigurationOfSecurityParameters, $"charge point certificate replaced: serial {CertificateHashes.TrimSerial(withKey.SerialNumber)}");
        Signal(new ChargePointCertificateChanged(withKey.Subject, new DateTimeOffset(withKey.NotAfter.ToUniversalTime())));
        return new() { Status = CertificateSignedStatus.Accepted };
    }

    /// <summary>A02.FR.06: size, PEM, leaf = the pending key, validity, CN/O, and a chain to an installed CentralSystemRoot or the CPO hierarchy.</summary>
    private string? CheckCertificateSigned(string chain, out X509Certificate2? leaf)
    {
        leaf = null;
        if (certificates.PendingKey is not { } key)
        {
            return "CertificateSigned without a pending CSR";
        }
        if (string.IsNullOrEmpty(chain) || chain.Length > Configuration.GetInt(K.CertificateSignedMaxChainSize))
        {
            return $"certificateChain is empty or longer than CertificateSignedMaxChainSize ({Configuration.GetInt(K.CertificateSignedMaxChainSize)})";
        }
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(chain);
        }
        catch (CryptographicException)
        {
            return "certificateChain is not PEM certificates";
        }
        if (collection.Count == 0)
        {
            return "certificateChain holds no certificate";
        }
        var first = collection[0];
        if (!first.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            return "the certificate is not for the key of the last CSR";
        }
        if (!IsValidNow(first))
        {
            return $"the certificate is not valid now ({first.NotBefore.ToUniversalTime():O} .. {first.NotAfter.ToUniversalTime():O})";
        }
        if (!string.Equals(first.GetNameInfo(X509NameType.SimpleName, false), options.ChargeBoxId, StringComparison.Ordinal))
        {
            return "the certificate's CN is not the chargeBoxId";
        }
        var cpoName = Configuration.Get(K.CpoName);
        if (!string.IsNullOrEmpty(cpoName) && !string.Equals(OrganizationOf(first), cpoName, StringComparison.Ordinal))
        {
            return "the certificate's O is not the CpoName";
        }
        var anchors = certificates.CentralSystemRoots.Concat(certificates.CpoRoots).ToList();
        if (!ChainsTo(first, anchors, collection.Skip(1)))
        {
            return "the certificate does not chain to an installed CentralSystemRootCertificate or the CPO hierarchy";
        }
        leaf = first;
        return null;
    }

    // ───────────────────────── ExtendedTriggerMessage ─────────────────────────

    private ExtendedTriggerMessageResponse ExtendedTriggerMessage(ExtendedTriggerMessageRequest request)
    {
        var rejected = new ExtendedTriggerMessageResponse { Status = ExtendedTriggerMessageStatus.Rejected };
        if (request.ConnectorId is { } id && (id < 0 || id > ConnectorCount))
        {
            return rejected;
        }
        var own = request.RequestedMessage is ExtendedMessageTrigger.LogStatusNotification or ExtendedMessageTrigger.FirmwareStatusNotification
            or ExtendedMessageTrigger.SignChargePointCertificate;
        if (own && !CanSendTriggered)
        {
            return rejected;   // the triggered message could not go (registration Rejected or not answered yet)
        }
        switch (request.RequestedMessage)
        {
            case ExtendedMessageTrigger.LogStatusNotification:
                SendTriggered(logRequest is not null
                    ? new LogStatusNotificationRequest { Status = UploadLogStatus.Uploading, RequestId = logRequest.RequestId }
                    : new LogStatusNotificationRequest { Status = UploadLogStatus.Idle });
                break;
            case ExtendedMessageTrigger.FirmwareStatusNotification:
                // L01.FR.28/29: Idle when the last status sent was Installed (or none was), otherwise the last one sent.
                SendTriggered(signedFirmwareLastStatus is SignedFirmwareStatus.Installed or SignedFirmwareStatus.Idle || firmwareJob is not { Signed: true }
                    ? new SignedFirmwareStatusNotificationRequest { Status = SignedFirmwareStatus.Idle }
                    : new SignedFirmwareStatusNotificationRequest { Status = signedFirmwareLastStatus, RequestId = firmwareJob.RequestId });
                break;
            case ExtendedMessageTrigger.SignChargePointCertificate:
                if (!RequestCertificateSigning())
                {
                    return rejected;   // A02: CpoName is required
                }
                break;
            default:
                var legacy = request.RequestedMessage switch
                {
                    ExtendedMessageTrigger.BootNotification => MessageTrigger.BootNotification,
                    ExtendedMessageTrigger.Heartbeat => MessageTrigger.Heartbeat,
                    ExtendedMessageTrigger.MeterValues => MessageTrigger.MeterValues,
                    ExtendedMessageTrigger.StatusNotification => MessageTrigger.StatusNotification,
                    _ => (MessageTrigger?)null,
                };
                if (legacy is null)
                {
                    return new() { Status = ExtendedTriggerMessageStatus.NotImplemented };
                }
                var answer = TriggerMessage(new TriggerMessageRequest { RequestedMessage = legacy.Value, ConnectorId = request.ConnectorId });
                return new()
                {
                    Status = answer.Status switch
                    {
                        TriggerMessageStatus.Accepted => ExtendedTriggerMessageStatus.Accepted,
                        TriggerMessageStatus.NotImplemented => ExtendedTriggerMessageStatus.NotImplemented,
                        _ => ExtendedTriggerMessageStatus.Rejected,
                    },
                };
        }
        return new() { Status = ExtendedTriggerMessageStatus.Accepted };
    }

    // ───────────────────────── N01: GetLog ─────────────────────────

    private GetLogResponse GetLog(GetLogRequest request)
    {
        if (request.Log is null || string.IsNullOrWhiteSpace(request.Log.RemoteLocation))
        {
            return new() { Status = LogStatus.Rejected };
        }
        var canceled = logRequest is not null;   // N01: a new request during an upload cancels it
        logRequest = request;
        var kind = request.LogType == LogType.SecurityLog ? "security" : "diagnostics";
        logFileName = string.Create(CultureInfo.InvariantCulture, $"{kind}-{options.ChargeBoxId}-{CsmsNow:yyyyMMdd'T'HHmmss'Z'}.log");
        logContent = request.LogType == LogType.SecurityLog
            ? Encoding.UTF8.GetBytes(securityLog.Render(options.ChargeBoxId, request.Log.OldestTimestamp, request.Log.LatestTimestamp))
            : BuildDiagnostics(request.Log.OldestTimestamp, request.Log.LatestTimestamp);
        logRetriesLeft = Math.Max(0, request.Retries ?? 0);
        logTransferId = null;
        StartLogUpload(first: true);
        return new() { Status = canceled ? LogStatus.AcceptedCanceled : LogStatus.Accepted, Filename = logFileName };
    }

    private void StartLogUpload(bool first)
    {
        logRetryAt = null;
        logTransferId = ++nextTransferId;
        if (first)
        {
            Send(new LogStatusNotificationRequest { Status = UploadLogStatus.Uploading, RequestId = logRequest!.RequestId });
        }
        Signal(new LogUploadRequested(logTransferId.Value, logRequest!.Log.RemoteLocation, logFileName!, logContent));
    }

    private bool LogTransferCompleted(long transferId, bool success)
    {
        if (transferId != logTransferId || logRequest is null)
        {
            return false;
        }
        logTransferId = null;
        if (success || logRetriesLeft == 0)
        {
            Send(new LogStatusNotificationRequest { Status = success ? UploadLogStatus.Uploaded : UploadLogStatus.UploadFailure, RequestId = logRequest.RequestId });
            logRequest = null;
            logContent = null;
            return true;
        }
        logRetriesLeft--;
        logRetryAt = LocalNow + TimeSpan.FromSeconds(Math.Max(0, logRequest.RetryInterval ?? 0));
        return true;
    }

    private void AdvanceLogUpload(DateTimeOffset now)
    {
        if (logRetryAt is { } at && at <= now && logRequest is not null)
        {
            StartLogUpload(first: false);
        }
    }

    private void AbortLogUploadOnReboot()
    {
        logRequest = null;
        logTransferId = null;
        logRetryAt = null;
        logContent = null;
    }

    // ───────────────────────── L01: signed firmware ─────────────────────────

    private SignedUpdateFirmwareResponse SignedUpdateFirmware(SignedUpdateFirmwareRequest request)
    {
        var firmware = request.Firmware;
        if (firmware is null || string.IsNullOrWhiteSpace(firmware.Location))
        {
            return new() { Status = SignedUpdateFirmwareStatus.Rejected };
        }
        // L01.FR.23: the signing certificate is checked before anything else.
        if (ParseCertificate(firmware.SigningCertificate) is not { } signing || !ChainsTo(signing, certificates.ManufacturerRoots, null))
        {
            RaiseSecurityEvent(SecurityEventTypes.InvalidFirmwareSigningCertificate, "the firmware signing certificate does not chain to an installed ManufacturerRootCertificate");
            return new() { Status = SignedUpdateFirmwareStatus.InvalidCertificate };
        }
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(firmware.Signature ?? "");
        }
        catch (FormatException)
        {
            return new() { Status = SignedUpdateFirmwareStatus.Rejected };
        }
        if (firmwarePhase is FirmwarePhase.Installing or FirmwarePhase.Installed)
        {
            return new() { Status = SignedUpdateFirmwareStatus.Rejected };
        }
        var canceled = firmwarePhase != FirmwarePhase.Idle;   // L01.FR.26
        firmwareTransferId = null;
        firmwareJob = new FirmwareJob(firmware.Location, firmware.RetrieveDateTime, request.RetryInterval, request.RequestId, signing, signature);
        firmwarePhase = FirmwarePhase.Scheduled;
        firmwareRetriesLeft = Math.Max(0, request.Retries ?? 0);
        firmwareRetryAt = null;
        return new() { Status = canceled ? SignedUpdateFirmwareStatus.AcceptedCanceled : SignedUpdateFirmwareStatus.Accepted };
    }

    private static bool VerifyFirmwareSignature(X509Certificate2 signing, byte[] signature, ReadOnlySpan<byte> content) =>
        CertificateChecks.VerifyFirmwareSignature(signing, signature, content);

    // ───────────────────────── A05 / A01: SecurityProfile and AuthorizationKey ─────────────────────────

    private ChangeConfigurationResponse ChangeSecurityProfile(string value)
    {
        var rejected = new ChangeConfigurationResponse { Status = ConfigurationStatus.Rejected };
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var target) || target > 3)
        {
            return rejected;
        }
        var current = SecurityProfile;
        var reason = target <= current ? $"SecurityProfile {target} is not higher than {current} (A05.FR.01)"
            : target is 1 or 2 && string.IsNullOrEmpty(Configuration.Get(K.AuthorizationKey)) ? $"SecurityProfile {target} needs an AuthorizationKey (A05.FR.02)"
            : target >= 2 && certificates.CentralSystemRoots.Count == 0 ? $"SecurityProfile {target} needs a CentralSystemRootCertificate (A05.FR.03)"
            : target == 3 && certificates.ChargePointCertificate is null ? "SecurityProfile 3 needs a charge point certificate (A05.FR.04)"
            : null;
        if (reason is not null)
        {
            LogSecurity(SecurityEventTypes.ReconfigurationOfSecurityParameters, "refused: " + reason);
            return rejected;
        }
        Configuration.Change(K.SecurityProfile, target.ToString(CultureInfo.InvariantCulture));
        profileTrialFrom = current;
        profileChangePending = (current, target);
        ScheduleSecurityReconnect();
        LogSecurity(SecurityEventTypes.ReconfigurationOfSecurityParameters, $"SecurityProfile {current} -> {target}; reconnecting");
        Signal(new ConfigurationChanged(K.SecurityProfile, target.ToString(CultureInfo.InvariantCulture)));
        return new() { Status = ConfigurationStatus.Accepted };
    }

    /// <summary>
    /// A01: the key is never logged; the security log records that it changed. The connection is renewed with it only where
    /// it is used (Basic auth at profiles 1 and 2), after the grace period.
    /// </summary>
    private void OnAuthorizationKeyChanged()
    {
        LogSecurity(SecurityEventTypes.ReconfigurationOfSecurityParameters, "AuthorizationKey changed");
        if (SecurityProfile is 1 or 2)
        {
            keyChangePending = true;
            ScheduleSecurityReconnect();
        }
    }

    /// <summary>The first change of a sequence sets the reconnect; later ones within the grace period ride on it.</summary>
    private void ScheduleSecurityReconnect() => securityReconnectAt ??= LocalNow + options.SecurityReconnectGrace;

    private void AdvanceSecurityReconnect(DateTimeOffset now)
    {
        if (IsConnected && securityReconnectAt is { } at && at <= now)
        {
            ReleaseSecurityReconnect();
        }
    }

    /// <summary>
    /// The grace period is over, or the connection went before it was: ask for the reconnect now (a profile change is reported
    /// as such, so its first connection is on trial, A05.FR.08). On a connection that is already gone the actor just connects
    /// with the new settings.
    /// </summary>
    private void ReleaseSecurityReconnect()
    {
        if (securityReconnectAt is null)
        {
            return;
        }
        securityReconnectAt = null;
        if (profileChangePending is var (from, to))
        {
            Signal(new SecurityProfileChangeRequested(from, to));
        }
        else if (keyChangePending)
        {
            Signal(new ReconnectRequested("AuthorizationKey changed: reconnect with the new Basic-auth password"));
        }
        profileChangePending = null;
        keyChangePending = false;
    }

    // ───────────────────────── helpers ─────────────────────────

    private static X509Certificate2? ParseCertificate(string? pem) => CertificateChecks.Parse(pem);

    private bool IsValidNow(X509Certificate2 certificate) => CertificateChecks.IsValidAt(certificate, CsmsNow);

    private static bool IsCertificateAuthority(X509Certificate2 certificate) => CertificateChecks.IsCertificateAuthority(certificate);

    private static string? OrganizationOf(X509Certificate2 certificate) => CertificateChecks.OrganizationOf(certificate);

    private bool ChainsTo(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> anchors, IEnumerable<X509Certificate2>? intermediates) =>
        CertificateChecks.ChainsTo(certificate, anchors, intermediates, CsmsNow);

    private X509Chain NewChain(IReadOnlyCollection<X509Certificate2> anchors, IEnumerable<X509Certificate2>? intermediates) =>
        CertificateChecks.NewChain(anchors, intermediates, CsmsNow);
}
