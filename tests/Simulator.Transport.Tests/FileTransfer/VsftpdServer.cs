using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Simulator.Tests.Ftp;

/// <summary>
/// A real vsftpd (Debian's /usr/sbin/vsftpd) on 127.0.0.1, started and stopped by a test, with its configuration, its
/// certificate (signed by a root the test makes) and its files in a temporary directory. Anonymous login, but with a real
/// password check: <c>secure_email_list_enable</c> accepts only the passwords listed, so a wrong password gets 530.
/// Explicit FTPS is on (and optional); <c>require_ssl_reuse</c> stays at vsftpd's default (YES) unless asked otherwise.
/// Also compiled into Simulator.Fleet.Tests.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class VsftpdServer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/vsftpd";

    /// <summary>The password the server accepts (with user "anonymous"); it needs percent-encoding in a URL.</summary>
    public const string Password = "fl@et:sim/pw";

    /// <summary>The password the client sends when the URL has no user-info; the server accepts it too.</summary>
    public const string AnonymousPassword = "anonymous@";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private VsftpdServer(DirectoryInfo directory, int port, X509Certificate2 root, Process process)
    {
        Directory = directory;
        Port = port;
        TrustedRoot = root;
        _process = process;
    }

    public DirectoryInfo Directory { get; }

    public int Port { get; }

    /// <summary>The root that signed the server's certificate: a client trusting it accepts the server.</summary>
    public X509Certificate2 TrustedRoot { get; }

    /// <summary>The anonymous root: <c>files/</c> (readable), <c>upload/</c> (writable), <c>locked/</c> (not writable).</summary>
    public string Root => Path.Combine(Directory.FullName, "root");

    public string FilesDirectory => Path.Combine(Root, "files");

    public string UploadDirectory => Path.Combine(Root, "upload");

    /// <summary>vsftpd's protocol log (for failure messages).</summary>
    public string Log
    {
        get
        {
            var log = Path.Combine(Directory.FullName, "vsftpd.log");
            return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
        }
    }

    /// <summary>
    /// A URL on this server; <paramref name="password"/> null: no user-info (anonymous with the client's default password).
    /// ftps:// URLs name the host "localhost" unless told otherwise: .NET resumes the control channel's TLS session on the
    /// data channel (which vsftpd's require_ssl_reuse demands) only for a host name, not for an IP address.
    /// </summary>
    public Uri Url(string path, bool secure = false, string? password = Password, string? host = null)
    {
        var userInfo = password is null ? string.Empty : "anonymous:" + Uri.EscapeDataString(password) + "@";
        host ??= secure ? "localhost" : "127.0.0.1";
        return new Uri($"{(secure ? "ftps" : "ftp")}://{userInfo}{host}:{Port.ToString(CultureInfo.InvariantCulture)}/{path}");
    }

    /// <summary>Puts a file where RETR of <c>files/<paramref name="name"/></c> finds it.</summary>
    public void AddFile(string name, byte[] content)
    {
        var path = Path.Combine(FilesDirectory, name);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    public static async Task<VsftpdServer> StartAsync(bool requireSslReuse = true)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                $"vsftpd is not installed ({Binary} is missing). The FTP tests run against a real vsftpd; tests/run-all.sh installs it (Debian package 'vsftpd').");
        }

        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            throw new InvalidOperationException(
                $"vsftpd must be started as root (it chroots and drops to the 'ftp' user per session); these tests run as '{Environment.UserName}'.");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("fleetsim-vsftpd-");
        var root = CreateRoot();
        try
        {
            // Below the ephemeral range: vsftpd binds them after this, and another test's connection may take an ephemeral port meanwhile.
            var port = ListenPorts.Free();
            var pasv = ListenPorts.FreeRange(8);
            WriteTree(directory, root, port, pasv, requireSslReuse);
            var process = Process.Start(new ProcessStartInfo(Binary, Path.Combine(directory.FullName, "vsftpd.conf"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("vsftpd did not start");
            var server = new VsftpdServer(directory, port, root, process);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await server.WaitForGreetingAsync();
            return server;
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // vsftpd forks a process per session; they end when their connections do. Only the listener is ours to stop.
                _process.Kill();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A session process may still hold a file for a moment; the temp directory is left behind then.
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitForGreetingAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"vsftpd exited with {_process.ExitCode}: {Output()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
                if (line is not null && line.StartsWith("220", StringComparison.Ordinal))
                {
                    return;
                }

                throw new InvalidOperationException($"vsftpd greeted with '{line}': {Output()}");
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static void WriteTree(DirectoryInfo directory, X509Certificate2 root, int port, int pasv, bool requireSslReuse)
    {
        var d = directory.FullName;
        const UnixFileMode ReadOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        foreach (var sub in new[] { "root", "root/files", "root/locked", "empty" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(d, sub), ReadOnlyDirectory);
        }

        // Writable by the 'ftp' user the anonymous session runs as.
        var upload = System.IO.Directory.CreateDirectory(Path.Combine(d, "root", "upload"));
        File.SetUnixFileMode(upload.FullName, ReadOnlyDirectory | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);

        using var serverCertificate = CreateServer(root);
        File.WriteAllText(Path.Combine(d, "server.pem"), serverCertificate.ExportCertificatePem());
        using (var key = serverCertificate.GetECDsaPrivateKey()!)
        {
            File.WriteAllText(Path.Combine(d, "server.key"), key.ExportPkcs8PrivateKeyPem());
        }

        File.SetUnixFileMode(Path.Combine(d, "server.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(d, "passwords"), $"{Password}\n{AnonymousPassword}\n");
        // A multi-line greeting ("220-" … "220 "), so every session parses one.
        File.WriteAllText(Path.Combine(d, "banner"), "FleetSim test FTP server\nvsftpd, started by a test\nanonymous only\n");
        var config = $"""
            listen=YES
            listen_ipv6=NO
            background=NO
            listen_address=127.0.0.1
            listen_port={port}
            pasv_enable=YES
            pasv_min_port={pasv}
            pasv_max_port={pasv + 7}
            port_enable=NO
            connect_from_port_20=NO
            anonymous_enable=YES
            local_enable=NO
            anon_root={d}/root
            no_anon_password=NO
            secure_email_list_enable=YES
            email_password_file={d}/passwords
            write_enable=YES
            anon_upload_enable=YES
            anon_mkdir_write_enable=NO
            anon_other_write_enable=NO
            anon_world_readable_only=NO
            anon_umask=022
            secure_chroot_dir={d}/empty
            banner_file={d}/banner
            seccomp_sandbox=NO
            isolate=NO
            isolate_network=NO
            xferlog_enable=YES
            xferlog_std_format=NO
            log_ftp_protocol=YES
            vsftpd_log_file={d}/vsftpd.log
            ssl_enable=YES
            allow_anon_ssl=YES
            force_anon_logins_ssl=NO
            force_anon_data_ssl=NO
            ssl_ciphers=HIGH
            require_ssl_reuse={(requireSslReuse ? "YES" : "NO")}
            rsa_cert_file={d}/server.pem
            rsa_private_key_file={d}/server.key

            """;
        File.WriteAllText(Path.Combine(d, "vsftpd.conf"), config);
    }

    public static X509Certificate2 CreateRoot()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=FleetSim FTP test root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12, "t"), "t", X509KeyStorageFlags.Exportable);
    }

    private static X509Certificate2 CreateServer(X509Certificate2 root)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var publicOnly = request.Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), serial);
        return publicOnly.CopyWithPrivateKey(key);
    }
}
