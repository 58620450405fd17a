using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Simulator.Fleet.Tests.StrictCsms;

namespace Simulator.Csms.Tests.V201;

/// <summary>
/// The strict ocpp-rpc CSMS peer in ocpp2.0.1 mode, probed with a bare ClientWebSocket: it must answer a valid 2.0.1
/// station and refuse and report a schema-invalid one, or the 2.0.1 tests run against it could pass by seeing nothing.
/// </summary>
public sealed class StrictCsmsPeerTests201
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static Task SendAsync(ClientWebSocket socket, string text)
        => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(Wait);
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        using var document = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task In_201_mode_it_accepts_a_boot_refuses_a_schema_invalid_call_and_checks_the_stations_answers()
    {
        await using var csms = await StrictCsmsProcess.StartAsync("ocpp2.0.1");
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp2.0.1");
        await socket.ConnectAsync(new Uri(csms.Url, "PROBE-201"), CancellationToken.None);
        Assert.Equal("ocpp2.0.1", socket.SubProtocol);
        Assert.True(await Support.EventuallyAsync(() => csms.Of("PROBE-201", "connect").Count == 1, Wait), "no connect event");
        Assert.Equal("ocpp2.0.1", csms.Of("PROBE-201", "connect")[0].Json.GetProperty("protocol").GetString());

        await SendAsync(socket, """[2,"b1","BootNotification",{"chargingStation":{"vendorName":"Probe","model":"P201"},"reason":"PowerUp"}]""");
        var boot = await ReceiveAsync(socket);
        Assert.Equal((3, "b1"), (boot[0].GetInt32(), boot[1].GetString()));
        Assert.Equal("Accepted", boot[2].GetProperty("status").GetString());
        Support201.AssertValid("BootNotification", request: false, Encoding.UTF8.GetBytes(boot[2].GetRawText()));
        await SendAsync(socket, """[2,"t1","TransactionEvent",{"eventType":"Started","timestamp":"2026-12-05T01:00:00.000Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"TX-1"},"idToken":{"idToken":"T1","type":"ISO14443"}}]""");
        var started = await ReceiveAsync(socket);
        Assert.Equal("Accepted", started[2].GetProperty("idTokenInfo").GetProperty("status").GetString());
        Assert.Empty(csms.Violations);

        // A StatusNotification without evseId (and a 1.6-style status): refused with a CALLERROR and reported.
        await SendAsync(socket, """[2,"s1","StatusNotification",{"timestamp":"2026-12-05T01:00:00.000Z","connectorStatus":"Charging","connectorId":1}]""");
        var refused = await ReceiveAsync(socket);
        Assert.Equal((4, "s1"), (refused[0].GetInt32(), refused[1].GetString()));
        Assert.True(await Support.EventuallyAsync(() => csms.Violations.Any(v => v.MessageId == "s1"), Wait), "the invalid CALL was not reported");

        // The CSMS side: a GetBaseReport the test sends, answered validly, then a GetVariables answered invalidly.
        var report = csms.CallAsync("PROBE-201", "GetBaseReport", new { requestId = 1, reportBase = "FullInventory" });
        var request = await ReceiveAsync(socket);
        Assert.Equal("GetBaseReport", request[2].GetString());
        await SendAsync(socket, $$"""[3,"{{request[1].GetString()}}",{"status":"Accepted"}]""");
        Assert.Equal("Accepted", (await report).Status);
        var variables = csms.CallAsync("PROBE-201", "GetVariables", new { getVariableData = new[] { new { component = new { name = "OCPPCommCtrlr" }, variable = new { name = "HeartbeatInterval" } } } });
        var asked = await ReceiveAsync(socket);
        await SendAsync(socket, $$"""[3,"{{asked[1].GetString()}}",{"getVariableResult":[{"attributeStatus":"Fine"}]}]""");
        Assert.False((await variables).IsAnswered);
        Assert.Contains(csms.Violations, v => v.Action == "GetVariables" && v.Json.GetProperty("kind").GetString() == "result");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Serving_both_the_client_order_decides_and_a_16_only_client_is_refused_by_a_201_only_peer()
    {
        await using (var both = await StrictCsmsProcess.StartAsync())
        {
            using var first201 = new ClientWebSocket();
            first201.Options.AddSubProtocol("ocpp2.0.1");
            first201.Options.AddSubProtocol("ocpp1.6");
            await first201.ConnectAsync(new Uri(both.Url, "BOTH-1"), CancellationToken.None);
            using var first16 = new ClientWebSocket();
            first16.Options.AddSubProtocol("ocpp1.6");
            first16.Options.AddSubProtocol("ocpp2.0.1");
            await first16.ConnectAsync(new Uri(both.Url, "BOTH-2"), CancellationToken.None);
            Assert.Equal(("ocpp2.0.1", "ocpp1.6"), (first201.SubProtocol, first16.SubProtocol));
            // Each answers in its own version: a 1.6 BootNotification on the 1.6 connection is valid there.
            await SendAsync(first16, """[2,"b16","BootNotification",{"chargePointVendor":"Probe","chargePointModel":"P16"}]""");
            Assert.Equal("Accepted", (await ReceiveAsync(first16))[2].GetProperty("status").GetString());
            Assert.Empty(both.Violations);
        }

        await using var only201 = await StrictCsmsProcess.StartAsync("ocpp2.0.1");
        using var old = new ClientWebSocket();
        old.Options.AddSubProtocol("ocpp1.6");
        await Assert.ThrowsAsync<WebSocketException>(() => old.ConnectAsync(new Uri(only201.Url, "OLD-1"), CancellationToken.None));
        Assert.True(await Support.EventuallyAsync(() => only201.Of("OLD-1", "rejected").Count == 1, Wait), "no rejected event");
    }
}
