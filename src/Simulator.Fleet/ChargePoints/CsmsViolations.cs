using Simulator.Ocpp.V16;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Simulator.Metrics;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Rpc;
using Simulator.Transport;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// What a charge point reports as a CSMS protocol violation: from the RPC endpoint's events and the connection's
/// binary messages and oversized-message closes. The action label is a known OCPP action or "unknown", so a CSMS cannot
/// grow the label set; frames that name the AuthorizationKey are not quoted.
/// </summary>
internal static class CsmsViolations
{
    /// <summary>The violation an RPC event stands for, or null when it is none.</summary>
    public static (CsmsViolationKind Kind, string? Action, string Detail)? Of(RpcEvent rpcEvent, ReadOnlySpan<byte> frame) => rpcEvent switch
    {
        FrameRejected { Reason: RejectReason.NotOcppJ } rejected => (CsmsViolationKind.NotOcppJ, null, $"{rejected.Description}: {Quote(frame)}"),
        FrameRejected { Reason: RejectReason.UnknownAction or RejectReason.ActionNotAccepted } rejected => (CsmsViolationKind.UnsupportedAction, Known(rejected.Action), rejected.Description),
        FrameRejected { Reason: RejectReason.InvalidPayload } rejected => (CsmsViolationKind.InvalidRequestPayload, Known(rejected.Action), rejected.Description),
        FrameIgnored { Late: false } ignored => (CsmsViolationKind.UnknownCallId, null, $"unique id '{ignored.UniqueId}' {ignored.Reason}: {Quote(frame)}"),
        CallFailed { Failure: CallFailure.InvalidResponse } failed => (CsmsViolationKind.InvalidResponsePayload, failed.Call.Action.Name, failed.Description),
        _ => null,
    };

    /// <summary>The violation of a connection that this side closed because a message was too large, or null.</summary>
    public static (CsmsViolationKind Kind, string? Action, string Detail)? Of(ConnectionClosed closed)
    {
        if (closed.MessageBytes is not { } size || closed.Status is not (WebSocketCloseStatus.MessageTooBig or null))
        {
            return null;
        }
        var action = FrameParser.PeekCallAction(closed.MessageHead.Span);
        return (CsmsViolationKind.MessageTooLarge, Known(action),
            string.Create(CultureInfo.InvariantCulture, $"message of {size} bytes{(action is null ? "" : $" ({action})")}: {Quote(closed.MessageHead.Span)}"));
    }

    public static string BinaryDetail(long bytes) => string.Create(CultureInfo.InvariantCulture, $"binary message of {bytes} bytes, ignored");

    private static string? Known(string? action) => action is not null && Ocpp16.Messages.Find(action) is { } known ? known.Name : null;

    /// <summary>The frame text for an example; not quoted when it names the AuthorizationKey (a secret may follow).</summary>
    private static string Quote(ReadOnlySpan<byte> frame)
    {
        var text = Encoding.UTF8.GetString(frame[..Math.Min(frame.Length, 4 * CsmsViolationKinds.MaxExampleLength)]);
        return text.Contains("AuthorizationKey", StringComparison.OrdinalIgnoreCase) ? "(frame not shown: it names the AuthorizationKey)" : CsmsViolationKinds.Excerpt(text);
    }
}
