using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Simulator.Transport.Tests;

internal static class Wait
{
    /// <summary>A hang guard, not a performance bound.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(15);
}

/// <summary>Certificates made by the test: a root CA and leaves it signs.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 CreateRoot(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return Reload(cert);
    }

    public static X509Certificate2 CreateServer(X509Certificate2 issuer, string commonName, string[] dnsNames, IPAddress[] addresses) =>
        CreateLeaf(issuer, commonName, dnsNames, addresses, "1.3.6.1.5.5.7.3.1");

    public static X509Certificate2 CreateClient(X509Certificate2 issuer, string commonName) =>
        CreateLeaf(issuer, commonName, [], [], "1.3.6.1.5.5.7.3.2");

    private static X509Certificate2 CreateLeaf(X509Certificate2 issuer, string commonName, string[] dnsNames, IPAddress[] addresses, string eku)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
        if (dnsNames.Length + addresses.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dns in dnsNames)
            {
                san.AddDnsName(dns);
            }

            foreach (var address in addresses)
            {
                san.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var publicOnly = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), serial);
        using var withKey = publicOnly.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    /// <summary>Round trip through PKCS#12 so the private key is usable by the TLS layer on every platform.</summary>
    private static X509Certificate2 Reload(X509Certificate2 cert) =>
        X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12, "t"), "t", X509KeyStorageFlags.Exportable);
}

/// <summary>What the server saw of one WebSocket session.</summary>
internal sealed record SessionEnd(WebSocketCloseStatus? Status, string? Description, Exception? Error);

internal sealed class ServerOptions
{
    public int? RejectStatus { get; init; }

    public string? AcceptSubprotocol { get; init; } = "ocpp1.6";

    public X509Certificate2? Certificate { get; init; }

    public SslProtocols SslProtocols { get; init; } = SslProtocols.None;

    public bool AskClientCertificate { get; init; }

    /// <summary>Runs after the upgrade; default: echo every text message.</summary>
    public Func<WebSocket, TestServer, Task>? Session { get; init; }
}

/// <summary>A Kestrel WebSocket server on 127.0.0.1:0.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerOptions _options;

    private TestServer(WebApplication app, ServerOptions options)
    {
        _app = app;
        _options = options;
    }

    public int Port { get; private set; }

    public ConcurrentQueue<string> AuthorizationHeaders { get; } = new();

    public ConcurrentQueue<string> RawTargets { get; } = new();

    public ConcurrentQueue<IPAddress?> RemoteAddresses { get; } = new();

    public TaskCompletionSource<X509Certificate2?> ClientCertificate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Channel<string> Received { get; } = Channel.CreateUnbounded<string>();

    public TaskCompletionSource<SessionEnd> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<TestServer> StartAsync(ServerOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (options.Certificate is { } certificate)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    SslProtocols = options.SslProtocols,
                    ClientCertificateMode = options.AskClientCertificate ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        }));
        var app = builder.Build();
        var server = new TestServer(app, options);
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Port = new Uri(app.Urls.First()).Port;
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        AuthorizationHeaders.Enqueue(context.Request.Headers.Authorization.ToString());
        RawTargets.Enqueue(context.Features.Get<IHttpRequestFeature>()!.RawTarget);
        RemoteAddresses.Enqueue(context.Connection.RemoteIpAddress);
        ClientCertificate.TrySetResult(context.Connection.ClientCertificate);
        if (_options.RejectStatus is int status)
        {
            context.Response.StatusCode = status;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var requested = context.WebSockets.WebSocketRequestedProtocols;
        var protocol = _options.AcceptSubprotocol is { } p && requested.Contains(p) ? p : null;
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        await (_options.Session ?? EchoAsync)(webSocket, this);
    }

    /// <summary>Receives text messages (recording them) until close or error; echoes when <paramref name="echo"/>.</summary>
    public async Task ReceiveAllAsync(WebSocket webSocket, bool echo)
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await webSocket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Ended.TrySetResult(new SessionEnd(webSocket.CloseStatus, webSocket.CloseStatusDescription, null));
                    if (webSocket.State == WebSocketState.CloseReceived)
                    {
                        await webSocket.CloseOutputAsync(webSocket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    return;
                }

                Received.Writer.TryWrite(Encoding.UTF8.GetString(buffer, 0, count));
                if (echo)
                {
                    await webSocket.SendAsync(buffer.AsMemory(0, count), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or Microsoft.AspNetCore.Connections.ConnectionAbortedException)
        {
            Ended.TrySetResult(new SessionEnd(null, null, e));
        }
    }

    private Task EchoAsync(WebSocket webSocket, TestServer server) => ReceiveAllAsync(webSocket, echo: true);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed class RecordingListener : IConnectionListener
{
    private readonly Channel<byte[]> _messages = Channel.CreateUnbounded<byte[]>();
    private int _closedCount;

    public TaskCompletionSource<ConnectionClosed> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ClosedCount => Volatile.Read(ref _closedCount);

    public ConcurrentQueue<long> BinaryIgnored { get; } = new();

    public void OnMessage(byte[] utf8) => _messages.Writer.TryWrite(utf8);

    public void OnBinaryMessageIgnored(long bytes) => BinaryIgnored.Enqueue(bytes);

    public void OnClosed(ConnectionClosed info)
    {
        Interlocked.Increment(ref _closedCount);
        Closed.TrySetResult(info);
    }

    public async Task<byte[]> NextAsync()
    {
        using var cts = new CancellationTokenSource(Wait.Long);
        return await _messages.Reader.ReadAsync(cts.Token);
    }

    public async Task<string> NextTextAsync() => Encoding.UTF8.GetString(await NextAsync());

    public bool TryTakeExtra(out byte[]? message) => _messages.Reader.TryRead(out message);
}

/// <summary>Plain TCP helpers for servers Kestrel cannot imitate.</summary>
internal static class RawServers
{
    /// <summary>A port bound on 127.0.0.1 with nothing listening: a connect gets RST. Dispose the socket to free it.</summary>
    public static Socket BoundButNotListening(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    /// <summary>Accepts one connection and completes the WebSocket upgrade by hand, then never reads again (no pongs).</summary>
    public static async Task<Socket> AcceptUpgradeAndGoSilentAsync(TcpListener listener, string protocol) =>
        await UpgradeAsync(await listener.AcceptSocketAsync(), protocol);

    /// <summary>Reads the upgrade request from an accepted connection and answers it with a 101 for <paramref name="protocol"/>.</summary>
    public static async Task<Socket> UpgradeAsync(Socket socket, string protocol)
    {
        var buffer = new byte[8192];
        var count = 0;
        string head;
        do
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(count), SocketFlags.None);
            if (read == 0)
            {
                return socket;
            }

            count += read;
            head = Encoding.ASCII.GetString(buffer, 0, count);
        }
        while (!head.Contains("\r\n\r\n", StringComparison.Ordinal));

        var keyLine = head.Split("\r\n").Single(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase));
        var accept = HttpUpgrade.ExpectedAccept(keyLine["Sec-WebSocket-Key:".Length..].Trim());
        var response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: {protocol}\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(response), SocketFlags.None);
        return socket;
    }

    /// <summary>Accepts one connection, reads the request head, writes <paramref name="response"/> and keeps the socket open until disposed.</summary>
    public static async Task<Socket?> AnswerOnceAsync(TcpListener listener, string? response)
    {
        var socket = await listener.AcceptSocketAsync();
        var buffer = new byte[8192];
        var count = 0;
        while (count < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(count), SocketFlags.None);
            if (read == 0)
            {
                break;
            }

            count += read;
            if (Encoding.ASCII.GetString(buffer, 0, count).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }

        if (response is not null)
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(response), SocketFlags.None);
        }

        return socket;
    }
}
