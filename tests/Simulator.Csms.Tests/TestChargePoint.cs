using Simulator.Ocpp.V16;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Rpc;

namespace Simulator.Csms.Tests;

/// <summary>How a test client's connection ended.</summary>
public sealed record ConnectionEnd(WebSocketCloseStatus? CloseStatus, string? CloseDescription, Exception? Error)
{
    public bool ByCloseFrame => CloseStatus is not null;
}

/// <summary>A handler's way to answer with a CALLERROR.</summary>
public sealed record ErrorAnswer(OcppErrorCode Code, string Description) : IOcppResponse
{
    public void Validate(Simulator.Ocpp.Validation.PayloadChecker check) { }
}

/// <summary>A minimal charge point over a real ClientWebSocket: sends CALLs, answers the CSMS's CALLs with a handler, keeps the raw CALLRESULT payloads.</summary>
public sealed class TestChargePoint : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly RpcEndpoint _rpc;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, byte[]> _rawResults = new();
    private readonly TaskCompletionSource<ConnectionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<IOcppRequest, IOcppResponse?> _handler;
    private Task? _loop;

    private TestChargePoint(string id, ClientWebSocket socket, Func<IOcppRequest, IOcppResponse?>? handler, OcppMessageSet messages)
    {
        Id = id;
        _socket = socket;
        _handler = handler ?? (_ => null);
        _rpc = new RpcEndpoint(messages, RpcRole.ChargePoint, TimeProvider.System, TimeSpan.FromSeconds(30));
    }

    public string Id { get; }

    /// <summary>The version this client speaks (its subprotocol is the only one it offers).</summary>
    public OcppMessageSet Messages => _rpc.Messages;

    /// <summary>The subprotocol the CSMS accepted.</summary>
    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>Every CALLERROR frame received, as text.</summary>
    public ConcurrentQueue<string> RawErrors { get; } = new();

    /// <summary>CALLs the CSMS sent to this charge point, in arrival order.</summary>
    public ConcurrentQueue<IOcppRequest> Received { get; } = new();

    public Task<ConnectionEnd> Ended => _ended.Task;

    public WebSocketState State => _socket.State;

    public static async Task<TestChargePoint> ConnectAsync(Uri baseUrl, string id, Action<ClientWebSocketOptions>? configure = null, Func<IOcppRequest, IOcppResponse?>? handler = null, OcppMessageSet? version = null)
    {
        version ??= Ocpp16.Messages;
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(version.Subprotocol);
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(new Uri(baseUrl, Uri.EscapeDataString(id)), timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var client = new TestChargePoint(id, socket, handler, version);
        client._loop = client.ReceiveLoopAsync();
        return client;
    }

    /// <summary>Tries to connect and returns the HTTP status of a refused handshake (or 101 when it was accepted).</summary>
    /// <remarks>The client speaks the version of the subprotocol the CSMS accepted (1.6 when it accepted none).</remarks>
    public static async Task<(int Status, TestChargePoint? Client)> TryConnectAsync(Uri baseUrl, string id, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        configure?.Invoke(socket.Options);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(new Uri(baseUrl, Uri.EscapeDataString(id)), timeout.Token);
        }
        catch (WebSocketException)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            return (status, null);
        }
        var version = socket.SubProtocol == Simulator.Ocpp.V201.Ocpp201.Messages.Subprotocol ? Simulator.Ocpp.V201.Ocpp201.Messages : Ocpp16.Messages;
        var client = new TestChargePoint(id, socket, null, version);
        client._loop = client.ReceiveLoopAsync();
        return (101, client);
    }

    /// <summary>Sends a CALL and waits for its answer (CallAnswered or CallFailed).</summary>
    public async Task<RpcEvent> CallAsync(IOcppRequest request, TimeSpan? wait = null)
    {
        var answered = new TaskCompletionSource<RpcEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _gate.WaitAsync();
        try
        {
            _rpc.Call(request, answered);
            await FlushAsync();
        }
        finally
        {
            _gate.Release();
        }
        return await answered.Task.WaitAsync(wait ?? TimeSpan.FromSeconds(15));
    }

    /// <summary>Sends a CALL and returns the decoded answer; fails the test unless it is a CALLRESULT.</summary>
    public async Task<TResponse> AskAsync<TResponse>(IOcppRequest<TResponse> request) where TResponse : class, IOcppResponse
    {
        var result = await CallAsync(request);
        var answered = Assert.IsType<CallAnswered>(result);
        return Assert.IsType<TResponse>(answered.Response);
    }

    /// <summary>The raw payload of the CALLRESULT to the CALL with this unique id.</summary>
    public byte[] RawResult(string uniqueId) => _rawResults[uniqueId];

    public async Task SendRawAsync(string frame)
    {
        await _gate.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        _socket.Abort();
        if (_loop is not null)
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _socket.Dispose();
        _gate.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _ended.TrySetResult(new ConnectionEnd(_socket.CloseStatus, _socket.CloseStatusDescription, null));
                        try
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        }
                        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
                        {
                        }
                        return;
                    }
                    count += result.Count;
                } while (!result.EndOfMessage);
                var message = buffer.AsMemory(0, count).ToArray();
                var parsed = FrameParser.TryParse(message, out var frame, out _);
                if (parsed && frame.Type == MessageTypeId.CallResult)
                {
                    _rawResults[frame.UniqueId] = frame.Payload.ToArray();
                }
                else if (parsed && frame.Type == MessageTypeId.CallError)
                {
                    RawErrors.Enqueue(Encoding.UTF8.GetString(message));
                }
                RpcEvent received;
                await _gate.WaitAsync();
                try
                {
                    received = _rpc.Receive(message);
                    if (received is CallReceived call)
                    {
                        Received.Enqueue(call.Request);
                        var response = _handler(call.Request);
                        if (response is ErrorAnswer error)
                        {
                            _rpc.ReplyError(call.UniqueId, error.Code, error.Description);
                        }
                        else if (response is not null)
                        {
                            _rpc.Reply(call, response);
                        }
                    }
                    await FlushAsync();
                }
                finally
                {
                    _gate.Release();
                }
                if (received is CallAnswered answered)
                {
                    ((TaskCompletionSource<RpcEvent>)answered.Call.Tag!).TrySetResult(answered);
                }
                else if (received is CallFailed failed)
                {
                    ((TaskCompletionSource<RpcEvent>)failed.Call.Tag!).TrySetResult(failed);
                }
            }
        }
        catch (Exception ex)
        {
            _ended.TrySetResult(new ConnectionEnd(null, null, ex));
        }
    }

    private async Task FlushAsync()
    {
        while (_rpc.TryTakeOutgoing(out var frame))
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }
}
