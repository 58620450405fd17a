using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Simulator.ChargePoint.Security;
using Simulator.ChargePoint.V201.DeviceModel;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Security;
using Simulator.Ocpp.V201.Types;
using C = Simulator.ChargePoint.V201.DeviceModel.Components;
using V = Simulator.ChargePoint.V201.DeviceModel.Variables;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// A: security — the CSR flow (A02/A03: SignCertificate, CertificateSigned, for the ChargingStationCertificate and the V2GCertificate),
/// security events and the security log (A04), security-profile upgrades through SetNetworkProfile + NetworkConfigurationPriority + reboot
/// (A05, never a downgrade, back to the previous profile when the first connection with the new one fails).
/// </summary>
public sealed partial class StationModel
{
    /// <summary>Non-critical events raised while offline are kept (oldest dropped first) and sent once online.</summary>
    private const int MaxPendingSecurityEvents = 20;

    private readonly SecurityLog securityLog = new();

    /// <summary>Critical events (A04.FR.02): kept until the CSMS answered them, resent after a failure or a lost connection.</summary>
    private readonly List<CriticalSecurityEvent> criticalSecurityEvents = [];
    private readonly Queue<SecurityEventNotificationRequest> pendingSecurityEvents = new();

    /// <summary>Changes whenever <see cref="criticalSecurityEvents"/> gains or loses an event (they are non-volatile).</summary>
    private int criticalSecurityEventsRevision;

    /// <summary>The key of the V2G CSR waiting for its CertificateSigned (the ChargingStationCertificate's waits in the CertificateStore).</summary>
    private AsymmetricAlgorithm? pendingV2gKey;
    private X509Certificate2? v2gCertificate;

    /// <summary>A02.FR.17/18: a CSR not answered by CertificateSigned within CertSigningWaitMinimum (doubling) is sent again, CertSigningRepeatTimes times.</summary>
    private (CertificateSigningUse Use, int Attempt, DateTimeOffset At)? signingRetry;
    private (CertificateSigningUse Use, int Attempt)? pendingSigningAttempt;

    private int? profileTrialFrom;
    private X509Certificate2? csmsRootInUse;

    private sealed class CriticalSecurityEvent(SecurityEventNotificationRequest request)
    {
        public SecurityEventNotificationRequest Request { get; } = request;
        public bool InFlight { get; set; }
        public DateTimeOffset? NotBefore { get; set; }
        public int FailedAttempts { get; set; }
    }

    public SecurityLog SecurityLog => securityLog;

    /// <summary>The V2G certificate installed by CertificateSigned (kept, not used: no ISO 15118 on this station), or null.</summary>
    public X509Certificate2? V2gCertificate => v2gCertificate;

    /// <summary>Critical security events not yet answered by the CSMS.</summary>
    public int PendingCriticalSecurityEvents => criticalSecurityEvents.Count;

    private void InitializeSecurity()
    {
        RaiseSecurityEvent(SecurityEvents201.StartupOfTheDevice, null);
    }

    private InboundReply Security(IOcppRequest request) => request switch
    {
        CertificateSignedRequest r => Ok(CertificateSigned(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    // ───────────────────────── A04: security events and the log ─────────────────────────

    /// <summary>Logs an event and notifies the CSMS: critical ones with guaranteed delivery (A04.FR.02), others when online.</summary>
    private void RaiseSecurityEvent(string type, string? techInfo)
    {
        var critical = SecurityEvents201.IsCritical(type);
        var info = techInfo is { Length: > 255 } ? techInfo[..255] : techInfo;
        var now = CsmsNow;
        securityLog.Add(new SecurityLogEntry(now, type, info, critical));
        Signal(new SecurityEventRaised(type, critical, info));
        var request = new SecurityEventNotificationRequest { Type = type, Timestamp = now, TechInfo = info };
        if (critical)
        {
            criticalSecurityEvents.Add(new CriticalSecurityEvent(request));
            criticalSecurityEventsRevision++;
        }
        else if (IsOnline)
        {
            Send(request);
        }
        else
        {
            if (pendingSecurityEvents.Count == MaxPendingSecurityEvents)
            {
                pendingSecurityEvents.Dequeue();
            }
            pendingSecurityEvents.Enqueue(request);
        }
    }

    /// <summary>A security-log entry that is not notified (certificate installs and deletions).</summary>
    private void LogSecurity(string type, string? techInfo) =>
        securityLog.Add(new SecurityLogEntry(CsmsNow, type, techInfo, SecurityEvents201.IsCritical(type)));

    /// <summary>From Settle: once online, the waiting events go (critical ones in order, each until answered).</summary>
    private void FlushSecurityEvents()
    {
        if (!IsOnline)
        {
            return;
        }
        while (pendingSecurityEvents.TryDequeue(out var pending))
        {
            Send(pending);
        }
        var now = LocalNow;
        foreach (var entry in criticalSecurityEvents)
        {
            if (!entry.InFlight && (entry.NotBefore is not { } at || at <= now))
            {
                entry.InFlight = true;
                entry.NotBefore = null;
                Send(entry.Request);
            }
        }
    }

    private DateTimeOffset? SecurityNextDue()
    {
        DateTimeOffset? next = signingRetry?.At;
        foreach (var entry in criticalSecurityEvents)
        {
            if (!entry.InFlight && entry.NotBefore is { } at && (next is null || at < next))
            {
                next = at;
            }
        }
        return IsOnline ? next : null;
    }

    private void SecurityEventAnswered(SecurityEventNotificationRequest request)
    {
        if (criticalSecurityEvents.RemoveAll(e => ReferenceEquals(e.Request, request)) > 0)
        {
            criticalSecurityEventsRevision++;
        }
    }

    /// <summary>The critical events not yet answered, oldest first, for the non-volatile memory (null: none).</summary>
    private List<IOcppRequest>? SavedSecurityEvents() =>
        criticalSecurityEvents.Count == 0 ? null : [.. criticalSecurityEvents.Select(e => (IOcppRequest)e.Request)];

    /// <summary>After a power cut: the saved critical events go first, before those of this power-up, each with fresh attempts.</summary>
    private void RestoreSecurityEvents(IEnumerable<SecurityEventNotificationRequest> saved)
    {
        criticalSecurityEvents.InsertRange(0, saved.Select(request => new CriticalSecurityEvent(request)));
        criticalSecurityEventsRevision++;
    }

    /// <summary>
    /// A critical event the CSMS did not take is sent again after MessageAttemptInterval × attempts, up to MessageAttempts like a
    /// TransactionEvent (a CSMS that never takes it must not get it forever); a lost connection resends it after the next boot.
    /// </summary>
    private void SecurityEventFailed(SecurityEventNotificationRequest request, OutboundFailure failure)
    {
        if (criticalSecurityEvents.Find(e => ReferenceEquals(e.Request, request)) is not { } entry)
        {
            return;
        }
        entry.InFlight = false;
        if (failure is OutboundFailure.ConnectionLost)
        {
            return;
        }
        entry.FailedAttempts++;
        if (entry.FailedAttempts >= Math.Max(1, Device.GetInt(C.OCPPCommCtrlr, V.MessageAttempts)))
        {
            criticalSecurityEvents.Remove(entry);
            criticalSecurityEventsRevision++;
            LogSecurity(request.Type, $"SecurityEventNotification abandoned after {entry.FailedAttempts} attempts");
            return;
        }
        entry.NotBefore = LocalNow + TimeSpan.FromSeconds(Math.Max(1, Device.GetInt(C.OCPPCommCtrlr, V.MessageAttemptInterval)) * entry.FailedAttempts);
    }

    /// <summary>From OnDisconnected and Reboot: what was in flight is sent again on the next connection.</summary>
    private void SecurityConnectionLost()
    {
        foreach (var entry in criticalSecurityEvents)
        {
            entry.InFlight = false;
        }
    }

    private void AdvanceSecurity(DateTimeOffset now)
    {
        if (IsOnline && signingRetry is { } retry && retry.At <= now)
        {
            var repeat = Device.GetInt(C.SecurityCtrlr, SecurityVariables.CertSigningRepeatTimes);
            signingRetry = null;
            if (retry.Attempt < repeat)
            {
                RequestCertificateSigning(retry.Use, retry.Attempt + 1, triggered: false);
            }
            else
            {
                LogSecurity(SecurityEvents201.ReconfigurationOfSecurityParameters, $"no CertificateSigned for the {retry.Use} CSR after {retry.Attempt + 1} attempts; giving up");
            }
        }
    }

    // ───────────────────────── A02/A03: CSR and CertificateSigned ─────────────────────────

    /// <summary>
    /// A new key pair and SignCertificate with its PKCS#10 CSR (CN = SecurityCtrlr.Identity, O = SecurityCtrlr.OrganizationName), of the key
    /// type in the options. False when the message cannot go (not registered) or OrganizationName is empty.
    /// </summary>
    private bool RequestCertificateSigning(CertificateSigningUse use, int attempt, bool triggered)
    {
        var organization = Device.Get(C.SecurityCtrlr, V.OrganizationName);
        var mayGo = IsConnected && (IsBooted || (triggered && core.Boot.IsPending));
        if (string.IsNullOrWhiteSpace(organization) || !mayGo)
        {
            return false;
        }
        var (pem, key) = CertificateChecks.CreateCsr(options.CsrKeyType, Device.Get(C.SecurityCtrlr, V.Identity), organization);
        if (use == CertificateSigningUse.V2GCertificate)
        {
            pendingV2gKey?.Dispose();
            pendingV2gKey = key;
        }
        else
        {
            certificates.PendingKey?.Dispose();
            certificates.PendingKey = key;
        }
        signingRetry = null;
        Send(new SignCertificateRequest { Csr = pem, CertificateType = use }, triggered: triggered);
        pendingSigningAttempt = (use, attempt);
        return true;
    }

    private void SignCertificateAnswered(SignCertificateRequest request, SignCertificateResponse response)
    {
        var use = request.CertificateType ?? CertificateSigningUse.ChargingStationCertificate;
        if (response.Status == GenericStatus.Rejected)
        {
            LogSecurity(SecurityEvents201.ReconfigurationOfSecurityParameters, $"SignCertificate ({use}) was rejected by the CSMS");
            return;
        }
        var attempt = pendingSigningAttempt is { } p && p.Use == use ? p.Attempt : 0;
        var wait = Math.Max(1, Device.GetInt(C.SecurityCtrlr, SecurityVariables.CertSigningWaitMinimum));
        signingRetry = (use, attempt, LocalNow + TimeSpan.FromSeconds(wait * Math.Pow(2, Math.Min(attempt, 16))));
    }

    private CertificateSignedResponse CertificateSigned(CertificateSignedRequest request)
    {
        var use = request.CertificateType ?? CertificateSigningUse.ChargingStationCertificate;
        var problem = CheckCertificateSigned(request.CertificateChain, use, out var leaf, out var key);
        if (problem is not null || leaf is null || key is null)
        {
            RaiseSecurityEvent(SecurityEvents201.InvalidChargingStationCertificate, problem);
            return new() { Status = CertificateSignedStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "InvalidCertificate", AdditionalInfo = problem } };
        }
        var withKey = CertificateChecks.WithKey(leaf, key);
        if (signingRetry?.Use == use)
        {
            signingRetry = null;
        }
        if (use == CertificateSigningUse.V2GCertificate)
        {
            pendingV2gKey = null;
            v2gCertificate = withKey;
            LogSecurity(SecurityEvents201.ReconfigurationOfSecurityParameters, $"V2GCertificate installed: serial {CertificateHashes.TrimSerial(withKey.SerialNumber)}");
            return new() { Status = CertificateSignedStatus.Accepted };
        }
        certificates.PendingKey = null;   // now owned by the certificate
        certificates.SetChargePointCertificate(withKey);
        // A02.FR.09: used from the next connection (profile 3: the TLS client certificate).
        LogSecurity(SecurityEvents201.ReconfigurationOfSecurityParameters, $"ChargingStationCertificate replaced: serial {CertificateHashes.TrimSerial(withKey.SerialNumber)}");
        Signal(new ChargePointCertificateChanged(withKey.Subject, new DateTimeOffset(withKey.NotAfter.ToUniversalTime())));
        return new() { Status = CertificateSignedStatus.Accepted };
    }

    /// <summary>A02.FR.06/07: size, PEM, the leaf is for the pending key, valid now, CN/O, and chains to an installed root (CSMS root or the CPO hierarchy; V2G root for V2G).</summary>
    private string? CheckCertificateSigned(string chain, CertificateSigningUse use, out X509Certificate2? leaf, out AsymmetricAlgorithm? key)
    {
        leaf = null;
        key = use == CertificateSigningUse.V2GCertificate ? pendingV2gKey : certificates.PendingKey;
        if (key is null)
        {
            return $"CertificateSigned ({use}) without a pending CSR";
        }
        var max = Device.GetInt(C.SecurityCtrlr, SecurityVariables.MaxCertificateChainSize);
        if (string.IsNullOrEmpty(chain) || chain.Length > max)
        {
            return $"certificateChain is empty or longer than MaxCertificateChainSize ({max})";
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
        if (!CertificateChecks.IsValidAt(first, CsmsNow))
        {
            return $"the certificate is not valid now ({first.NotBefore.ToUniversalTime():O} .. {first.NotAfter.ToUniversalTime():O})";
        }
        if (!string.Equals(first.GetNameInfo(X509NameType.SimpleName, false), Device.Get(C.SecurityCtrlr, V.Identity), StringComparison.Ordinal))
        {
            return "the certificate's CN is not SecurityCtrlr.Identity";
        }
        var organization = Device.Get(C.SecurityCtrlr, V.OrganizationName);
        if (!string.IsNullOrEmpty(organization) && !string.Equals(CertificateChecks.OrganizationOf(first), organization, StringComparison.Ordinal))
        {
            return "the certificate's O is not SecurityCtrlr.OrganizationName";
        }
        IReadOnlyCollection<X509Certificate2> anchors = use == CertificateSigningUse.V2GCertificate
            ? [.. v2gRoots]
            : [.. certificates.CentralSystemRoots, .. certificates.CpoRoots];
        if (!CertificateChecks.ChainsTo(first, anchors, collection.Skip(1), CsmsNow))
        {
            return use == CertificateSigningUse.V2GCertificate
                ? "the certificate does not chain to an installed V2GRootCertificate"
                : "the certificate does not chain to an installed CSMSRootCertificate or the CPO hierarchy";
        }
        leaf = first;
        return null;
    }

    // ───────────────────────── connection events ─────────────────────────

    private void ConnectFailed(string? securityEvent, string? detail)
    {
        if (securityEvent is not null)
        {
            RaiseSecurityEvent(SecurityEvents201.FromEd3(securityEvent), detail);
        }
        Settle();
    }

    /// <summary>The CSMS root the TLS server certificate chains to is the one in use, which DeleteCertificate refuses to delete.</summary>
    private void ServerCertificate(X509Certificate2? serverCertificate)
    {
        csmsRootInUse = null;
        if (serverCertificate is null || certificates.CentralSystemRoots.Count == 0)
        {
            return;
        }
        using var chain = CertificateChecks.NewChain(certificates.CentralSystemRoots, null, CsmsNow);
        if (chain.Build(serverCertificate) && chain.ChainElements.Count > 0)
        {
            var root = chain.ChainElements[^1].Certificate;
            csmsRootInUse = certificates.CentralSystemRoots.FirstOrDefault(c => c.RawData.AsSpan().SequenceEqual(root.RawData));
        }
    }

    // ───────────────────────── A05: security profile ─────────────────────────

    /// <summary>Why a network profile with <paramref name="target"/> cannot be used by this station (A05.FR.02–04), or null.</summary>
    private string? SecurityProfileProblem(int target) =>
        target < SecurityProfile ? $"security profile {target} is lower than the current {SecurityProfile} (no downgrade)"
        : target >= 2 && certificates.CentralSystemRoots.Count == 0 ? $"security profile {target} needs an installed CSMSRootCertificate"
        : target == 3 && certificates.ChargePointCertificate is null ? "security profile 3 needs a ChargingStationCertificate"
        : null;

    /// <summary>
    /// From Reboot: the network profile NetworkConfigurationPriority names first is used from now; a higher security profile there is
    /// taken on trial (the actor reports the first connection: <see cref="SecurityProfileConnected"/> or <see cref="RevertProfile"/>).
    /// </summary>
    private void ApplyNetworkPriorityOnReboot()
    {
        var first = Device.GetList(C.OCPPCommCtrlr, V.NetworkConfigurationPriority) is [var head, ..] ? head : null;
        if (first is null || !int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var slot)
            || !networkProfiles.TryGetValue(slot, out var profile))
        {
            return;
        }
        var current = SecurityProfile;
        if (profile.SecurityProfile <= current || SecurityProfileProblem(profile.SecurityProfile) is not null)
        {
            return;
        }
        Device.SetByStation(C.SecurityCtrlr, V.SecurityProfile, profile.SecurityProfile.ToString(CultureInfo.InvariantCulture));
        profileTrialFrom = current;
        RaiseSecurityEvent(SecurityEvents201.ReconfigurationOfSecurityParameters, $"SecurityProfile {current} -> {profile.SecurityProfile} (network slot {slot})");
        Signal(new SecurityProfileChangeRequested(current, profile.SecurityProfile));
    }

    private void SecurityProfileConnected()
    {
        if (profileTrialFrom is { } from)
        {
            profileTrialFrom = null;
            LogSecurity(SecurityEvents201.ReconfigurationOfSecurityParameters, $"connected with SecurityProfile {SecurityProfile} (was {from})");
        }
    }

    /// <summary>A05.FR.07: the first connection with the raised profile failed: back to the previous one.</summary>
    private int? RevertProfile()
    {
        if (profileTrialFrom is not { } from)
        {
            return null;
        }
        profileTrialFrom = null;
        var tried = SecurityProfile;
        Device.SetByStation(C.SecurityCtrlr, V.SecurityProfile, from.ToString(CultureInfo.InvariantCulture));
        RaiseSecurityEvent(SecurityEvents201.ReconfigurationOfSecurityParameters, $"SecurityProfile {tried} failed to connect; fell back to {from}");
        return from;
    }

    /// <summary>From Reboot: what the reboot means for security (the event, in-flight notifications, the network priority).</summary>
    private void SecurityRebooted(RebootKind kind)
    {
        SecurityConnectionLost();
        signingRetry = null;
        ApplyNetworkPriorityOnReboot();
        RaiseSecurityEvent(kind switch
        {
            RebootKind.FirmwareInstalled => SecurityEvents201.FirmwareUpdated,
            RebootKind.PowerCycle => SecurityEvents201.StartupOfTheDevice,
            _ => SecurityEvents201.ResetOrReboot,
        }, kind.ToString());
    }
}

/// <summary>SecurityCtrlr variables blocks A and M read (defined in StandardVariables).</summary>
internal static class SecurityVariables
{
    public static readonly VariableKey CertificateEntries = new("CertificateEntries");
    public static readonly VariableKey MaxCertificateChainSize = new("MaxCertificateChainSize");
    public static readonly VariableKey CertSigningWaitMinimum = new("CertSigningWaitMinimum");
    public static readonly VariableKey CertSigningRepeatTimes = new("CertSigningRepeatTimes");
}
