using Simulator.ChargePoint.Station;
using static Simulator.ChargePoint.Tests.Station.Samples;

namespace Simulator.ChargePoint.Tests.Station;

public class BootCycleTests
{
    [Fact]
    public void A_new_connection_boots_until_accepted_and_only_with_BootOnReconnect_after()
    {
        var boot = new BootCycle();
        Assert.Equal(Registration.None, boot.Registration);
        Assert.True(boot.Connected(bootOnReconnect: false));
        boot.BootQueued();
        Assert.True(boot.Answered(Registration.Accepted, 300, T0, TimeSpan.FromSeconds(60)));

        Assert.False(boot.Connected(bootOnReconnect: false));
        Assert.True(boot.IsAccepted);
        Assert.True(boot.Connected(bootOnReconnect: true));
        Assert.Equal(Registration.None, boot.Registration);   // Accepted fell back: the new boot decides

        boot.BootQueued();
        boot.Answered(Registration.Pending, 30, T0, TimeSpan.FromSeconds(60));
        Assert.True(boot.Connected(bootOnReconnect: false));
        Assert.True(boot.IsPending);   // Pending stays for this power cycle
        boot.PowerLost();
        Assert.Equal(Registration.None, boot.Registration);
    }

    [Fact]
    public void Pending_and_Rejected_retry_after_the_CSMS_interval_or_the_default_and_stop_the_heartbeat()
    {
        var boot = new BootCycle();
        boot.Connected(false);
        boot.BootQueued();
        boot.Answered(Registration.Accepted, 300, T0, TimeSpan.FromSeconds(60));
        boot.ScheduleHeartbeat(T0, 300, TimeSpan.FromSeconds(300), online: true);
        Assert.Equal(T0.AddSeconds(300), boot.HeartbeatDue);

        boot.BootQueued();
        Assert.False(boot.Answered(Registration.Pending, 40, T0, TimeSpan.FromSeconds(60)));
        Assert.Null(boot.HeartbeatDue);
        Assert.Equal(T0.AddSeconds(40), boot.RetryAt);
        Assert.False(boot.InFlight);

        boot.BootQueued();
        Assert.Null(boot.RetryAt);
        Assert.False(boot.Answered(Registration.Rejected, 0, T0, TimeSpan.FromSeconds(60)));
        Assert.Equal(T0.AddSeconds(60), boot.RetryAt);
        Assert.False(boot.BootDue(T0.AddSeconds(59)));
        Assert.True(boot.BootDue(T0.AddSeconds(60)));
    }

    [Fact]
    public void A_failed_boot_retries_only_when_asked_and_nothing_is_due_while_one_is_in_flight()
    {
        var boot = new BootCycle();
        boot.Connected(false);
        boot.BootQueued();
        Assert.Null(boot.NextDueAt(connected: true));   // in flight: its answer decides

        boot.BootFailed(null);   // connection lost: no retry of its own
        Assert.False(boot.InFlight);
        Assert.Null(boot.RetryAt);

        boot.BootQueued();
        boot.BootFailed(T0.AddSeconds(60));
        Assert.Equal(T0.AddSeconds(60), boot.NextDueAt(connected: true));
        Assert.Null(boot.NextDueAt(connected: false));

        boot.Disconnected();
        Assert.Null(boot.RetryAt);
    }

    [Fact]
    public void The_heartbeat_keeps_its_cadence_from_the_due_time_and_restarts_from_now_when_far_behind()
    {
        var boot = new BootCycle();
        boot.Connected(false);
        boot.BootQueued();
        boot.Answered(Registration.Accepted, 0, T0, TimeSpan.FromSeconds(60));
        boot.ScheduleHeartbeat(T0, 100, TimeSpan.FromSeconds(25), online: true);   // the first may come early
        Assert.Equal(T0.AddSeconds(25), boot.NextDueAt(connected: true));

        Assert.False(boot.TakeHeartbeat(T0.AddSeconds(24), 100, out _));
        Assert.True(boot.TakeHeartbeat(T0.AddSeconds(26), 100, out var beat));
        Assert.Equal(T0.AddSeconds(25), beat);
        Assert.Equal(T0.AddSeconds(125), boot.HeartbeatDue);   // from the due time, not from when it was taken

        Assert.True(boot.TakeHeartbeat(T0.AddSeconds(400), 100, out beat));
        Assert.Equal(T0.AddSeconds(125), beat);
        Assert.Equal(T0.AddSeconds(500), boot.HeartbeatDue);   // one interval from now, no burst of missed beats

        Assert.True(boot.TakeHeartbeat(T0.AddSeconds(500), 0, out _));
        Assert.Null(boot.HeartbeatDue);   // interval switched off

        boot.ScheduleHeartbeat(T0, 100, TimeSpan.FromSeconds(100), online: false);
        Assert.Null(boot.HeartbeatDue);
    }

    [Fact]
    public void Registration_values_are_those_of_RegistrationStatus_in_both_versions()
    {
        foreach (var name in new[] { "Accepted", "Pending", "Rejected" })
        {
            var shared = (int)Enum.Parse<Registration>(name);
            Assert.Equal(shared, (int)Enum.Parse<Simulator.Ocpp.V16.Types.RegistrationStatus>(name));
            Assert.Equal(shared, (int)Enum.Parse<Simulator.Ocpp.V201.Provisioning.RegistrationStatus>(name));
        }
        Assert.Equal(3, Enum.GetValues<Simulator.Ocpp.V16.Types.RegistrationStatus>().Length);
        Assert.Equal(3, Enum.GetValues<Simulator.Ocpp.V201.Provisioning.RegistrationStatus>().Length);
    }
}
