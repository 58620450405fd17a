using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Rpc;

namespace Simulator.Csms;

/// <summary>
/// One charge point's WebSocket: its receive loop and its <see cref="RpcEndpoint"/>, speaking the OCPP version the
/// handshake negotiated (its message set and that version's handlers). Every use of the endpoint and every
/// send happens under one per-connection gate, so frames leave in the order the endpoint queued them. The receive buffer
/// is rented only while a message is being read (a zero-byte receive waits for data), so an idle connection holds none.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The gate and the token source hold no unmanaged resources (no wait handle, no timer); late delayed answers and sweeps may still touch them after the connection ends.")]
internal sealed class ChargePointConnection
{
    private const int InitialBufferSize = 4096;

    /// <summary>How long, after a close frame, the CSMS reads and drops what the peer still sends before it ends the TCP connection.</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(2);

    private readonly CsmsServer _server;
    private readonly HttpContext _http;
    private readonly WebSocket _socket;
    private readonly RpcEndpoint _rpc;
    private readonly IVersionHandlers _handlers;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private string? _endedBy;
    // Kestrel resets the HttpContext once RunAsync has returned. Abort runs on another thread (the drop fault, the server's
    // dispose) and its own socket abort lets RunAsync end at once: the lock keeps the context alive while Abort uses it, and
    // Abort leaves it alone after RunAsync is done with it.
    private readonly Lock _requestLock = new();
    private bool _requestEnded;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DrainableUpgrade? _upgrade;
    private readonly Dictionary<string, long> _triggered = new(StringComparer.Ordinal);
    private int _ourCallsPending;
    private long _messageStartedAt;

    public ChargePointConnection(CsmsServer server, HttpContext http, WebSocket socket, ChargePointState state, DrainableUpgrade? upgrade, IVersionHandlers handlers)
    {
        _server = server;
        _http = http;
        _socket = socket;
        _upgrade = upgrade;
        _handlers = handlers;
        State = state;
        _rpc = new RpcEndpoint(handlers.Messages, RpcRole.Csms, server.Options.TimeProvider, server.Options.CallTimeout);
    }

    public string ChargeBoxId => State.ChargeBoxId;

    /// <summary>The OCPP version this connection speaks (negotiated by its subprotocol).</summary>
    public OcppMessageSet Messages => _rpc.Messages;

    public ChargePointState State { get; }

    /// <summary>Completes when the receive loop has ended and the connection is cleaned up.</summary>
    public Task Finished => _finished.Task;

    /// <summary>How the connection ended, once it has: who closed it and with which status, or that it was lost.</summary>
    public string? EndedBy => Volatile.Read(ref _endedBy);

    public async Task RunAsync()
    {
        try
        {
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (WebSocketException ex) when (ex is { WebSocketErrorCode: WebSocketError.Faulted, InnerException: null } && EndedBy is null)
        {
            // The WebSocket found a protocol error or invalid UTF-8 and has sent its close frame (1002/1007).
            NoteProtocolViolation(ex);
            await DrainAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            // The peer or a fault ended the connection.
            var ping = _server.Options.WebSocketPingInterval;
            var pingTimeout = _server.Options.WebSocketPingTimeout > TimeSpan.Zero ? _server.Options.WebSocketPingTimeout : ping;
            if (ping > TimeSpan.Zero && EndedBy is null && _upgrade is { } upgrade && upgrade.Silence >= pingTimeout)
            {
                // The WebSocket's keep-alive gave up: no pong (nor anything else) came within the ping timeout.
                _server.Stats.PingTimedOut();
                NoteEnd($"closed by the CSMS: no pong within {pingTimeout.TotalSeconds:0.###} s (dead or half-open peer)");
                _server.Log.Report(LogLevel.Information, "ping timeout", $"{CsmsLog.Quote(ChargeBoxId)}: sent nothing, not even a pong, for {upgrade.Silence.TotalSeconds:0.0} s; connection closed");
            }
            else
            {
                _server.Log.Report(LogLevel.Debug, "connection lost", $"{CsmsLog.Quote(ChargeBoxId)}: {ex.GetType().Name}: {ex.Message}");
                NoteEnd("lost: no close handshake");
            }
        }
        finally
        {
            await ShutdownAsync().ConfigureAwait(false);
            lock (_requestLock)
            {
                _requestEnded = true;
            }
            _finished.TrySetResult();
        }
    }

    public async Task<CallOutcome> CallAsync(IOcppRequest request, CancellationToken cancellationToken)
    {
        if (!Messages.Contains(request))
        {
            return new CallOutcome(ChargeBoxId, CsmsServer.ActionNameOf(request), CallStatus.NotInVersion,
                Description: $"{ChargeBoxId} is connected with {Messages}, which has no {request.GetType().FullName}");
        }
        var action = Messages.Of(request);
        var pending = new TaskCompletionSource<CallOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_closed.IsCancellationRequested)
            {
                return new CallOutcome(ChargeBoxId, action.Name, CallStatus.NotConnected, Description: "the connection is closing");
            }
            NoteTrigger(request);
            _rpc.Call(request, pending);
            Interlocked.Increment(ref _ourCallsPending);
            await FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
        _server.Stats.CallsSent();
        return await pending.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Called by the server's one shared sweep: fails the call in flight when its time is up, and cuts a message begun too long ago.</summary>
    public async Task SweepTimeoutsAsync()
    {
        if (Volatile.Read(ref _messageStartedAt) is var started and not 0
            && _server.Options.TimeProvider.GetElapsedTime(started) > _server.Options.MessageTimeout && !_closed.IsCancellationRequested)
        {
            Volatile.Write(ref _messageStartedAt, 0);
            _server.Stats.ClosedMessageTimeout();
            _server.Log.Report(LogLevel.Warning, "message timeout", $"{CsmsLog.Quote(ChargeBoxId)}: a WebSocket message begun {_server.Options.MessageTimeout.TotalSeconds:0.#} s ago is still not complete; closing with 1008");
            _ = CloseAsync(WebSocketCloseStatus.PolicyViolation, $"message not completed within {_server.Options.MessageTimeout.TotalSeconds:0.#} s", TimeSpan.FromSeconds(2));
            return;
        }
        if (Volatile.Read(ref _ourCallsPending) == 0 || _closed.IsCancellationRequested)
        {
            return;
        }
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            while (_rpc.CheckTimeout() is { } failed)
            {
                Complete(failed);
            }
            await FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends a close frame, waits a while for the peer's, then aborts if it has not come.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description, TimeSpan grace)
    {
        await SendCloseAsync(status, description, grace).ConfigureAwait(false);
        if (await Task.WhenAny(Finished, Task.Delay(grace)).ConfigureAwait(false) != Finished)
        {
            Abort();
            await Finished.ConfigureAwait(false);
        }
    }

    private async Task SendCloseAsync(WebSocketCloseStatus status, string description, TimeSpan grace)
    {
        NoteEnd($"closed by the CSMS: {status} {description}");
        if (await _gate.WaitAsync(grace).ConfigureAwait(false))
        {
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(grace);
                    await _socket.CloseOutputAsync(status, description, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Already gone.
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Ends the TCP connection abruptly, without a close frame.</summary>
    public void Abort()
    {
        NoteEnd("aborted by the CSMS");
        _closed.Cancel();
        _socket.Abort();
        lock (_requestLock)
        {
            if (_requestEnded)
            {
                return;   // the request has ended on its own (the peer closed): its context may already serve another
            }
            try
            {
                _http.Abort();
            }
            catch (ObjectDisposedException)
            {
                // Kestrel has already disposed the connection underneath: there is nothing left to abort.
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var token = _closed.Token;
        var max = _server.Options.MaxMessageBytes;
        while (true)
        {
            // Wait for data without holding a buffer.
            var first = await _socket.ReceiveAsync(Memory<byte>.Empty, token).ConfigureAwait(false);
            if (first.MessageType == WebSocketMessageType.Close)
            {
                NoteEnd($"closed by the charge point: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
                await ReplyToCloseAsync().ConfigureAwait(false);
                return;
            }
            Volatile.Write(ref _messageStartedAt, _server.Options.TimeProvider.GetTimestamp());
            var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
            try
            {
                var count = 0;
                var result = first;
                while (!result.EndOfMessage)
                {
                    if (count == buffer.Length)
                    {
                        if (buffer.Length >= max)
                        {
                            _server.Stats.ClosedTooBig();
                            _server.Log.Report(LogLevel.Warning, "message too big", $"{CsmsLog.Quote(ChargeBoxId)}: a message exceeds {max} bytes; closing with 1009");
                            await SendCloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {max} bytes", TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                            await DrainAsync().ConfigureAwait(false);
                            return;
                        }
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max));
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        NoteEnd($"closed by the charge point: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
                        await ReplyToCloseAsync().ConfigureAwait(false);
                        return;
                    }
                    count += result.Count;
                }
                Volatile.Write(ref _messageStartedAt, 0);
                var arrivedAt = System.Diagnostics.Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    // OCPP-J is text only (JSON in UTF-8): RFC 6455's 1003 is the close code for a data type the endpoint cannot accept.
                    _server.Stats.FrameRejected();
                    _server.Stats.BinaryMessage();
                    _server.Log.Report(LogLevel.Warning, "binary message", $"{CsmsLog.Quote(ChargeBoxId)}: sent a binary message ({count} bytes); OCPP-J uses text messages; closing with 1003");
                    await SendCloseAsync(WebSocketCloseStatus.InvalidMessageType, "OCPP-J uses text messages only", TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                    await DrainAsync().ConfigureAwait(false);
                    return;
                }
                await ProcessAsync(buffer.AsMemory(0, count), arrivedAt).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>One whole message, read at <paramref name="arrivedAt"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    private async Task ProcessAsync(ReadOnlyMemory<byte> message, long arrivedAt)
    {
        State.OnMessage();
        RpcEvent received;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            received = _rpc.Receive(message);
            if (received is CallReceived call)
            {
                _server.Stats.CallReceived();
                _server.Stamps?.In(ChargeBoxId, call.UniqueId, arrivedAt);
                if (RefusalBeforeBoot(call) is { } refusal)
                {
                    ReplyError(call, OcppErrorCode.SecurityError, refusal);
                    await FlushAsync().ConfigureAwait(false);
                    return;
                }
                var decision = _server.Faults.Decide();
                if (decision.BlackHole)
                {
                    return;
                }
                if (decision.Delay > TimeSpan.Zero)
                {
                    _ = AnswerLaterAsync(call, decision);
                    return;
                }
                if (_server.Hold is { } hold && hold.Applies(call.Action.Name))
                {
                    hold.Add(this, call, decision.Error, arrivedAt);
                    return;
                }
                Answer(call, decision.Error);
            }
            await FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
        switch (received)
        {
            case CallAnswered or CallFailed:
                Complete(received);
                break;
            case FrameRejected:
                _server.Stats.FrameRejected();
                break;
            case FrameIgnored:
                _server.Stats.FrameIgnored();
                break;
        }
    }

    private async Task AnswerLaterAsync(CallReceived call, CallFaultDecision decision)
    {
        try
        {
            await Task.Delay(decision.Delay, _closed.Token).ConfigureAwait(false);
            await AnswerNowAsync(call, decision.Error).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The connection went away while the answer was held back.
        }
    }

    /// <summary>Called by <see cref="AnswerHold"/>'s thread when a held answer is due: it runs there until its first wait.</summary>
    internal void ReleaseHeld(CallReceived call, OcppErrorCode? error)
    {
        if (!_closed.IsCancellationRequested)
        {
            _ = AnswerHeldAsync(call, error);
        }
    }

    private async Task AnswerHeldAsync(CallReceived call, OcppErrorCode? error)
    {
        try
        {
            await AnswerNowAsync(call, error).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The connection went away while the answer was held.
        }
    }

    private async Task AnswerNowAsync(CallReceived call, OcppErrorCode? error)
    {
        await _gate.WaitAsync(_closed.Token).ConfigureAwait(false);
        try
        {
            Answer(call, error);
            await FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void ReplyError(CallReceived call, OcppErrorCode code, string description)
    {
        _rpc.ReplyError(call.UniqueId, code, description);
        StampOut(call);
    }

    /// <summary>The answer is encoded and queued; the flush that follows, under the same gate, hands it to the socket.</summary>
    private void StampOut(CallReceived call) => _server.Stamps?.Out(ChargeBoxId, call.UniqueId);

    /// <summary>Under the gate: processes a CALL and queues its answer (and any follow-up CALL after it).</summary>
    private void Answer(CallReceived call, OcppErrorCode? injected)
    {
        if (injected is { } code)
        {
            ReplyError(call, code, "injected fault");
            return;
        }
        HandlerResult result;
        try
        {
            result = _handlers.Handle(this, call.Request);
        }
#pragma warning disable CA1031 // A failing handler must still answer the charge point.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _server.Stats.HandlerFailed();
            _server.Log.Report(LogLevel.Error, "handler failed", $"{CsmsLog.Quote(ChargeBoxId)}: {call.Action.Name} threw {ex.GetType().Name}; answered InternalError", ex);
            ReplyError(call, OcppErrorCode.InternalError, $"{call.Action.Name} failed in the CSMS: {ex.GetType().Name}");
            return;
        }
        _rpc.Reply(call, result.Response);
        StampOut(call);
        if (result.FollowUp is { } followUp)
        {
            var pending = new TaskCompletionSource<CallOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            _rpc.Call(followUp, pending);
            Interlocked.Increment(ref _ourCallsPending);
            _server.Stats.CallsSent();
            if (result.OnFollowUpDone is { } done)
            {
                _ = pending.Task.ContinueWith(t => done(t.Result), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private void Complete(RpcEvent completed)
    {
        var (call, outcome) = completed switch
        {
            CallAnswered a => (a.Call, new CallOutcome(ChargeBoxId, a.Call.Action.Name, CallStatus.Answered, a.Response, Elapsed: a.RoundTrip)),
            CallFailed f => (f.Call, new CallOutcome(ChargeBoxId, f.Call.Action.Name, f.Failure switch
            {
                CallFailure.CallError => CallStatus.CallError,
                CallFailure.Timeout => CallStatus.Timeout,
                _ => CallStatus.InvalidResponse,
            }, null, f.ErrorCode, f.Description, f.Elapsed)),
            _ => throw new InvalidOperationException("not a completion"),
        };
        Interlocked.Decrement(ref _ourCallsPending);
        _server.Stats.CallCompleted(outcome.Status);
        ((TaskCompletionSource<CallOutcome>)call.Tag!).TrySetResult(outcome);
    }

    /// <summary>Under the gate: sends every frame the endpoint queued, in order.</summary>
    private async Task FlushAsync()
    {
        while (_rpc.TryTakeOutgoingRented(out var frame))
        {
            try
            {
                // The WebSocket has framed (copied) the payload once the send completes: the rented array can go back then.
                await _socket.SendAsync(frame.AsMemory(), WebSocketMessageType.Text, true, _closed.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
            {
                await _closed.CancelAsync().ConfigureAwait(false);
                return;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame.Array!);
            }
        }
    }

    /// <summary>
    /// Under the gate. A charge point whose BootNotification this CSMS has not Accepted (never booted here, or answered
    /// Pending/Rejected) may send BootNotification, and the messages the CSMS asked it for on this connection within the
    /// call timeout: with TriggerMessage or ExtendedTriggerMessage, and in 2.0.1 the reports of a Get… request (OCPP 1.6
    /// §4.2, 2.0.1 B02.FR.02: while Pending, a charge point sends only what the CSMS instructs). Anything else is a violation: counted, logged, and (policy Refuse) answered
    /// with SecurityError and not processed, so it never reaches the ledger. Returns the CALLERROR description, or null.
    /// </summary>
    private string? RefusalBeforeBoot(CallReceived call)
    {
        if (call.Action.Name == "BootNotification" || State.IsBooted || WasTriggered(call.Action.Name))
        {
            return null;
        }
        var refuse = _server.Options.CallsBeforeBoot == PreBootCallPolicy.Refuse;
        _server.Stats.CallBeforeBoot(refuse);
        var status = State.BootStatus is { } s ? $"its BootNotification was answered {s}" : "it has sent no BootNotification to this CSMS";
        _server.Log.Report(LogLevel.Warning, "call before boot",
            $"{CsmsLog.Quote(ChargeBoxId)}: {call.Action.Name} while {status}; {(refuse ? "refused with SecurityError" : "accepted (CallsBeforeBoot = Accept)")}");
        return refuse ? $"{call.Action.Name} refused: {status}; only BootNotification and messages the CSMS triggered are accepted before registration" : null;
    }

    /// <summary>Under the gate: remembers which actions a CSMS request instructs the charge point to send.</summary>
    private void NoteTrigger(IOcppRequest request)
    {
        foreach (var action in _handlers.InstructedActions(request))
        {
            _triggered[action] = _server.Options.TimeProvider.GetTimestamp();
        }
    }

    private bool WasTriggered(string action)
        => _triggered.TryGetValue(action, out var at) && _server.Options.TimeProvider.GetElapsedTime(at) <= _server.Options.CallTimeout;

    private void NoteProtocolViolation(WebSocketException ex)
    {
        var utf8 = _upgrade?.CloseStatusSent == (int)WebSocketCloseStatus.InvalidPayloadData;
        if (utf8)
        {
            _server.Stats.ClosedInvalidUtf8();
        }
        else
        {
            _server.Stats.ClosedProtocolError();
        }
        NoteEnd($"closed by the CSMS: {(utf8 ? "InvalidPayloadData (invalid UTF-8)" : "ProtocolError")}");
        _server.Log.Report(LogLevel.Warning, utf8 ? "invalid utf-8" : "websocket protocol error",
            $"{CsmsLog.Quote(ChargeBoxId)}: {ex.Message}; closed with {(utf8 ? 1007 : 1002)}");
    }

    /// <summary>After a close frame: read and drop the peer's input for a while, so ending the connection does not reset it.</summary>
    private Task DrainAsync() => _upgrade?.DrainAsync(DrainTime) ?? Task.CompletedTask;

    /// <summary>The first reason wins: a close the CSMS started stays that, whatever the peer answers.</summary>
    private void NoteEnd(string reason) => Interlocked.CompareExchange(ref _endedBy, reason, null);

    private async Task ReplyToCloseAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_socket.State == WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Nothing more to say to a peer that is gone.
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ShutdownAsync()
    {
        await _closed.CancelAsync().ConfigureAwait(false);
        IReadOnlyList<OutgoingCall> abandoned;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            abandoned = _rpc.Reset();
        }
        finally
        {
            _gate.Release();
        }
        foreach (var call in abandoned)
        {
            Interlocked.Decrement(ref _ourCallsPending);
            _server.Stats.CallCompleted(CallStatus.ConnectionLost);
            ((TaskCompletionSource<CallOutcome>)call.Tag!).TrySetResult(new CallOutcome(ChargeBoxId, call.Action.Name, CallStatus.ConnectionLost, Description: "the connection closed before the answer came"));
        }
        _server.OnConnectionEnded(this);
    }
}
