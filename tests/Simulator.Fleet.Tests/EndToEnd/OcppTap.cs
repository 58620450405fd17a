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

namespace Simulator.Fleet.Tests.EndToEnd;

/// <summary>One OCPP-J frame as it crossed the tap.</summary>
public sealed record TapFrame(DateTimeOffset At, bool FromChargePoint, string ChargeBoxId, string Text, JsonElement? Json)
{
    public int? MessageType => Json is { ValueKind: JsonValueKind.Array } a && a.GetArrayLength() > 0 && a[0].ValueKind == JsonValueKind.Number ? a[0].GetInt32() : null;
    public string? UniqueId => Json is { ValueKind: JsonValueKind.Array } a && a.GetArrayLength() > 1 && a[1].ValueKind == JsonValueKind.String ? a[1].GetString() : null;
    public string? Action => MessageType == 2 ? Json!.Value[2].GetString() : null;
    /// <summary>The payload of a CALL ([3]) or a CALLRESULT ([2]).</summary>
    public JsonElement Payload => MessageType == 2 ? Json!.Value[3] : Json!.Value[2];
}

/// <summary>
/// A transparent, recording WebSocket relay between charge points and the real CSMS (both on loopback): every frame is
/// forwarded unchanged and kept with its time, so a test can see exactly what went over the wire in both directions.
/// It can also write a raw frame to a charge point, as a misbehaving CSMS would. A close or an abort on one side ends
/// the other side the same way (abort), so drops at the CSMS reach the charge point.
/// </summary>
public sealed class OcppTap : IAsyncDisposable
{
    private readonly Uri _upstream;
    private readonly ConcurrentQueue<TapFrame> _frames = new();
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private OcppTap(Uri upstream)
    {
        _upstream = upstream;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Run(RelayAsync);
    }

    public Uri Url { get; private set; } = null!;

    public static async Task<OcppTap> StartAsync(Uri upstream)
    {
        var tap = new OcppTap(upstream);
        await tap._app.StartAsync();
        var address = tap._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        tap.Url = new Uri($"ws://127.0.0.1:{new Uri(address).Port}/ocpp/");
        return tap;
    }

    public IReadOnlyList<TapFrame> Frames(string chargeBoxId) => [.. _frames.Where(f => f.ChargeBoxId == chargeBoxId)];

    /// <summary>CALLs the charge point sent, with this action, in order.</summary>
    public IReadOnlyList<TapFrame> CallsFromChargePoint(string chargeBoxId, string action)
        => [.. _frames.Where(f => f.ChargeBoxId == chargeBoxId && f.FromChargePoint && f.MessageType == 2 && f.Action == action)];

    /// <summary>The answer (CALLRESULT or CALLERROR) the charge point gave to the CALL with this unique id.</summary>
    public TapFrame? AnswerFromChargePoint(string chargeBoxId, string uniqueId)
        => _frames.FirstOrDefault(f => f.ChargeBoxId == chargeBoxId && f.FromChargePoint && f.MessageType is 3 or 4 && f.UniqueId == uniqueId);

    public int Sessions(string chargeBoxId) => _sessions.TryGetValue(chargeBoxId, out var s) ? s.Number : 0;

    /// <summary>Writes a raw text frame to the charge point's current connection, as if the CSMS had sent it.</summary>
    public async Task SendRawToChargePointAsync(string chargeBoxId, string text)
    {
        var session = _sessions[chargeBoxId];
        await session.SendAsync(session.ChargePoint, Encoding.UTF8.GetBytes(text), CancellationToken.None);
    }

    /// <summary>Writes a binary message to the charge point's current connection, as a CSMS breaking OCPP-J (text only) would.</summary>
    public async Task SendBinaryToChargePointAsync(string chargeBoxId, byte[] bytes)
    {
        var session = _sessions[chargeBoxId];
        await session.SendAsync(session.ChargePoint, bytes, CancellationToken.None, WebSocketMessageType.Binary);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values)
        {
            session.Abort();
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }

    private async Task RelayAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        var path = context.Request.Path.Value ?? "";
        var id = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        var upstream = new ClientWebSocket();
        upstream.Options.AddSubProtocol("ocpp1.6");
        try
        {
            await upstream.ConnectAsync(new Uri(_upstream, Uri.EscapeDataString(id)), context.RequestAborted);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            upstream.Dispose();
            context.Response.StatusCode = 502;
            return;
        }
        using var chargePoint = await context.WebSockets.AcceptWebSocketAsync("ocpp1.6");
        var number = _sessions.TryGetValue(id, out var previous) ? previous.Number + 1 : 1;
        var session = new Session(id, chargePoint, upstream, context, number);
        _sessions[id] = session;
        var toCsms = PumpAsync(session, chargePoint, upstream, fromChargePoint: true);
        var toChargePoint = PumpAsync(session, upstream, chargePoint, fromChargePoint: false);
        await Task.WhenAny(toCsms, toChargePoint);
        session.Abort();
        await Task.WhenAll(toCsms, toChargePoint);
        upstream.Dispose();
    }

    private async Task PumpAsync(Session session, WebSocket from, WebSocket to, bool fromChargePoint)
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
                    result = await from.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    count += result.Count;
                }
                while (!result.EndOfMessage);
                var bytes = buffer.AsSpan(0, count).ToArray();
                var text = Encoding.UTF8.GetString(bytes);
                _frames.Enqueue(new TapFrame(DateTimeOffset.UtcNow, fromChargePoint, session.Id, text, TryParse(text)));
                await session.SendAsync(to, bytes, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            // One side went away; the relay ends both.
        }
    }

    private static JsonElement? TryParse(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class Session(string id, WebSocket chargePoint, WebSocket csms, HttpContext http, int number)
    {
        private readonly SemaphoreSlim _toChargePoint = new(1, 1);
        private readonly SemaphoreSlim _toCsms = new(1, 1);

        public string Id { get; } = id;
        public WebSocket ChargePoint { get; } = chargePoint;
        public int Number { get; } = number;

        public async Task SendAsync(WebSocket to, byte[] bytes, CancellationToken cancellationToken, WebSocketMessageType type = WebSocketMessageType.Text)
        {
            var gate = ReferenceEquals(to, ChargePoint) ? _toChargePoint : _toCsms;
            await gate.WaitAsync(cancellationToken);
            try
            {
                await to.SendAsync(bytes, type, true, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }

        public void Abort()
        {
            foreach (var abort in new Action[] { csms.Abort, ChargePoint.Abort, http.Abort })
            {
                try
                {
                    abort();
                }
                catch (ObjectDisposedException)
                {
                    // That side is already gone.
                }
            }
        }
    }
}

