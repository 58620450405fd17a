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
}

/// <summary>Why a frame could not be parsed; the id is known when the frame got that far, so the error can be answered.</summary>
public sealed record FrameError(OcppErrorCode Code, string Description, string? UniqueId, MessageTypeId? Type);
