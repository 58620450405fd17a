using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Simulator.Transport.FileTransfer;

/// <summary>Whether a file goes to the server (diagnostics, logs) or comes from it (firmware).</summary>
public enum FileTransferDirection
{
    Upload,
    Download,
}

/// <summary>The class of a failed file transfer, whatever the scheme.</summary>
public enum FileTransferFailureKind
{
    /// <summary>The location is not an absolute URL, or carries characters a command must not contain.</summary>
    InvalidLocation,

    /// <summary>The location's scheme is none of ftp, ftps, http, https.</summary>
    UnsupportedScheme,

    /// <summary>The host name did not resolve.</summary>
    Dns,

    /// <summary>TCP RST / ECONNREFUSED on the control or the data connection.</summary>
    Refused,

    /// <summary>A step (connect, a reply, a data read or write) took longer than its timeout.</summary>
    Timeout,

    /// <summary>The server refused the credentials (FTP 530 after USER/PASS, HTTP 401).</summary>
    Login,

    /// <summary>The TLS handshake failed (see <see cref="FileTransferFailure.TlsReason"/>), on the control or the data channel.</summary>
    Tls,

    /// <summary>The server would not read or write the file: FTP 450/550/553 and friends (not found, not permitted).</summary>
    FileUnavailable,

    /// <summary>An HTTP status other than 2xx (see <see cref="FileTransferFailure.ServerCode"/>).</summary>
    HttpStatus,

    /// <summary>The server's answer broke the protocol: an unexpected reply code, a malformed or over-long reply.</summary>
    Protocol,

    /// <summary>The downloaded file is larger than what is kept for a signature check.</summary>
    TooLarge,

    /// <summary>Any other network failure (reset, unreachable, closed early).</summary>
    Network,
}

/// <summary>A classified transfer failure. <see cref="Detail"/> never contains credentials.</summary>
public sealed record FileTransferFailure
{
    public FileTransferFailure(FileTransferFailureKind kind, string detail)
    {
        Kind = kind;
        Detail = detail;
    }

    public FileTransferFailureKind Kind { get; }

    /// <summary>The server's reply code: the FTP reply (e.g. 550) or the HTTP status, when the server answered.</summary>
    public int? ServerCode { get; init; }

    public TlsFailureReason TlsReason { get; init; }

    /// <summary>Human-readable and credential-free; for FTP replies it holds the server's code and text.</summary>
    public string Detail { get; }

    /// <summary>Short stable label for metrics and the report: dns, refused, timeout, login, tls, file_unavailable, http_NNN, protocol, ...</summary>
    public string Cause => Kind switch
    {
        FileTransferFailureKind.InvalidLocation => "invalid_location",
        FileTransferFailureKind.UnsupportedScheme => "unsupported_scheme",
        FileTransferFailureKind.Dns => "dns",
        FileTransferFailureKind.Refused => "refused",
        FileTransferFailureKind.Timeout => "timeout",
        FileTransferFailureKind.Login => "login",
        FileTransferFailureKind.Tls => "tls",
        FileTransferFailureKind.FileUnavailable => "file_unavailable",
        FileTransferFailureKind.HttpStatus => ServerCode is >= 100 and < 600 ? "http_" + ServerCode.Value.ToString(CultureInfo.InvariantCulture) : "http_other",
        FileTransferFailureKind.Protocol => "protocol",
        FileTransferFailureKind.TooLarge => "too_large",
        _ => "network",
    };

    public override string ToString() => $"{Cause}: {Detail}";
}

/// <summary>The outcome of one transfer: success (with the downloaded bytes when they were asked for) or a classified failure.</summary>
public sealed class FileTransferResult
{
    private FileTransferResult(FileTransferFailure? failure, long bytes, byte[]? content)
    {
        Failure = failure;
        Bytes = bytes;
        Content = content;
    }

    public FileTransferFailure? Failure { get; }

    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsSuccess => Failure is null;

    /// <summary>Bytes moved over the data connection.</summary>
    public long Bytes { get; }

    /// <summary>The downloaded file, when the caller asked to keep it; else null.</summary>
    public byte[]? Content { get; }

    public static FileTransferResult Success(long bytes, byte[]? content = null) => new(null, bytes, content);

    public static FileTransferResult Failed(FileTransferFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(failure, 0, null);
    }

    public static FileTransferResult Failed(FileTransferFailureKind kind, string detail) => Failed(new FileTransferFailure(kind, detail));

    public override string ToString() => IsSuccess ? $"ok ({Bytes} bytes)" : Failure.ToString();
}

/// <summary>Helpers for transfer locations (URLs a CSMS hands out).</summary>
public static class FileTransferLocation
{
    /// <summary>The URL without its user-info, for logs and error texts: <c>ftp://user:secret@host/dir</c> → <c>ftp://host/dir</c>.</summary>
    public static string Redact(Uri location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!location.IsAbsoluteUri)
        {
            return "(relative URL)";
        }

        return string.IsNullOrEmpty(location.UserInfo)
            ? location.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped)
            : location.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped);
    }
}
