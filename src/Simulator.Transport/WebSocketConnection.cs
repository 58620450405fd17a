using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;

namespace Simulator.Transport;

/// <summary>
/// Receives what an open connection delivers. Callbacks run on thread-pool threads (never two at once for one connection)
/// and must be cheap: forward to a mailbox and return.
/// </summary>
public interface IConnectionListener
{
    /// <summary>One complete text message, exactly sized UTF-8 bytes; the array now belongs to the listener.</summary>
    void OnMessage(byte[] utf8);

    /// <summary>The connection ended; called exactly once, after the last <see cref="OnMessage"/>.</summary>
    void OnClosed(ConnectionClosed info);

    /// <summary>
    /// A binary message of <paramref name="bytes"/> bytes arrived and was dropped (OCPP-J is text only); the connection stays open.
    /// Called in order with <see cref="OnMessage"/>.
    /// </summary>
    void OnBinaryMessageIgnored(long bytes)
    {
    }
}

/// <summary>
/// Optionally implemented by an <see cref="IConnectionListener"/> that wants to know when each message it sent was written
/// to the socket (a latency trace); listeners that do not implement it cost the send path nothing.
/// </summary>
public interface IConnectionWriteObserver
{
    /// <summary>
    /// The send pump has written <paramref name="utf8"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp). Any thread; must be
    /// cheap, and must not keep the bytes: a rented frame goes back to the pool right after.
    /// </summary>
    void OnWritten(ReadOnlySpan<byte> utf8, long timestamp);
}

/// <summary>Why a connection ended.</summary>
public enum CloseOrigin
{
    /// <summary>The server sent a close frame (status and description are the server's).</summary>
    Peer,

    /// <summary><see cref="WebSocketConnection.CloseAsync"/> was called (status and description are the server's reply, if any).</summary>
    Local,

    /// <summary><see cref="WebSocketConnection.Abort"/> (or Dispose) ended it abruptly, without a close frame.</summary>
    Aborted,

    /// <summary>This side closed because the server broke the rules: a message above the maximum (1009, see <see cref="ConnectionClosed.MessageBytes"/>).</summary>
    ProtocolViolation,

    /// <summary>The connection broke: reset, end of stream without close frame, keep-alive timeout, write failure.</summary>
    NetworkError,
}

/// <summary>How a connection ended.</summary>
public sealed record ConnectionClosed(CloseOrigin Origin, WebSocketCloseStatus? Status, string? Description, Exception? Error = null)
{
    /// <summary>
    /// For a close because a message was too large: its size in bytes, as far as it arrived before the close (the rest is read
    /// and discarded within the close timeout, so this is the whole message unless the server kept sending past that).
    /// </summary>
    public long? MessageBytes { get; init; }

    /// <summary>For a close because a message was too large: its first bytes (up to <see cref="MessageHeadLength"/>), to tell what it was.</summary>
    public ReadOnlyMemory<byte> MessageHead { get; init; }

    public const int MessageHeadLength = 256;

    public override string ToString() =>
        $"{Origin}{(Status is { } s ? $" {(int)s} {s}" : string.Empty)}{(string.IsNullOrEmpty(Description) ? string.Empty : $" '{Description}'")}" +
        (Error is null ? string.Empty : $" ({Error.GetType().Name}: {Error.Message})");
}

/// <summary>
/// One open WebSocket connection. Idle it holds no receive buffer (a zero-byte receive is pending); a buffer is rented only
/// while a message arrives. <see cref="Send"/> queues and returns at once; one pump writes the queue in order.
/// </summary>
public sealed class WebSocketConnection : IDisposable
{
    private const int StateOpen = 0;
    private const int StateClosing = 1;
    private const int StateClosed = 2;

    private readonly WebSocket _webSocket;
    private readonly Stream _stream;
    private readonly Socket _socket;
    private readonly int _maxMessageBytes;
    private readonly TimeSpan _closeTimeout;
    private readonly int? _maxUnacknowledged;
    private readonly long? _maxQueuedBytes;

    // Guards _state, _pumping, _drained and the queue itself. A rented frame is owned by the queue while in it, then by the
    // pump, which returns its array to the pool after the write; frames the queue drops are returned where it is cleared.
    private readonly Queue<QueuedFrame> _sendQueue = new();
    private int _state;
    private bool _pumping;
    private TaskCompletionSource? _drained;
    private long _queuedBytes;

    // Back-pressure: messages delivered and not acknowledged; the receive loop's wait for room, when it waits.
    private int _unacknowledged;
    private TaskCompletionSource? _room;

    private IConnectionListener? _listener;
    private IConnectionWriteObserver? _writeObserver;
    private ConnectionClosed? _closedInfo;
    private int _terminated;
    private int _closedDelivered;
    private Task? _receiveLoop;

    internal WebSocketConnection(WebSocket webSocket, Stream stream, Socket socket, ConnectionSettings settings)
    {
        _webSocket = webSocket;
        _stream = stream;
        _socket = socket;
        _maxMessageBytes = settings.MaxMessageBytes;
        _closeTimeout = settings.CloseTimeout;
        _maxUnacknowledged = settings.MaxUnacknowledgedMessages;
        _maxQueuedBytes = settings.MaxQueuedSendBytes;
    }

    /// <summary>The subprotocol both sides agreed on.</summary>
    public string? SubProtocol => _webSocket.SubProtocol;

    /// <summary>Negotiated TLS version, or null for ws://.</summary>
    public SslProtocols? TlsProtocol => _stream is NetworkStream ? null : Tls.Protocol(_stream);

    /// <summary>Negotiated cipher suite, or null for ws://.</summary>
    public TlsCipherSuite? TlsCipherSuite => _stream is NetworkStream ? null : Tls.CipherSuite(_stream);

    /// <summary>The server's certificate (public part), or null for ws://.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate? RemoteCertificate => _stream is NetworkStream ? null : Tls.RemoteCertificate(_stream);

    // Apart and never inlined: a ws:// connection's stream is a NetworkStream, and a method naming SslStream loads System.Net.Security
    // when the JIT compiles it, which a ws:// fleet has no other use for.
    private static class Tls
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static SslProtocols? Protocol(Stream stream) => (stream as SslStream)?.SslProtocol;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static TlsCipherSuite? CipherSuite(Stream stream) => (stream as SslStream)?.NegotiatedCipherSuite;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static System.Security.Cryptography.X509Certificates.X509Certificate? RemoteCertificate(Stream stream) => (stream as SslStream)?.RemoteCertificate;
    }

    public EndPoint? LocalEndPoint => Volatile.Read(ref _terminated) == 0 ? TryGet(() => _socket.LocalEndPoint) : null;

    public EndPoint? RemoteEndPoint => Volatile.Read(ref _terminated) == 0 ? TryGet(() => _socket.RemoteEndPoint) : null;

    /// <summary>True until the connection has ended (see <see cref="ClosedInfo"/>).</summary>
    public bool IsOpen => Volatile.Read(ref _terminated) == 0;

    /// <summary>How it ended, once it has.</summary>
    public ConnectionClosed? ClosedInfo => Volatile.Read(ref _closedInfo);

    /// <summary>Starts delivering messages to <paramref name="listener"/>. Messages that arrive before stay in the socket.</summary>
    public void Start(IConnectionListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        if (Interlocked.CompareExchange(ref _listener, listener, null) is not null)
        {
            throw new InvalidOperationException("The connection has already been started.");
        }
        _writeObserver = listener as IConnectionWriteObserver;

        if (Volatile.Read(ref _terminated) != 0)
        {
            // Ended (aborted) before it was started: the listener is still told, once.
            DeliverClosed();
            return;
        }

        _receiveLoop = ReceiveLoopAsync(listener);
    }

    /// <summary>
    /// Queues one text message (UTF-8, not copied: do not change the array afterwards). Any thread, never blocks on the network.
    /// Returns false when the connection is closing or closed.
    /// </summary>
    public bool Send(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        return Enqueue(new QueuedFrame(utf8, Rented: false));
    }

    /// <summary>
    /// Queues one text message held in an array rented from <see cref="ArrayPool{T}.Shared"/>; the connection now owns the array
    /// and returns it to the pool once written (or dropped, or at once when this returns false). The caller must not touch it again.
    /// </summary>
    public bool SendRented(ArraySegment<byte> utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8.Array);
        return Enqueue(new QueuedFrame(utf8, Rented: true));
    }

    private bool Enqueue(QueuedFrame frame)
    {
        lock (_sendQueue)
        {
            if (_state != StateOpen)
            {
                frame.Release();
                return false;
            }

            _sendQueue.Enqueue(frame);
            _queuedBytes += frame.Bytes.Count;
            if (_pumping)
            {
                return true;
            }

            _pumping = true;
        }

        _ = PumpAsync();
        return true;
    }

    /// <summary>
    /// The listener has handled one message delivered by <see cref="IConnectionListener.OnMessage"/> (only with
    /// <see cref="ConnectionSettings.MaxUnacknowledgedMessages"/>): room for the next. Any thread.
    /// </summary>
    public void Acknowledge()
    {
        if (_maxUnacknowledged is { } limit && Interlocked.Decrement(ref _unacknowledged) < limit)
        {
            SignalRoom();
        }
    }

    private bool HasRoom =>
        (_maxUnacknowledged is not { } limit || Volatile.Read(ref _unacknowledged) < limit) &&
        (_maxQueuedBytes is not { } bytes || Interlocked.Read(ref _queuedBytes) < bytes);

    /// <summary>Before reading the next message: waits while the listener is behind or the peer does not read what we send.</summary>
    private async ValueTask WaitForRoomAsync()
    {
        while (!HasRoom && Volatile.Read(ref _terminated) == 0)
        {
            var room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _room, room);
            // Checked again after publishing the wait: a signal between the first check and now would otherwise be missed.
            if (HasRoom || Volatile.Read(ref _terminated) != 0)
            {
                Interlocked.CompareExchange(ref _room, null, room);
                return;
            }
            await room.Task.ConfigureAwait(false);
        }
    }

    private void SignalRoom() => Interlocked.Exchange(ref _room, null)?.TrySetResult();

    private async Task PumpAsync()
    {
        while (true)
        {
            QueuedFrame message;
            TaskCompletionSource? drained = null;
            lock (_sendQueue)
            {
                if (!_sendQueue.TryDequeue(out message))
                {
                    _pumping = false;
                    drained = _drained;
                }
            }

            if (message.Bytes.Array is null)
            {
                drained?.TrySetResult();
                return;
            }

            try
            {
                await _webSocket.SendAsync(message.Bytes.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                _writeObserver?.OnWritten(message.Bytes.AsSpan(), System.Diagnostics.Stopwatch.GetTimestamp());
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                message.Release();
                lock (_sendQueue)
                {
                    ClearSendQueue();
                    _pumping = false;
                    drained = _drained;
                }

                drained?.TrySetResult();
                Terminate(new ConnectionClosed(CloseOrigin.NetworkError, null, null, e), abortive: true);
                return;
            }

            // Written: the socket layer holds no reference to the bytes any more.
            message.Release();
            if (_maxQueuedBytes is not null)
            {
                // Counted until written: a peer that does not read stops this side's reading, not its memory.
                lock (_sendQueue)
                {
                    _queuedBytes -= message.Bytes.Count;
                }
                SignalRoom();
            }
        }
    }

    /// <summary>
    /// Normal close: stops accepting sends, writes what is queued, sends a close frame and waits for the server's, all bounded by
    /// <see cref="ConnectionSettings.CloseTimeout"/>; past that the connection is aborted. The listener sees <see cref="CloseOrigin.Local"/>.
    /// </summary>
    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? description = null)
    {
        TaskCompletionSource? drained = null;
        lock (_sendQueue)
        {
            if (_state != StateOpen)
            {
                return;
            }

            _state = StateClosing;
            if (_pumping)
            {
                drained = _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        using var timeout = new CancellationTokenSource(_closeTimeout);
        try
        {
            if (drained is not null)
            {
                await drained.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }

            if (_receiveLoop is { } loop)
            {
                await _webSocket.CloseOutputAsync(status, description, timeout.Token).ConfigureAwait(false);
                await loop.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await _webSocket.CloseAsync(status, description, timeout.Token).ConfigureAwait(false);
                Terminate(new ConnectionClosed(CloseOrigin.Local, _webSocket.CloseStatus, _webSocket.CloseStatusDescription), abortive: false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            Terminate(new ConnectionClosed(CloseOrigin.Local, null, "close handshake did not complete", e), abortive: true);
        }
    }

    /// <summary>Ends the connection at once: no close frame, the socket is reset (linger 0). The listener sees <see cref="CloseOrigin.Aborted"/>.</summary>
    public void Abort() => Terminate(new ConnectionClosed(CloseOrigin.Aborted, null, null), abortive: true);

    /// <summary>Same as <see cref="Abort"/>; a no-op on an ended connection.</summary>
    public void Dispose() => Abort();

    private async Task ReceiveLoopAsync(IConnectionListener listener)
    {
        // Let Start return before the first receive runs: the caller may still be setting up.
        await Task.Yield();
        try
        {
            while (true)
            {
                // Idle: no buffer held, only a zero-byte read pending.
                var head = await _webSocket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                if (head.MessageType == WebSocketMessageType.Close)
                {
                    await OnCloseFrameAsync().ConfigureAwait(false);
                    return;
                }

                // A message is there: it stays in the socket while the listener is behind or the peer is not reading.
                await WaitForRoomAsync().ConfigureAwait(false);

                if (head.MessageType == WebSocketMessageType.Binary)
                {
                    var dropped = head.EndOfMessage ? 0 : await DiscardMessageAsync(CancellationToken.None).ConfigureAwait(false);
                    if (dropped is not { } bytes)
                    {
                        return;
                    }

                    listener.OnBinaryMessageIgnored(bytes);
                    continue;
                }

                if (head.EndOfMessage)
                {
                    Deliver(listener, []);
                    continue;
                }

                var message = await ReadMessageAsync().ConfigureAwait(false);
                if (message is null)
                {
                    return;
                }

                Deliver(listener, message);
            }
        }
        catch (Exception e) when (Volatile.Read(ref _terminated) != 0)
        {
            _ = e; // already ended (aborted or closed): the exception is the consequence
        }
        catch (Exception e)
        {
            var origin = Volatile.Read(ref _state) == StateClosing ? CloseOrigin.Local : CloseOrigin.NetworkError;
            Terminate(new ConnectionClosed(origin, null, null, e), abortive: true);
        }
    }

    private void Deliver(IConnectionListener listener, byte[] message)
    {
        if (_maxUnacknowledged is not null)
        {
            Interlocked.Increment(ref _unacknowledged);
        }

        listener.OnMessage(message);
    }

    /// <summary>Reads the rest of a text message into rented buffers; null when the connection ended meanwhile.</summary>
    private async ValueTask<byte[]?> ReadMessageAsync()
    {
        var limit = _maxMessageBytes + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit, 4096));
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await _webSocket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await OnCloseFrameAsync().ConfigureAwait(false);
                    return null;
                }

                count += result.Count;
                if (count > _maxMessageBytes)
                {
                    await CloseTooLargeAsync(count, result.EndOfMessage, buffer.AsSpan(0, Math.Min(count, ConnectionClosed.MessageHeadLength)).ToArray()).ConfigureAwait(false);
                    return null;
                }

                if (result.EndOfMessage)
                {
                    return buffer.AsSpan(0, count).ToArray();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads the rest of the current message into a small scratch buffer and drops it; returns its byte count, or null when
    /// the connection ended meanwhile (a close frame is handled as usual).
    /// </summary>
    private async Task<long?> DiscardMessageAsync(CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        long count = 0;
        try
        {
            while (true)
            {
                var result = await _webSocket.ReceiveAsync(scratch.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await OnCloseFrameAsync().ConfigureAwait(false);
                    return null;
                }

                count += result.Count;
                if (result.EndOfMessage)
                {
                    return count;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>A message passed the maximum: its rest is counted and dropped (bounded by the close timeout), then 1009.</summary>
    private async Task CloseTooLargeAsync(long seen, bool complete, byte[] head)
    {
        var size = seen;
        if (!complete)
        {
            using var timeout = new CancellationTokenSource(_closeTimeout);
            try
            {
                if (await DiscardMessageAsync(timeout.Token).ConfigureAwait(false) is not { } rest)
                {
                    return;   // the server closed meanwhile
                }

                size += rest;
            }
            catch (OperationCanceledException)
            {
                // The server keeps sending: the size is what arrived so far.
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                Terminate(new ConnectionClosed(CloseOrigin.NetworkError, null, null, e) { MessageBytes = size, MessageHead = head }, abortive: true);
                return;
            }
        }

        await CloseForViolationAsync(WebSocketCloseStatus.MessageTooBig,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"message of {size} bytes exceeds {_maxMessageBytes} bytes"), size, head).ConfigureAwait(false);
    }

    private async Task OnCloseFrameAsync()
    {
        var status = _webSocket.CloseStatus;
        var description = _webSocket.CloseStatusDescription;
        bool localFirst;
        lock (_sendQueue)
        {
            localFirst = _state == StateClosing;
            _state = StateClosed;
            ClearSendQueue();
        }

        if (_webSocket.State == WebSocketState.CloseReceived)
        {
            // The server closed first: answer with the same status to complete the handshake.
            using var timeout = new CancellationTokenSource(_closeTimeout);
            try
            {
                await _webSocket.CloseOutputAsync(status ?? WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                // The server may already have dropped the connection; the close is reported all the same.
            }
        }

        Terminate(new ConnectionClosed(localFirst ? CloseOrigin.Local : CloseOrigin.Peer, status, description), abortive: false);
    }

    private async Task CloseForViolationAsync(WebSocketCloseStatus status, string description, long? messageBytes, byte[] head)
    {
        lock (_sendQueue)
        {
            _state = StateClosing;
            ClearSendQueue();
        }

        using var timeout = new CancellationTokenSource(_closeTimeout);
        var scratch = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            await _webSocket.CloseOutputAsync(status, description, timeout.Token).ConfigureAwait(false);

            // Discard whatever is still in flight until the server's close frame.
            while ((await _webSocket.ReceiveAsync(scratch.AsMemory(), timeout.Token).ConfigureAwait(false)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // Bounded: the connection is torn down below either way.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }

        Terminate(new ConnectionClosed(CloseOrigin.ProtocolViolation, status, description) { MessageBytes = messageBytes, MessageHead = head }, abortive: _webSocket.State != WebSocketState.Closed);
    }

    /// <summary>Ends the connection once: releases the socket and tells the listener.</summary>
    private void Terminate(ConnectionClosed info, bool abortive)
    {
        if (Interlocked.Exchange(ref _terminated, 1) != 0)
        {
            return;
        }

        lock (_sendQueue)
        {
            _state = StateClosed;
            ClearSendQueue();
        }

        if (abortive)
        {
            try
            {
                // Linger 0: close sends RST instead of FIN.
                _socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }

            _webSocket.Abort();
        }

        _webSocket.Dispose();
        _stream.Dispose();
        _socket.Dispose();

        SignalRoom();
        Volatile.Write(ref _closedInfo, info);
        DeliverClosed();
    }

    /// <summary>Empties the send queue and its byte count, returning its rented frames to the pool. Under the queue's lock.</summary>
    private void ClearSendQueue()
    {
        while (_sendQueue.TryDequeue(out var dropped))
        {
            dropped.Release();
        }
        _queuedBytes = 0;
    }

    /// <summary>A message waiting to be written; a rented one's array goes back to the pool exactly once, by whoever holds it last.</summary>
    private readonly record struct QueuedFrame(ArraySegment<byte> Bytes, bool Rented)
    {
        public void Release()
        {
            if (Rented)
            {
                ArrayPool<byte>.Shared.Return(Bytes.Array!);
            }
        }
    }

    /// <summary>Calls OnClosed exactly once, whichever of Start and Terminate comes second.</summary>
    private void DeliverClosed()
    {
        Interlocked.MemoryBarrier();
        var info = Volatile.Read(ref _closedInfo);
        var listener = Volatile.Read(ref _listener);
        if (info is not null && listener is not null && Interlocked.Exchange(ref _closedDelivered, 1) == 0)
        {
            listener.OnClosed(info);
        }
    }

    private static EndPoint? TryGet(Func<EndPoint?> get)
    {
        try
        {
            return get();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }
}
