using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.RegularExpressions;

namespace Simulator.Transport.FileTransfer;

/// <summary>Settings of an <see cref="FtpClient"/>; shared by every transfer it makes.</summary>
public sealed record FtpClientSettings
{
    /// <summary>Trust for ftps:// (the same settings as the OCPP connection's: custom roots or the system store, host-name check).</summary>
    public TlsSettings Tls { get; init; } = new();

    /// <summary>Bound on resolving the host and on each TCP connect (control and data).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Bound on each reply of the server, and on each TLS handshake.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest the data connection may stand still (per read or write).</summary>
    public TimeSpan DataTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest reply line accepted; a longer one fails the transfer as a protocol violation.</summary>
    public int MaxReplyLineLength { get; init; } = 2048;

    /// <summary>The password sent with USER anonymous when the URL has no user-info (by custom an e-mail address).</summary>
    public string AnonymousPassword { get; init; } = "anonymous@";
}

/// <summary>
/// A small FTP client (RFC 959) for the files a CSMS asks for: one control connection per transfer, passive mode (EPSV,
/// falling back to PASV), binary type, RETR and STOR, and explicit FTPS (RFC 4217: AUTH TLS, PBSZ 0, PROT P, TLS on the data
/// connection too) for ftps:// URLs. Credentials come from the URL's user-info (percent-decoded), else anonymous.
/// Thread-safe: the TLS policy is built once, each transfer has its own sockets.
/// </summary>
/// <remarks>
/// The data connection goes to the control connection's peer address whatever address PASV names (as curl does by
/// default): a server behind NAT often names its private address, and a hostile one could name a third host.
/// The data channel's TLS handshake uses the same target host and options as the control channel's, so .NET on Linux
/// offers the control session for resumption, which servers such as vsftpd require by default (<c>require_ssl_reuse=YES</c>).
/// .NET caches client sessions by host name only: with an IP address in the URL the data channel gets a new session, and
/// such a server refuses it (vsftpd: "522 SSL connection failed: session reuse required", reported as <c>tls</c>); it then
/// needs <c>require_ssl_reuse=NO</c>, or the URL a host name. And since that cache holds one session per host name, FTPS
/// sessions to one host name take turns within the process (plain FTP and IP addresses run side by side).
/// </remarks>
public sealed partial class FtpClient
{
    private const int DataBufferSize = 64 * 1024;

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> TlsSessionGates = new(StringComparer.Ordinal);

    private readonly TlsClientPolicy _tls;

    public FtpClient(FtpClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.MaxReplyLineLength < 64)
        {
            throw new ArgumentException("MaxReplyLineLength must be at least 64.", nameof(settings));
        }

        Settings = settings;
        _tls = new TlsClientPolicy(settings.Tls);
    }

    public FtpClientSettings Settings { get; }

    /// <summary>Whether this client handles the URL's scheme (ftp, ftps).</summary>
    public static bool Handles(Uri location) =>
        location is { IsAbsoluteUri: true } && (location.Scheme == "ftp" || location.Scheme == "ftps");

    /// <summary>
    /// Downloads the file at <paramref name="location"/> (RETR). With <paramref name="keepContent"/> the bytes come back in
    /// <see cref="FileTransferResult.Content"/>, up to <paramref name="maxKeptBytes"/>; otherwise they are counted and dropped.
    /// Never throws for network, TLS or server failures; throws <see cref="OperationCanceledException"/> only for <paramref name="cancellationToken"/>.
    /// </summary>
    public Task<FileTransferResult> DownloadAsync(Uri location, bool keepContent = false, long maxKeptBytes = 64 * 1024 * 1024, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        return RunAsync(location, async (session, path) =>
        {
            if (path.Length == 0 || path.EndsWith('/'))
            {
                throw new FtpFailureException(FileTransferFailureKind.InvalidLocation, $"{FileTransferLocation.Redact(location)} names a directory, not a file to download");
            }

            return await session.RetrieveAsync(path, keepContent, maxKeptBytes).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// Uploads <paramref name="content"/> (STOR). A location ending in '/', with an empty path, or naming a directory the server
    /// can change into, is a directory: the file goes there as <paramref name="fileName"/>; otherwise the location is the file.
    /// Never throws for network, TLS or server failures; throws <see cref="OperationCanceledException"/> only for <paramref name="cancellationToken"/>.
    /// </summary>
    public Task<FileTransferResult> UploadAsync(Uri location, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return RunAsync(location, async (session, path) =>
        {
            if (!IsSafe(fileName) || fileName.Contains('/', StringComparison.Ordinal))
            {
                throw new FtpFailureException(FileTransferFailureKind.InvalidLocation, "the file name holds a '/' or a control character");
            }

            string target;
            if (path.Length == 0 || path.EndsWith('/'))
            {
                target = path + fileName;
            }
            else
            {
                // OCPP's location is a directory; "ftp://host/diagnostics" usually means one. CWD tells; if it fails, the path names the file.
                var cwd = await session.CommandAsync("CWD " + path).ConfigureAwait(false);
                target = cwd.IsCompletion ? fileName
                    : cwd.Code is 550 or 450 or 501 ? path
                    : throw Unexpected("CWD", cwd);
            }

            return await session.StoreAsync(target, content).ConfigureAwait(false);
        }, cancellationToken);
    }

    private async Task<FileTransferResult> RunAsync(Uri location, Func<Session, string, Task<FileTransferResult>> transfer, CancellationToken cancellationToken)
    {
        if (!location.IsAbsoluteUri)
        {
            return FileTransferResult.Failed(FileTransferFailureKind.InvalidLocation, "the location is not an absolute URL");
        }

        if (!Handles(location))
        {
            return FileTransferResult.Failed(FileTransferFailureKind.UnsupportedScheme, $"{FileTransferLocation.Redact(location)}: the FTP client handles ftp:// and ftps:// only");
        }

        // RFC 1738: the path is relative to the login directory; %2F at its start makes it absolute.
        var path = Uri.UnescapeDataString(location.AbsolutePath.Length > 0 ? location.AbsolutePath[1..] : string.Empty);
        var (user, password) = Credentials(location);
        if (!IsSafe(path) || !IsSafe(user) || !IsSafe(password))
        {
            return FileTransferResult.Failed(FileTransferFailureKind.InvalidLocation, $"{FileTransferLocation.Redact(location)}: the path or the user-info holds a control character");
        }

        // .NET keeps one resumable TLS session per host name (process-wide): two FTPS sessions to one host at a time would
        // offer each other's session on their data channels, which servers requiring reuse (vsftpd) refuse. So FTPS
        // sessions to a host name take turns in this process; an IP address is never resumed, so it needs no turn.
        var host = location.IdnHost.Trim('[', ']');
        var gate = location.Scheme == "ftps" && !IPAddress.TryParse(host, out _)
            ? TlsSessionGates.GetOrAdd(host.ToLowerInvariant(), static _ => new SemaphoreSlim(1, 1))
            : null;
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var session = new Session(this, location, cancellationToken);
        try
        {
            await session.OpenAsync(user, password).ConfigureAwait(false);
            var result = await transfer(session, path).ConfigureAwait(false);
            await session.QuitAsync().ConfigureAwait(false);
            return result;
        }
        catch (FtpFailureException e)
        {
            return FileTransferResult.Failed(e.Failure);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // A step outside the classified ones (a socket closing under a write, ...): still a result, never a throw.
            return FileTransferResult.Failed(FileTransferFailureKind.Network, $"{FileTransferLocation.Redact(location)}: {e.Message}");
        }
        finally
        {
            await session.DisposeAsync().ConfigureAwait(false);
            gate?.Release();
        }
    }

    private (string User, string Password) Credentials(Uri location)
    {
        var userInfo = location.UserInfo;
        if (userInfo.Length == 0)
        {
            return ("anonymous", Settings.AnonymousPassword);
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(userInfo), string.Empty)
            : (Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }

    private static bool IsSafe(string text) => !text.Any(char.IsControl);

    /// <summary>A reply that ends the transfer, classified by its code; the code and the server's text are kept.</summary>
    private static FtpFailureException Unexpected(string command, FtpReply reply)
    {
        var kind = reply.Code switch
        {
            530 or 532 => FileTransferFailureKind.Login,
            450 or 451 or 452 or 550 or 551 or 552 or 553 => FileTransferFailureKind.FileUnavailable,
            421 or 425 or 426 => FileTransferFailureKind.Network,
            431 or 522 or 533 or 534 or 535 or 536 => FileTransferFailureKind.Tls,
            _ => FileTransferFailureKind.Protocol,
        };
        return new FtpFailureException(new FileTransferFailure(kind, $"{command} answered {reply}") { ServerCode = reply.Code });
    }

    [GeneratedRegex(@"(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})", RegexOptions.CultureInvariant)]
    private static partial Regex PasvReply();

    /// <summary>One transfer's connections: the control connection (plain, then TLS for ftps) and its data connections.</summary>
    private sealed class Session(FtpClient client, Uri location, CancellationToken cancellationToken) : IAsyncDisposable
    {
        private readonly FtpClientSettings _settings = client.Settings;
        private readonly string _host = location.IdnHost.Trim('[', ']');
        private readonly int _port = location.IsDefaultPort || location.Port < 0 ? 21 : location.Port;
        private readonly bool _secure = location.Scheme == "ftps";
        private readonly string _where = FileTransferLocation.Redact(location);
        private Socket? _socket;
        private FtpControlChannel? _control;
        private IPAddress? _peer;

        private FtpControlChannel Control => _control!;

        public async Task OpenAsync(string user, string password)
        {
            _socket = await ConnectAsync(_host, _port, "the control connection").ConfigureAwait(false);
            _peer = ((IPEndPoint)_socket.RemoteEndPoint!).Address;
            _control = new FtpControlChannel(new NetworkStream(_socket, ownsSocket: false), _settings.MaxReplyLineLength);

            var greeting = await ReadReplyAsync("the greeting").ConfigureAwait(false);
            while (greeting.Code == 120)
            {
                greeting = await ReadReplyAsync("the greeting").ConfigureAwait(false);
            }

            if (greeting.Code != 220)
            {
                throw Unexpected("the greeting", greeting);
            }

            if (_secure)
            {
                var auth = await CommandAsync("AUTH TLS").ConfigureAwait(false);
                if (auth.Code != 234)
                {
                    throw new FtpFailureException(new FileTransferFailure(FileTransferFailureKind.Tls, $"the server does not offer explicit TLS: AUTH TLS answered {auth}") { ServerCode = auth.Code });
                }

                Control.SwitchTo(await HandshakeAsync(Control.Stream, "the control connection").ConfigureAwait(false));
                await ExpectAsync("PBSZ 0", 200).ConfigureAwait(false);
                await ExpectAsync("PROT P", 200).ConfigureAwait(false);
            }

            var userReply = await CommandAsync("USER " + user, "USER").ConfigureAwait(false);
            if (userReply.Code == 331)
            {
                var passReply = await CommandAsync("PASS " + password, "PASS").ConfigureAwait(false);
                if (passReply.Code is not (230 or 202))
                {
                    throw Unexpected("PASS", passReply);
                }
            }
            else if (userReply.Code != 230)
            {
                throw Unexpected("USER", userReply);
            }

            await ExpectAsync("TYPE I", 200).ConfigureAwait(false);
        }

        public async Task<FileTransferResult> RetrieveAsync(string path, bool keepContent, long maxKeptBytes)
        {
            var (data, _) = await OpenDataAsync("RETR " + path, "RETR").ConfigureAwait(false);
            long total = 0;
            MemoryStream? kept = keepContent ? new MemoryStream() : null;
            try
            {
                await using (data.ConfigureAwait(false))
                {
                    var buffer = new byte[DataBufferSize];
                    while (true)
                    {
                        var read = await DataStepAsync(t => data.ReadAsync(buffer, t).AsTask(), "reading the data of RETR").ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        total += read;
                        if (kept is not null)
                        {
                            if (total > maxKeptBytes)
                            {
                                throw new FtpFailureException(FileTransferFailureKind.TooLarge, $"RETR of {_where}: more than the {maxKeptBytes} bytes kept for a signature check");
                            }

                            kept.Write(buffer, 0, read);
                        }
                    }
                }

                await FinishTransferAsync("RETR").ConfigureAwait(false);
                return FileTransferResult.Success(total, kept?.ToArray());
            }
            finally
            {
                kept?.Dispose();
            }
        }

        public async Task<FileTransferResult> StoreAsync(string target, ReadOnlyMemory<byte> content)
        {
            var (data, socket) = await OpenDataAsync("STOR " + target, "STOR").ConfigureAwait(false);
            await using (data.ConfigureAwait(false))
            {
                try
                {
                    for (var offset = 0; offset < content.Length; offset += DataBufferSize)
                    {
                        var chunk = content.Slice(offset, Math.Min(DataBufferSize, content.Length - offset));
                        await DataStepAsync(async t => { await data.WriteAsync(chunk, t).ConfigureAwait(false); return 0; }, "writing the data of STOR").ConfigureAwait(false);
                    }

                    await DataStepAsync(async t => { await data.FlushAsync(t).ConfigureAwait(false); return 0; }, "writing the data of STOR").ConfigureAwait(false);
                    if (data is SslStream ssl)
                    {
                        // close_notify: the end of the file is the end of the TLS stream, not a truncation.
                        await DataStepAsync(async _ => { await ssl.ShutdownAsync().ConfigureAwait(false); return 0; }, "closing the TLS data channel").ConfigureAwait(false);
                    }

                    try
                    {
                        socket.Shutdown(SocketShutdown.Send);
                    }
                    catch (SocketException)
                    {
                        // Reset by the server already: its final reply says why.
                    }
                }
                catch (FtpFailureException e) when (e.Failure.Kind is FileTransferFailureKind.Network or FileTransferFailureKind.Refused)
                {
                    // The server cut the data connection: its reply says why (no space, TLS session not resumed, ...).
                    if (await TryReadReplyAsync().ConfigureAwait(false) is { IsCompletion: false, IsPreliminary: false } said)
                    {
                        throw Unexpected("STOR", said);
                    }

                    throw;
                }

                // The data connection stays open until the server confirms: closing a socket with unread bytes (TLS 1.3
                // session tickets) sends a reset, which can make the server drop the file's tail it has not read yet.
                await FinishTransferAsync("STOR").ConfigureAwait(false);
            }

            return FileTransferResult.Success(content.Length);
        }

        public async Task<FtpReply> CommandAsync(string command, string? shown = null)
        {
            var what = shown ?? command;
            await StepAsync(async t => { await Control.SendAsync(command, t).ConfigureAwait(false); return 0; }, _settings.ReplyTimeout, "sending " + what).ConfigureAwait(false);
            return await ReadReplyAsync(what).ConfigureAwait(false);
        }

        public async Task QuitAsync()
        {
            // Courtesy only: the transfer's outcome is already known.
            try
            {
                using var quick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                quick.CancelAfter(TimeSpan.FromSeconds(2));
                await Control.SendAsync("QUIT", quick.Token).ConfigureAwait(false);
                await Control.ReadReplyAsync(quick.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FtpFailureException or ObjectDisposedException)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_control is not null)
            {
                await _control.Stream.DisposeAsync().ConfigureAwait(false);
            }

            _socket?.Dispose();
        }

        private async Task ExpectAsync(string command, int code)
        {
            var reply = await CommandAsync(command).ConfigureAwait(false);
            if (reply.Code != code)
            {
                var failure = Unexpected(command, reply);
                // PBSZ/PROT refused: the server will not protect the data channel.
                throw command.StartsWith('P') && failure.Failure.Kind == FileTransferFailureKind.Protocol
                    ? new FtpFailureException(new FileTransferFailure(FileTransferFailureKind.Tls, failure.Failure.Detail) { ServerCode = reply.Code })
                    : failure;
            }
        }

        private Task<FtpReply> ReadReplyAsync(string what) =>
            StepAsync(t => Control.ReadReplyAsync(t), _settings.ReplyTimeout, "the reply to " + what);

        /// <summary>
        /// Passive mode, the data connection, the command and its preliminary reply, and (ftps) the data channel's TLS. The
        /// handshake is started as soon as the command is out and runs alongside the wait for the reply: some servers accept
        /// TLS before they send 150, others after.
        /// </summary>
        private async Task<(Stream Data, Socket Socket)> OpenDataAsync(string command, string verb)
        {
            var endpoint = await PassiveAsync().ConfigureAwait(false);
            var socket = await ConnectAsync(endpoint, "the data connection").ConfigureAwait(false);
            Stream data = new NetworkStream(socket, ownsSocket: true);
            Task<Stream>? handshake = null;
            var handedOver = false;
            try
            {
                await StepAsync(async t => { await Control.SendAsync(command, t).ConfigureAwait(false); return 0; }, _settings.ReplyTimeout, "sending " + verb).ConfigureAwait(false);
                if (_secure)
                {
                    handshake = HandshakeAsync(data, "the data connection");
                }

                var reply = await ReadReplyAsync(verb).ConfigureAwait(false);
                if (!reply.IsPreliminary)
                {
                    throw reply.IsCompletion
                        ? new FtpFailureException(FileTransferFailureKind.Protocol, $"{verb} answered {reply} before any data was moved")
                        : Unexpected(verb, reply);
                }

                if (handshake is not null)
                {
                    try
                    {
                        data = await handshake.ConfigureAwait(false);
                    }
                    catch (FtpFailureException failed)
                    {
                        // The server usually says why on the control connection (vsftpd: "522 SSL connection failed: session reuse required").
                        if (await TryReadReplyAsync().ConfigureAwait(false) is not { } said)
                        {
                            throw;
                        }

                        var f = failed.Failure;
                        throw new FtpFailureException(new FileTransferFailure(f.Kind, $"{f.Detail}; the server said {said}") { ServerCode = said.Code, TlsReason = f.TlsReason });
                    }
                }

                handedOver = true;
                return (data, socket);
            }
            finally
            {
                if (!handedOver)
                {
                    await data.DisposeAsync().ConfigureAwait(false);
                    socket.Dispose();
                    if (handshake is not null)
                    {
                        try
                        {
                            await handshake.ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is FtpFailureException or OperationCanceledException)
                        {
                            // The handshake was cut short by the failure already being reported.
                        }
                    }
                }
            }
        }

        private async Task<FtpReply?> TryReadReplyAsync()
        {
            try
            {
                using var quick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                quick.CancelAfter(TimeSpan.FromSeconds(2));
                return await Control.ReadReplyAsync(quick.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FtpFailureException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }
        }

        /// <summary>The final reply after the data connection closed: 226/250 is success, anything else fails the transfer.</summary>
        private async Task FinishTransferAsync(string verb)
        {
            var reply = await ReadReplyAsync(verb + " (the end of the transfer)").ConfigureAwait(false);
            if (!reply.IsCompletion)
            {
                throw Unexpected(verb, reply);
            }
        }

        /// <summary>EPSV (RFC 2428), or PASV when the server does not know EPSV. Either way, the port on the control connection's peer.</summary>
        private async Task<IPEndPoint> PassiveAsync()
        {
            var epsv = await CommandAsync("EPSV").ConfigureAwait(false);
            if (epsv.Code == 229)
            {
                // "229 Entering Extended Passive Mode (|||6446|)": the delimiter is the character after '('.
                var open = epsv.Text.IndexOf('(', StringComparison.Ordinal);
                if (open >= 0 && open + 1 < epsv.Text.Length)
                {
                    var parts = epsv.Text[(open + 1)..].Split(epsv.Text[open + 1]);
                    if (parts.Length >= 5 && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
                    {
                        return new IPEndPoint(_peer!, port);
                    }
                }

                throw new FtpFailureException(new FileTransferFailure(FileTransferFailureKind.Protocol, $"EPSV answered {epsv}, which names no port") { ServerCode = 229 });
            }

            if (epsv.Code is not (500 or 501 or 502 or 504 or 522))
            {
                throw Unexpected("EPSV", epsv);
            }

            var pasv = await CommandAsync("PASV").ConfigureAwait(false);
            if (pasv.Code != 227)
            {
                throw Unexpected("PASV", pasv);
            }

            var match = PasvReply().Match(pasv.Text);
            if (!match.Success
                || !int.TryParse(match.Groups[5].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var high) || high > 255
                || !int.TryParse(match.Groups[6].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var low) || low > 255
                || (high == 0 && low == 0))
            {
                throw new FtpFailureException(new FileTransferFailure(FileTransferFailureKind.Protocol, $"PASV answered {pasv}, which names no port") { ServerCode = 227 });
            }

            return new IPEndPoint(_peer!, (high * 256) + low);
        }

        private async Task<Socket> ConnectAsync(string host, int port, string what)
        {
            IPAddress[] addresses;
            if (IPAddress.TryParse(host, out var literal))
            {
                addresses = [literal];
            }
            else
            {
                try
                {
                    addresses = await StepAsync(t => Dns.GetHostAddressesAsync(host, t), _settings.ConnectTimeout, $"resolving '{host}'").ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    throw new FtpFailureException(FileTransferFailureKind.Dns, $"'{host}' did not resolve: {e.SocketErrorCode}");
                }

                if (addresses.Length == 0)
                {
                    throw new FtpFailureException(FileTransferFailureKind.Dns, $"'{host}' has no address");
                }
            }

            for (var i = 0; ; i++)
            {
                try
                {
                    return await ConnectAsync(new IPEndPoint(addresses[i], port), what).ConfigureAwait(false);
                }
                catch (FtpFailureException) when (i < addresses.Length - 1)
                {
                    // The next address of the host may answer.
                }
            }
        }

        private async Task<Socket> ConnectAsync(IPEndPoint endpoint, string what)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await StepAsync(async t => { await socket.ConnectAsync(endpoint, t).ConfigureAwait(false); return 0; }, _settings.ConnectTimeout, $"connecting {what} to {endpoint}").ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw Classify(e, $"{what} to {endpoint}");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        private async Task<Stream> HandshakeAsync(Stream inner, string what)
        {
            var check = new ServerCertificateCheck();
            var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(_settings.ReplyTimeout);
            try
            {
                await ssl.AuthenticateAsClientAsync(client._tls.CreateOptions(_host, check), bounded.Token).ConfigureAwait(false);
                return ssl;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw new FtpFailureException(FileTransferFailureKind.Timeout, $"{_where}: no progress within {_settings.ReplyTimeout.TotalSeconds:0.#} s (the TLS handshake on {what})");
            }
            catch (Exception e) when (e is AuthenticationException or IOException or SocketException or ObjectDisposedException or System.ComponentModel.Win32Exception)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                var (reason, detail) = TlsClientPolicy.Classify(e, check);
                throw new FtpFailureException(new FileTransferFailure(FileTransferFailureKind.Tls, $"{what}: {detail}") { TlsReason = reason });
            }
            catch
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        private Task<T> DataStepAsync<T>(Func<CancellationToken, Task<T>> step, string what) => StepAsync(step, _settings.DataTimeout, what);

        /// <summary>One step under its own timeout; a timeout and a network failure become classified failures.</summary>
        private async Task<T> StepAsync<T>(Func<CancellationToken, Task<T>> step, TimeSpan timeout, string what)
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(timeout);
            try
            {
                return await step(bounded.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new FtpFailureException(FileTransferFailureKind.Timeout, $"{_where}: no progress within {timeout.TotalSeconds:0.#} s ({what})");
            }
            catch (IOException e) when (FindSocketError(e) is { } socketError)
            {
                throw Classify(socketError, what);
            }
            catch (IOException e)
            {
                throw new FtpFailureException(FileTransferFailureKind.Network, $"{_where}: {what} failed: {(e.InnerException ?? e).Message}");
            }
        }

        private FtpFailureException Classify(SocketException e, string what)
        {
            var kind = e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => FileTransferFailureKind.Refused,
                SocketError.TimedOut => FileTransferFailureKind.Timeout,
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => FileTransferFailureKind.Dns,
                _ => FileTransferFailureKind.Network,
            };
            return new FtpFailureException(new FileTransferFailure(kind, $"{_where}: {what}: {e.SocketErrorCode} ({e.Message})"));
        }

        private static SocketException? FindSocketError(Exception e)
        {
            for (Exception? current = e; current is not null; current = current.InnerException)
            {
                if (current is SocketException match)
                {
                    return match;
                }
            }

            return null;
        }
    }
}
