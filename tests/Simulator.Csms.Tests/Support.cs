using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Simulator.Ocpp;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Rpc;

namespace Simulator.Csms.Tests;

internal static class Support
{
    /// <summary>
    /// A CSMS that processes calls from charge points that have not booted: the handler, ledger, fault and security tests
    /// test what follows registration and skip it. The registration rule itself is tested in Reliability/PreBootCallTests.
    /// </summary>
    public static async Task<CsmsServer> StartAsync(CsmsOptions? options = null)
    {
        var server = new CsmsServer((options ?? new CsmsOptions()) with { CallsBeforeBoot = PreBootCallPolicy.Accept });
        await server.StartAsync();
        return server;
    }

    /// <summary>Sends a CALL, requires a CALLRESULT, and decodes its raw payload with the codec on the response type.</summary>
    public static async Task<TResponse> AskDecodedAsync<TResponse>(this TestChargePoint client, IOcppRequest<TResponse> request)
        where TResponse : class, IOcppResponse
    {
        var answered = Assert.IsType<CallAnswered>(await client.CallAsync(request));
        var raw = client.RawResult(answered.Call.UniqueId);
        Assert.True(OcppCodec.TryDecode<TResponse>(raw, client.Messages, out var decoded, out var violation), violation?.Description);
        return decoded!;
    }

    public static Action<ClientWebSocketOptions> TrustCa(CertificateAuthority ca, X509Certificate2? clientCertificate = null) => options =>
    {
        options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            certificate is not null
            && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
            && ca.Verifies(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        if (clientCertificate is not null)
        {
            options.ClientCertificates = [clientCertificate];
        }
    };

    public static Action<ClientWebSocketOptions> Basic(string user, byte[] password, Action<ClientWebSocketOptions>? more = null) => options =>
    {
        var credentials = Encoding.UTF8.GetBytes(user + ":").Concat(password).ToArray();
        options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(credentials));
        more?.Invoke(options);
    };

    /// <summary>A control API request with the server's bearer token and a JSON body.</summary>
    public static async Task<(int Status, JsonElement Body)> ControlAsync(this CsmsServer server, HttpMethod method, string relative, string? json = null)
    {
        var (status, body, _) = await server.ControlRawAsync(method, relative, json, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ControlToken));
        return (status, body);
    }

    /// <summary>A control API request as <paramref name="prepare"/> leaves it (no token unless it adds one); JSON body unless it changes the type.</summary>
    public static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> ControlRawAsync(
        this CsmsServer server, HttpMethod method, string relative, string? json, Action<HttpRequestMessage> prepare)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, new Uri(server.ControlUrl!, relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        prepare(request);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, body, response);
    }

    /// <summary>Polls until the condition holds or the time is up; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }
            await Task.Delay(20);
        }
        return condition();
    }
}

/// <summary>
/// The system clock, with a wall clock (<see cref="TimeProvider.GetUtcNow"/>) the test moves forward: a fault window ends when
/// the test says, not after a real wait that a busy machine may stretch past the window before the test acts in it. Timers and
/// timestamps (the CSMS's timeouts) stay real.
/// </summary>
internal sealed class MovableClock : TimeProvider
{
    private long _aheadTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _aheadTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _aheadTicks, by.Ticks);
}
