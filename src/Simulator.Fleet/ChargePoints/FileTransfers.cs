using System.Net.Http.Headers;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// The HTTP(S) side of GetDiagnostics and UpdateFirmware: one shared client for the node (connection pooling across charge
/// points). Results are an error text or null for success, so an actor can pipe them back into its mailbox.
/// </summary>
internal static class FileTransfers
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Uploads with HTTP PUT to <c>location/fileName</c> (a location ending in '/' is a directory).</summary>
    public static async Task<string?> UploadAsync(string location, string fileName, ReadOnlyMemory<byte> content)
    {
        if (!TryHttpUri(location, out var uri, out var error))
        {
            return error;
        }
        var target = uri!.AbsolutePath.EndsWith('/') ? new Uri(uri, Uri.EscapeDataString(fileName)) : uri;
        using var body = new ReadOnlyMemoryContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        try
        {
            using var response = await Client.PutAsync(target, body).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"upload to {target} answered HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return $"upload to {target} failed: {ex.Message}";
        }
    }

    /// <summary>Downloads <paramref name="location"/> completely (the bytes are discarded: only the transfer is simulated).</summary>
    public static async Task<string?> DownloadAsync(string location) => (await DownloadAsync(location, keepContent: false).ConfigureAwait(false)).Error;

    /// <summary>The largest file kept in memory for a signature check (signed firmware).</summary>
    public const int MaxKeptContentBytes = 64 * 1024 * 1024;

    /// <summary>Downloads <paramref name="location"/>; with <paramref name="keepContent"/> the bytes come back (up to <see cref="MaxKeptContentBytes"/>).</summary>
    public static async Task<(string? Error, byte[]? Content)> DownloadAsync(string location, bool keepContent)
    {
        if (!TryHttpUri(location, out var uri, out var error))
        {
            return (error, null);
        }
        try
        {
            using var response = await Client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return ($"download of {uri} answered HTTP {(int)response.StatusCode}", null);
            }
            if (keepContent && response.Content.Headers.ContentLength > MaxKeptContentBytes)
            {
                return ($"download of {uri}: {response.Content.Headers.ContentLength} bytes is more than the {MaxKeptContentBytes} kept for a signature check", null);
            }
            var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                if (!keepContent)
                {
                    await stream.CopyToAsync(Stream.Null).ConfigureAwait(false);
                    return (null, null);
                }
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer).ConfigureAwait(false);
                return buffer.Length > MaxKeptContentBytes
                    ? ($"download of {uri}: more than the {MaxKeptContentBytes} bytes kept for a signature check", null)
                    : (null, buffer.ToArray());
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return ($"download of {uri} failed: {ex.Message}", null);
        }
    }

    private static bool TryHttpUri(string location, out Uri? uri, out string? error)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            error = null;
            return true;
        }
        error = $"location '{location}' is not an http(s) URL; this charge point transfers files over HTTP(S) only";
        return false;
    }
}
