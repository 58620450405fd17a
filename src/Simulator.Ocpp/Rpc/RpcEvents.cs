using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;

namespace Simulator.Ocpp.Rpc;

/// <summary>A CALL this side sends: queued, then in flight, then answered, failed or abandoned.</summary>
public sealed class OutgoingCall
{
    // One call per CALL sent: long.MinValue (no time a clock gives) for none rather than a Nullable<long> or a flag.
    private const long NotIntended = long.MinValue;
    private readonly long _intendedAt;

    internal OutgoingCall(ActionDescriptor action, IOcppRequest request, object? tag, long enqueuedAt, long? intendedAt)
    {
        Action = action;
        Request = request;
        Tag = tag;
        EnqueuedAt = enqueuedAt;
        _intendedAt = intendedAt ?? NotIntended;
    }

    public ActionDescriptor Action { get; }
    public IOcppRequest Request { get; }

    /// <summary>Whatever the caller needs to recognise the call when it completes (e.g. an offline-queue entry).</summary>
    public object? Tag { get; }

    /// <summary>Timestamps of the endpoint's <see cref="TimeProvider"/>.</summary>
    public long EnqueuedAt { get; }

    /// <summary>When the caller meant it to go out (a scheduled heartbeat or sample): latency from here is free of coordinated omission.</summary>
    public long? IntendedAt => _intendedAt == NotIntended ? null : _intendedAt;

    public long SentAt { get; internal set; }

    /// <summary>The CALL's unique id: the decimal digits of <see cref="Id"/>; empty until it is sent. Most calls never need it
    /// as a string (the frame is written from the number, and the answer matched against it); the strings of the first 65,535
    /// ids are shared (<see cref="NumericUniqueIds"/>), later ones made at every use.</summary>
    public string UniqueId => Id == 0 ? "" : NumericUniqueIds.Of(Id);

    /// <summary>The endpoint's number for the call (from 1), 0 until it is sent.</summary>
    internal long Id { get; set; }

    /// <summary>Whether <paramref name="uniqueId"/> is this call's unique id, without making a string of it.</summary>
    internal bool HasUniqueId(string uniqueId)
    {
        if (Id == 0)
        {
            return false;
        }
        Span<char> digits = stackalloc char[20];
        Id.TryFormat(digits, out var length, default, System.Globalization.CultureInfo.InvariantCulture);
        return uniqueId.AsSpan().SequenceEqual(digits[..length]);
    }
}

public abstract record RpcEvent;

/// <summary>The peer sent a valid CALL; answer it with <see cref="RpcEndpoint.Reply"/> or <see cref="RpcEndpoint.ReplyError"/>.</summary>
public sealed record CallReceived(string UniqueId, ActionDescriptor Action, IOcppRequest Request) : RpcEvent;

public sealed record CallAnswered(OutgoingCall Call, IOcppResponse Response, TimeSpan RoundTrip, TimeSpan QueueWait, TimeSpan SinceIntended) : RpcEvent;

public enum CallFailure
{
    /// <summary>The peer answered with a CALLERROR.</summary>
    CallError,
    /// <summary>No answer within the call timeout.</summary>
    Timeout,
    /// <summary>The CALLRESULT's payload broke the response schema.</summary>
    InvalidResponse,
}

public sealed record CallFailed(OutgoingCall Call, CallFailure Failure, OcppErrorCode? ErrorCode, string Description, TimeSpan Elapsed) : RpcEvent;

/// <summary>Why an inbound frame was rejected.</summary>
public enum RejectReason
{
    /// <summary>Not an OCPP-J frame: not JSON, not an array of the right shape, an unknown message type.</summary>
    NotOcppJ,

    /// <summary>A CALL for an action OCPP does not define.</summary>
    UnknownAction,

    /// <summary>A CALL for an action this side never receives (e.g. a BootNotification sent to a charge point).</summary>
    ActionNotAccepted,

    /// <summary>A CALL whose payload breaks the action's request schema.</summary>
    InvalidPayload,
}

/// <summary>An inbound frame that could not be used. When it was a CALL with a readable id, a CALLERROR was queued in reply.</summary>
public sealed record FrameRejected(OcppErrorCode Code, string Description, bool Answered) : RpcEvent
{
    public RejectReason Reason { get; init; }

    /// <summary>The CALL's action as the peer named it, when the frame was readable that far.</summary>
    public string? Action { get; init; }
}

/// <summary>A CALLRESULT or CALLERROR that matches no call in flight (late after a timeout, or unknown): logged and dropped.</summary>
public sealed record FrameIgnored(string UniqueId, string Reason) : RpcEvent
{
    /// <summary>The id is one of a call that timed out recently: a late answer, not an unknown id.</summary>
    public bool Late { get; init; }
}
