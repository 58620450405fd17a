using System.Buffers;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;

namespace Simulator.Ocpp.Rpc;

/// <summary>Which side of the connection an endpoint speaks for; decides which inbound actions are acceptable.</summary>
public enum RpcRole
{
    ChargePoint,
    Csms,
}

/// <summary>
/// The OCPP-J RPC rules for one connection, without I/O: one outstanding CALL per direction (later CALLs wait in order),
/// a per-call timeout, results matched by unique id, late or unknown results dropped, broken inbound CALLs answered with the
/// CALLERROR the protocol core chose. Frames to send collect in an outbox the owner drains after every step.
/// Not thread-safe: one owner (an actor, or one connection's loop) drives it.
/// </summary>
public sealed class RpcEndpoint(OcppMessageSet messages, RpcRole role, TimeProvider time, TimeSpan callTimeout)
{
    private readonly Queue<OutgoingCall> _waiting = new();
    // Frames in arrays rented from ArrayPool<byte>.Shared: the outbox owns them until they are taken.
    private readonly Queue<ArraySegment<byte>> _outbox = new();
    private readonly ActionDirection _acceptedInbound = role == RpcRole.ChargePoint ? ActionDirection.CsmsToChargePoint : ActionDirection.ChargePointToCsms;
    private readonly Queue<string> _timedOut = new();
    private OutgoingCall? _inFlight;
    private long _deadline;
    private long _nextId;

    /// <summary>How many timed-out call ids are remembered to tell a late answer from an unknown id.</summary>
    private const int RememberedTimeouts = 8;

    public TimeSpan CallTimeout { get; } = callTimeout;

    /// <summary>The version's actions and RPC rules this endpoint speaks (chosen by the connection's subprotocol).</summary>
    public OcppMessageSet Messages { get; } = messages;

    /// <summary>The CALL awaiting its answer, if any.</summary>
    public OutgoingCall? InFlight => _inFlight;

    /// <summary>Calls in flight or waiting for their turn.</summary>
    public int Pending => _waiting.Count + (_inFlight is null ? 0 : 1);

    /// <summary>When the call in flight times out (a <see cref="TimeProvider"/> timestamp), or null when none is.</summary>
    public long? Deadline => _inFlight is null ? null : _deadline;

    public OutgoingCall Call(IOcppRequest request, object? tag = null, long? intendedAt = null)
    {
        var call = new OutgoingCall(Messages.Of(request), request, tag, time.GetTimestamp(), intendedAt);
        // Straight in flight when idle: the waiting queue's array is long-lived, and a fresh call stored in it would make the
        // next gen0 collection scan that array's card.
        if (_inFlight is null && _waiting.Count == 0)
        {
            Send(call);
        }
        else
        {
            _waiting.Enqueue(call);
            SendNextIfIdle();
        }
        return call;
    }

    /// <summary>Handles one inbound WebSocket text message. Never throws for anything the peer sends.</summary>
    /// <param name="message">The message's UTF-8 bytes.</param>
    /// <param name="readAt">When the connection read the message (a timestamp of this endpoint's clock); null: now. An answered
    /// call's round trip ends there, so the time the message then waited for its owner is not counted as the peer's.</param>
    public RpcEvent Receive(ReadOnlyMemory<byte> message, long? readAt = null)
    {
        if (!FrameParser.TryParse(message, Messages, out var frame, out var frameError))
        {
            return Reject(frameError!);
        }
        return frame.Type switch
        {
            MessageTypeId.Call => ReceiveCall(frame),
            MessageTypeId.CallResult => ReceiveResult(frame, readAt ?? time.GetTimestamp()),
            _ => ReceiveError(frame, readAt ?? time.GetTimestamp()),
        };
    }

    public void Reply(CallReceived call, IOcppResponse response) => _outbox.Enqueue(OcppCodec.EncodeCallResultRented(call.UniqueId, call.Action, response));

    public void ReplyError(string uniqueId, OcppErrorCode code, string description) => _outbox.Enqueue(OcppCodec.EncodeCallErrorRented(Messages.Errors, uniqueId, code, description));

    /// <summary>Fails the call in flight if its deadline has passed, and lets the next one go.</summary>
    public CallFailed? CheckTimeout()
    {
        if (_inFlight is null || time.GetTimestamp() < _deadline)
        {
            return null;
        }
        var call = _inFlight;
        _inFlight = null;
        if (_timedOut.Count == RememberedTimeouts)
        {
            _timedOut.Dequeue();
        }
        _timedOut.Enqueue(call.UniqueId);
        SendNextIfIdle();
        return new CallFailed(call, CallFailure.Timeout, null, $"no answer to {call.Action.Name} within {CallTimeout.TotalSeconds:0.###} s", time.GetElapsedTime(call.SentAt));
    }

    /// <summary>The next frame to send, in an array of its own.</summary>
    public bool TryTakeOutgoing(out byte[] frame)
    {
        if (!_outbox.TryDequeue(out var rented))
        {
            frame = null!;
            return false;
        }
        frame = rented.AsSpan().ToArray();
        ArrayPool<byte>.Shared.Return(rented.Array!);
        return true;
    }

    /// <summary>
    /// The next frame to send, in an array rented from <see cref="ArrayPool{T}.Shared"/> (no allocation per frame): the caller
    /// now owns it and returns it to the pool once nothing reads it (WebSocketConnection.SendRented does, after the write).
    /// </summary>
    public bool TryTakeOutgoingRented(out ArraySegment<byte> frame) => _outbox.TryDequeue(out frame);

    /// <summary>
    /// The connection is gone: returns the call in flight and those waiting, oldest first, so the owner can keep what must
    /// survive (transaction messages); unsent replies are dropped. The endpoint is then empty and ready for a new connection.
    /// </summary>
    public IReadOnlyList<OutgoingCall> Reset()
    {
        var abandoned = new List<OutgoingCall>(Pending);
        if (_inFlight is not null)
        {
            abandoned.Add(_inFlight);
            _inFlight = null;
        }
        abandoned.AddRange(_waiting);
        _waiting.Clear();
        while (_outbox.TryDequeue(out var unsent))
        {
            ArrayPool<byte>.Shared.Return(unsent.Array!);
        }
        return abandoned;
    }

    private RpcEvent ReceiveCall(OcppFrame frame)
    {
        var action = Messages.Find(frame.Action!);
        if (action is null)
        {
            ReplyError(frame.UniqueId, OcppErrorCode.NotImplemented, $"unknown action '{frame.Action}'");
            return new FrameRejected(OcppErrorCode.NotImplemented, $"unknown action '{frame.Action}'", Answered: true) { Reason = RejectReason.UnknownAction, Action = frame.Action };
        }
        if ((action.Direction & _acceptedInbound) == 0)
        {
            var description = $"{action.Name} is not sent to a {(role == RpcRole.ChargePoint ? "charge point" : "central system")}";
            ReplyError(frame.UniqueId, OcppErrorCode.NotSupported, description);
            return new FrameRejected(OcppErrorCode.NotSupported, description, Answered: true) { Reason = RejectReason.ActionNotAccepted, Action = action.Name };
        }
        if (!OcppCodec.TryDecode(frame.Payload, action.RequestInfo, out var request, out var violation))
        {
            var description = $"{action.Name}: {violation!.Description}";
            ReplyError(frame.UniqueId, violation.Code, description);
            return new FrameRejected(violation.Code, description, Answered: true) { Reason = RejectReason.InvalidPayload, Action = action.Name };
        }
        return new CallReceived(frame.UniqueId, action, (IOcppRequest)request!);
    }

    private RpcEvent ReceiveResult(OcppFrame frame, long readAt)
    {
        if (!TryTakeMatching(frame.UniqueId, out var call, out var ignored))
        {
            return ignored!;
        }
        var roundTrip = RoundTrip(call, readAt);
        if (!OcppCodec.TryDecode(frame.Payload, call.Action.ResponseInfo, out var response, out var violation))
        {
            return new CallFailed(call, CallFailure.InvalidResponse, violation!.Code, $"{call.Action.Name} response: {violation.Description}", roundTrip);
        }
        return new CallAnswered(call, (IOcppResponse)response!, roundTrip, time.GetElapsedTime(call.EnqueuedAt, call.SentAt), SinceIntended(call, readAt));
    }

    private RpcEvent ReceiveError(OcppFrame frame, long readAt)
    {
        if (!TryTakeMatching(frame.UniqueId, out var call, out var ignored))
        {
            return ignored!;
        }
        OcppErrorCode? code = Messages.Errors.TryParse(frame.ErrorCode, out var parsed) ? parsed : null;
        var description = code is null ? $"unknown error code '{frame.ErrorCode}': {frame.ErrorDescription}" : frame.ErrorDescription!;
        return new CallFailed(call!, CallFailure.CallError, code ?? OcppErrorCode.GenericError, description, RoundTrip(call, readAt));
    }

    // An answer cannot be read before its call went out; a stamp from before that (another clock, a caller's mistake) counts as 0.
    private TimeSpan RoundTrip(OutgoingCall call, long readAt) => time.GetElapsedTime(call.SentAt, Math.Max(readAt, call.SentAt));

    private bool TryTakeMatching(string uniqueId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OutgoingCall? call, out FrameIgnored? ignored)
    {
        if (_inFlight is null || !_inFlight.HasUniqueId(uniqueId))
        {
            call = null;
            var late = _timedOut.Contains(uniqueId, StringComparer.Ordinal);
            ignored = new FrameIgnored(uniqueId, late ? "late answer to a call that timed out"
                : _inFlight is null ? "no call is in flight" : $"does not match the call in flight ({_inFlight.UniqueId})") { Late = late };
            return false;
        }
        call = _inFlight;
        ignored = null;
        _inFlight = null;
        SendNextIfIdle();
        return true;
    }

    private FrameRejected Reject(FrameError error)
    {
        // A CALLRESULT or CALLERROR is never answered, an unknown message type only where the version asks for it. A broken
        // CALL, or a frame whose type cannot be read, is answered for its id, or for "-1" when the id cannot be read or is
        // no valid id: echoing an empty or overlong id would make the answer an invalid frame too.
        var answerable = error.Code == OcppErrorCode.MessageTypeNotSupported
            ? Messages.Errors.AnswersUnknownMessageTypes
            : error.Type is null or MessageTypeId.Call;
        if (answerable)
        {
            ReplyError(error.UniqueId ?? OcppFrame.UnreadableUniqueId, error.Code, error.Description);
        }
        return new FrameRejected(error.Code, error.Description, answerable) { Reason = RejectReason.NotOcppJ };
    }

    private void SendNextIfIdle()
    {
        if (_inFlight is null && _waiting.TryDequeue(out var call))
        {
            Send(call);
        }
    }

    private void Send(OutgoingCall call)
    {
        call.Id = ++_nextId;
        call.SentAt = time.GetTimestamp();
        _deadline = call.SentAt + (long)(CallTimeout.TotalSeconds * time.TimestampFrequency);
        _inFlight = call;
        _outbox.Enqueue(OcppCodec.EncodeCallRented(call.Id, call.Action, call.Request));
    }

    private TimeSpan SinceIntended(OutgoingCall call, long readAt)
        => time.GetElapsedTime(call.IntendedAt ?? call.EnqueuedAt, Math.Max(readAt, call.SentAt));
}
