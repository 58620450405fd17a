using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Simulator.Transport.Tests;

/// <summary>Each connect failure by its precise cause, against real listeners on 127.0.0.1.</summary>
public sealed class ConnectFailureCauseTests : IDisposable
{
    private readonly X509Certificate2 _root = TestCertificates.CreateRoot("Cause Root");
    private readonly X509Certificate2 _clientRoot = TestCertificates.CreateRoot("Cause Client Root");
    private readonly X509Certificate2 _server;

    public ConnectFailureCauseTests()
    {
        _server = TestCertificates.CreateServer(_root, "csms.test", ["localhost"], [IPAddress.Loopback]);
    }

    public void Dispose()
    {
        _root.Dispose();
        _clientRoot.Dispose();
        _server.Dispose();
    }

    private WebSocketConnector Connector(string scheme, int port, SslProtocols protocols = SslProtocols.Tls12 | SslProtocols.Tls13, string host = "127.0.0.1") =>
        new(new ConnectionSettings(new Uri($"{scheme}://{host}:{port}/ocpp"))
        {
            Tls = new TlsSettings { TrustedRoots = [_root], EnabledProtocols = protocols },
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task A_server_demanding_a_client_certificate_from_a_client_without_one_is_tls_client_certificate(SslProtocols protocols)
    {
        await using var server = RawTlsServer.Start(_server, _clientRoot);

        var result = await Connector("wss", server.Port, protocols).ConnectAsync(new ConnectionTarget("CP-C1"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ConnectFailureKind.TlsFailure, result.Failure.Kind);
        Assert.Equal(TlsFailureReason.ClientCertificateRejected, result.Failure.TlsReason);
        Assert.Equal("tls_client_certificate", result.Failure.Cause);
        Assert.Contains("got none", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task A_client_certificate_the_server_does_not_trust_is_tls_client_certificate_and_one_it_trusts_connects(SslProtocols protocols)
    {
        using var strangerRoot = TestCertificates.CreateRoot("Stranger Root");
        using var stranger = TestCertificates.CreateClient(strangerRoot, "CP-C2");
        using var trusted = TestCertificates.CreateClient(_clientRoot, "CP-C2");
        await using var server = RawTlsServer.Start(_server, _clientRoot);
        var connector = Connector("wss", server.Port, protocols);

        var refused = await connector.ConnectAsync(new ConnectionTarget("CP-C2") { ClientCertificate = stranger });
        var accepted = await connector.ConnectAsync(new ConnectionTarget("CP-C2") { ClientCertificate = trusted });

        Assert.False(refused.IsSuccess);
        Assert.Equal("tls_client_certificate", refused.Failure.Cause);
        Assert.Contains("got one", refused.Failure.Detail, StringComparison.Ordinal);
        Assert.True(accepted.IsSuccess, accepted.ToString());
        accepted.Connection.Dispose();
    }

    [Fact]
    public async Task Plain_ws_against_a_TLS_port_is_tls_expected()
    {
        await using var raw = RawTlsServer.Start(_server, clientRoot: null);
        await using var kestrel = await TestServer.StartAsync(new ServerOptions { Certificate = _server });

        foreach (var port in new[] { raw.Port, kestrel.Port })
        {
            var result = await Connector("ws", port).ConnectAsync(new ConnectionTarget("CP-C3"));

            Assert.False(result.IsSuccess);
            Assert.Equal(TlsFailureReason.ServerExpectsTls, result.Failure.TlsReason);
            Assert.Equal("tls_expected", result.Failure.Cause);
            Assert.Null(result.Failure.SecurityEvent);
        }
    }

    [Fact]
    public async Task A_plain_request_answered_with_a_TLS_alert_is_tls_expected()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var answering = Task.Run(async () =>
        {
            using var socket = await RawServers.AnswerOnceAsync(listener, null);
            await socket!.SendAsync(new byte[] { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46 }, SocketFlags.None);
            socket.Shutdown(SocketShutdown.Both);
        });

        var result = await Connector("ws", ((IPEndPoint)listener.LocalEndpoint).Port).ConnectAsync(new ConnectionTarget("CP-C4"));
        await answering;

        Assert.False(result.IsSuccess);
        Assert.Equal("tls_expected", result.Failure.Cause);
    }

    [Fact]
    public async Task A_plain_server_that_closes_without_answering_is_closed_not_tls_expected()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closing = Task.Run(async () =>
        {
            // The upgrade, then the probe's hello: both read and dropped without a word.
            for (var i = 0; i < 2; i++)
            {
                using var socket = await listener.AcceptSocketAsync();
                await socket.ReceiveAsync(new byte[8192], SocketFlags.None);
                socket.Shutdown(SocketShutdown.Both);
            }
        });

        var result = await Connector("ws", ((IPEndPoint)listener.LocalEndpoint).Port).ConnectAsync(new ConnectionTarget("CP-C5"));
        await closing.WaitAsync(Wait.Long);

        Assert.False(result.IsSuccess);
        Assert.Equal(ConnectFailureKind.Closed, result.Failure.Kind);
        Assert.Equal("closed", result.Failure.Cause);
    }

    [Fact]
    public async Task Wss_against_a_port_answering_plain_HTTP_is_tls_not_offered_and_no_TLS_version_event()
    {
        await using var plain = await TestServer.StartAsync(new ServerOptions());

        var result = await Connector("wss", plain.Port).ConnectAsync(new ConnectionTarget("CP-C6"));

        Assert.False(result.IsSuccess);
        Assert.Equal(TlsFailureReason.NotTls, result.Failure.TlsReason);
        Assert.Equal("tls_not_offered", result.Failure.Cause);
        Assert.Contains("plain HTTP", result.Failure.Detail, StringComparison.Ordinal);
        Assert.Null(result.Failure.SecurityEvent);
    }

    [Fact]
    public async Task An_unresolvable_host_is_dns()
    {
        var result = await Connector("ws", 9, host: "nonexistent.invalid").ConnectAsync(new ConnectionTarget("CP-C7"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ConnectFailureKind.Dns, result.Failure.Kind);
        Assert.Equal(ConnectPhase.Dns, result.Failure.Phase);
        Assert.Equal("dns", result.Failure.Cause);
    }

    [Fact]
    public async Task An_HTTP_refusal_keeps_its_status_and_reason()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var answering = RawServers.AnswerOnceAsync(listener, "HTTP/1.1 403 Not Your Charge Point\r\nContent-Length: 0\r\n\r\n");

        var result = await Connector("ws", ((IPEndPoint)listener.LocalEndpoint).Port).ConnectAsync(new ConnectionTarget("CP-C8"));
        (await answering)?.Dispose();

        Assert.False(result.IsSuccess);
        Assert.Equal("http_403", result.Failure.Cause);
        Assert.Equal(403, result.Failure.StatusCode);
        Assert.Equal("Not Your Charge Point", result.Failure.ReasonPhrase);
    }
}

/// <summary>A TLS server made of a TcpListener and SslStream on 127.0.0.1 (as a CSMS doing mutual TLS itself): it can demand a client certificate, then answers every upgrade with 101.</summary>
internal sealed class RawTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly bool _requireClientCertificate;
    private readonly X509Certificate2? _clientRoot;
    private readonly List<Task> _connections = [];
    private Task _accepting = Task.CompletedTask;

    private RawTlsServer(X509Certificate2 certificate, bool requireClientCertificate, X509Certificate2? clientRoot)
    {
        _certificate = certificate;
        _requireClientCertificate = requireClientCertificate;
        _clientRoot = clientRoot;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public List<string> ServerErrors { get; } = [];

    /// <summary>With <paramref name="clientRoot"/>, the server demands a client certificate issued by it.</summary>
    public static RawTlsServer Start(X509Certificate2 certificate, X509Certificate2? clientRoot)
    {
        var server = new RawTlsServer(certificate, clientRoot is not null, clientRoot);
        server._listener.Start();
        server._accepting = server.AcceptAsync();
        return server;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_connections)
            {
                _connections.Add(ServeAsync(socket));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                ClientCertificateRequired = _requireClientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    !_requireClientCertificate || (certificate is not null && IsFromClientRoot(certificate)),
            }, _stop.Token);
            var buffer = new byte[4096];
            var head = "";
            while (!head.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await ssl.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                head += Encoding.ASCII.GetString(buffer, 0, read);
            }
            var key = head.Split("\r\n").First(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))["Sec-WebSocket-Key:".Length..].Trim();
            var response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Accept: {HttpUpgrade.ExpectedAccept(key)}\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n";
            await ssl.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            lock (ServerErrors)
            {
                ServerErrors.Add(e.Message);
            }
        }
    }

    private bool IsFromClientRoot(X509Certificate certificate)
    {
        if (_clientRoot is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_clientRoot);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
