using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;

namespace Simulator.Csms;

public enum CallStatus
{
    /// <summary>A CALLRESULT that decoded against the response schema.</summary>
    Answered,
    /// <summary>The charge point answered with a CALLERROR.</summary>
    CallError,
    /// <summary>No answer within the call timeout.</summary>
    Timeout,
    /// <summary>The CALLRESULT broke the response schema.</summary>
    InvalidResponse,
    /// <summary>The charge point is not connected.</summary>
    NotConnected,
    /// <summary>The connection closed before the answer came.</summary>
    ConnectionLost,
    /// <summary>Not sent: the charge point is connected with an OCPP version that has no such message (or not this form of it).</summary>
    NotInVersion,
}

/// <summary>How one CSMS-initiated CALL ended.</summary>
public sealed record CallOutcome(
    string ChargeBoxId,
    string Action,
    CallStatus Status,
    IOcppResponse? Response = null,
    OcppErrorCode? ErrorCode = null,
    string? Description = null,
    TimeSpan Elapsed = default)
{
    public bool IsAnswered => Status == CallStatus.Answered;
}
