using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Simulator.ChargePoint.Security;
using Simulator.Transport;
using Simulator.Transport.FileTransfer;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// The transfers of GetDiagnostics, GetLog, UpdateFirmware and SignedUpdateFirmware, by the location's scheme: http/https
/// with one shared HttpClient for the node (connection pooling across charge points), ftp/ftps with the transport's
/// <see cref="FtpClient"/>. Results are classified (<see cref="FileTransferResult"/>), never thrown, so an actor can pipe
/// them back into its mailbox. What <c>SupportedFileTransferProtocols</c> advertises (FTP, FTPS, HTTP, HTTPS) is what works here.
/// </summary>
internal static class FileTransfers
{
    /// <summary>The largest file kept in memory for a signature check (signed firmware).</summary>
    public const int MaxKeptContentBytes = 64 * 1024 * 1024;

    private static readonly HttpClient Client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>One FTP client per set of trusted roots (normally one per run): its TLS policy is built once.</summary>
    private static readonly ConcurrentDictionary<string, FtpClient> FtpClients = new(StringComparer.Ordinal);

    /// <summary>
    /// Uploads to <c>location/fileName</c> when the location is a directory (ends in '/'; for FTP also a path the server can
    /// change into), else to the location itself. FTPS trusts what the OCPP connection trusts: <paramref name="trust"/>'s
    /// CentralSystemRootCertificates, or the system store when there are none.
    /// </summary>
    public static Task<FileTransferResult> UploadAsync(string location, string fileName, ReadOnlyMemory<byte> content, CertificateStore trust)
    {
        if (Parse(location) is not { } uri)
        {
            return Task.FromResult(Invalid(location));
        }

        return uri.Scheme switch
        {
            "http" or "https" => HttpUploadAsync(uri, fileName, content),
            "ftp" or "ftps" => FtpFor(trust).UploadAsync(uri, fileName, content),
            _ => Task.FromResult(Unsupported(uri)),
        };
    }

    /// <summary>Downloads <paramref name="location"/>; with <paramref name="keepContent"/> the bytes come back (up to <see cref="MaxKeptContentBytes"/>).</summary>
    public static Task<FileTransferResult> DownloadAsync(string location, bool keepContent, CertificateStore trust)
    {
        if (Parse(location) is not { } uri)
        {
            return Task.FromResult(Invalid(location));
        }

        return uri.Scheme switch
        {
            "http" or "https" => HttpDownloadAsync(uri, keepContent),
            "ftp" or "ftps" => FtpFor(trust).DownloadAsync(uri, keepContent, MaxKeptContentBytes),
            _ => Task.FromResult(Unsupported(uri)),
        };
    }

    private static FtpClient FtpFor(CertificateStore trust) =>
        FtpClients.GetOrAdd(trust.CentralSystemRootsFingerprint, _ => new FtpClient(new FtpClientSettings
        {
            Tls = new TlsSettings { TrustedRoots = trust.CentralSystemRoots.Count == 0 ? null : [.. trust.CentralSystemRoots] },
        }));

    private static Uri? Parse(string location) => Uri.TryCreate(location, UriKind.Absolute, out var uri) ? uri : null;

    private static FileTransferResult Invalid(string location) =>
        FileTransferResult.Failed(FileTransferFailureKind.InvalidLocation, $"the location is not an absolute URL ({location.Length} characters)");

    private static FileTransferResult Unsupported(Uri uri) =>
        FileTransferResult.Failed(FileTransferFailureKind.UnsupportedScheme,
            $"{FileTransferLocation.Redact(uri)}: the scheme '{uri.Scheme}' is not supported; this charge point transfers files over FTP, FTPS, HTTP and HTTPS");

    private static async Task<FileTransferResult> HttpUploadAsync(Uri uri, string fileName, ReadOnlyMemory<byte> content)
    {
        var target = uri.AbsolutePath.EndsWith('/') ? new Uri(uri, Uri.EscapeDataString(fileName)) : uri;
        using var body = new ReadOnlyMemoryContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        try
        {
            using var response = await Client.PutAsync(target, body).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? FileTransferResult.Success(content.Length) : Status(target, "upload", response);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return Classify(target, "upload", ex);
        }
    }

    private static async Task<FileTransferResult> HttpDownloadAsync(Uri uri, bool keepContent)
    {
        try
        {
            using var response = await Client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return Status(uri, "download", response);
            }

            if (keepContent && response.Content.Headers.ContentLength > MaxKeptContentBytes)
            {
                return TooLarge(uri);
            }

            var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                if (!keepContent)
                {
                    var counter = new CountingStream();
                    await stream.CopyToAsync(counter).ConfigureAwait(false);
                    return FileTransferResult.Success(counter.Length);
                }

                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer).ConfigureAwait(false);
                return buffer.Length > MaxKeptContentBytes ? TooLarge(uri) : FileTransferResult.Success(buffer.Length, buffer.ToArray());
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return Classify(uri, "download", ex);
        }
    }

    private static FileTransferResult Status(Uri uri, string what, HttpResponseMessage response) =>
        FileTransferResult.Failed(new FileTransferFailure(FileTransferFailureKind.HttpStatus,
            $"{what} of {FileTransferLocation.Redact(uri)} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd())
        {
            ServerCode = (int)response.StatusCode,
        });

    private static FileTransferResult TooLarge(Uri uri) =>
        FileTransferResult.Failed(FileTransferFailureKind.TooLarge, $"download of {FileTransferLocation.Redact(uri)}: more than the {MaxKeptContentBytes} bytes kept for a signature check");

    private static FileTransferResult Classify(Uri uri, string what, Exception ex)
    {
        var socketError = Inner<SocketException>(ex)?.SocketErrorCode;
        var kind = ex switch
        {
            TaskCanceledException => FileTransferFailureKind.Timeout,
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => FileTransferFailureKind.Dns,
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => FileTransferFailureKind.Tls,
            _ when socketError == SocketError.ConnectionRefused => FileTransferFailureKind.Refused,
            _ when socketError == SocketError.TimedOut => FileTransferFailureKind.Timeout,
            _ when socketError is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => FileTransferFailureKind.Dns,
            _ => FileTransferFailureKind.Network,
        };
        return FileTransferResult.Failed(kind, $"{what} of {FileTransferLocation.Redact(uri)} failed: {ex.Message}");
    }

    private static T? Inner<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>A sink that only counts what is written (the bytes of a firmware that is not kept).</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
