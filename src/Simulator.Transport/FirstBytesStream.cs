namespace Simulator.Transport;

/// <summary>
/// The socket's stream under an <see cref="System.Net.Security.SslStream"/>: passes everything through, and until
/// <see cref="StopWatching"/> remembers the first byte the server sent. A TLS server's first record starts with a content
/// type of 20–24; a plain server answering the hello ("HTTP/1.1 400 ...") does not, which tells the two failures apart
/// without reading the platform's error text.
/// </summary>
internal sealed class FirstBytesStream(Stream inner) : Stream
{
    private bool _watching = true;

    /// <summary>The first byte the server sent while watched, or null when it sent none.</summary>
    public byte? FirstByte { get; private set; }

    /// <summary>Whether the server's first byte cannot begin a TLS record.</summary>
    public bool ServerSpokeSomethingElse => FirstByte is { } first && first is < 20 or > 24;

    /// <summary>Whether the server's first bytes look like HTTP ("H").</summary>
    public bool ServerSpokeHttp => FirstByte == (byte)'H';

    /// <summary>After the handshake: reads go straight to the socket's stream.</summary>
    public void StopWatching() => _watching = false;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _watching ? WatchAsync(buffer, cancellationToken) : inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Watch(buffer[..read]);
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask<int> WatchAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Watch(buffer.Span[..read]);
        return read;
    }

    private void Watch(ReadOnlySpan<byte> data)
    {
        if (_watching && FirstByte is null && data.Length > 0)
        {
            FirstByte = data[0];
        }
    }
}
