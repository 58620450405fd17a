using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

public class BootAndHeartbeatTests
{
    [Fact]
    public void Only_BootNotification_goes_out_before_registration_is_accepted()
    {
        var h = new Harness();
        h.Model.OnConnected();
        h.Model.PlugIn(1, Harness.Ev);   // would produce a StatusNotification once booted
        var first = h.Take();
        var boot = Assert.Single(first);
        Assert.IsType<BootNotificationRequest>(boot.Request);
        Assert.False(h.Model.TryTakeOutbound(out _));

        h.Model.OnAnswered(boot, new BootNotificationResponse { Status = RegistrationStatus.Accepted, CurrentTime = h.CsmsNow, Interval = 120 });
        var after = h.Take();
        Assert.Equal([0, 1, 2], after.Select(m => Assert.IsType<StatusNotificationRequest>(m.Request).ConnectorId));
        Assert.Equal(ChargePointStatus.Preparing, ((StatusNotificationRequest)after[1].Request).Status);
        Assert.Equal("120", h.Model.Configuration.Get(K.HeartbeatInterval));
    }

    [Fact]
    public void Pending_registration_retries_after_the_returned_interval_and_sends_nothing_else()
    {
        var h = new Harness();
        var pending = 0;
        h.Override = m => m.Request is BootNotificationRequest && pending++ < 2
            ? new BootNotificationResponse { Status = RegistrationStatus.Pending, CurrentTime = h.CsmsNow, Interval = 40 }
            : null;
        h.Model.OnConnected();
        h.Pump();
        Assert.False(h.Model.IsBooted);
        Assert.Equal(Harness.Start.AddSeconds(40), h.Model.NextDueAt);

        h.Run(TimeSpan.FromSeconds(39));
        Assert.Single(h.Sent);
        h.Run(TimeSpan.FromSeconds(1));
        Assert.Equal(2, h.Sent.Count);
        h.Run(TimeSpan.FromSeconds(40));
        Assert.True(h.Model.IsBooted);
        Assert.Equal(3, h.SentOf<BootNotificationRequest>().Count());
        Assert.All(h.Sent.Take(3), m => Assert.IsType<BootNotificationRequest>(m.Request));
        Assert.Equal(3, h.SentOf<StatusNotificationRequest>().Count());
    }

    [Fact]
    public void Clock_follows_the_CSMS_current_time()
    {
        var h = new Harness { CsmsSkew = TimeSpan.FromHours(-2) };
        h.Boot();
        var status = h.SentOf<StatusNotificationRequest>().First();
        Assert.Equal(Harness.Start.AddHours(-2), status.Timestamp);
        Assert.Equal(h.CsmsNow, h.Model.CsmsNow);
    }

    [Fact]
    public void Heartbeat_cadence_follows_the_interval_and_its_changes()
    {
        var h = new Harness().Boot();   // interval 300 from the boot answer
        h.Run(TimeSpan.FromSeconds(900));
        var beats = h.Sent.Where(m => m.Request is HeartbeatRequest).ToList();
        Assert.Equal([300, 600, 900], beats.Select(b => (b.ScheduledFor!.Value - Harness.Start).TotalSeconds));

        Assert.Equal(ConfigurationStatus.Accepted, h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.HeartbeatInterval, Value = "60" }).Status);
        h.Run(TimeSpan.FromSeconds(180));
        beats = h.Sent.Where(m => m.Request is HeartbeatRequest).ToList();
        Assert.Equal([300, 600, 900, 960, 1020, 1080], beats.Select(b => (b.ScheduledFor!.Value - Harness.Start).TotalSeconds));

        h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.HeartbeatInterval, Value = "0" });
        h.Run(TimeSpan.FromSeconds(3600));
        Assert.Equal(6, h.SentOf<HeartbeatRequest>().Count());
    }

    [Fact]
    public void Reconnect_without_reboot_does_not_boot_again_but_BootOnReconnect_does()
    {
        var h = new Harness().Boot();
        h.Model.OnDisconnected();
        h.Model.OnConnected();
        h.Pump();
        Assert.Single(h.SentOf<BootNotificationRequest>());

        var b = new Harness(tweak: o => o with { BootOnReconnect = true }).Boot();
        b.Model.OnDisconnected();
        b.Model.OnConnected();
        Assert.False(b.Model.IsBooted);
        b.Pump();
        Assert.Equal(2, b.SentOf<BootNotificationRequest>().Count());
    }

    [Fact]
    public void Heartbeats_stop_while_offline()
    {
        var h = new Harness().Boot();
        h.Model.OnDisconnected();
        h.Run(TimeSpan.FromSeconds(1000));
        Assert.Empty(h.SentOf<HeartbeatRequest>());
    }
}
