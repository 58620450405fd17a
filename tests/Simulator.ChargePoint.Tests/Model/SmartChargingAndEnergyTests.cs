using System.Globalization;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.SmartCharging;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

public class SmartChargingAndEnergyTests
{
    private static double Read(MeterValuesRequest m, Measurand measurand) =>
        double.Parse(m.MeterValue[0].SampledValue.First(v => v.Measurand == measurand).Value, CultureInfo.InvariantCulture);

    private static ChargingProfile Profile(int id, ChargingProfilePurpose purpose, DateTimeOffset start, params (int Start, decimal Limit)[] periods) => new()
    {
        ChargingProfileId = id,
        StackLevel = 1,
        ChargingProfilePurpose = purpose,
        ChargingProfileKind = ChargingProfileKind.Absolute,
        ChargingSchedule = new ChargingSchedule
        {
            StartSchedule = start,
            ChargingRateUnit = ChargingRateUnit.W,
            ChargingSchedulePeriod = periods.Select(p => new ChargingSchedulePeriod { StartPeriod = p.Start, Limit = p.Limit }).ToList(),
        },
    };

    [Fact]
    public void A_charging_limit_is_visible_in_meter_values_and_follows_the_schedule()
    {
        var h = new Harness(new() { [K.MeterValueSampleInterval] = "60" }).Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "T");
        h.Pump();
        h.Run(TimeSpan.FromSeconds(60));
        Assert.Equal(11_000, Read(h.SentOf<MeterValuesRequest>().Last(), Measurand.PowerActiveImport), 1);

        var profile = Profile(1, ChargingProfilePurpose.TxProfile, h.CsmsNow, (0, 4000), (120, 0));
        Assert.Equal(ChargingProfileStatus.Accepted, h.Reply<SetChargingProfileResponse>(new SetChargingProfileRequest { ConnectorId = 1, CsChargingProfiles = profile }).Status);
        h.Run(TimeSpan.FromSeconds(60));
        Assert.Equal(4000, Read(h.SentOf<MeterValuesRequest>().Last(), Measurand.PowerActiveImport), 1);
        Assert.Equal(4000, h.Model.Connectors[1].LimitW);

        h.Run(TimeSpan.FromSeconds(60));   // the second period (limit 0) begins: the EVSE suspends
        Assert.Equal(ChargePointStatus.SuspendedEVSE, h.Model.Connectors[1].Status);
        Assert.Equal(ChargePointStatus.SuspendedEVSE, h.StatusesOf(1)[^1]);
        Assert.Equal(0, Read(h.SentOf<MeterValuesRequest>().Last(), Measurand.PowerActiveImport), 1);

        Assert.Equal(ClearChargingProfileStatus.Accepted, h.Reply<ClearChargingProfileResponse>(new ClearChargingProfileRequest { Id = 1 }).Status);
        Assert.Equal(ClearChargingProfileStatus.Unknown, h.Reply<ClearChargingProfileResponse>(new ClearChargingProfileRequest { Id = 1 }).Status);
        h.Pump();
        Assert.Equal(ChargePointStatus.Charging, h.Model.Connectors[1].Status);
    }

    [Fact]
    public void A_TxProfile_needs_a_transaction_and_a_composite_schedule_is_reported()
    {
        var h = new Harness().Boot();
        var tx = Profile(2, ChargingProfilePurpose.TxProfile, h.CsmsNow, (0, 5000));
        Assert.Equal(ChargingProfileStatus.Rejected, h.Reply<SetChargingProfileResponse>(new SetChargingProfileRequest { ConnectorId = 1, CsChargingProfiles = tx }).Status);
        var max = Profile(3, ChargingProfilePurpose.ChargePointMaxProfile, h.CsmsNow, (0, 7000));
        Assert.Equal(ChargingProfileStatus.Accepted, h.Reply<SetChargingProfileResponse>(new SetChargingProfileRequest { ConnectorId = 0, CsChargingProfiles = max }).Status);
        var composite = h.Reply<GetCompositeScheduleResponse>(new GetCompositeScheduleRequest { ConnectorId = 1, Duration = 3600, ChargingRateUnit = ChargingRateUnit.W });
        Assert.Equal(GetCompositeScheduleStatus.Accepted, composite.Status);
        Assert.Equal(7000m, composite.ChargingSchedule!.ChargingSchedulePeriod[0].Limit);
        Assert.Equal(GetCompositeScheduleStatus.Rejected, h.Reply<GetCompositeScheduleResponse>(new GetCompositeScheduleRequest { ConnectorId = 9, Duration = 60 }).Status);
    }

    [Fact]
    public void RemoteStart_with_a_TxProfile_applies_it_once_the_transaction_has_its_id()
    {
        var h = new Harness().Boot();
        h.Model.PlugIn(2, Harness.Ev);
        var profile = Profile(4, ChargingProfilePurpose.TxProfile, h.CsmsNow, (0, 2000));
        h.Reply<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { ConnectorId = 2, IdTag = "T", ChargingProfile = profile });
        h.Pump();
        Assert.Equal(2000, h.Model.Connectors[2].LimitW);
        Assert.Equal(2000, h.Model.Connectors[2].PowerW, 1);
        var wrong = profile with { ChargingProfilePurpose = ChargingProfilePurpose.TxDefaultProfile };
        Assert.Equal(RemoteStartStopStatus.Rejected, h.Reply<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { ConnectorId = 1, IdTag = "T", ChargingProfile = wrong }).Status);
    }

    [Fact]
    public void The_energy_of_a_session_equals_the_integral_of_the_sampled_power()
    {
        var h = new Harness(new() { [K.MeterValueSampleInterval] = "10" }).Boot();
        // 20 kWh battery from 50 %: constant power to 80 %, then the taper, until the 9 kWh need is met.
        h.Model.PlugIn(1, new Simulator.ChargePoint.Metering.EvSpec(20_000, 0.5, 11_000, 9_000));
        h.Model.PresentIdTag(1, "T");
        h.Pump();
        h.Run(TimeSpan.FromHours(2));
        h.Model.Unplug(1);
        h.Pump();
        var samples = h.SentOf<MeterValuesRequest>().Select(m => (At: m.MeterValue[0].Timestamp, P: Read(m, Measurand.PowerActiveImport))).ToList();
        var start = h.SentOf<StartTransactionRequest>().Single();
        var stop = h.SentOf<StopTransactionRequest>().Single();
        var points = new[] { (At: start.Timestamp, P: 11_000.0) }.Concat(samples).ToList();
        var integralWh = 0.0;
        for (var i = 1; i < points.Count; i++)
        {
            integralWh += (points[i - 1].P + points[i].P) / 2 * (points[i].At - points[i - 1].At).TotalHours;
        }
        var meteredWh = stop.MeterStop - start.MeterStart;
        Assert.InRange(meteredWh, 8_999, 9_001);
        Assert.InRange(integralWh, meteredWh * 0.995, meteredWh * 1.005);
        Assert.Equal(9_000, h.SignalsOf<SessionEnded>().Single().EnergyWh, 0.5);
    }
}
