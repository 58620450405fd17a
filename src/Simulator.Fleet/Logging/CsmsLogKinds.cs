using Simulator.Ocpp.Rpc;

namespace Simulator.Fleet.Logging;

/// <summary>
/// The kinds of log lines a CSMS can cause at will, each rate-limited on its own by the node's
/// <see cref="RateLimitedLog"/> (see <see cref="ChargePoints.FleetEnvironment.CsmsLog"/>).
/// </summary>
public static class CsmsLogKinds
{
    public const string FrameNotOcppJ = "inbound frame rejected (not OCPP-J)";
    public const string FrameUnknownAction = "inbound frame rejected (unknown action)";
    public const string FrameActionNotAccepted = "inbound frame rejected (action not accepted)";
    public const string FrameInvalidPayload = "inbound frame rejected (invalid payload)";
    public const string FrameIgnored = "ignored result";
    public const string InvalidResponse = "invalid response";
    public const string ConnectionClosed = "connection closed";
    public const string ConnectFailed = "connect failed";
    public const string ConnectFailedUnexpectedly = "connect failed unexpectedly";
    public const string SecurityProfileFallback = "raised security profile failed";
    public const string SecurityProfileChange = "security profile change";
    public const string CertificateChanged = "new charge point certificate";
    public const string TransferFailed = "file transfer failed";
    public const string TransactionMessageAbandoned = "transaction message abandoned";
    public const string RemoteStartLapsed = "remote start lapsed";

    public static string Rejected(RejectReason reason) => reason switch
    {
        RejectReason.UnknownAction => FrameUnknownAction,
        RejectReason.ActionNotAccepted => FrameActionNotAccepted,
        RejectReason.InvalidPayload => FrameInvalidPayload,
        _ => FrameNotOcppJ,
    };
}
