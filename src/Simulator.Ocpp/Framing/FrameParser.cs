using System.Text.Json;

namespace Simulator.Ocpp.Framing;

/// <summary>Parses OCPP-J frames from UTF-8 without building intermediate strings for the payload.</summary>
public static class FrameParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>
    /// The action of a CALL from the first bytes of a frame (e.g. of a message too large to read whole); null when the head
    /// is not the start of a CALL or is cut before the action ends.
    /// </summary>
    public static string? PeekCallAction(ReadOnlySpan<byte> head)
    {
        try
        {
            var reader = new Utf8JsonReader(head, isFinalBlock: false, default);
            return reader.Read() && reader.TokenType == JsonTokenType.StartArray
                && reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var type) && type == (int)MessageTypeId.Call
                && reader.Read() && reader.TokenType == JsonTokenType.String
                && reader.Read() && reader.TokenType == JsonTokenType.String
                ? reader.GetString()
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Parses one WebSocket text message. Never throws: a broken frame comes back as a <see cref="FrameError"/>.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> message, out OcppFrame frame, out FrameError? error) => TryParse(message, null, out frame, out error);

    /// <summary>As above; action names known to <paramref name="names"/> are not allocated again.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> message, OcppMessageSet? names, out OcppFrame frame, out FrameError? error)
    {
        frame = default;
        string? uniqueId = null;
        MessageTypeId? type = null;
        try
        {
            var reader = new Utf8JsonReader(message.Span, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                error = new FrameError(OcppErrorCode.RpcFrameworkError, "a frame must be a JSON array", null, null);
                return false;
            }
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var typeNumber))
            {
                error = new FrameError(OcppErrorCode.RpcFrameworkError, "element 0 must be the message type 2 (CALL), 3 (CALLRESULT) or 4 (CALLERROR)", null, null);
                return false;
            }
            if (typeNumber is < 2 or > 4)
            {
                // The id, when it is a valid one, is the answer's in a version that answers unknown message types (2.0.1: MessageTypeNotSupported).
                error = new FrameError(OcppErrorCode.MessageTypeNotSupported, $"message type {typeNumber} is not 2 (CALL), 3 (CALLRESULT) or 4 (CALLERROR)", TryReadValidId(ref reader), null);
                return false;
            }
            type = (MessageTypeId)typeNumber;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                error = new FrameError(OcppErrorCode.RpcFrameworkError, "element 1 must be the unique id (a string)", null, type);
                return false;
            }
            // FleetSim's own ids (and most peers') are small numbers: those are shared strings, not one per frame.
            uniqueId = (reader.ValueIsEscaped ? null : NumericUniqueIds.TryShare(reader.ValueSpan)) ?? reader.GetString()!;
            if (uniqueId.Length is 0 or > OcppFrame.MaxUniqueIdLength)
            {
                // Not an id to answer with: the answer would itself be an invalid frame.
                error = new FrameError(OcppErrorCode.RpcFrameworkError, $"unique id must be 1 to {OcppFrame.MaxUniqueIdLength} characters, got {uniqueId.Length}", null, type);
                return false;
            }

            switch (type)
            {
                case MessageTypeId.Call:
                    return ParseCall(message, names, ref reader, uniqueId, out frame, out error);
                case MessageTypeId.CallResult:
                    return ParseCallResult(message, ref reader, uniqueId, out frame, out error);
                default:
                    return ParseCallError(message, ref reader, uniqueId, out frame, out error);
            }
        }
        catch (JsonException ex)
        {
            error = new FrameError(OcppErrorCode.RpcFrameworkError, $"not valid JSON: {ex.Message}", uniqueId, type);
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader.GetString throws this for invalid UTF-8 or escapes inside a string.
            error = new FrameError(OcppErrorCode.RpcFrameworkError, $"not valid JSON text: {ex.Message}", uniqueId, type);
            return false;
        }
    }

    private static bool ParseCall(ReadOnlyMemory<byte> message, OcppMessageSet? names, ref Utf8JsonReader reader, string uniqueId, out OcppFrame frame, out FrameError? error)
    {
        frame = default;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            error = new FrameError(OcppErrorCode.RpcFrameworkError, "element 2 of a CALL must be the action name (a string)", uniqueId, MessageTypeId.Call);
            return false;
        }
        var action = names?.InternName(reader.ValueSpan, reader.ValueIsEscaped) ?? reader.GetString()!;
        if (!TryReadObject(message, ref reader, out var payload))
        {
            error = new FrameError(OcppErrorCode.FormatViolation, "element 3 of a CALL must be the payload object", uniqueId, MessageTypeId.Call);
            return false;
        }
        if (!TryReadEnd(ref reader, out error, uniqueId, MessageTypeId.Call))
        {
            return false;
        }
        frame = new OcppFrame(MessageTypeId.Call, uniqueId, action, payload);
        return true;
    }

    private static bool ParseCallResult(ReadOnlyMemory<byte> message, ref Utf8JsonReader reader, string uniqueId, out OcppFrame frame, out FrameError? error)
    {
        frame = default;
        if (!TryReadObject(message, ref reader, out var payload))
        {
            error = new FrameError(OcppErrorCode.FormatViolation, "element 2 of a CALLRESULT must be the payload object", uniqueId, MessageTypeId.CallResult);
            return false;
        }
        if (!TryReadEnd(ref reader, out error, uniqueId, MessageTypeId.CallResult))
        {
            return false;
        }
        frame = new OcppFrame(MessageTypeId.CallResult, uniqueId, null, payload);
        return true;
    }

    private static bool ParseCallError(ReadOnlyMemory<byte> message, ref Utf8JsonReader reader, string uniqueId, out OcppFrame frame, out FrameError? error)
    {
        frame = default;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            error = new FrameError(OcppErrorCode.RpcFrameworkError, "element 2 of a CALLERROR must be the error code (a string)", uniqueId, MessageTypeId.CallError);
            return false;
        }
        var code = reader.GetString()!;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            error = new FrameError(OcppErrorCode.RpcFrameworkError, "element 3 of a CALLERROR must be the error description (a string)", uniqueId, MessageTypeId.CallError);
            return false;
        }
        var description = reader.GetString()!;
        if (!TryReadObject(message, ref reader, out var details))
        {
            error = new FrameError(OcppErrorCode.RpcFrameworkError, "element 4 of a CALLERROR must be the error details object", uniqueId, MessageTypeId.CallError);
            return false;
        }
        if (!TryReadEnd(ref reader, out error, uniqueId, MessageTypeId.CallError))
        {
            return false;
        }
        frame = new OcppFrame(MessageTypeId.CallError, uniqueId, null, details, code, description);
        return true;
    }

    private static bool TryReadObject(ReadOnlyMemory<byte> message, ref Utf8JsonReader reader, out ReadOnlyMemory<byte> slice)
    {
        slice = default;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        slice = message[start..end];
        return true;
    }

    private static bool TryReadEnd(ref Utf8JsonReader reader, out FrameError? error, string uniqueId, MessageTypeId type)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            error = new FrameError(OcppErrorCode.RpcFrameworkError, "the frame has more elements than its message type allows", uniqueId, type);
            return false;
        }
        if (reader.Read())
        {
            error = new FrameError(OcppErrorCode.RpcFrameworkError, "unexpected data after the frame", uniqueId, type);
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>The next element when it is a valid unique id (a string of 1 to 36 characters), else null; never throws.</summary>
    private static string? TryReadValidId(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 and <= OcppFrame.MaxUniqueIdLength } id ? id : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
