using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Simulator.Transport;

/// <summary>The client side of the RFC 6455 opening handshake over an already connected stream.</summary>
internal static class HttpUpgrade
{
    internal const int MaxResponseHeaderBytes = 8 * 1024;
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>A fresh random 16-byte nonce, base64 encoded.</summary>
    internal static string NewKey()
    {
        Span<byte> nonce = stackalloc byte[16];
        RandomNumberGenerator.Fill(nonce);
        return Convert.ToBase64String(nonce);
    }

    internal static string ExpectedAccept(string key)
    {
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for Sec-WebSocket-Accept; it is a handshake check, not a security function.
        SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid), hash);
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }

    /// <summary>base64(user ":" password) where the password is the key text or the bytes its hex decodes to.</summary>
    internal static string BasicCredentials(string chargeBoxId, string authorizationKey, BasicAuthPasswordEncoding encoding)
    {
        byte[] password;
        if (encoding == BasicAuthPasswordEncoding.HexDecodedBytes)
        {
            if (authorizationKey.Length % 2 != 0 || !IsHex(authorizationKey))
            {
                // The key is secret: say what is wrong, never what it is.
                throw new ArgumentException("The AuthorizationKey is not a hex string; it cannot be sent as decoded bytes.", nameof(authorizationKey));
            }

            password = Convert.FromHexString(authorizationKey);
        }
        else
        {
            password = Encoding.UTF8.GetBytes(authorizationKey);
        }

        var user = Encoding.UTF8.GetBytes(chargeBoxId);
        var raw = new byte[user.Length + 1 + password.Length];
        user.CopyTo(raw, 0);
        raw[user.Length] = (byte)':';
        password.CopyTo(raw, user.Length + 1);
        var result = Convert.ToBase64String(raw);
        CryptographicOperations.ZeroMemory(raw);
        CryptographicOperations.ZeroMemory(password);
        return result;
    }

    private static bool IsHex(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    internal static string BuildRequest(string requestTarget, string host, string key, string subprotocol, string? basicCredentials)
    {
        var sb = new StringBuilder(256);
        sb.Append("GET ").Append(requestTarget).Append(" HTTP/1.1\r\n")
          .Append("Host: ").Append(host).Append("\r\n")
          .Append("Upgrade: websocket\r\n")
          .Append("Connection: Upgrade\r\n")
          .Append("Sec-WebSocket-Key: ").Append(key).Append("\r\n")
          .Append("Sec-WebSocket-Version: 13\r\n")
          .Append("Sec-WebSocket-Protocol: ").Append(subprotocol).Append("\r\n");
        if (basicCredentials is not null)
        {
            sb.Append("Authorization: Basic ").Append(basicCredentials).Append("\r\n");
        }

        sb.Append("\r\n");
        return sb.ToString();
    }

    /// <summary>
    /// Reads the response head up to and including the blank line, never a byte more: each read asks for at most as many bytes
    /// as could still belong to the terminating CRLFCRLF, so a WebSocket frame sent right after the 101 stays in the stream.
    /// Returns the head (ASCII) or null when the peer closed or the head exceeds <see cref="MaxResponseHeaderBytes"/>; when the
    /// answer starts with a TLS record, its first two bytes (see <see cref="IsTlsRecordStart(string)"/>).
    /// </summary>
    internal static async ValueTask<(string? Head, bool TooLarge)> ReadResponseHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        // Wait for the answer without a buffer: a fleet booting at once has thousands of upgrades waiting here, and 8 KiB each
        // (more than the pool keeps) would be allocated, outlive a few GCs and leave the heap that much larger for the run.
        await stream.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxResponseHeaderBytes);
        try
        {
            var count = 0;
            var matched = 0; // how many bytes of "\r\n\r\n" end the data read so far
            while (matched < 4)
            {
                var want = 4 - matched;
                if (count + want > MaxResponseHeaderBytes)
                {
                    return (null, true);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(count, want), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (null, false);
                }

                for (var i = count; i < count + read; i++)
                {
                    var b = buffer[i];
                    matched = b == (matched % 2 == 0 ? (byte)'\r' : (byte)'\n') ? matched + 1 : (b == '\r' ? 1 : 0);
                }

                count += read;
                if (count >= 2 && count <= 4 && IsTlsRecordStart(buffer.AsSpan(0, count)))
                {
                    // A TLS server answering plain text (an alert or a handshake record): no CRLFCRLF is coming.
                    return (Encoding.ASCII.GetString(buffer, 0, 2), false);
                }
            }

            return (Encoding.ASCII.GetString(buffer, 0, count), false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Whether bytes begin a TLS record (alert or handshake, version 3.x): what a TLS port sends to a plain-text request.</summary>
    internal static bool IsTlsRecordStart(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] is 0x15 or 0x16 && data[1] == 0x03;

    /// <summary>Whether a head returned by <see cref="ReadResponseHeadAsync"/> is the start of a TLS record rather than HTTP.</summary>
    internal static bool IsTlsRecordStart(string head) => head.Length >= 2 && head[0] is '\x15' or '\x16' && head[1] == '\x03';

    internal readonly record struct Response(int StatusCode, string ReasonPhrase, Dictionary<string, string> Headers);

    /// <summary>Parses "HTTP/1.1 101 ..." and the header lines; null when it is not HTTP.</summary>
    internal static Response? ParseResponse(string head)
    {
        var lines = head.Split("\r\n");
        var status = lines[0];
        if (!status.StartsWith("HTTP/1.", StringComparison.Ordinal) || status.Length < 12 || status[8] != ' ')
        {
            return null;
        }

        if (!int.TryParse(status.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return null;
        }

        var reason = status.Length > 13 ? status[13..] : string.Empty;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }

        return new Response(code, reason, headers);
    }

    internal static bool HasToken(string headerValue, string token)
    {
        foreach (var part in headerValue.Split(','))
        {
            if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
