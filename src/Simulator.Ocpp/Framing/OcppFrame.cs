namespace Simulator.Ocpp.Framing;

public enum MessageTypeId
{
    Call = 2,
    CallResult = 3,
    CallError = 4,
}

/// <summary>
/// One parsed OCPP-J frame. The payload (or the error details) stays as UTF-8 bytes sliced from the received message,
/// so it is deserialized straight into its type without an intermediate string.
/// </summary>
public readonly record struct OcppFrame(
    MessageTypeId Type,
    string UniqueId,
    string? Action,
    ReadOnlyMemory<byte> Payload,
    string? ErrorCode = null,
    string? ErrorDescription = null)
{
    /// <summary>Longest unique id OCPP-J allows.</summary>
    public const int MaxUniqueIdLength = 36;

    /// <summary>
    /// The id of a CALLERROR that answers a message whose id cannot be read or is no valid id (OCPP-J 2.0.1 part 4; 1.6 names
    /// none, and ocpp-rpc and libocpp use the same there).
    /// </summary>
    public const string UnreadableUniqueId = "-1";
}

/// <summary>
/// Why a frame could not be parsed. <see cref="UniqueId"/>: the frame's id when it got that far and the id is valid (1 to 36
/// characters), else null; <see cref="Type"/>: its message type when that could be read and is 2, 3 or 4.
/// </summary>
public sealed record FrameError(OcppErrorCode Code, string Description, string? UniqueId, MessageTypeId? Type);
