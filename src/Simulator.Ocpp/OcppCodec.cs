using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp;

/// <summary>Turns payloads into typed, validated messages and messages into OCPP-J frames, in UTF-8 throughout.</summary>
public static class OcppCodec
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>What the JSON writer asks of its output at once (its 4 KB growth step) plus room for the frame around it.</summary>
    private const int ScratchBytes = 8 * 1024;
    private const int MaxKeptScratchBytes = 64 * 1024;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>
    /// Deserializes and validates a payload. Valid payloads take the fast path (one source-generated pass plus the
    /// length checks); an invalid one is diagnosed so the violation names the field and the CALLERROR code.
    /// </summary>
    public static bool TryDecode(ReadOnlyMemory<byte> payload, JsonTypeInfo info, out IOcppValidatable? message, out PayloadViolation? violation)
    {
        message = null;
        try
        {
            if (Deserialize(payload, info) is not IOcppValidatable value)
            {
                violation = new PayloadViolation(OcppErrorCode.FormatViolation, "", "payload must be an object");
                return false;
            }
            violation = PayloadChecker.Check(value);
            if (violation is not null)
            {
                return false;
            }
            message = value;
            return true;
        }
        catch (JsonException ex)
        {
            violation = PayloadDiagnoser.Diagnose(payload, info, ex);
            return false;
        }
    }

    /// <summary>
    /// Reads the payload in one pass. The reader overload of the deserializer, used before, first skips over the value to
    /// find its end (a second full pass) and ignores whatever follows the value; a payload with something after its value
    /// is therefore read that way again, so such payloads fare as before.
    /// </summary>
    private static object? Deserialize(ReadOnlyMemory<byte> payload, JsonTypeInfo info)
    {
        try
        {
            return JsonSerializer.Deserialize(payload.Span, info);
        }
        catch (JsonException)
        {
            var reader = new Utf8JsonReader(payload.Span);
            return JsonSerializer.Deserialize(ref reader, info);
        }
    }

    public static bool TryDecode<T>(ReadOnlyMemory<byte> payload, OcppMessageSet set, out T? message, out PayloadViolation? violation)
        where T : class, IOcppValidatable
    {
        var info = set.TypeInfo(typeof(T));
        var ok = TryDecode(payload, info, out var decoded, out violation);
        message = decoded as T;
        return ok;
    }

    public static void WriteCall(IBufferWriter<byte> output, string uniqueId, ActionDescriptor action, IOcppRequest payload) =>
        WriteCall(output, uniqueId.AsSpan(), action, payload);

    private static void WriteCall(IBufferWriter<byte> output, ReadOnlySpan<char> uniqueId, ActionDescriptor action, IOcppRequest payload)
    {
        var writer = Rent(output);
        writer.WriteStartArray();
        writer.WriteNumberValue((int)MessageTypeId.Call);
        writer.WriteStringValue(uniqueId);
        writer.WriteStringValue(action.Name);
        JsonSerializer.Serialize(writer, payload, action.RequestInfo);
        writer.WriteEndArray();
        writer.Flush();
    }

    public static void WriteCallResult(IBufferWriter<byte> output, string uniqueId, ActionDescriptor action, IOcppResponse payload)
    {
        var writer = Rent(output);
        writer.WriteStartArray();
        writer.WriteNumberValue((int)MessageTypeId.CallResult);
        writer.WriteStringValue(uniqueId);
        JsonSerializer.Serialize(writer, payload, action.ResponseInfo);
        writer.WriteEndArray();
        writer.Flush();
    }

    public static void WriteCallError(IBufferWriter<byte> output, OcppErrorDialect dialect, string uniqueId, OcppErrorCode code, string description)
    {
        var writer = Rent(output);
        writer.WriteStartArray();
        writer.WriteNumberValue((int)MessageTypeId.CallError);
        writer.WriteStringValue(uniqueId);
        writer.WriteStringValue(dialect.ToWire(code));
        writer.WriteStringValue(description);
        writer.WriteStartObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.Flush();
    }

    public static byte[] EncodeCall(string uniqueId, ActionDescriptor action, IOcppRequest payload) => ToFrame(Call(uniqueId, action, payload));

    public static byte[] EncodeCallResult(string uniqueId, ActionDescriptor action, IOcppResponse payload) => ToFrame(CallResult(uniqueId, action, payload));

    public static byte[] EncodeCallError(OcppErrorDialect dialect, string uniqueId, OcppErrorCode code, string description) =>
        ToFrame(CallError(dialect, uniqueId, code, description));

    /// <summary>
    /// Encodes into an array rented from <see cref="ArrayPool{T}.Shared"/>: the frame is the segment's bytes, and whoever ends up
    /// holding it returns the array to the pool once, when nothing reads it any more.
    /// </summary>
    public static ArraySegment<byte> EncodeCallRented(string uniqueId, ActionDescriptor action, IOcppRequest payload) => ToRented(Call(uniqueId, action, payload));

    /// <summary>As <see cref="EncodeCallRented(string, ActionDescriptor, IOcppRequest)"/>, the unique id being the decimal digits of
    /// <paramref name="uniqueId"/>, written without making a string of them.</summary>
    public static ArraySegment<byte> EncodeCallRented(long uniqueId, ActionDescriptor action, IOcppRequest payload)
    {
        Span<char> digits = stackalloc char[20];
        uniqueId.TryFormat(digits, out var length, default, System.Globalization.CultureInfo.InvariantCulture);
        var buffer = RentBuffer();
        WriteCall(buffer, digits[..length], action, payload);
        return ToRented(buffer);
    }

    /// <inheritdoc cref="EncodeCallRented(string, ActionDescriptor, IOcppRequest)"/>
    public static ArraySegment<byte> EncodeCallResultRented(string uniqueId, ActionDescriptor action, IOcppResponse payload) =>
        ToRented(CallResult(uniqueId, action, payload));

    /// <inheritdoc cref="EncodeCallRented(string, ActionDescriptor, IOcppRequest)"/>
    public static ArraySegment<byte> EncodeCallErrorRented(OcppErrorDialect dialect, string uniqueId, OcppErrorCode code, string description) =>
        ToRented(CallError(dialect, uniqueId, code, description));

    private static ArrayBufferWriter<byte> Call(string uniqueId, ActionDescriptor action, IOcppRequest payload)
    {
        var buffer = RentBuffer();
        WriteCall(buffer, uniqueId, action, payload);
        return buffer;
    }

    private static ArrayBufferWriter<byte> CallResult(string uniqueId, ActionDescriptor action, IOcppResponse payload)
    {
        var buffer = RentBuffer();
        WriteCallResult(buffer, uniqueId, action, payload);
        return buffer;
    }

    private static ArrayBufferWriter<byte> CallError(OcppErrorDialect dialect, string uniqueId, OcppErrorCode code, string description)
    {
        var buffer = RentBuffer();
        WriteCallError(buffer, dialect, uniqueId, code, description);
        return buffer;
    }

    /// <summary>
    /// The thread's scratch buffer, emptied. A fresh buffer per frame cost 4.4 KB for a 270-byte frame: the JSON writer asks its
    /// output for 4 KB at a time, so the buffer grew past that on the first write (the largest share of what a sent CALL allocated).
    /// </summary>
    private static ArrayBufferWriter<byte> RentBuffer()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(ScratchBytes);
        buffer.ResetWrittenCount();
        return buffer;
    }

    /// <summary>The frame, exactly sized: it belongs to the caller.</summary>
    private static byte[] ToFrame(ArrayBufferWriter<byte> buffer)
    {
        var frame = buffer.WrittenSpan.ToArray();
        LetGoIfGrown(buffer);
        return frame;
    }

    private static ArraySegment<byte> ToRented(ArrayBufferWriter<byte> buffer)
    {
        var array = ArrayPool<byte>.Shared.Rent(buffer.WrittenCount);
        buffer.WrittenSpan.CopyTo(array);
        var frame = new ArraySegment<byte>(array, 0, buffer.WrittenCount);
        LetGoIfGrown(buffer);
        return frame;
    }

    /// <summary>A scratch buffer that grew for a large frame is not kept for the thread's next one.</summary>
    private static void LetGoIfGrown(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity > MaxKeptScratchBytes)
        {
            t_buffer = null;
        }
    }

    private static Utf8JsonWriter Rent(IBufferWriter<byte> output)
    {
        if (t_writer is null)
        {
            t_writer = new Utf8JsonWriter(output, WriterOptions);
        }
        else
        {
            t_writer.Reset(output);
        }
        return t_writer;
    }
}
