using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Fleet.Running;

namespace Simulator.Fleet.Tests.Running;

public sealed class StormAnalyzerTests
{
    private static readonly DateTimeOffset Origin = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_charge_point_that_comes_back_after_the_next_event_fired_is_reconnected_not_neverReconnected()
    {
        var timeline = new RunJournal();
        timeline.RunStarted(Origin);
        var blackhole = new TimelineEvent { At = TimeSpan.FromSeconds(10), Kind = TimelineEventKind.CsmsBlackhole };
        var reboot = new TimelineEvent { At = TimeSpan.FromSeconds(20), Kind = TimelineEventKind.RebootAll };
        timeline.EventFired(blackhole, Origin.AddSeconds(10), 3);
        timeline.EventFired(reboot, Origin.AddSeconds(20), 3);
        var connections = new ConnectionJournal(Origin);
        for (var cp = 0; cp < 3; cp++)
        {
            connections.Record(cp, ConnectionEventKind.Connected, Origin.AddSeconds(1));
            connections.Record(cp, ConnectionEventKind.Booted, Origin.AddSeconds(1.1));
            connections.Record(cp, ConnectionEventKind.Disconnected, Origin.AddSeconds(12));
        }
        // charge point 0 is back inside the black hole's window, 1 only after the reboot fired, 2 never
        connections.Record(0, ConnectionEventKind.Connected, Origin.AddSeconds(15));
        connections.Record(1, ConnectionEventKind.Connected, Origin.AddSeconds(25));

        var storms = StormAnalyzer.Analyze(timeline, connections, Origin.AddSeconds(30));

        var figures = storms.Single(s => s.Name == "csms-blackhole").Figures;
        Assert.Equal(3, figures["affected"]);
        Assert.Equal(2, figures["reconnected"]);
        Assert.Equal(1, figures["neverReconnected"]);
        Assert.Equal(15, figures["secondsTo50PctConnected"], 3);
        // the reboot's window starts after every drop: nobody it affected
        Assert.Equal(0, storms.Single(s => s.Name == "reboot-all").Figures["affected"]);
    }

    [Fact]
    public void A_reconnect_after_the_run_ended_does_not_count()
    {
        var timeline = new RunJournal();
        timeline.RunStarted(Origin);
        timeline.EventFired(new TimelineEvent { At = TimeSpan.FromSeconds(5), Kind = TimelineEventKind.CsmsRestart }, Origin.AddSeconds(5), 1);
        var connections = new ConnectionJournal(Origin);
        connections.Record(0, ConnectionEventKind.Connected, Origin.AddSeconds(1));
        connections.Record(0, ConnectionEventKind.Disconnected, Origin.AddSeconds(5.1));
        connections.Record(0, ConnectionEventKind.Connected, Origin.AddSeconds(31));

        var figures = StormAnalyzer.Analyze(timeline, connections, Origin.AddSeconds(30)).Single(s => s.Name == "csms-restart").Figures;

        Assert.Equal(1, figures["affected"]);
        Assert.Equal(1, figures["neverReconnected"]);
    }
}
