using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

public class StatusAndAvailabilityTests
{
    [Fact]
    public void MinimumStatusDuration_suppresses_flickers_and_reports_stable_statuses_late()
    {
        var h = new Harness(new() { [K.MinimumStatusDuration] = "10" }).Boot();
        h.Sent.Clear();
        h.Model.PlugIn(1, Harness.Ev);
        h.Run(TimeSpan.FromSeconds(3));
        h.Model.Unplug(1);             // Preparing lasted 3 s: never reported
        h.Run(TimeSpan.FromSeconds(30));
        Assert.Empty(h.StatusesOf(1));

        h.Model.PlugIn(1, Harness.Ev);
        h.Run(TimeSpan.FromSeconds(9));
        Assert.Empty(h.StatusesOf(1));
        h.Run(TimeSpan.FromSeconds(1));
        Assert.Equal([ChargePointStatus.Preparing], h.StatusesOf(1));
        var reported = h.SentOf<StatusNotificationRequest>().Single();
        Assert.Equal(Harness.Start.AddSeconds(33), reported.Timestamp);   // the time the status began
    }

    [Fact]
    public void Without_MinimumStatusDuration_every_change_is_reported()
    {
        var h = new Harness().Boot();
        h.Sent.Clear();
        h.Model.PlugIn(1, Harness.Ev);
        h.Pump();
        h.Model.Unplug(1);
        h.Pump();
        Assert.Equal([ChargePointStatus.Preparing, ChargePointStatus.Available], h.StatusesOf(1));
    }

    [Fact]
    public void ChangeAvailability_is_Scheduled_while_a_transaction_runs_and_applied_when_it_ends()
    {
        var h = new Harness().Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        Assert.Equal(AvailabilityStatus.Scheduled, h.Reply<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { ConnectorId = 1, Type = AvailabilityType.Inoperative }).Status);
        h.Pump();
        Assert.Equal(ChargePointStatus.Charging, h.Model.Connectors[1].Status);
        h.Model.Unplug(1);
        h.Pump();
        Assert.Equal(ChargePointStatus.Unavailable, h.Model.Connectors[1].Status);
        Assert.Equal(ChargePointStatus.Unavailable, h.StatusesOf(1)[^1]);
        // An inoperative connector starts nothing.
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        Assert.Single(h.SentOf<StartTransactionRequest>());
        Assert.Equal(AvailabilityStatus.Accepted, h.Reply<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { ConnectorId = 1, Type = AvailabilityType.Operative }).Status);
        h.Pump();
        Assert.Equal(ChargePointStatus.Preparing, h.Model.Connectors[1].Status);
    }

    [Fact]
    public void ChangeAvailability_on_connector_0_affects_every_connector_and_bad_ids_are_rejected()
    {
        var h = new Harness().Boot();
        h.Sent.Clear();
        Assert.Equal(AvailabilityStatus.Accepted, h.Reply<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { ConnectorId = 0, Type = AvailabilityType.Inoperative }).Status);
        h.Pump();
        Assert.All(h.Model.Connectors, c => Assert.Equal(ChargePointStatus.Unavailable, c.Status));
        Assert.Equal(3, h.Statuses().Count(s => s.Status == ChargePointStatus.Unavailable));
        Assert.Equal(AvailabilityStatus.Rejected, h.Reply<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { ConnectorId = 3, Type = AvailabilityType.Operative }).Status);
    }

    [Fact]
    public void Faults_are_reported_with_their_error_code_and_cleared()
    {
        var h = new Harness().Boot();
        h.Sent.Clear();
        h.Model.SetFaulted(1, true, ChargePointErrorCode.HighTemperature);
        h.Pump();
        h.Model.SetFaulted(1, false);
        h.Pump();
        var sent = h.SentOf<StatusNotificationRequest>().Select(s => (s.Status, s.ErrorCode)).ToList();
        Assert.Equal([(ChargePointStatus.Faulted, ChargePointErrorCode.HighTemperature), (ChargePointStatus.Available, ChargePointErrorCode.NoError)], sent);
    }

    [Fact]
    public void An_EV_that_is_full_turns_the_connector_SuspendedEV()
    {
        var h = new Harness().Boot();
        h.Model.PlugIn(1, new Simulator.ChargePoint.Metering.EvSpec(10_000, 0.5, 11_000, 1_000));
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        h.Run(TimeSpan.FromHours(1));
        Assert.Equal(ChargePointStatus.SuspendedEV, h.Model.Connectors[1].Status);
        Assert.Equal([ChargePointStatus.Preparing, ChargePointStatus.Charging, ChargePointStatus.SuspendedEV], h.StatusesOf(1).Skip(1));
        Assert.Equal(1000, h.Model.Connectors[1].SessionEnergyWh, 1);
    }
}
