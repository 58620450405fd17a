using Simulator.Csms;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Fleet.Tests.EndToEnd;

[Collection(EndToEndGroup.Name)]
public sealed class BootAndHeartbeatTests
{
    [Fact]
    public async Task A_charge_point_boots_reports_every_connector_and_heartbeats_at_the_interval_the_CSMS_gave()
    {
        await using var h = await FleetHarness.StartAsync(Plans.OneType("BOOT-{000}", connectors: 3), new CsmsOptions { HeartbeatInterval = 1 });
        var id = await h.StartBootedAsync();

        var snapshot = h.Snapshot(id);
        Assert.Equal("Accepted", snapshot.BootStatus);
        Assert.Equal("FleetSim", snapshot.Vendor);
        Assert.Equal([0, 1, 2, 3], snapshot.Connectors.Select(c => c.ConnectorId));
        Assert.All(snapshot.Connectors, c => Assert.Equal(ChargePointStatus.Available, c.Status));

        // On the wire: BootNotification first, nothing else before its answer, then the statuses.
        var frames = h.Wire.Frames(id).Where(f => f.FromChargePoint && f.MessageType == 2).ToList();
        Assert.Equal("BootNotification", frames[0].Action);
        var statuses = frames.Where(f => f.Action == "StatusNotification").Select(f => f.Payload.GetProperty("connectorId").GetInt32()).ToList();
        Assert.Equal([0, 1, 2, 3], statuses.Take(4).Order());

        // The CSMS said 1 s (the charge point's own default is 300 s): a few heartbeats arrive, about a second apart.
        await Await.ConditionAsync(() => h.Wire.CallsFromChargePoint(id, "Heartbeat").Count >= 4, "four heartbeats");
        Cadence.AssertNear([.. h.Wire.CallsFromChargePoint(id, "Heartbeat").Select(f => f.At)], TimeSpan.FromSeconds(1));
        Assert.NotNull(h.Snapshot(id).LastHeartbeat);
    }
}
