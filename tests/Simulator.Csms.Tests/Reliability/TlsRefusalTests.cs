using System.Net.Security;
using Microsoft.Extensions.Logging;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Xunit.Abstractions;

namespace Simulator.Csms.Tests.Reliability;

/// <summary>Failed TLS handshakes are counted by cause in the CSMS's stats (and its control API's JSON).</summary>
public sealed class TlsRefusalTests(ITestOutputHelper output)
{
    private const string Cpo = "FleetSim CPO";

    [Fact]
    public async Task Timeouts_plain_HTTP_and_missing_or_foreign_client_certificates_are_counted_apart()
    {
        using var ca = CertificateAuthority.Create();
        using var foreignCa = CertificateAuthority.Create("Somebody Else's CA");
        var log = new ListLoggerProvider();
        using var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace));
        // The handshake timeout must outlast the real handshakes below (and the plain request written after its connect), which a
        // busy machine runs late; only the silent client is meant to meet it.
        await using var csms = await Support.StartAsync(new CsmsOptions { SecurityProfile = 3, CertificateAuthority = ca, CpoName = Cpo, HandshakeTimeout = TimeSpan.FromSeconds(4), LoggerFactory = loggerFactory });

        // Connects and says nothing.
        using (var silent = new TcpClient())
        {
            await silent.ConnectAsync("127.0.0.1", csms.Port);
            Assert.True(await Support.EventuallyAsync(() => csms.GetStats().TlsRefused!.TimedOut == 1, TimeSpan.FromSeconds(15)), $"{csms.GetStats().TlsRefused}");
        }

        // Speaks plain HTTP to the TLS port.
        using (var plain = new TcpClient())
        {
            await plain.ConnectAsync("127.0.0.1", csms.Port);
            await plain.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /ocpp/CP-1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n"));
            Assert.True(await Support.EventuallyAsync(() => csms.GetStats().TlsRefused!.NotTls == 1, TimeSpan.FromSeconds(15)), $"{csms.GetStats().TlsRefused} {string.Join("\n", log.Lines)}");
        }

        // Presents no client certificate.
        await HandshakeAsync(csms.Port, null, trustServer: true);
        Assert.True(await Support.EventuallyAsync(() => csms.GetStats().TlsRefused!.ClientCertificateRejected == 1, TimeSpan.FromSeconds(15)), $"{csms.GetStats().TlsRefused}");

        // Presents a certificate of another CA.
        using var foreign = foreignCa.IssueClientCertificate("CP-1", Cpo);
        await HandshakeAsync(csms.Port, foreign, trustServer: true);
        Assert.True(await Support.EventuallyAsync(() => csms.GetStats().TlsRefused!.ClientCertificateRejected == 2, TimeSpan.FromSeconds(15)), $"{csms.GetStats().TlsRefused}");

        var tls = csms.GetStats().TlsRefused!;
        output.WriteLine($"{tls}");
        foreach (var line in log.Lines.Where(l => l.Contains("tls", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }
        Assert.Equal(1, tls.TimedOut);
        Assert.Equal(1, tls.NotTls);
        Assert.Equal(2, tls.ClientCertificateRejected);
        Assert.Equal(4, tls.TimedOut + tls.ClientCertificateRejected + tls.PeerClosed + tls.NotTls + tls.Failed);
        Assert.Equal(0, csms.ConnectionCount);
        var (status, json) = await csms.ControlAsync(HttpMethod.Get, "stats");
        Assert.Equal(200, status);
        Assert.Equal(2, json.GetProperty("tlsRefused").GetProperty("clientCertificateRejected").GetInt64());
    }

    private static async Task HandshakeAsync(int port, X509Certificate2? clientCertificate, bool trustServer)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var tls = new SslStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, _, _, _) => trustServer,
            });
            // TLS 1.3 reports the refused client certificate only on the first read.
            await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /ocpp/CP-1 HTTP/1.1\r\nHost: x\r\n\r\n"));
            _ = await tls.ReadAsync(new byte[256]);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // Refused: what the test is after.
        }
    }
}
