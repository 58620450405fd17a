using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Simulator.Fleet.Tests.EndToEnd;

namespace Simulator.Fleet.Tests.StrictCsms;

/// <summary>
/// The oracle itself: a hand-written charge point (a bare ClientWebSocket, not FleetSim) breaks the schemas on purpose, and
/// the strict CSMS must report it; without this the "no invalid message from FleetSim" checks could pass by seeing nothing.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class StrictCsmsPeerTests
{
    private static async Task SendAsync(ClientWebSocket socket, string text)
        => await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        using var document = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task The_strict_CSMS_answers_valid_calls_and_reports_invalid_messages_in_both_directions()
    {
        await using var csms = await StrictCsmsProcess.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        await socket.ConnectAsync(new Uri(csms.Url, "PROBE-1"), CancellationToken.None);
        await Await.ConditionAsync(() => csms.Of("PROBE-1", "connect").Count == 1, StrictCsmsHarness.Wait, "the connect event");

        await SendAsync(socket, """[2,"b1","BootNotification",{"chargePointVendor":"Probe","chargePointModel":"P1"}]""");
        var boot = await ReceiveAsync(socket);
        Assert.Equal(3, boot[0].GetInt32());
        Assert.Equal("Accepted", boot[2].GetProperty("status").GetString());
        Assert.Empty(csms.Violations);

        // A StatusNotification without errorCode and status: refused with a CALLERROR and reported.
        await SendAsync(socket, """[2,"s1","StatusNotification",{"connectorId":1}]""");
        var refused = await ReceiveAsync(socket);
        Assert.Equal(4, refused[0].GetInt32());
        Assert.Equal("s1", refused[1].GetString());
        await Await.ConditionAsync(() => csms.Violations.Any(v => v.MessageId == "s1"), StrictCsmsHarness.Wait, "the invalid CALL reported");

        // A CALLRESULT that breaks GetConfiguration.conf: the test's call fails and the answer is reported.
        var call = csms.CallAsync("PROBE-1", "GetConfiguration", new { });
        var request = await ReceiveAsync(socket);
        Assert.Equal("GetConfiguration", request[2].GetString());
        await SendAsync(socket, $$"""[3,"{{request[1].GetString()}}",{"configurationKey":[{"key":"K","readonly":"yes"}]}]""");
        var result = await call;
        Assert.False(result.IsAnswered);
        Assert.Contains(csms.Violations, v => v.Action == "GetConfiguration" && v.Json.GetProperty("kind").GetString() == "result");

        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(csms.AssertNoViolations);
        Assert.Contains("StatusNotification", failure.Message, StringComparison.Ordinal);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await Await.ConditionAsync(() => csms.Of("PROBE-1", "disconnect").Count == 1, StrictCsmsHarness.Wait, "the disconnect event");
    }

    [Fact]
    public async Task A_charge_point_without_the_required_password_is_refused_with_401_and_the_password_is_never_printed()
    {
        await using var csms = await StrictCsmsProcess.StartAsync();
        await csms.SetPasswordAsync("PROBE-2", "s3cret-password");
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("PROBE-2:wrong")));
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(csms.Url, "PROBE-2"), CancellationToken.None));
        await Await.ConditionAsync(() => csms.Of("PROBE-2", "rejected").Count == 1, StrictCsmsHarness.Wait, "the rejected event");

        using var right = new ClientWebSocket();
        right.Options.AddSubProtocol("ocpp1.6");
        right.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("PROBE-2:s3cret-password")));
        await right.ConnectAsync(new Uri(csms.Url, "PROBE-2"), CancellationToken.None);
        await Await.ConditionAsync(() => csms.Of("PROBE-2", "connect").Count == 1, StrictCsmsHarness.Wait, "the connect event");
        Assert.True(csms.Of("PROBE-2", "connect")[0].Json.GetProperty("basicAuth").GetBoolean());
        Assert.DoesNotContain(csms.Events, e => e.Json.GetRawText().Contains("s3cret", StringComparison.Ordinal));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }
}
