using System.Globalization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

/// <summary>
/// OCPP 1.6 §4.2.1: while the registration is Pending the charge point sends nothing of its own, but what a TriggerMessage (or
/// ExtendedTriggerMessage) asks for does go. And TriggerMessage MeterValues for connector 0 is the main meter.
/// </summary>
public class TriggerWhilePendingTests
{
    private static readonly Dictionary<string, string> Secure = new() { [K.SecurityProfile] = "1", [K.AuthorizationKey] = "00112233445566778899aabbccddeeff", [K.CpoName] = "ACME CPO" };

    /// <summary>A model whose BootNotification the CSMS keeps answering with <paramref name="status"/> (retry after 300 s).</summary>
    private static Harness Held(RegistrationStatus status = RegistrationStatus.Pending, Dictionary<string, string>? config = null)
    {
        var h = new Harness(config);
        h.Override = m => m.Request is BootNotificationRequest && h.Model.Registration is not RegistrationStatus.Accepted
            ? new BootNotificationResponse { Status = status, CurrentTime = h.CsmsNow, Interval = 300 }
            : null;
        h.Model.OnConnected();
        h.Pump();
        Assert.Equal(status, h.Model.Registration);
        h.Sent.Clear();
        return h;
    }

    private static ExtendedTriggerMessageStatus ExtendedTrigger(Harness h, ExtendedMessageTrigger what, int? connector = null) =>
        h.Reply<ExtendedTriggerMessageResponse>(new ExtendedTriggerMessageRequest { RequestedMessage = what, ConnectorId = connector }).Status;

    [Theory]
    [InlineData(MessageTrigger.BootNotification, typeof(BootNotificationRequest))]
    [InlineData(MessageTrigger.DiagnosticsStatusNotification, typeof(DiagnosticsStatusNotificationRequest))]
    [InlineData(MessageTrigger.FirmwareStatusNotification, typeof(FirmwareStatusNotificationRequest))]
    [InlineData(MessageTrigger.Heartbeat, typeof(HeartbeatRequest))]
    [InlineData(MessageTrigger.MeterValues, typeof(MeterValuesRequest))]
    [InlineData(MessageTrigger.StatusNotification, typeof(StatusNotificationRequest))]
    public void While_Pending_a_TriggerMessage_sends_exactly_the_triggered_message(MessageTrigger trigger, Type expected)
    {
        var h = Held();
        h.Model.PlugIn(1, Harness.Ev);   // a status change of its own: held while Pending
        h.Pump();
        Assert.Empty(h.Sent);

        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(trigger, trigger is MessageTrigger.MeterValues or MessageTrigger.StatusNotification ? 1 : null));
        var sent = Assert.Single(h.Pump());
        Assert.IsType(expected, sent.Request);
        if (sent.Request is StatusNotificationRequest status)
        {
            Assert.Equal((1, ChargePointStatus.Preparing), (status.ConnectorId, status.Status));
        }
        Assert.False(h.Model.IsBooted);
        Assert.Empty(h.Pump());
    }

    [Fact]
    public void While_Pending_every_ExtendedTriggerMessage_sends_its_message_and_SignCertificate_provisions_a_certificate()
    {
        var h = Held(config: new(Secure));
        foreach (var trigger in Enum.GetValues<ExtendedMessageTrigger>())
        {
            h.Sent.Clear();
            Assert.Equal(ExtendedTriggerMessageStatus.Accepted, ExtendedTrigger(h, trigger, trigger is ExtendedMessageTrigger.MeterValues or ExtendedMessageTrigger.StatusNotification ? 2 : null));
            var sent = Assert.Single(h.Pump());
            Type expected = trigger switch
            {
                ExtendedMessageTrigger.BootNotification => typeof(BootNotificationRequest),
                ExtendedMessageTrigger.LogStatusNotification => typeof(LogStatusNotificationRequest),
                ExtendedMessageTrigger.FirmwareStatusNotification => typeof(SignedFirmwareStatusNotificationRequest),
                ExtendedMessageTrigger.Heartbeat => typeof(HeartbeatRequest),
                ExtendedMessageTrigger.MeterValues => typeof(MeterValuesRequest),
                ExtendedMessageTrigger.SignChargePointCertificate => typeof(SignCertificateRequest),
                _ => typeof(StatusNotificationRequest),
            };
            Assert.IsType(expected, sent.Request);
        }
        Assert.False(h.Model.IsBooted);
    }

    [Fact]
    public void While_Rejected_only_a_BootNotification_can_be_triggered()
    {
        var h = Held(RegistrationStatus.Rejected, new(Secure));
        Assert.Equal(TriggerMessageStatus.Rejected, h.Trigger(MessageTrigger.Heartbeat));
        Assert.Equal(TriggerMessageStatus.Rejected, h.Trigger(MessageTrigger.StatusNotification));
        Assert.Equal(ExtendedTriggerMessageStatus.Rejected, ExtendedTrigger(h, ExtendedMessageTrigger.SignChargePointCertificate));
        Assert.Equal(ExtendedTriggerMessageStatus.Rejected, ExtendedTrigger(h, ExtendedMessageTrigger.LogStatusNotification));
        Assert.Empty(h.Pump());
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.BootNotification));
        Assert.IsType<BootNotificationRequest>(Assert.Single(h.Pump()).Request);
    }

    [Fact]
    public void Held_traffic_goes_once_Accepted_and_what_was_queued_before_a_triggered_reboot_answered_Pending_waits_for_acceptance()
    {
        var h = new Harness(new() { [K.MeterValueSampleInterval] = "60" }).Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "T");
        h.Pump();
        var pending = true;
        h.Override = m => m.Request is BootNotificationRequest && pending
            ? new BootNotificationResponse { Status = RegistrationStatus.Pending, CurrentTime = h.CsmsNow, Interval = 300 }
            : null;
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.BootNotification));
        var boot = Assert.Single(h.Take());
        h.Model.PlugIn(2, Harness.Ev);   // its StatusNotification is queued while still Accepted: ordinary traffic
        h.Model.OnAnswered(boot, h.Override(boot)!);
        Assert.Equal(RegistrationStatus.Pending, h.Model.Registration);
        h.Sent.Clear();

        h.Run(TimeSpan.FromSeconds(120));   // the transaction's MeterValues are held in the offline queue
        Assert.Empty(h.Sent);
        Assert.Equal(2, h.Model.OfflineQueueDepth);
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.StatusNotification, 1));
        var triggered = Assert.Single(h.Pump());   // overtakes the held status of connector 2
        Assert.Equal((1, ChargePointStatus.Charging), (Assert.IsType<StatusNotificationRequest>(triggered.Request).ConnectorId, ((StatusNotificationRequest)triggered.Request).Status));

        pending = false;
        h.Run(TimeSpan.FromSeconds(300));   // the boot retry interval: Accepted now
        Assert.True(h.Model.IsBooted);
        Assert.Equal(0, h.Model.OfflineQueueDepth);
        Assert.Contains((2, ChargePointStatus.Preparing), h.Statuses());
        Assert.True(h.SentOf<MeterValuesRequest>().Count() >= 2);
    }

    [Fact]
    public void TriggerMessage_MeterValues_for_connector_0_is_the_main_meter_the_sum_of_the_connectors()
    {
        var h = new Harness(new()
        {
            [K.MeterValuesSampledData] = "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC,Temperature",
            [K.AuthorizeRemoteTxRequests] = "false",
        }, connectors: 3).Boot();
        foreach (var connector in new[] { 1, 3 })
        {
            h.Model.PlugIn(connector, Harness.Ev);
            h.Model.PresentIdTag(connector, $"T{connector}");
        }
        h.Pump();
        h.Run(TimeSpan.FromMinutes(30));
        h.Model.Unplug(3);   // its energy stays on its register
        h.Run(TimeSpan.FromMinutes(10));
        h.Sent.Clear();

        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.MeterValues, 0));
        var main = Assert.IsType<MeterValuesRequest>(Assert.Single(h.Pump()).Request);
        Assert.Equal(0, main.ConnectorId);
        Assert.Null(main.TransactionId);
        var values = main.MeterValue.Single().SampledValue;
        Assert.All(values, v => Assert.Equal((ReadingContext.Trigger, Location.Inlet), (v.Context!.Value, v.Location!.Value)));
        var registers = h.Model.Connectors.Skip(1).Sum(c => c.RegisterWh);
        Assert.True(registers > 10_000, $"only {registers} Wh delivered");
        Assert.Equal(registers, Number(values, Measurand.EnergyActiveImportRegister), 0.1);
        Assert.Equal(h.Model.Connectors.Skip(1).Sum(c => c.PowerW), Number(values, Measurand.PowerActiveImport), 0.1);
        Assert.Equal(3, values.Count(v => v.Measurand == Measurand.CurrentImport));
        Assert.Equal(3, values.Count(v => v.Measurand == Measurand.Voltage));
        Assert.DoesNotContain(values, v => v.Measurand is Measurand.SoC or Measurand.Temperature);

        // No connectorId: every connector, 0 included, sampled at the same instant.
        h.Sent.Clear();
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.MeterValues));
        var all = h.Pump().Select(m => Assert.IsType<MeterValuesRequest>(m.Request)).ToList();
        Assert.Equal([0, 1, 2, 3], all.Select(m => m.ConnectorId));
        Assert.Equal([null, 100, null, null], all.Select(m => m.TransactionId));
        var sum = all.Skip(1).Sum(m => Number(m.MeterValue[0].SampledValue, Measurand.EnergyActiveImportRegister));
        Assert.Equal(sum, Number(all[0].MeterValue[0].SampledValue, Measurand.EnergyActiveImportRegister), 0.2);
    }

    [Fact]
    public void The_main_meter_always_carries_the_energy_register_even_when_it_is_not_configured()
    {
        var h = new Harness(new() { [K.MeterValuesSampledData] = "Power.Active.Import" }).Boot();
        h.Sent.Clear();
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.MeterValues, 0));
        var values = Assert.IsType<MeterValuesRequest>(Assert.Single(h.Pump()).Request).MeterValue[0].SampledValue;
        Assert.Equal([Measurand.EnergyActiveImportRegister, Measurand.PowerActiveImport], values.Select(v => v.Measurand!.Value));
    }

    [Fact]
    public void A_connector_with_nothing_configured_to_sample_still_answers_a_MeterValues_trigger_with_its_energy_register()
    {
        var h = new Harness(new() { [K.MeterValuesSampledData] = "" }).Boot();
        h.Sent.Clear();
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.MeterValues, 2));
        var request = Assert.IsType<MeterValuesRequest>(Assert.Single(h.Pump()).Request);
        Assert.Equal(2, request.ConnectorId);
        Assert.Equal(Measurand.EnergyActiveImportRegister, Assert.Single(request.MeterValue[0].SampledValue).Measurand);
    }

    private static double Number(IEnumerable<SampledValue> values, Measurand measurand) =>
        double.Parse(values.Single(v => v.Measurand == measurand).Value, CultureInfo.InvariantCulture);
}
