using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Simulator.Csms.Tests.Reliability;

/// <summary>One WebSocket frame as it came off the wire.</summary>
public sealed record RawFrame(int Opcode, bool Fin, byte[] Payload)
{
    public const int Text = 1, Binary = 2, Close = 8, Ping = 9, Pong = 10;

    public int? CloseCode => Opcode == Close && Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : null;

    public string Utf8 => Encoding.UTF8.GetString(Payload);
}

/// <summary>
/// A WebSocket client written on a bare TCP socket, so a test can send what ClientWebSocket never would: any request
/// target and header, reserved opcodes and bits, unmasked frames, invalid UTF-8, a frame header without its payload.
/// </summary>
public sealed class RawWebSocket : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _pending;
    private int _pendingCount;

    private RawWebSocket(TcpClient tcp, byte[] leftover)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _pending = new byte[1 << 17];
        leftover.CopyTo(_pending, 0);
        _pendingCount = leftover.Length;
    }

    /// <summary>Sends an upgrade request; returns the status, the response head and, on 101, the open socket.</summary>
    public static async Task<(int Status, string Head, RawWebSocket? Socket)> ConnectAsync(int port, string target, string? protocol = "ocpp1.6", IEnumerable<string>? headers = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = new StringBuilder()
                .Append($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n");
            if (protocol is not null)
            {
                request.Append($"Sec-WebSocket-Protocol: {protocol}\r\n");
            }
            foreach (var header in headers ?? [])
            {
                request.Append(header).Append("\r\n");
            }
            request.Append("\r\n");
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request.ToString()));
            var (head, leftover) = await ReadHeadAsync(stream);
            var status = int.Parse(head.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
            if (status != 101)
            {
                tcp.Dispose();
                return (status, head + Encoding.UTF8.GetString(leftover), null);
            }
            return (status, head, new RawWebSocket(tcp, leftover));
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>The response body of a refused upgrade (everything after the head that arrived).</summary>
    public static string Body(string head) => head[(head.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

    public static string? Header(string head, string name)
        => head.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim();

    public Task SendTextAsync(string text) => SendFrameAsync(RawFrame.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>Encodes one frame (masked, as a client must, unless told otherwise) and writes it.</summary>
    public async Task SendFrameAsync(int opcode, ReadOnlyMemory<byte> payload, bool fin = true, bool masked = true, int rsv = 0, long? declaredLength = null)
    {
        await _stream.WriteAsync(Encode(opcode, payload.Span, fin, masked, rsv, declaredLength));
    }

    public static byte[] Encode(int opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true, int rsv = 0, long? declaredLength = null)
    {
        var length = declaredLength ?? payload.Length;
        var header = new byte[14];
        var n = 0;
        header[n++] = (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        var maskBit = masked ? 0x80 : 0;
        if (length < 126)
        {
            header[n++] = (byte)(maskBit | (int)length);
        }
        else if (length <= ushort.MaxValue)
        {
            header[n++] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(n), (ushort)length);
            n += 2;
        }
        else
        {
            header[n++] = (byte)(maskBit | 127);
            BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(n), (ulong)length);
            n += 8;
        }
        var frame = new byte[n + (masked ? 4 : 0) + payload.Length];
        header.AsSpan(0, n).CopyTo(frame);
        if (masked)
        {
            Span<byte> mask = stackalloc byte[4];
            Random.Shared.NextBytes(mask);
            mask.CopyTo(frame.AsSpan(n));
            n += 4;
            for (var i = 0; i < payload.Length; i++)
            {
                frame[n + i] = (byte)(payload[i] ^ mask[i & 3]);
            }
        }
        else
        {
            payload.CopyTo(frame.AsSpan(n));
        }
        return frame;
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next frame from the server, or null when it closed the TCP connection; a reset throws IOException.</summary>
    public async Task<RawFrame?> ReceiveAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        if (!await FillAsync(2, timeout.Token))
        {
            return null;
        }
        var opcode = _pending[0] & 0x0F;
        var fin = (_pending[0] & 0x80) != 0;
        long length = _pending[1] & 0x7F;
        var headerLength = length == 126 ? 4 : length == 127 ? 10 : 2;
        if (!await FillAsync(headerLength, timeout.Token))
        {
            return null;
        }
        length = length == 126 ? BinaryPrimitives.ReadUInt16BigEndian(_pending.AsSpan(2)) : length == 127 ? (long)BinaryPrimitives.ReadUInt64BigEndian(_pending.AsSpan(2)) : length;
        if (!await FillAsync(headerLength + (int)length, timeout.Token))
        {
            return null;
        }
        var payload = _pending.AsSpan(headerLength, (int)length).ToArray();
        Consume(headerLength + (int)length);
        return new RawFrame(opcode, fin, payload);
    }

    /// <summary>Frames until the server's close frame (returned), answering nothing; null when the TCP connection ended without one.</summary>
    public async Task<RawFrame?> ReceiveCloseAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var frame = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (frame is null || frame.Opcode == RawFrame.Close)
            {
                return frame;
            }
        }
        throw new TimeoutException($"no close frame within {within}");
    }

    /// <summary>True when the server ended the TCP connection (EOF or reset) within the time.</summary>
    public async Task<bool> EndedAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                if (await ReceiveAsync(deadline - DateTime.UtcNow) is null)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
        }
        return false;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        while (_pendingCount < count)
        {
            var read = await _stream.ReadAsync(_pending.AsMemory(_pendingCount), cancellationToken);
            if (read == 0)
            {
                return false;
            }
            _pendingCount += read;
        }
        return true;
    }

    private void Consume(int count)
    {
        _pending.AsSpan(count, _pendingCount - count).CopyTo(_pending);
        _pendingCount -= count;
    }

    private static async Task<(string Head, byte[] Leftover)> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[16384];
        var count = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var end = buffer.AsSpan(0, count).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.Latin1.GetString(buffer, 0, end + 4);
                var leftover = buffer[(end + 4)..count];
                // A refused upgrade's short body follows at once; read what is there.
                if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal) && Header(head, "Content-Length") is { } length
                    && int.TryParse(length, System.Globalization.CultureInfo.InvariantCulture, out var bodyLength))
                {
                    while (leftover.Length < bodyLength)
                    {
                        var more = await stream.ReadAsync(buffer.AsMemory(count), timeout.Token);
                        if (more == 0)
                        {
                            break;
                        }
                        count += more;
                        leftover = buffer[(end + 4)..count];
                    }
                }
                return (head, leftover);
            }
            var read = await stream.ReadAsync(buffer.AsMemory(count), timeout.Token);
            if (read == 0)
            {
                throw new IOException($"the server closed the connection before the end of its response head: {Encoding.Latin1.GetString(buffer, 0, count)}");
            }
            count += read;
        }
    }
}

/// <summary>Collects log lines in memory for assertions.</summary>
public sealed class ListLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(ListLoggerProvider owner) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner._lines.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]")}");
    }
}
