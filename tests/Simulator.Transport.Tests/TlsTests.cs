using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Simulator.Transport.Tests;

public sealed class TlsTests : IDisposable
{
    private readonly X509Certificate2 _root = TestCertificates.CreateRoot("FleetSim Test Root");
    private readonly X509Certificate2 _serverCertificate;

    public TlsTests()
    {
        _serverCertificate = TestCertificates.CreateServer(_root, "csms.test", ["localhost", "csms.test"], [IPAddress.Loopback]);
    }

    public void Dispose()
    {
        _root.Dispose();
        _serverCertificate.Dispose();
    }

    private WebSocketConnector Connector(int port, string host = "127.0.0.1", TlsSettings? tls = null) =>
        new(new ConnectionSettings(new Uri($"wss://{host}:{port}/ocpp"))
        {
            Tls = tls ?? new TlsSettings { TrustedRoots = [_root] },
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_server_certificate_from_the_trusted_root_is_accepted(string host)
    {
        await using var server = await TestServer.StartAsync(new ServerOptions { Certificate = _serverCertificate });

        var result = await Connector(server.Port, host).ConnectAsync(new ConnectionTarget("CP-T1"));

        Assert.True(result.IsSuccess, result.ToString());
        using var connection = result.Connection;
        Assert.NotNull(connection.TlsProtocol);
        Assert.NotNull(connection.TlsCipherSuite);
        Assert.True(result.Timings.Tls > TimeSpan.Zero);
        var listener = new RecordingListener();
        connection.Start(listener);
        Assert.True(connection.Send(Encoding.UTF8.GetBytes("over tls")));
        Assert.Equal("over tls", await listener.NextTextAsync());
    }

    [Fact]
    public async Task A_server_certificate_from_an_unknown_CA_is_InvalidCentralSystemCertificate()
    {
        using var otherRoot = TestCertificates.CreateRoot("Somebody Else's Root");
        using var foreign = TestCertificates.CreateServer(otherRoot, "csms.test", ["localhost"], [IPAddress.Loopback]);
        await using var server = await TestServer.StartAsync(new ServerOptions { Certificate = foreign });

        var result = await Connector(server.Port).ConnectAsync(new ConnectionTarget("CP-T2"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ConnectFailureKind.TlsFailure, result.Failure.Kind);
        Assert.Equal(TlsFailureReason.UntrustedServerCertificate, result.Failure.TlsReason);
        Assert.Equal("tls_certificate", result.Failure.Cause);
        Assert.Equal(SecurityEvents.InvalidCentralSystemCertificate, result.Failure.SecurityEvent);
    }

    [Fact]
    public async Task With_no_roots_given_the_system_store_is_used_and_a_private_root_is_not_trusted()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions { Certificate = _serverCertificate });

        var result = await Connector(server.Port, tls: new TlsSettings()).ConnectAsync(new ConnectionTarget("CP-T3"));

        Assert.False(result.IsSuccess);
        Assert.Equal(TlsFailureReason.UntrustedServerCertificate, result.Failure.TlsReason);
    }

    [Fact]
    public async Task A_certificate_for_another_host_name_is_refused()
    {
        using var elsewhere = TestCertificates.CreateServer(_root, "other.example", ["other.example"], []);
        await using var server = await TestServer.StartAsync(new ServerOptions { Certificate = elsewhere });

        var result = await Connector(server.Port).ConnectAsync(new ConnectionTarget("CP-T4"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ConnectFailureKind.TlsFailure, result.Failure.Kind);
        Assert.Equal(TlsFailureReason.HostNameMismatch, result.Failure.TlsReason);
        Assert.Equal("tls_hostname", result.Failure.Cause);
        Assert.Equal(SecurityEvents.InvalidCentralSystemCertificate, result.Failure.SecurityEvent);
    }

    [Fact]
    public async Task A_server_offering_only_TLS_1_2_to_a_client_allowing_only_1_3_is_InvalidTLSVersion()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions
        {
            Certificate = _serverCertificate,
            SslProtocols = SslProtocols.Tls12,
        });
        var tls = new TlsSettings { TrustedRoots = [_root], EnabledProtocols = SslProtocols.Tls13 };

        var result = await Connector(server.Port, tls: tls).ConnectAsync(new ConnectionTarget("CP-T5"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ConnectFailureKind.TlsFailure, result.Failure.Kind);
        Assert.True(result.Failure.TlsReason == TlsFailureReason.ProtocolVersion, result.Failure.ToString());
        Assert.Equal("tls_version", result.Failure.Cause);
        Assert.Equal(SecurityEvents.InvalidTLSVersion, result.Failure.SecurityEvent);
    }

    [Fact]
    public async Task Restricting_to_the_whitepaper_suites_still_connects_and_negotiates_one_of_them()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions { Certificate = _serverCertificate, SslProtocols = SslProtocols.Tls12 });
        var tls = new TlsSettings { TrustedRoots = [_root], CipherSuites = TlsSettings.WhitepaperCipherSuites };

        var result = await Connector(server.Port, tls: tls).ConnectAsync(new ConnectionTarget("CP-T6"));

        Assert.True(result.IsSuccess, result.ToString());
        using var connection = result.Connection;
        Assert.Equal(SslProtocols.Tls12, connection.TlsProtocol);
        Assert.Contains(connection.TlsCipherSuite!.Value, TlsSettings.WhitepaperCipherSuites);
    }

    [Fact]
    public async Task No_common_cipher_suite_fails_the_handshake_but_the_peer_alert_does_not_name_the_cipher()
    {
        // The server key is ECDSA; a TLS 1.2 client offering only RSA key-exchange suites shares no suite with it. OpenSSL answers with
        // the generic alert handshake_failure, which the client cannot tell apart from other handshake failures: no security event.
        await using var server = await TestServer.StartAsync(new ServerOptions { Certificate = _serverCertificate, SslProtocols = SslProtocols.Tls12 });
        var tls = new TlsSettings
        {
            TrustedRoots = [_root],
            EnabledProtocols = SslProtocols.Tls12,
            CipherSuites = [TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384],
        };

        var result = await Connector(server.Port, tls: tls).ConnectAsync(new ConnectionTarget("CP-T9"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ConnectFailureKind.TlsFailure, result.Failure.Kind);
        Assert.True(result.Failure.TlsReason == TlsFailureReason.HandshakeFailure, result.Failure.ToString());
        Assert.Equal("tls_handshake", result.Failure.Cause);
        Assert.Null(result.Failure.SecurityEvent);
    }

    [Fact]
    public async Task The_server_receives_the_client_certificate_with_the_expected_CN()
    {
        using var clientCertificate = TestCertificates.CreateClient(_root, "CP-T7");
        await using var server = await TestServer.StartAsync(new ServerOptions { Certificate = _serverCertificate, AskClientCertificate = true });

        var result = await Connector(server.Port).ConnectAsync(new ConnectionTarget("CP-T7") { ClientCertificate = clientCertificate });

        Assert.True(result.IsSuccess, result.ToString());
        using var connection = result.Connection;
        var seen = await server.ClientCertificate.Task.WaitAsync(Wait.Long);
        Assert.NotNull(seen);
        Assert.Equal("CN=CP-T7", seen.Subject);
        Assert.Equal(clientCertificate.Thumbprint, seen.Thumbprint);
    }

    [Fact]
    public async Task Without_a_client_certificate_the_server_sees_none()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions { Certificate = _serverCertificate, AskClientCertificate = true });

        var result = await Connector(server.Port).ConnectAsync(new ConnectionTarget("CP-T8"));

        Assert.True(result.IsSuccess, result.ToString());
        result.Connection.Dispose();
        Assert.Null(await server.ClientCertificate.Task.WaitAsync(Wait.Long));
    }
}
