using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Simulator.Fleet.Tracing;

/// <summary>
/// Writes every frame in and out of the chosen charge points to a JSON-lines file: <c>{"time", "chargePointId",
/// "direction": "in"|"out", "text"}</c>. Charge points hand frames to a channel and never wait; one writer task encodes
/// them, masks AuthorizationKey values, and stops writing once the file would pass <see cref="MaxBytes"/>.
/// </summary>
public sealed class FrameTrace : IAsyncDisposable
{
    public const string Masked = "***";

    private readonly Channel<TracedFrame> _frames = Channel.CreateUnbounded<TracedFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Regex? _ids;
    private readonly Stream _file;
    private readonly TimeProvider _clock;
    private readonly Task _writer;
    private long _written;
    private long _framesWritten;
    private long _framesNotWritten;

    private FrameTrace(Stream file, Regex? ids, long maxBytes, TimeProvider clock)
    {
        _file = file;
        _ids = ids;
        _clock = clock;
        MaxBytes = maxBytes;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Opens (creates or truncates) <paramref name="path"/>.</summary>
    /// <param name="idPattern">Which charge points: comma-separated globs (<c>*</c>, <c>?</c>), e.g. <c>CP-00*,CP-1??</c>; null: all.</param>
    public static FrameTrace Open(string path, string? idPattern, long maxBytes, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var ids = idPattern is null ? null : GlobToRegex(idPattern);
        return new FrameTrace(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true), ids, maxBytes, clock ?? TimeProvider.System);
    }

    /// <summary>A comma-separated list of globs as one anchored, case-sensitive regex; an empty pattern is refused.</summary>
    public static Regex GlobToRegex(string pattern)
    {
        var globs = pattern.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (globs.Length == 0)
        {
            throw new ArgumentException("the charge point id pattern is empty", nameof(pattern));
        }
        var alternatives = globs.Select(g => Regex.Escape(g).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal));
        return new Regex("^(?:" + string.Join('|', alternatives) + ")$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }

    public long MaxBytes { get; }

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => Interlocked.Read(ref _written);

    public long FramesWritten => Interlocked.Read(ref _framesWritten);

    /// <summary>Frames not written because the size bound was reached.</summary>
    public long FramesNotWritten => Interlocked.Read(ref _framesNotWritten);

    public bool LimitReached => FramesNotWritten > 0;

    /// <summary>The tracer of one charge point, or null when it is not traced (the charge point then pays nothing).</summary>
    public FrameTracer? For(string chargeBoxId) => _ids is null || _ids.IsMatch(chargeBoxId) ? new FrameTracer(this, chargeBoxId) : null;

    internal void Add(string chargeBoxId, bool inbound, byte[] utf8)
    {
        if (LimitReached)
        {
            Interlocked.Increment(ref _framesNotWritten);
            return;
        }
        _frames.Writer.TryWrite(new TracedFrame(_clock.GetUtcNow(), chargeBoxId, inbound, utf8));
    }

    /// <summary>Writes what is queued and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _frames.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        var line = new MemoryStream();
        await foreach (var frame in _frames.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (LimitReached)
            {
                Interlocked.Increment(ref _framesNotWritten);
                continue;
            }
            line.SetLength(0);
            // Relaxed escaping: quotes stay quotes, so a frame reads as it went over the wire (the file is JSON, not HTML).
            using (var json = new Utf8JsonWriter(line, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartObject();
                json.WriteString("time", frame.Time);
                json.WriteString("chargePointId", frame.ChargeBoxId);
                json.WriteString("direction", frame.Inbound ? "in" : "out");
                json.WriteString("text", MaskSecrets(Encoding.UTF8.GetString(frame.Utf8)));
                json.WriteEndObject();
            }
            line.WriteByte((byte)'\n');
            if (_written + line.Length > MaxBytes)
            {
                Interlocked.Increment(ref _framesNotWritten);
                continue;
            }
            await _file.WriteAsync(line.GetBuffer().AsMemory(0, (int)line.Length)).ConfigureAwait(false);
            Interlocked.Add(ref _written, line.Length);
            Interlocked.Increment(ref _framesWritten);
        }
        await _file.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The frame with the value of every <c>{"key": "AuthorizationKey", "value": …}</c> replaced by <see cref="Masked"/>
    /// (ChangeConfiguration requests, GetConfiguration answers). Frames without the key, or that are not JSON, pass as they are.
    /// </summary>
    public static string MaskSecrets(string text)
    {
        if (!text.Contains("AuthorizationKey", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return "(a frame naming AuthorizationKey that is not JSON; not written)";
        }
        return Mask(root) ? root!.ToJsonString() : text;
    }

    private static bool Mask(JsonNode? node)
    {
        var masked = false;
        switch (node)
        {
            case JsonObject obj:
                if (obj["key"] is JsonValue key && key.TryGetValue<string>(out var name) && name.Equals("AuthorizationKey", StringComparison.OrdinalIgnoreCase) && obj.ContainsKey("value"))
                {
                    obj["value"] = Masked;
                    masked = true;
                }
                foreach (var (_, child) in obj.ToList())
                {
                    masked |= Mask(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    masked |= Mask(child);
                }
                break;
        }
        return masked;
    }

    private readonly record struct TracedFrame(DateTimeOffset Time, string ChargeBoxId, bool Inbound, byte[] Utf8);
}

/// <summary>One traced charge point's handle: hands each frame to the trace's writer without waiting.</summary>
public sealed class FrameTracer(FrameTrace trace, string chargeBoxId)
{
    public void In(byte[] utf8) => trace.Add(chargeBoxId, inbound: true, utf8);

    public void Out(byte[] utf8) => trace.Add(chargeBoxId, inbound: false, utf8);
}
