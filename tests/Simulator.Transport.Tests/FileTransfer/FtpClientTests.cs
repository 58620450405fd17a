using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Simulator.Tests.Ftp;
using Simulator.Transport.FileTransfer;

namespace Simulator.Transport.Tests.FileTransfer;

/// <summary>The FTP client against a real vsftpd on loopback (plain and explicit FTPS), and against small fake servers for malformed replies.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FtpClientTests : IAsyncLifetime
{
    private VsftpdServer? _server;

    private VsftpdServer Server => _server!;

    public async Task InitializeAsync() => _server = await VsftpdServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private FtpClient Client(bool trustServer = true) => new(new FtpClientSettings
    {
        Tls = new TlsSettings { TrustedRoots = [trustServer ? Server.TrustedRoot : VsftpdServer.CreateRoot()] },
        AnonymousPassword = VsftpdServer.AnonymousPassword,
    });

    private static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    private string Uploaded(string name) => Path.Combine(Server.UploadDirectory, name);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upload_to_a_directory_arrives_whole_as_the_file_name(bool secure)
    {
        var content = RandomBytes(300_000);
        var name = $"diagnostics-{secure}.log";

        var result = await Client().UploadAsync(Server.Url("upload/", secure), name, content);

        Assert.True(result.IsSuccess, $"{result}\n{Server.Log}");
        Assert.Equal(content.Length, result.Bytes);
        Assert.Equal(content, await File.ReadAllBytesAsync(Uploaded(name)));
    }

    [Fact]
    public async Task Concurrent_FTPS_transfers_to_one_host_each_resume_their_own_session_and_arrive_whole()
    {
        // .NET keeps one TLS session per host name; without taking turns, data channels would offer another
        // control connection's session and vsftpd (require_ssl_reuse=YES) would answer 522.
        var client = Client();
        var content = RandomBytes(200_000);

        var uploads = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => client.UploadAsync(Server.Url("upload/", secure: true), $"parallel-{i}.log", content)));
        var downloads = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => client.DownloadAsync(Server.Url($"upload/parallel-{i}.log", secure: true), keepContent: true)));

        Assert.All(uploads, r => Assert.True(r.IsSuccess, r.ToString()));
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(content, File.ReadAllBytes(Uploaded($"parallel-{i}.log"))));
        Assert.All(downloads, r => Assert.Equal(content, r.Content));
    }

    [Fact]
    public async Task A_location_without_a_trailing_slash_that_names_a_directory_is_a_directory()
    {
        var content = Encoding.UTF8.GetBytes("log lines\n");

        var result = await Client().UploadAsync(Server.Url("upload"), "security.log", content);

        Assert.True(result.IsSuccess, $"{result}\n{Server.Log}");
        Assert.Equal(content, await File.ReadAllBytesAsync(Uploaded("security.log")));
    }

    [Fact]
    public async Task A_location_naming_a_file_is_the_file()
    {
        var content = RandomBytes(1000);

        var result = await Client().UploadAsync(Server.Url("upload/exact-name.bin"), "ignored.log", content);

        Assert.True(result.IsSuccess, $"{result}\n{Server.Log}");
        Assert.Equal(content, await File.ReadAllBytesAsync(Uploaded("exact-name.bin")));
        Assert.False(File.Exists(Uploaded("ignored.log")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_download_keeps_every_byte_when_asked(bool secure)
    {
        var content = RandomBytes(1_000_000);
        Server.AddFile("firmware.bin", content);

        var kept = await Client().DownloadAsync(Server.Url("files/firmware.bin", secure), keepContent: true);
        var counted = await Client().DownloadAsync(Server.Url("files/firmware.bin", secure));

        Assert.True(kept.IsSuccess, $"{kept}\n{Server.Log}");
        Assert.Equal(content, kept.Content);
        Assert.True(counted.IsSuccess, counted.ToString());
        Assert.Equal(content.Length, counted.Bytes);
        Assert.Null(counted.Content);
    }

    [Fact]
    public async Task Without_user_info_the_client_logs_in_anonymously()
    {
        Server.AddFile("anon.bin", [1, 2, 3]);

        var result = await Client().DownloadAsync(Server.Url("files/anon.bin", password: null), keepContent: true);

        Assert.True(result.IsSuccess, $"{result}\n{Server.Log}");
        Assert.Equal([1, 2, 3], result.Content);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_wrong_password_is_a_login_failure_with_the_servers_530(bool secure)
    {
        var upload = await Client().UploadAsync(Server.Url("upload/", secure, password: "wrong"), "x.log", new byte[] { 1 });
        var download = await Client().DownloadAsync(Server.Url("files/x.bin", secure, password: "wrong"));

        foreach (var result in new[] { upload, download })
        {
            Assert.False(result.IsSuccess);
            Assert.Equal("login", result.Failure.Cause);
            Assert.Equal(530, result.Failure.ServerCode);
            Assert.Contains("Login incorrect", result.Failure.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong", result.Failure.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_missing_file_is_file_unavailable_with_the_servers_550_and_text()
    {
        var result = await Client().DownloadAsync(Server.Url("files/no-such-firmware.bin"));

        Assert.False(result.IsSuccess);
        Assert.Equal(FileTransferFailureKind.FileUnavailable, result.Failure.Kind);
        Assert.Equal("file_unavailable", result.Failure.Cause);
        Assert.Equal(550, result.Failure.ServerCode);
        Assert.Contains("550 Failed to open file", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_the_server_does_not_permit_is_file_unavailable_with_its_code()
    {
        var result = await Client().UploadAsync(Server.Url("locked/"), "diagnostics.log", new byte[] { 1, 2, 3 });

        Assert.False(result.IsSuccess);
        Assert.Equal("file_unavailable", result.Failure.Cause);
        Assert.Equal(553, result.Failure.ServerCode);
        Assert.Contains("553", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_certificate_the_client_does_not_trust_is_a_tls_failure()
    {
        var result = await Client(trustServer: false).DownloadAsync(Server.Url("files/any.bin", secure: true));

        Assert.False(result.IsSuccess);
        Assert.Equal("tls", result.Failure.Cause);
        Assert.Equal(TlsFailureReason.UntrustedServerCertificate, result.Failure.TlsReason);
    }

    [Fact]
    public async Task Named_by_its_IP_address_an_ftps_server_requiring_session_reuse_refuses_the_data_channel_and_says_so()
    {
        Server.AddFile("by-ip.bin", [7, 7, 7]);

        var download = await Client().DownloadAsync(Server.Url("files/by-ip.bin", secure: true, host: "127.0.0.1"));
        var upload = await Client().UploadAsync(Server.Url("upload/", secure: true, host: "127.0.0.1"), "by-ip.log", RandomBytes(4_000_000));

        // .NET on Linux caches TLS sessions by host name only: the data channel's handshake is a new session, vsftpd's
        // require_ssl_reuse=YES (its default) turns it down. The cause must say so, not pass for a missing file or a reset.
        foreach (var result in new[] { download, upload })
        {
            Assert.False(result.IsSuccess);
            Assert.Equal("tls", result.Failure.Cause);
            Assert.Equal(522, result.Failure.ServerCode);
            Assert.Contains("session reuse required", result.Failure.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Named_by_its_IP_address_an_ftps_server_without_require_ssl_reuse_serves_the_file()
    {
        await using var lenient = await VsftpdServer.StartAsync(requireSslReuse: false);
        var content = RandomBytes(10_000);
        lenient.AddFile("by-ip.bin", content);
        var client = new FtpClient(new FtpClientSettings { Tls = new TlsSettings { TrustedRoots = [lenient.TrustedRoot] } });

        var download = await client.DownloadAsync(lenient.Url("files/by-ip.bin", secure: true, host: "127.0.0.1"), keepContent: true);
        var upload = await client.UploadAsync(lenient.Url("upload/", secure: true, host: "127.0.0.1"), "by-ip.log", content);

        Assert.True(download.IsSuccess, $"{download}\n{lenient.Log}");
        Assert.Equal(content, download.Content);
        Assert.True(upload.IsSuccess, $"{upload}\n{lenient.Log}");
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(lenient.UploadDirectory, "by-ip.log")));
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        // Bound but not listening: refused, and no other listener can take the port meanwhile.
        using var closed = RawServers.BoundButNotListening(out var port);

        var result = await Client().DownloadAsync(new Uri($"ftp://127.0.0.1:{port}/files/x.bin"));

        Assert.False(result.IsSuccess);
        Assert.Equal("refused", result.Failure.Cause);
    }

    [Fact]
    public async Task A_credential_in_the_location_never_appears_in_the_failure()
    {
        var result = await Client().DownloadAsync(Server.Url("files/missing.bin", password: Password()));

        Assert.False(result.IsSuccess);
        Assert.DoesNotContain("fl@et", result.Failure.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("fl%40et", result.Failure.Detail, StringComparison.Ordinal);

        static string Password() => VsftpdServer.Password;
    }

    [Fact]
    public async Task A_scheme_other_than_ftp_or_ftps_is_refused_clearly()
    {
        var result = await Client().DownloadAsync(new Uri("sftp://127.0.0.1/x.bin"));

        Assert.False(result.IsSuccess);
        Assert.Equal("unsupported_scheme", result.Failure.Cause);
    }

    [Fact]
    public async Task A_reply_line_longer_than_the_bound_is_a_protocol_failure()
    {
        await using var fake = FakeServer.Start("220 " + new string('x', 5000) + "\r\n");

        var result = await new FtpClient(new FtpClientSettings { MaxReplyLineLength = 1024 }).DownloadAsync(fake.Url);

        Assert.False(result.IsSuccess);
        Assert.Equal("protocol", result.Failure.Cause);
        Assert.Contains("longer than 1024", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_greets_is_a_timeout()
    {
        await using var fake = FakeServer.Start(greeting: null);

        var result = await new FtpClient(new FtpClientSettings { ReplyTimeout = TimeSpan.FromMilliseconds(300) }).DownloadAsync(fake.Url);

        Assert.False(result.IsSuccess);
        Assert.Equal("timeout", result.Failure.Cause);
        Assert.Contains("greeting", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_that_is_not_an_ftp_reply_is_a_protocol_failure()
    {
        await using var fake = FakeServer.Start("HTTP/1.1 400 Bad Request\r\n");

        var result = await new FtpClient(new FtpClientSettings()).DownloadAsync(fake.Url);

        Assert.False(result.IsSuccess);
        Assert.Equal("protocol", result.Failure.Cause);
    }

    [Fact]
    public async Task Without_EPSV_the_client_falls_back_to_PASV_and_connects_to_the_control_peer_not_the_address_PASV_names()
    {
        var content = RandomBytes(50_000);
        await using var fake = ScriptedServer.Start(content);

        var result = await new FtpClient(new FtpClientSettings { ConnectTimeout = TimeSpan.FromSeconds(3) }).DownloadAsync(fake.Url, keepContent: true);

        Assert.True(result.IsSuccess, $"{result}; commands: {string.Join(" | ", fake.Commands)}");
        Assert.Equal(content, result.Content);
        Assert.Equal(["USER someone", "PASS secret", "TYPE I", "EPSV", "PASV", "RETR dir/file.bin", "QUIT"], fake.Commands);
    }

    [Fact]
    public async Task A_location_in_a_failure_text_is_shown_without_its_user_info()
    {
        // Bound but not listening: refused, and no other listener can take the port meanwhile.
        using var closed = RawServers.BoundButNotListening(out var port);

        var result = await Client().DownloadAsync(new Uri($"ftp://user:hunter2@127.0.0.1:{port}/files/x.bin"));

        Assert.False(result.IsSuccess);
        Assert.Contains($"ftp://127.0.0.1:{port}/files/x.bin", result.Failure.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Failure.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("user", result.Failure.Detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// Speaks just enough FTP for one RETR, without EPSV, with multi-line replies; its PASV reply names a TEST-NET address
    /// (192.0.2.1) where nothing answers, so only a client that uses the control connection's peer gets the file.
    /// </summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly TcpListener _control = new(IPAddress.Loopback, 0);
        private readonly TcpListener _data = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serve;

        private ScriptedServer(byte[] file)
        {
            _control.Start();
            _data.Start();
            _serve = ServeAsync(file);
        }

        public List<string> Commands { get; } = [];

        public Uri Url => new($"ftp://someone:secret@127.0.0.1:{((IPEndPoint)_control.LocalEndpoint).Port}/dir/file.bin");

        public static ScriptedServer Start(byte[] file) => new(file);

        private async Task ServeAsync(byte[] file)
        {
            try
            {
                using var socket = await _control.AcceptSocketAsync(_stop.Token);
                await using var stream = new NetworkStream(socket);
                using var reader = new StreamReader(stream, Encoding.ASCII);
                async Task Say(string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ReplaceLineEndings("\r\n") + "\r\n"), _stop.Token);
                await Say("220-Scripted server\n  a continuation line\n220 ready");
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    Commands.Add(line);
                    var verb = line.Split(' ')[0];
                    switch (verb)
                    {
                        case "USER": await Say("331 Password please"); break;
                        case "PASS": await Say("230-Welcome\n230-to the scripted server\n230 Logged in"); break;
                        case "TYPE": await Say("200 Binary"); break;
                        case "EPSV": await Say("502 EPSV not implemented"); break;
                        case "PASV":
                            var port = ((IPEndPoint)_data.LocalEndpoint).Port;
                            await Say($"227 Entering Passive Mode (192,0,2,1,{port / 256},{port % 256})");
                            break;
                        case "RETR":
                            using (var data = await _data.AcceptSocketAsync(_stop.Token))
                            {
                                await Say("150 Here it comes");
                                await data.SendAsync(file, SocketFlags.None, _stop.Token);
                                data.Shutdown(SocketShutdown.Send);
                            }

                            await Say("226 Transfer complete");
                            break;
                        case "QUIT": await Say("221 Bye"); return;
                        default: await Say("500 Unknown command"); break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _serve;
            _control.Stop();
            _data.Stop();
            _stop.Dispose();
        }
    }

    /// <summary>Accepts one connection and writes a fixed greeting (or nothing), then holds it open.</summary>
    private sealed class FakeServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _serve;
        private readonly CancellationTokenSource _stop = new();

        private FakeServer(string? greeting)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _serve = ServeAsync(greeting);
        }

        public Uri Url => new($"ftp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/file.bin");

        public static FakeServer Start(string? greeting) => new(greeting);

        private async Task ServeAsync(string? greeting)
        {
            try
            {
                using var socket = await _listener.AcceptSocketAsync(_stop.Token);
                if (greeting is not null)
                {
                    await socket.SendAsync(Encoding.ASCII.GetBytes(greeting), SocketFlags.None, _stop.Token);
                }

                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _serve;
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
