using System.Globalization;
using System.Text;

namespace Simulator.Transport.FileTransfer;

/// <summary>One FTP reply: the three-digit code and its text (the lines of a multi-line reply joined with a space).</summary>
internal readonly record struct FtpReply(int Code, string Text)
{
    public bool IsPreliminary => Code is >= 100 and < 200;

    public bool IsCompletion => Code is >= 200 and < 300;

    public override string ToString() => Code.ToString(CultureInfo.InvariantCulture) + " " + Text;
}

/// <summary>
/// The control connection's line protocol: commands out, replies in (RFC 959 §4.2: <c>123 text</c>, or <c>123-</c> …
/// <c>123 text</c>), with a bounded line length and line count. The stream under it is swapped for an
/// <see cref="System.Net.Security.SslStream"/> after AUTH TLS.
/// </summary>
internal sealed class FtpControlChannel
{
    private const int MaxReplyLines = 200;

    private readonly int _maxLineLength;
    private readonly byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    public FtpControlChannel(Stream stream, int maxLineLength)
    {
        Stream = stream;
        _maxLineLength = maxLineLength;
    }

    public Stream Stream { get; private set; }

    /// <summary>Continues over <paramref name="stream"/> (TLS over the same socket). Bytes read ahead of the switch are a protocol violation.</summary>
    public void SwitchTo(Stream stream)
    {
        if (_end > _start)
        {
            throw new FtpFailureException(FileTransferFailureKind.Protocol, "the server sent more after accepting AUTH TLS, before the TLS handshake");
        }

        Stream = stream;
    }

    public async Task SendAsync(string command, CancellationToken token)
    {
        var bytes = Encoding.UTF8.GetBytes(command + "\r\n");
        await Stream.WriteAsync(bytes, token).ConfigureAwait(false);
        await Stream.FlushAsync(token).ConfigureAwait(false);
    }

    public async Task<FtpReply> ReadReplyAsync(CancellationToken token)
    {
        var first = await ReadLineAsync(token).ConfigureAwait(false);
        if (!TryParseCode(first, out var code, out var separator))
        {
            throw new FtpFailureException(FileTransferFailureKind.Protocol, $"not an FTP reply: '{Printable(first)}'");
        }

        var text = new StringBuilder(first.Length > 4 ? first[4..] : string.Empty);
        if (separator == '-')
        {
            var prefix = first[..3] + " ";
            for (var lines = 1; ; lines++)
            {
                if (lines >= MaxReplyLines)
                {
                    throw new FtpFailureException(FileTransferFailureKind.Protocol, $"a multi-line {code} reply longer than {MaxReplyLines} lines");
                }

                var line = await ReadLineAsync(token).ConfigureAwait(false);
                var last = line.StartsWith(prefix, StringComparison.Ordinal) || line == first[..3];
                var content = last ? (line.Length > 4 ? line[4..] : string.Empty) : line.TrimStart();
                if (content.Length > 0)
                {
                    text.Append(text.Length > 0 ? " " : string.Empty).Append(content);
                }

                if (last)
                {
                    break;
                }
            }
        }

        return new FtpReply(code, Printable(text.ToString().Trim()));
    }

    private static bool TryParseCode(string line, out int code, out char separator)
    {
        code = 0;
        separator = ' ';
        if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2]) || line[0] is < '1' or > '5')
        {
            return false;
        }

        if (line.Length > 3)
        {
            separator = line[3];
            if (separator is not (' ' or '-'))
            {
                return false;
            }
        }

        code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
        return true;
    }

    /// <summary>One line without its CR LF (a bare LF ends a line too).</summary>
    private async Task<string> ReadLineAsync(CancellationToken token)
    {
        using var line = new MemoryStream();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await Stream.ReadAsync(_buffer, token).ConfigureAwait(false);
                if (_end == 0)
                {
                    throw new FtpFailureException(FileTransferFailureKind.Network, "the server closed the control connection");
                }
            }

            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var take = (newline < 0 ? _end : newline) - _start;
            if (line.Length + take > _maxLineLength)
            {
                throw new FtpFailureException(FileTransferFailureKind.Protocol, $"a reply line longer than {_maxLineLength} bytes");
            }

            line.Write(_buffer, _start, take);
            if (newline < 0)
            {
                _start = _end;
                continue;
            }

            _start = newline + 1;
            var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
            if (bytes.Length > 0 && bytes[^1] == '\r')
            {
                bytes = bytes[..^1];
            }

            return Encoding.UTF8.GetString(bytes);
        }
    }

    /// <summary>The server's text as it may go into a log line: control characters replaced.</summary>
    private static string Printable(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
}

/// <summary>Thrown inside <see cref="FtpClient"/> to end a transfer with a classified failure; never leaves it.</summary>
internal sealed class FtpFailureException : Exception
{
    public FtpFailureException(FileTransferFailure failure)
        : base(failure.Detail) => Failure = failure;

    public FtpFailureException(FileTransferFailureKind kind, string detail)
        : this(new FileTransferFailure(kind, detail))
    {
    }

    public FileTransferFailure Failure { get; }
}
