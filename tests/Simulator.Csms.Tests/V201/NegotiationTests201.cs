using System.Text.Json;
using Simulator.Ocpp.V16;
using Simulator.Ocpp.V201;
using V16Core = Simulator.Ocpp.V16.Core;
using V201Provisioning = Simulator.Ocpp.V201.Provisioning;

namespace Simulator.Csms.Tests.V201;

/// <summary>One port, two versions: the subprotocol a client offers decides the version its connection speaks.</summary>
public sealed class NegotiationTests201
{
    [Fact]
    public async Task A_client_offering_only_ocpp201_speaks_201_and_one_offering_only_ocpp16_speaks_16()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-201");
        await using var chargePoint = await TestChargePoint.ConnectAsync(csms.Url, "CP-16");
        Assert.Equal("ocpp2.0.1", station.SubProtocol);
        Assert.Equal("ocpp1.6", chargePoint.SubProtocol);
        Assert.Same(Ocpp201.Messages, csms.VersionOf("CS-201"));
        Assert.Same(Ocpp16.Messages, csms.VersionOf("CP-16"));

        var boot201 = await station.AskValidAsync(Support201.Boot());
        Assert.Equal(V201Provisioning.RegistrationStatus.Accepted, boot201.Status);
        var boot16 = await chargePoint.AskDecodedAsync(new V16Core.BootNotificationRequest { ChargePointVendor = "FleetSim", ChargePointModel = "FS-16" });
        Assert.Equal(Simulator.Ocpp.V16.Types.RegistrationStatus.Accepted, boot16.Status);

        Assert.Equal("2.0.1", csms.Registry.Find("CS-201")!.Snapshot().OcppVersion);
        Assert.Equal("1.6", csms.Registry.Find("CP-16")!.Snapshot().OcppVersion);
        var stats = csms.GetStats().ConnectionsAcceptedByVersion!;
        Assert.Equal((1, 1), (stats.Ocpp16, stats.Ocpp201));
    }

    [Theory]
    [InlineData(new[] { "ocpp2.0.1", "ocpp1.6" }, "ocpp2.0.1")]
    [InlineData(new[] { "ocpp1.6", "ocpp2.0.1" }, "ocpp1.6")]
    [InlineData(new[] { "ocpp2.1", "ocpp2.0.1", "ocpp1.6" }, "ocpp2.0.1")]
    public async Task A_client_offering_both_gets_the_first_of_its_own_list_that_is_served(string[] offered, string expected)
    {
        await using var csms = await Support.StartAsync();
        var (status, client) = await TestChargePoint.TryConnectAsync(csms.Url, "CS-1", o =>
        {
            foreach (var protocol in offered)
            {
                o.AddSubProtocol(protocol);
            }
        });
        await using var connected = client;
        Assert.Equal(101, status);
        Assert.Equal(expected, client!.SubProtocol);
        Assert.Equal(expected, csms.VersionOf("CS-1")!.Subprotocol);
        // The connection really speaks the negotiated version: a Heartbeat of that version is answered.
        Assert.True(await Support.EventuallyAsync(() => csms.ConnectionCount == 1));
        var answered = Assert.IsType<Simulator.Ocpp.Rpc.CallAnswered>(await client.CallAsync(expected == "ocpp2.0.1"
            ? new Simulator.Ocpp.V201.Availability.HeartbeatRequest()
            : new V16Core.HeartbeatRequest()));
        Assert.Equal("Heartbeat", answered.Call.Action.Name);
    }

    [Fact]
    public async Task No_subprotocol_or_only_unknown_ones_is_refused_with_400_naming_the_ones_served()
    {
        await using var csms = await Support.StartAsync();
        var (none, noClient) = await TestChargePoint.TryConnectAsync(csms.Url, "CS-1");
        var (unknown, unknownClient) = await TestChargePoint.TryConnectAsync(csms.Url, "CS-1", o => o.AddSubProtocol("ocpp2.1"));
        Assert.Null(noClient);
        Assert.Null(unknownClient);
        Assert.Equal((400, 400), (none, unknown));
        Assert.Equal(2, csms.GetStats().Refused.NoSubprotocol);
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.AddSubProtocol("ocpp1.5");
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => socket.ConnectAsync(new Uri(csms.Url, "CS-1"), CancellationToken.None));
        var reason = string.Join("", socket.HttpResponseHeaders!["X-Refusal-Reason"]);
        Assert.Contains("ocpp2.0.1", reason, StringComparison.Ordinal);
        Assert.Contains("ocpp1.6", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CSMS_serving_only_16_refuses_a_201_only_client_and_gives_16_to_one_offering_both()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { Subprotocols = ["ocpp1.6"] });
        var (refused, none) = await TestChargePoint.TryConnectAsync(csms.Url, "CS-1", o => o.AddSubProtocol("ocpp2.0.1"));
        Assert.Null(none);
        Assert.Equal(400, refused);
        var (accepted, client) = await TestChargePoint.TryConnectAsync(csms.Url, "CS-2", o =>
        {
            o.AddSubProtocol("ocpp2.0.1");
            o.AddSubProtocol("ocpp1.6");
        });
        await using var connected = client;
        Assert.Equal(101, accepted);
        Assert.Equal("ocpp1.6", client!.SubProtocol);
        Assert.Throws<ArgumentException>(() => new CsmsServer(new CsmsOptions { Subprotocols = ["ocpp1.5"] }));
        Assert.Throws<ArgumentException>(() => new CsmsServer(new CsmsOptions { Subprotocols = [] }));
    }

    [Fact]
    public async Task A_16_and_a_201_client_on_the_same_port_at_once_each_get_their_own_versions_answers()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1");
        await using var chargePoint = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        // Interleaved, concurrently: each answer decodes in its own version and the 2.0.1 ones pass the official schema.
        var work = Enumerable.Range(0, 10).Select(async i =>
        {
            if (i % 2 == 0)
            {
                await station.AskValidAsync(new Simulator.Ocpp.V201.Availability.StatusNotificationRequest
                {
                    Timestamp = DateTimeOffset.UtcNow,
                    ConnectorStatus = Simulator.Ocpp.V201.Availability.ConnectorStatus.Available,
                    EvseId = 1,
                    ConnectorId = 1,
                });
            }
            else
            {
                var authorized = await chargePoint.AskDecodedAsync(new V16Core.AuthorizeRequest { IdTag = "TAG-" + i });
                Assert.Equal(Simulator.Ocpp.V16.Types.AuthorizationStatus.Accepted, authorized.IdTagInfo.Status);
            }
        });
        await Task.WhenAll(work);
        var (status, body) = await csms.ControlAsync(HttpMethod.Get, "chargepoints");
        Assert.Equal(200, status);
        var versions = body.GetProperty("chargePoints").EnumerateArray().ToDictionary(c => c.GetProperty("chargeBoxId").GetString()!, c => c.GetProperty("ocppVersion").GetString());
        Assert.Equal("2.0.1", versions["CS-1"]);
        Assert.Equal("1.6", versions["CP-1"]);
        Assert.Equal(2, body.GetProperty("connected").GetInt32());
        var station201 = body.GetProperty("chargePoints").EnumerateArray().Single(c => c.GetProperty("chargeBoxId").GetString() == "CS-1");
        Assert.Equal("Available", station201.GetProperty("ocpp201").GetProperty("connectors")[0].GetProperty("status").GetString());
        Assert.False(body.GetProperty("chargePoints").EnumerateArray().Single(c => c.GetProperty("chargeBoxId").GetString() == "CP-1").TryGetProperty("ocpp201", out _));
    }
}
