using Akka.Actor;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Tests.EndToEnd;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.Types;

namespace Simulator.Fleet.Tests.V201;

/// <summary>
/// N07 with MonitoringCtrlr.OfflineQueuingSeverity, over a real WebSocket against the embedded CSMS: the monitoring events a
/// 2.0.1 station raises while its network is down reach the CSMS after the reconnect, in order, when their severity is at most
/// OfflineQueuingSeverity; the others are gone.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class OfflineMonitoringTests
{
    private static readonly TimeSpan Drop = TimeSpan.FromSeconds(3);

    private static SetMonitoringData Periodic(string variable, int severity) => new()
    {
        Component = new Component { Name = "EVSE", Evse = new Evse { Id = 1 } },
        Variable = new Variable { Name = variable },
        Type = MonitorKind.Periodic,
        Value = 1,
        Severity = severity,
    };

    [Fact]
    public async Task Events_raised_during_a_network_drop_reach_the_CSMS_after_the_reconnect_in_order_when_severe_enough()
    {
        var type = V201FleetTests.Station201("ac201", "MONOFF-{000}", 1);
        type = type with { Configuration = new Dictionary<string, string>(type.Configuration!, StringComparer.Ordinal) { ["MonitoringCtrlr.OfflineQueuingSeverity"] = "2" } };
        await using var h = await FleetHarness.StartAsync(Plans.OneType("MONOFF-{000}") with { Types = [type] }, tap: false);
        var id = h.Id();
        h.Start(id);
        await Await.ConditionAsync(() => h.Csms.Registry.Find(id)?.Snapshot() is { Booted: true, Connected: true }, $"{id} booted");

        // Every second: the EVSE's Power at severity 2 (queued while offline), its AvailabilityState at severity 8 (not).
        var set = await h.Csms.CallAsync(id, new SetVariableMonitoringRequest { SetMonitoringData = [Periodic("Power", 2), Periodic("AvailabilityState", 8)] });
        Assert.All(Assert.IsType<SetVariableMonitoringResponse>(set.Response).SetMonitoringResult, r => Assert.Equal(SetMonitoringStatus.Accepted, r.Status));
        List<NotifiedEvent> Events(string variable) => [.. h.Snapshot(id).Ocpp201!.RecentEvents.Where(e => e.Variable == variable)];
        await Await.ConditionAsync(() => Events("Power").Count > 0 && Events("AvailabilityState").Count > 0, "both monitors report while online");

        var dropAt = DateTimeOffset.UtcNow;
        h.Host.Tell(new DropNetwork(id, Drop));
        ConnectionEvent? After(ConnectionEventKind kind, DateTimeOffset at) =>
            h.Journal.Events.Where(e => e.Kind == kind && e.At >= at).Select(e => (ConnectionEvent?)e).FirstOrDefault();
        await Await.ConditionAsync(() => After(ConnectionEventKind.Disconnected, dropAt) is { } down && After(ConnectionEventKind.Connected, down.At) is not null,
            TimeSpan.FromSeconds(20), "the station went offline and came back");
        var offlineFrom = After(ConnectionEventKind.Disconnected, dropAt)!.Value.At;
        var offlineTo = After(ConnectionEventKind.Connected, offlineFrom)!.Value.At;
        Assert.True(offlineTo - offlineFrom >= Drop - TimeSpan.FromMilliseconds(200), $"offline for {(offlineTo - offlineFrom).TotalSeconds:0.00} s only");
        bool Offline(NotifiedEvent e) => e.Timestamp > offlineFrom + TimeSpan.FromMilliseconds(300) && e.Timestamp < offlineTo - TimeSpan.FromMilliseconds(300);
        await Await.ConditionAsync(() => Events("Power").Count(Offline) >= 2, "the Power events of the offline seconds arrived after the reconnect");

        var power = Events("Power");
        Assert.Equal(power.Select(e => e.Timestamp).Order(), power.Select(e => e.Timestamp));   // arrival order is the order they happened
        Assert.Equal(power.Select(e => e.EventId).Order(), power.Select(e => e.EventId));
        Assert.True(power.Count(Offline) >= (int)Drop.TotalSeconds - 1, $"only {power.Count(Offline)} Power events of the {Drop.TotalSeconds} s offline");
        Assert.DoesNotContain(Events("AvailabilityState"), Offline);   // severity 8 above OfflineQueuingSeverity 2: dropped
        await Await.ConditionAsync(() => Events("AvailabilityState").Any(e => e.Timestamp > offlineTo), "severity 8 reports again once online");
    }
}
