using System.Security.Cryptography.X509Certificates;
using Simulator.ChargePoint.Metering;
using Simulator.ChargePoint.Security;
using Simulator.Ocpp;
using Simulator.Ocpp.Messages;

namespace Simulator.ChargePoint;

/// <summary>
/// The version-neutral contract between a charging station's behaviour (the OCPP 1.6 or 2.0.1 model) and whatever drives
/// it (the fleet's actor, a test). Sans I/O: the driver feeds in what happened (a connection opened, a CALL arrived, an
/// answer came, the driver plugged in, time passed) and takes out what to send and what to tell the world (signals).
/// Everything above this interface learns the version only as <see cref="Messages"/>' data.
/// </summary>
public interface IChargingStation
{
    /// <summary>The OCPP version's message set; the connection's subprotocol is its <see cref="OcppMessageSet.Subprotocol"/>.</summary>
    OcppMessageSet Messages { get; }

    string ChargeBoxId { get; }

    /// <summary>The CSMS accepted the station's boot in this power cycle.</summary>
    bool IsBooted { get; }

    // ───────── connection settings the station itself holds (configuration keys / device model) ─────────

    /// <summary>The security profile (0–3) the station connects with now.</summary>
    int SecurityProfile { get; }

    /// <summary>The HTTP Basic password at profiles 1 and 2, or null.</summary>
    string? AuthorizationKey { get; }

    /// <summary>How often to ping the CSMS over the WebSocket; zero for never.</summary>
    TimeSpan WebSocketPingInterval { get; }

    /// <summary>
    /// The reconnect back-off the station's own settings give (2.0.1: RetryBackOffWaitMinimum/RandomRange/RepeatTimes, read at
    /// each call, so a SetVariables applies from the next wait), or null when the version has no such settings (1.6).
    /// </summary>
    (TimeSpan WaitMinimum, TimeSpan RandomRange, int RepeatTimes)? ReconnectBackOff => null;

    /// <summary>Installed certificates: the client certificate (profile 3) and the trust anchors for the CSMS's.</summary>
    CertificateStore Certificates { get; }

    /// <summary>Installs a client certificate issued outside OCPP (factory provisioning for profile 3).</summary>
    void ProvisionChargePointCertificate(X509Certificate2 certificate, IEnumerable<X509Certificate2>? cpoRoots = null);

    // ───────── connection lifecycle ─────────

    void OnConnected();

    void OnDisconnected();

    /// <summary>A connect failed; a security event type (e.g. InvalidCentralSystemCertificate) when the cause was one.</summary>
    void OnConnectFailed(string? securityEvent, string? detail);

    /// <summary>The certificate the CSMS presented (TLS), or null.</summary>
    void OnServerCertificate(X509Certificate2? serverCertificate);

    /// <summary>A connection with a newly set security profile succeeded: it becomes the one to keep.</summary>
    void OnSecurityProfileConnected();

    /// <summary>Connecting with a newly set security profile failed: back to the previous one (returned), or null if there is none.</summary>
    int? RevertSecurityProfile();

    // ───────── OCPP traffic ─────────

    /// <summary>Handles a CSMS CALL and returns the reply; follow-up messages go to the outbox. Never throws.</summary>
    InboundReply HandleCall(IOcppRequest request);

    /// <summary>The next CALL to send, if one is due and may be sent now.</summary>
    bool TryTakeOutbound(out OutboundMessage message);

    void OnAnswered(OutboundMessage message, IOcppResponse response);

    void OnFailed(OutboundMessage message, OutboundFailure failure);

    bool TryTakeSignal(out ChargePointSignal signal);

    /// <summary>
    /// The next transaction message created since the last call, for the loss check. Drain it before <see cref="TryTakeSignal"/>:
    /// a message is always created before a signal can say it was abandoned.
    /// </summary>
    bool TryTakeProduced(out TransactionMessageProduced produced);

    // ───────── time ─────────

    /// <summary>When <see cref="Advance"/> has something to do next (local clock), or null.</summary>
    DateTimeOffset? NextDueAt { get; }

    /// <summary>Does what is due now: periodic messages, timeouts, state changes that wait for time.</summary>
    void Advance();

    // ───────── the driver and the site ─────────

    bool PlugIn(int connectorId, EvSpec ev);

    void PresentIdTag(int connectorId, string idTag);

    void Unplug(int connectorId);

    void SetFaulted(int connectorId, bool faulted);

    /// <summary>Power off and on: volatile state is gone, the station boots again.</summary>
    void PowerCycle();

    /// <summary>A file transfer the station asked for (firmware download, log upload) finished.</summary>
    void OnTransferCompleted(long transferId, bool success, string? failure, ReadOnlyMemory<byte> content);

    // ───────── the offline queue and what survives a power cut ─────────

    int OfflineQueueDepth { get; }

    /// <summary>Local-clock creation time of the oldest queued message.</summary>
    DateTimeOffset? OldestQueuedAt { get; }

    /// <summary>What changed in the non-volatile state since the last call, or null.</summary>
    ChargePointStateChanges? TakeStateChanges();

    /// <summary>Brings back the non-volatile state after a power cut: queued messages go out first, interrupted transactions end with PowerLoss.</summary>
    void RestoreAfterPowerLoss(ChargePointPersistentState state);
}
