using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Simulator.Csms;

/// <summary>
/// Where charge points connect: <c>{path}{chargeBoxId}</c>, the id being exactly one path segment, percent-decoded once,
/// 1–48 characters of URL-unreserved characters and <c>*-_=:+|@.</c> (OCPP's identifierString with URL-safe characters).
/// Everything else (traversal, control characters, markup, another path) is refused before the upgrade.
/// </summary>
internal static class ChargePointPaths
{
    public const int MaxIdLength = 48;

    public const string MissingId = "the last path segment must be the chargeBoxId";

    /// <summary>"/ocpp" → "/ocpp/"; "" or "/" → "/".</summary>
    /// <exception cref="ArgumentException">The path is not a plain absolute URL path.</exception>
    public static string Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalized = path.Length == 0 ? "/" : path;
        if (!normalized.StartsWith('/'))
        {
            normalized = "/" + normalized;
        }
        if (!normalized.EndsWith('/'))
        {
            normalized += "/";
        }
        if (normalized.Contains("//", StringComparison.Ordinal) || normalized.Split('/').Any(s => s is "." or "..")
            || normalized.Any(c => c != '/' && !IsAllowed(c)))
        {
            throw new ArgumentException($"ChargePointPath '{path}' must be a plain URL path such as /ocpp/ (letters, digits, -._~ and /)", nameof(path));
        }
        return normalized;
    }

    /// <summary>The chargeBoxId in a raw request target, or why there is none (wrong path: 404; otherwise 400).</summary>
    public static (string? Id, string? Problem, bool WrongPath) Parse(string rawTarget, string path)
    {
        var target = rawTarget;
        var query = target.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            target = target[..query];
        }
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // Absolute form: drop scheme and authority.
            var slash = target.IndexOf('/', target.IndexOf("//", StringComparison.Ordinal) + 2);
            target = slash < 0 ? "/" : target[slash..];
        }
        if (string.Equals(target, path.TrimEnd('/'), StringComparison.Ordinal) || string.Equals(target, path, StringComparison.Ordinal))
        {
            return (null, MissingId, false);
        }
        if (!target.StartsWith(path, StringComparison.Ordinal))
        {
            return (null, null, true);
        }
        var segment = target.AsSpan(path.Length);
        if (segment.Contains('/'))
        {
            return (null, $"the chargeBoxId must be the one path segment after {path} (no '/')", false);
        }
        Span<char> decoded = stackalloc char[MaxIdLength];
        var length = 0;
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length || !IsHex(segment[i + 1]) || !IsHex(segment[i + 2]))
                {
                    return (null, "the chargeBoxId has a broken percent-encoding", false);
                }
                c = (char)((HexValue(segment[i + 1]) << 4) | HexValue(segment[i + 2]));
                i += 2;
            }
            if (!IsAllowed(c))
            {
                return (null, $"the chargeBoxId may hold only letters, digits and -._~*=:+|@ ({(c < ' ' || c > '~' ? $"byte 0x{(int)c:x2}" : $"'{c}'")} is not allowed)", false);
            }
            if (length == MaxIdLength)
            {
                return (null, $"the chargeBoxId is longer than {MaxIdLength} characters", false);
            }
            decoded[length++] = c;
        }
        var id = new string(decoded[..length]);
        if (id is "." or "..")
        {
            return (null, "the chargeBoxId may not be '.' or '..'", false);
        }
        return (id, null, false);
    }

    private static bool IsAllowed(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~' or '*' or '=' or ':' or '+' or '|' or '@';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/// <summary>
/// Keeps hold of the upgraded connection's stream so that, after a close frame (the CSMS's, or one the WebSocket sent on
/// a protocol error), the CSMS can read and drop what the peer still sends until it closes too. Ending a connection with
/// unread input makes the kernel answer with a TCP reset, which can overtake the close frame.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The wrapped stream is Kestrel's upgraded connection; Kestrel closes it when the request ends.")]
internal sealed class DrainableUpgrade(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    private Stream? _stream;

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public static Task Wrap(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { } upgrade)
        {
            var drainable = new DrainableUpgrade(upgrade);
            context.Features.Set<IHttpUpgradeFeature>(drainable);
            context.Features.Set(drainable);
        }
        return next(context);
    }

    private Undisposable? _wrapped;

    /// <summary>The status of the close frame the server side wrote (the CSMS's or the WebSocket's own), or null.</summary>
    public int? CloseStatusSent => _wrapped?.CloseStatusSent;

    /// <summary>How long the peer has sent nothing (the upgrade counts as something).</summary>
    public TimeSpan Silence => _wrapped is { } w ? System.Diagnostics.Stopwatch.GetElapsedTime(w.LastRead) : TimeSpan.Zero;

    public async Task<Stream> UpgradeAsync() => _wrapped = new Undisposable(_stream = await inner.UpgradeAsync().ConfigureAwait(false));

    /// <summary>Reads and drops input until the peer closes or the time is up.</summary>
    public async Task DrainAsync(TimeSpan within)
    {
        if (_stream is not { } stream)
        {
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            using var timeout = new CancellationTokenSource(within);
            while (await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            // Gone, or still talking when the time was up: either way the connection ends now.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The stream the WebSocket gets: its Dispose (the WebSocket aborts itself after sending a 1002/1007 close frame) leaves
    /// the connection open for <see cref="DrainAsync"/>; Kestrel closes it when the request ends, and an abort the CSMS
    /// means (a drop fault) goes through the HTTP context.
    /// </summary>
    private sealed class Undisposable(Stream inner) : Stream
    {
        private long _lastRead = System.Diagnostics.Stopwatch.GetTimestamp();

        public long LastRead => Volatile.Read(ref _lastRead);
        private int _closeStatusSent;

        public int? CloseStatusSent => Volatile.Read(ref _closeStatusSent) is var status and not 0 ? status : null;

        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => Noted(inner.Read(buffer, offset, count));
        // Every message's read waits for data: a pooled state machine instead of a new one each time.
        [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Noted(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            // A server frame is unmasked: 0x88, a length below 126, then the status (big-endian).
            var span = buffer.Span;
            if (span.Length >= 4 && span[0] == 0x88 && (span[1] & 0x7F) is >= 2 and < 126)
            {
                Volatile.Write(ref _closeStatusSent, (span[2] << 8) | span[3]);
            }
            return inner.WriteAsync(buffer, cancellationToken);
        }

        private int Noted(int read)
        {
            if (read > 0)
            {
                Volatile.Write(ref _lastRead, System.Diagnostics.Stopwatch.GetTimestamp());
            }
            return read;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
