using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Simulator.Fleet.Tests.Hostile;

/// <summary>How the <see cref="HostileCsms"/> misbehaves.</summary>
public enum HostileMode
{
    /// <summary>Accepts the boot, answers the charge point's calls, and sends CALLs (valid and unknown) as fast as the socket takes them.</summary>
    Flood,

    /// <summary>Accepts the boot, then answers and sends non-JSON, wrong shapes, unknown ids, binary, invalid UTF-8 and oversize frames.</summary>
    Garbage,

    /// <summary>Accepts the WebSocket and never answers anything (reads and drops every frame) until <see cref="HostileCsms.EndStall"/>.</summary>
    Stall,

    /// <summary>Accepts the boot, then answers nothing more until <see cref="HostileCsms.EndStall"/>.</summary>
    StallAfterBoot,

    /// <summary>Accepts the boot, then floods CALLs and stops reading, so the charge point's answers fill the TCP window.</summary>
    StopReading,
}

/// <summary>
/// A misbehaving CSMS on 127.0.0.1 (port 0) for the hostile tests: a small Kestrel WebSocket server that speaks just enough
/// OCPP-J to be accepted (BootNotification Accepted with a short heartbeat interval, Heartbeat with the time, {} otherwise)
/// and then misbehaves as <see cref="HostileMode"/> says. It counts what it sent and what came back.
/// </summary>
public sealed class HostileCsms : IAsyncDisposable
{
    /// <summary>The heartbeat interval the boot answer gives, in seconds.</summary>
    public const int HeartbeatInterval = 2;

    private static readonly string[] FloodCalls =
    [
        """{"key":["HeartbeatInterval"]}""",
        """{"requestedMessage":"Heartbeat"}""",
        "{}",
    ];

    private static readonly string[] FloodActions = ["GetConfiguration", "TriggerMessage", "FloodWithAnUnknownAction"];

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, long> _callsFromChargePoints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<HttpContext, byte> _open = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _stalling;
    private long _connections;
    private long _callsSent;
    private long _validCallsSent;
    private long _validAnswered;
    private long _unknownRejected;
    private long _garbageSent;
    private long _answersToChargePoints;
    private int _transactionIds;
    private long _garbageRound;

    private HostileCsms(HostileMode mode, int maxMessageBytes)
    {
        Mode = mode;
        MaxMessageBytes = maxMessageBytes;
        _stalling = mode is HostileMode.Stall or HostileMode.StallAfterBoot;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        // A small send buffer (inherited by accepted sockets): the answers to the charge points' calls wait behind less of the
        // flood in this side's kernel buffer, as they would on a CSMS that is merely fast rather than queueing seconds of calls.
        builder.WebHost.UseSockets(o => o.CreateBoundListenSocket = endpoint =>
        {
            var socket = Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            socket.SendBufferSize = 16 * 1024;
            return socket;
        });
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Run(SessionAsync);
    }

    public HostileMode Mode { get; }

    /// <summary>The charge points' maximum message size: the garbage's oversize frames are just above it.</summary>
    public int MaxMessageBytes { get; }

    public Uri Url { get; private set; } = null!;

    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>CALLs sent to charge points (valid and unknown).</summary>
    public long CallsSent => Interlocked.Read(ref _callsSent);

    /// <summary>GetConfiguration and TriggerMessage CALLs sent.</summary>
    public long ValidCallsSent => Interlocked.Read(ref _validCallsSent);

    /// <summary>CALLRESULTs received for the valid CALLs.</summary>
    public long ValidAnswered => Interlocked.Read(ref _validAnswered);

    /// <summary>CALLERRORs received for the CALLs with an unknown action.</summary>
    public long UnknownRejected => Interlocked.Read(ref _unknownRejected);

    public long GarbageSent => Interlocked.Read(ref _garbageSent);

    /// <summary>Answers this CSMS gave to the charge points' CALLs.</summary>
    public long AnswersToChargePoints => Interlocked.Read(ref _answersToChargePoints);

    /// <summary>CALLs the charge points sent, by action.</summary>
    public IReadOnlyDictionary<string, long> CallsFromChargePoints => _callsFromChargePoints.ToDictionary();

    public long CallsFrom(string action) => _callsFromChargePoints.GetValueOrDefault(action);

    public static async Task<HostileCsms> StartAsync(HostileMode mode, int maxMessageBytes)
    {
        var csms = new HostileCsms(mode, maxMessageBytes);
        await csms._app.StartAsync();
        var address = csms._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        csms.Url = new Uri($"ws://127.0.0.1:{new Uri(address).Port}/ocpp/");
        return csms;
    }

    /// <summary>Ends a stall: the stalled connections are dropped, and from now on every CALL is answered (a well-behaved CSMS).</summary>
    public void EndStall()
    {
        _stalling = false;
        AbortAll();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        AbortAll();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private void AbortAll()
    {
        foreach (var context in _open.Keys)
        {
            // Under the session's lock and only while it is still open: once its session has returned, Kestrel may reset the
            // context for another request, and Abort on a reset context throws a NullReferenceException.
            lock (context)
            {
                if (_open.ContainsKey(context))
                {
                    context.Abort();
                }
            }
        }
    }

    private async Task SessionAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync("ocpp1.6");
        Interlocked.Increment(ref _connections);
        _open[context] = 0;
        var session = new Session(this, socket);
        try
        {
            await session.RunAsync(_stopping.Token);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            // The charge point went away, or the test ended: a hostile CSMS does not care.
        }
        finally
        {
            lock (context)
            {
                _open.TryRemove(context, out _);
            }
        }
    }

    /// <summary>One charge point's connection: a reader (answers, counts) and, once booted, the mode's writer.</summary>
    private sealed class Session(HostileCsms csms, WebSocket socket)
    {
        private readonly SemaphoreSlim _sendGate = new(1, 1);
        private readonly TaskCompletionSource _booted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<string, int> _sentCalls = new(StringComparer.Ordinal);
        private long _nextId;

        public async Task RunAsync(CancellationToken stopping)
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var writer = WriteAsync(ended.Token);
            try
            {
                await ReadAsync(ended.Token);
            }
            finally
            {
                await ended.CancelAsync();
                _booted.TrySetResult();
                await writer.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        private async Task ReadAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[64 * 1024];
            while (true)
            {
                if (csms.Mode == HostileMode.StopReading && _booted.Task.IsCompleted)
                {
                    // Never read again: what the charge point writes stays in its socket until the TCP window is full.
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }
                    result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    count += result.Count;
                }
                while (!result.EndOfMessage);
                await OnFrameAsync(buffer.AsSpan(0, count).ToArray(), cancellationToken);
            }
        }

        private async Task OnFrameAsync(byte[] frame, CancellationToken cancellationToken)
        {
            JsonElement message;
            try
            {
                using var document = JsonDocument.Parse(frame);
                message = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return;
            }
            if (message.ValueKind != JsonValueKind.Array || message.GetArrayLength() < 3)
            {
                return;
            }
            var type = message[0].GetInt32();
            var id = message[1].GetString() ?? "";
            if (type is 3 or 4)
            {
                if (_sentCalls.TryRemove(id, out var kind))
                {
                    if (kind < 2 && type == 3)
                    {
                        Interlocked.Increment(ref csms._validAnswered);
                    }
                    else if (kind == 2 && type == 4)
                    {
                        Interlocked.Increment(ref csms._unknownRejected);
                    }
                }
                return;
            }
            var action = message[2].GetString() ?? "";
            csms._callsFromChargePoints.AddOrUpdate(action, 1, (_, n) => n + 1);
            if (action == "StatusNotification")
            {
                csms._callsFromChargePoints.AddOrUpdate("StatusNotification:" + message[3].GetProperty("status").GetString(), 1, (_, n) => n + 1);
            }
            var stalled = csms._stalling && (csms.Mode == HostileMode.Stall || _booted.Task.IsCompleted);
            if (stalled)
            {
                return;
            }
            if (csms.Mode == HostileMode.Garbage && action == "Heartbeat")
            {
                // Instead of the real answer: a payload that breaks the response schema, an answer of the wrong shape, or an
                // answer with an id nobody asked for (the charge point's heartbeat then times out).
                await SendTextAsync((Interlocked.Increment(ref csms._garbageRound) % 3) switch
                {
                    0 => $"[3,\"{id}\",{{\"currentTime\":12}}]",
                    1 => $"[3,\"{id}\",\"not an object\"]",
                    _ => $"[3,\"{id}-unknown\",{{}}]",
                }, cancellationToken);
                Interlocked.Increment(ref csms._garbageSent);
                return;
            }
            var payload = action switch
            {
                "BootNotification" => $"{{\"status\":\"Accepted\",\"currentTime\":\"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}\",\"interval\":{HeartbeatInterval}}}",
                "Heartbeat" => $"{{\"currentTime\":\"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}\"}}",
                "StartTransaction" => $"{{\"idTagInfo\":{{\"status\":\"Accepted\"}},\"transactionId\":{Interlocked.Increment(ref csms._transactionIds)}}}",
                "Authorize" or "StopTransaction" => """{"idTagInfo":{"status":"Accepted"}}""",
                _ => "{}",
            };
            await SendTextAsync($"[3,\"{id}\",{payload}]", cancellationToken);
            Interlocked.Increment(ref csms._answersToChargePoints);
            if (action == "BootNotification")
            {
                _booted.TrySetResult();
            }
        }

        private async Task WriteAsync(CancellationToken cancellationToken)
        {
            await _booted.Task;
            switch (csms.Mode)
            {
                case HostileMode.Flood or HostileMode.StopReading:
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        var kind = (int)(Interlocked.Increment(ref _nextId) % FloodCalls.Length);
                        var id = "f" + _nextId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        if (csms.Mode == HostileMode.Flood)
                        {
                            _sentCalls[id] = kind;
                        }
                        await SendTextAsync($"[2,\"{id}\",\"{FloodActions[kind]}\",{FloodCalls[kind]}]", cancellationToken);
                        Interlocked.Increment(ref csms._callsSent);
                        if (kind < 2)
                        {
                            Interlocked.Increment(ref csms._validCallsSent);
                        }
                        if (_nextId % 64 == 0)
                        {
                            // While the socket takes everything at once the sends complete synchronously: let the other sessions run.
                            await Task.Yield();
                        }
                    }
                    break;
                case HostileMode.Garbage:
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        // One sequence across the connections: the kinds that end a connection do not keep the others from coming.
                        await SendGarbageAsync((int)Interlocked.Increment(ref csms._garbageRound), cancellationToken);
                        Interlocked.Increment(ref csms._garbageSent);
                        await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
                    }
                    break;
            }
        }

        private Task SendGarbageAsync(int round, CancellationToken cancellationToken) => (round % 9) switch
        {
            0 => SendTextAsync("this is not JSON {", cancellationToken),
            1 => SendTextAsync("""{"an":"object, not an array"}""", cancellationToken),
            2 => SendTextAsync("""[7,"x","Unknown message type",{}]""", cancellationToken),
            3 => SendTextAsync($"[3,\"nobody-asked-{round}\",{{}}]", cancellationToken),
            4 => SendAsync([0xde, 0xad, 0xbe, 0xef], WebSocketMessageType.Binary, cancellationToken),
            5 => SendTextAsync($"[2,\"g{round}\",\"NoSuchAction\",{{}}]", cancellationToken),
            6 => SendTextAsync($"[2,\"g{round}\",\"ChangeAvailability\",{{\"connectorId\":\"one\"}}]", cancellationToken),
            7 => SendTextAsync("[2,\"g" + round + "\",\"" + new string('A', csms.MaxMessageBytes + 100) + "\",{}]", cancellationToken),
            // Invalid UTF-8 in a text frame (a lone continuation byte and an overlong encoding): the WebSocket itself refuses it.
            _ => SendAsync([(byte)'[', 0x80, 0xc0, 0xaf, (byte)']'], WebSocketMessageType.Text, cancellationToken),
        };

        private Task SendTextAsync(string text, CancellationToken cancellationToken) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

        private async Task SendAsync(byte[] bytes, WebSocketMessageType type, CancellationToken cancellationToken)
        {
            await _sendGate.WaitAsync(cancellationToken);
            try
            {
                await socket.SendAsync(bytes, type, true, cancellationToken);
            }
            finally
            {
                _sendGate.Release();
            }
        }
    }
}
