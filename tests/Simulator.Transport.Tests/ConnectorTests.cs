using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Simulator.Transport.Tests;

public sealed class ConnectorTests
{
    private static WebSocketConnector Connector(int port, Func<ConnectionSettings, ConnectionSettings>? configure = null)
    {
        var settings = new ConnectionSettings(new Uri($"ws://127.0.0.1:{port}/ocpp/")) { ConnectTimeout = TimeSpan.FromSeconds(10) };
        return new WebSocketConnector(configure is null ? settings : configure(settings));
    }

    [Fact]
    public async Task Connects_with_the_agreed_subprotocol_and_moves_messages_both_ways()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions());
        var connector = Connector(server.Port);

        var result = await connector.ConnectAsync(new ConnectionTarget("CP 1/x"));

        Assert.True(result.IsSuccess, result.ToString());
        using var connection = result.Connection;
        Assert.Equal("ocpp1.6", connection.SubProtocol);
        Assert.Null(connection.TlsProtocol);
        Assert.True(result.Timings.Tcp > TimeSpan.Zero);
        Assert.True(result.Timings.Upgrade > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, result.Timings.Tls);
        Assert.Equal("/ocpp/CP%201%2Fx", Assert.Single(server.RawTargets));
        Assert.Equal(new Uri($"ws://127.0.0.1:{server.Port}/ocpp/CP%201%2Fx"), connector.BuildUri("CP 1/x"));

        var listener = new RecordingListener();
        connection.Start(listener);
        const string Call = "[2,\"1\",\"Heartbeat\",{}]";
        Assert.True(connection.Send(Encoding.UTF8.GetBytes(Call)));
        Assert.Equal(Call, await server.Received.Reader.ReadAsync().AsTask().WaitAsync(Wait.Long));
        Assert.Equal(Call, await listener.NextTextAsync());

        // Multi-byte UTF-8 and a message bigger than the first rented buffer arrive intact.
        var big = "ä" + new string('x', 20_000) + "€";
        Assert.True(connection.Send(Encoding.UTF8.GetBytes(big)));
        var echoed = await listener.NextAsync();
        Assert.Equal(Encoding.UTF8.GetByteCount(big), echoed.Length);
        Assert.Equal(big, Encoding.UTF8.GetString(echoed));

        await connection.CloseAsync();
        var closed = await listener.Closed.Task.WaitAsync(Wait.Long);
        Assert.Equal(CloseOrigin.Local, closed.Origin);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, closed.Status);
        var end = await server.Ended.Task.WaitAsync(Wait.Long);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, end.Status);
        Assert.False(connection.IsOpen);
        Assert.False(connection.Send([1]));
        Assert.Equal(1, listener.ClosedCount);
    }

    [Fact]
    public async Task A_frame_sent_right_after_the_101_is_not_lost_in_the_upgrade()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions
        {
            Session = async (ws, s) =>
            {
                await ws.SendAsync(Encoding.UTF8.GetBytes("welcome"), WebSocketMessageType.Text, true, CancellationToken.None);
                await s.ReceiveAllAsync(ws, echo: false);
            },
        });

        var result = await Connector(server.Port).ConnectAsync(new ConnectionTarget("CP-2"));
        Assert.True(result.IsSuccess, result.ToString());
        using var connection = result.Connection;
        await Task.Delay(100); // let the frame reach the client socket before anyone reads
        var listener = new RecordingListener();
        connection.Start(listener);
        Assert.Equal("welcome", await listener.NextTextAsync());
    }

    [Fact]
    public async Task A_server_that_does_not_agree_to_the_subprotocol_is_SubprotocolRejected()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions { AcceptSubprotocol = null });

        var result = await Connector(server.Port).ConnectAsync(new ConnectionTarget("CP-3"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ConnectFailureKind.SubprotocolRejected, result.Failure.Kind);
        Assert.Equal("subprotocol_rejected", result.Failure.Cause);
        Assert.Null(result.Failure.SecurityEvent);
    }

    [Theory]
    [InlineData(401, true, "http_401", SecurityEvents.FailedToAuthenticationAtCentralSystem)]
    [InlineData(401, false, "http_401", null)]
    [InlineData(404, true, "http_404", null)]
    [InlineData(503, true, "http_503", null)]
    public async Task An_upgrade_answered_with_an_error_status_is_HttpStatus(int status, bool withKey, string cause, string? securityEvent)
    {
        await using var server = await TestServer.StartAsync(new ServerOptions { RejectStatus = status });
        var target = new ConnectionTarget("CP-4") { AuthorizationKey = withKey ? "00112233445566778899AABBCCDDEEFF" : null };

        var result = await Connector(server.Port).ConnectAsync(target);

        Assert.False(result.IsSuccess);
        Assert.Equal(ConnectFailureKind.HttpStatus, result.Failure.Kind);
        Assert.Equal(status, result.Failure.StatusCode);
        Assert.Equal(cause, result.Failure.Cause);
        Assert.Equal(securityEvent, result.Failure.SecurityEvent);
        Assert.Equal(withKey, result.Failure.BasicAuthSent);
        Assert.DoesNotContain("00112233", result.Failure.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("00112233", result.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_port_with_nothing_listening_is_Refused()
    {
        using var bound = RawServers.BoundButNotListening(out var port);

        var result = await Connector(port).ConnectAsync(new ConnectionTarget("CP-5"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ConnectFailureKind.Refused, result.Failure.Kind);
        Assert.Equal(ConnectPhase.Tcp, result.Failure.Phase);
        Assert.Equal("refused", result.Failure.Cause);
    }

    [Fact]
    public async Task A_server_that_accepts_TCP_but_never_answers_is_a_Timeout_in_the_upgrade()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var accepted = RawServers.AnswerOnceAsync(listener, response: null);
            var connector = Connector(port, s => s with { ConnectTimeout = TimeSpan.FromMilliseconds(300) });

            var result = await connector.ConnectAsync(new ConnectionTarget("CP-6"));

            Assert.False(result.IsSuccess);
            Assert.Equal(ConnectFailureKind.Timeout, result.Failure.Kind);
            Assert.Equal(ConnectPhase.Upgrade, result.Failure.Phase);
            Assert.Equal("timeout", result.Failure.Cause);
            using var serverSide = await accepted.WaitAsync(Wait.Long);
        }
        finally
        {
            listener.Stop();
            listener.Dispose();
        }
    }

    [Fact]
    public async Task The_caller_cancelling_throws_instead_of_reporting_a_timeout()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var accepted = RawServers.AnswerOnceAsync(listener, response: null);
            using var cancel = new CancellationTokenSource();
            var connecting = Connector(port).ConnectAsync(new ConnectionTarget("CP-6b"), cancel.Token);
            using var serverSide = await accepted.WaitAsync(Wait.Long);
            cancel.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting);
        }
        finally
        {
            listener.Stop();
            listener.Dispose();
        }
    }

    [Theory]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSByaWdodCBvbmU=\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n\r\n")]
    public async Task A_bad_upgrade_answer_is_a_ProtocolViolation(string response)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var accepted = RawServers.AnswerOnceAsync(listener, response);

            var result = await Connector(port).ConnectAsync(new ConnectionTarget("CP-7"));

            Assert.False(result.IsSuccess);
            Assert.Equal(ConnectFailureKind.ProtocolViolation, result.Failure.Kind);
            Assert.Equal("protocol_violation", result.Failure.Cause);
            using var serverSide = await accepted.WaitAsync(Wait.Long);
        }
        finally
        {
            listener.Stop();
            listener.Dispose();
        }
    }

    [Theory]
    [InlineData(BasicAuthPasswordEncoding.HexText)]
    [InlineData(BasicAuthPasswordEncoding.HexDecodedBytes)]
    public async Task The_Basic_header_is_base64_of_id_colon_password_in_both_password_modes(BasicAuthPasswordEncoding encoding)
    {
        const string Key = "0A1B2C3D4E5F60718293A4B5C6D7E8F9DEADBEEF";
        await using var server = await TestServer.StartAsync(new ServerOptions());
        var connector = Connector(server.Port, s => s with { PasswordEncoding = encoding });

        var result = await connector.ConnectAsync(new ConnectionTarget("CP-8") { AuthorizationKey = Key });
        Assert.True(result.IsSuccess, result.ToString());
        result.Connection.Dispose();

        var password = encoding == BasicAuthPasswordEncoding.HexText ? Encoding.ASCII.GetBytes(Key) : Convert.FromHexString(Key);
        var expected = Convert.ToBase64String([.. Encoding.ASCII.GetBytes("CP-8:"), .. password]);
        Assert.Equal("Basic " + expected, Assert.Single(server.AuthorizationHeaders));
    }

    [Fact]
    public async Task A_key_that_is_not_hex_is_refused_in_decoded_mode_without_revealing_it()
    {
        var connector = new WebSocketConnector(new ConnectionSettings(new Uri("ws://127.0.0.1:1/ocpp"))
        {
            PasswordEncoding = BasicAuthPasswordEncoding.HexDecodedBytes,
        });
        var target = new ConnectionTarget("CP-9") { AuthorizationKey = "not-hex-secret" };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => connector.ConnectAsync(target));
        Assert.DoesNotContain("not-hex-secret", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-hex-secret", target.ToString(), StringComparison.Ordinal);
        Assert.Contains("CP-9", target.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_refuse_non_websocket_uris()
    {
        Assert.Throws<ArgumentException>(() => new ConnectionSettings(new Uri("http://127.0.0.1/ocpp")));
    }

    [Fact]
    public async Task A_gate_keeps_the_attempts_in_flight_at_its_bound_and_lets_the_next_in_as_each_ends()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(16);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connector = Connector(port);
        var gate = new ConnectGate(2);

        // The server takes every connection but answers no upgrade until told: only attempts holding a slot get this far.
        var accepted = Channel.CreateUnbounded<Socket>();
        var acceptLoop = Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                accepted.Writer.TryWrite(await listener.AcceptSocketAsync());
            }
        });
        var attempts = Enumerable.Range(1, 5).Select(i => connector.ConnectAsync(new ConnectionTarget($"CP-{i}") { Gate = gate })).ToArray();

        var first = new[] { await accepted.Reader.ReadAsync().AsTask().WaitAsync(Wait.Long), await accepted.Reader.ReadAsync().AsTask().WaitAsync(Wait.Long) };
        await Task.Delay(300);
        Assert.False(accepted.Reader.TryPeek(out _), "a third attempt connected while two held the gate's slots");
        Assert.Equal(2, gate.InFlight);

        // Each answered upgrade frees a slot for one more.
        var answered = new List<Socket>();
        foreach (var socket in first)
        {
            answered.Add(await RawServers.UpgradeAsync(socket, "ocpp1.6"));
        }
        for (var i = 0; i < 3; i++)
        {
            answered.Add(await RawServers.UpgradeAsync(await accepted.Reader.ReadAsync().AsTask().WaitAsync(Wait.Long), "ocpp1.6"));
        }

        var results = await Task.WhenAll(attempts).WaitAsync(Wait.Long);
        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        Assert.Equal(0, gate.InFlight);
        await acceptLoop.WaitAsync(Wait.Long);
        foreach (var result in results)
        {
            result.Connection?.Dispose();
        }
        foreach (var socket in answered)
        {
            socket.Dispose();
        }
    }

    [Fact]
    public async Task An_attempt_waiting_at_a_full_gate_is_cancelled_without_taking_a_slot()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions());
        var connector = Connector(server.Port);
        var gate = new ConnectGate(1);

        // A slot held by an attempt that is still connecting: a server that never answers the upgrade.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(4);
        var silentConnector = Connector(((IPEndPoint)silent.LocalEndpoint).Port);
        using var stop = new CancellationTokenSource();
        var holding = silentConnector.ConnectAsync(new ConnectionTarget("CP-hold") { Gate = gate }, stop.Token);
        using var held = await silent.AcceptSocketAsync().WaitAsync(Wait.Long);
        Assert.Equal(1, gate.InFlight);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connector.ConnectAsync(new ConnectionTarget("CP-waits") { Gate = gate }, cancel.Token));
        Assert.Empty(server.RawTargets);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => holding.WaitAsync(Wait.Long));
        Assert.Equal(0, gate.InFlight);
        var result = await connector.ConnectAsync(new ConnectionTarget("CP-next") { Gate = gate });
        Assert.True(result.IsSuccess, result.ToString());
        result.Connection.Dispose();
        Assert.Equal(0, gate.InFlight);
    }
}
