using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;

namespace Simulator.ChargePoint;

/// <summary>
/// A CALL the model wants sent. <see cref="CreatedAt"/> and <see cref="ScheduledFor"/> are instants of the injected clock (not CSMS time):
/// <see cref="ScheduledFor"/> is the intended send time of periodic messages (heartbeats, sampled and aligned meter values), so latency can be
/// measured from it, free of coordinated omission. <see cref="Attempt"/> counts from 1. <see cref="Sequence"/> identifies this hand-out;
/// report its outcome with the same instance.
/// </summary>
/// <remarks>
/// One is made for every CALL sent, so the instants are kept as UTC ticks (the clock's instants are UTC; one with another offset
/// comes back as the same instant in UTC), the absent <see cref="ScheduledFor"/> as -1: 56 bytes an object instead of 80.
/// </remarks>
public sealed record OutboundMessage(IOcppRequest Request, bool IsTransactionMessage, DateTimeOffset CreatedAt, DateTimeOffset? ScheduledFor, int Attempt)
{
    private readonly long _createdAt = CreatedAt.UtcTicks;
    private readonly long _scheduledFor = ScheduledFor?.UtcTicks ?? -1;

    public DateTimeOffset CreatedAt
    {
        get => new(_createdAt, TimeSpan.Zero);
        init => _createdAt = value.UtcTicks;
    }

    public DateTimeOffset? ScheduledFor
    {
        get => _scheduledFor < 0 ? null : new DateTimeOffset(_scheduledFor, TimeSpan.Zero);
        init => _scheduledFor = value?.UtcTicks ?? -1;
    }

    public long Sequence { get; init; }

    public string Action => ChargingStations.ActionOf(Request);
}

/// <summary>The model's answer to a CSMS CALL: a response, or a CALLERROR code with a description.</summary>
public readonly record struct InboundReply(IOcppResponse? Response, OcppErrorCode? ErrorCode, string? ErrorDescription)
{
    public static InboundReply Ok(IOcppResponse response) => new(response, null, null);

    public static InboundReply Error(OcppErrorCode code, string description) => new(null, code, description);
}

/// <summary>Why a CALL the model sent produced no usable response.</summary>
public abstract record OutboundFailure
{
    private OutboundFailure()
    {
    }

    /// <summary>The CSMS answered with a CALLERROR. Consumes a transaction-message attempt.</summary>
    public sealed record CallError(OcppErrorCode Code, string? Description = null) : OutboundFailure;

    /// <summary>No answer within the RPC timeout. Consumes a transaction-message attempt.</summary>
    public sealed record Timeout : OutboundFailure
    {
        public static Timeout Instance { get; } = new();
    }

    /// <summary>The CALLRESULT broke the response schema. Consumes a transaction-message attempt.</summary>
    public sealed record InvalidResponse(string? Description = null) : OutboundFailure;

    /// <summary>The connection dropped before an answer came. Consumes no attempt: a transaction message goes back to the head of the queue.</summary>
    public sealed record ConnectionLost : OutboundFailure
    {
        public static ConnectionLost Instance { get; } = new();
    }
}
