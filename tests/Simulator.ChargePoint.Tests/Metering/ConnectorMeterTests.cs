using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Simulator.ChargePoint.Metering;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Tests.Metering;

public class ConnectorMeterTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static (ConnectorMeter Meter, FakeTimeProvider Clock) Charging(MeterSpec spec, EvSpec ev, double initialRegisterWh = 0)
    {
        var clock = new FakeTimeProvider(T0);
        var meter = new ConnectorMeter(spec, initialRegisterWh);
        meter.AttachEv(ev, clock.GetUtcNow());
        meter.StartDelivery(clock.GetUtcNow());
        return (meter, clock);
    }

    [Fact]
    public void Constant_power_register_is_power_times_time()
    {
        var (meter, clock) = Charging(new MeterSpec(SupplyType.AC3Phase, 11_000), new EvSpec(60_000, 0.2, 50_000, 40_000), initialRegisterWh: 1000);

        clock.Advance(TimeSpan.FromMinutes(30));
        meter.AdvanceTo(clock.GetUtcNow());

        Assert.Equal(11_000, meter.PowerW, 9);
        Assert.Equal(1000 + 5500, meter.RegisterWh, 6);
        Assert.Equal(0.2 + (5500 / 60_000.0), meter.Soc!.Value, 9);
    }

    [Fact]
    public void Register_equals_the_integral_of_finely_sampled_power_through_the_taper()
    {
        // 50 kW DC into a 60 kWh battery from 70 %: 7.2 minutes at full power, then the taper.
        var (meter, clock) = Charging(new MeterSpec(SupplyType.DC, 50_000), new EvSpec(60_000, 0.7, 50_000, 100_000));
        var integralWh = 0.0;
        var previousPower = meter.PowerW;
        var step = TimeSpan.FromMilliseconds(250);
        for (var i = 0; i < 40 * 60 * 4; i++)
        {
            clock.Advance(step);
            meter.AdvanceTo(clock.GetUtcNow());
            var power = meter.PowerW;
            integralWh += (previousPower + power) / 2 * step.TotalHours;
            previousPower = power;
        }

        Assert.True(meter.Soc > 0.9, $"the run should reach deep into the taper, SoC {meter.Soc}");
        Assert.False(meter.EvSuspended);
        Assert.Equal(integralWh, meter.RegisterWh, 0.1);
        Assert.Equal((meter.Soc!.Value - 0.7) * 60_000, meter.RegisterWh, 6);
    }

    [Theory]
    [InlineData(80_000.0, 0.5, 100_000.0, false)] // through the knee, ends mid-taper
    [InlineData(80_000.0, 0.85, 100_000.0, false)] // all in the taper
    [InlineData(40_000.0, 0.5, 20_000.0, true)] // stops on the energy need inside the hour
    [InlineData(40_000.0, 0.9, 100_000.0, true)] // reaches 100 % inside the hour
    public void One_advance_over_an_hour_equals_3600_advances_a_second_apart(double capacityWh, double arrivalSoc, double needWh, bool suspends)
    {
        var spec = new MeterSpec(SupplyType.DC, 50_000);
        var ev = new EvSpec(capacityWh, arrivalSoc, 45_000, needWh);
        var (coarse, coarseClock) = Charging(spec, ev);
        var (fine, fineClock) = Charging(spec, ev);

        coarseClock.Advance(TimeSpan.FromHours(1));
        coarse.AdvanceTo(coarseClock.GetUtcNow());
        for (var i = 0; i < 3600; i++)
        {
            fineClock.Advance(TimeSpan.FromSeconds(1));
            fine.AdvanceTo(fineClock.GetUtcNow());
        }

        Assert.True(coarse.RegisterWh > 1000);
        Assert.Equal(fine.RegisterWh, coarse.RegisterWh, 1e-6);
        Assert.Equal(fine.Soc!.Value, coarse.Soc!.Value, 1e-9);
        Assert.Equal(suspends, fine.EvSuspended);
        Assert.Equal(suspends, coarse.EvSuspended);
    }

    [Fact]
    public void Cc_cv_taper_lowers_power_above_80_percent()
    {
        var (meter, clock) = Charging(new MeterSpec(SupplyType.DC, 100_000), new EvSpec(50_000, 0.5, 50_000, 100_000));
        var powers = new List<(double Soc, double Power)>();
        while (!meter.EvSuspended)
        {
            powers.Add((meter.Soc!.Value, meter.PowerW));
            clock.Advance(TimeSpan.FromSeconds(30));
            meter.AdvanceTo(clock.GetUtcNow());
        }

        Assert.All(powers.Where(p => p.Soc < 0.8), p => Assert.Equal(50_000, p.Power, 6));
        var taper = powers.Where(p => p.Soc > 0.81).ToList();
        Assert.NotEmpty(taper);
        Assert.All(taper, p => Assert.True(p.Power < 50_000 * 0.96, $"{p.Power} W at SoC {p.Soc}"));
        for (var i = 1; i < taper.Count; i++)
        {
            Assert.True(taper[i].Power < taper[i - 1].Power, "power falls as the SoC rises");
        }

        // Near 100 % only the trickle remains.
        Assert.True(taper[^1].Power < 50_000 * 0.1, $"{taper[^1].Power} W at SoC {taper[^1].Soc}");
        Assert.Equal(1, meter.Soc!.Value, 9);
        Assert.Equal(0, meter.PowerW);
    }

    [Fact]
    public void Charger_cap_below_ev_max_delays_the_taper_until_acceptance_falls_below_it()
    {
        // EV accepts 50 kW but the charger gives 11 kW: acceptance drops below 11 kW only above ~96.4 % SoC.
        var (meter, clock) = Charging(new MeterSpec(SupplyType.AC3Phase, 11_000), new EvSpec(50_000, 0.85, 50_000, 100_000));
        clock.Advance(TimeSpan.FromMinutes(30));
        meter.AdvanceTo(clock.GetUtcNow());

        Assert.Equal(0.85 + (5500 / 50_000.0), meter.Soc!.Value, 9);
        Assert.Equal(11_000, meter.PowerW, 9);
    }

    [Fact]
    public void Energy_need_reached_suspends_the_ev_at_the_predicted_instant()
    {
        var (meter, clock) = Charging(new MeterSpec(SupplyType.AC1Phase, 7_400), new EvSpec(60_000, 0.3, 11_000, 3_700));

        var doneAt = meter.NextChangeAt(clock.GetUtcNow());
        Assert.NotNull(doneAt);
        Assert.Equal(T0.AddMinutes(30), doneAt.Value, TimeSpan.FromMilliseconds(1));

        meter.AdvanceTo(doneAt.Value.AddSeconds(-1));
        Assert.False(meter.EvSuspended);
        Assert.True(meter.PowerW > 0);

        meter.AdvanceTo(doneAt.Value);
        Assert.True(meter.EvSuspended);
        Assert.Equal(0, meter.PowerW);
        Assert.Equal(3_700, meter.RegisterWh, 6);
        Assert.Null(meter.NextChangeAt(doneAt.Value));

        meter.AdvanceTo(doneAt.Value.AddHours(2));
        Assert.Equal(3_700, meter.RegisterWh, 6);
    }

    [Fact]
    public void Full_battery_suspends_the_ev_at_the_predicted_instant()
    {
        var (meter, clock) = Charging(new MeterSpec(SupplyType.DC, 50_000), new EvSpec(40_000, 0.6, 50_000, 1_000_000));

        var fullAt = meter.NextChangeAt(clock.GetUtcNow())!.Value;
        meter.AdvanceTo(fullAt.AddSeconds(-1));
        Assert.False(meter.EvSuspended);
        Assert.True(meter.Soc < 1);

        meter.AdvanceTo(fullAt);
        Assert.True(meter.EvSuspended);
        Assert.Equal(1, meter.Soc!.Value, 12);
        Assert.Equal(0.4 * 40_000, meter.RegisterWh, 6);
    }

    [Fact]
    public void Limit_caps_power_and_zero_suspends_the_evse()
    {
        var (meter, clock) = Charging(new MeterSpec(SupplyType.AC3Phase, 22_000), new EvSpec(60_000, 0.2, 22_000, 50_000));
        Assert.Equal(22_000, meter.PowerW, 9);

        meter.SetLimit(6_000, clock.GetUtcNow());
        Assert.Equal(6_000, meter.PowerW, 9);
        Assert.Equal(6_000, meter.LimitW);
        Assert.False(meter.EvseSuspended);
        clock.Advance(TimeSpan.FromHours(1));
        meter.AdvanceTo(clock.GetUtcNow());
        Assert.Equal(6_000, meter.RegisterWh, 6);

        meter.SetLimit(0, clock.GetUtcNow());
        Assert.True(meter.EvseSuspended);
        Assert.False(meter.EvSuspended);
        Assert.Equal(0, meter.PowerW);
        Assert.Null(meter.NextChangeAt(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromHours(1));
        meter.AdvanceTo(clock.GetUtcNow());
        Assert.Equal(6_000, meter.RegisterWh, 6);

        meter.SetLimit(null, clock.GetUtcNow());
        Assert.False(meter.EvseSuspended);
        Assert.Equal(22_000, meter.PowerW, 9);
    }

    [Fact]
    public void No_energy_without_a_transaction_or_without_an_ev()
    {
        var clock = new FakeTimeProvider(T0);
        var meter = new ConnectorMeter(new MeterSpec(SupplyType.AC3Phase, 11_000));
        meter.AttachEv(new EvSpec(60_000, 0.2, 11_000, 10_000), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromHours(1));
        meter.AdvanceTo(clock.GetUtcNow());
        Assert.Equal(0, meter.RegisterWh);
        Assert.Equal(0, meter.PowerW);

        meter.StartDelivery(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMinutes(6));
        meter.StopDelivery(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromHours(1));
        meter.AdvanceTo(clock.GetUtcNow());
        Assert.Equal(1_100, meter.RegisterWh, 6);

        meter.DetachEv(clock.GetUtcNow());
        meter.StartDelivery(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromHours(1));
        meter.AdvanceTo(clock.GetUtcNow());
        Assert.Equal(1_100, meter.RegisterWh, 6);
        Assert.Null(meter.Soc);
    }

    [Fact]
    public void Register_is_monotonic_across_several_evs()
    {
        var clock = new FakeTimeProvider(T0);
        var meter = new ConnectorMeter(new MeterSpec(SupplyType.AC3Phase, 11_000), initialRegisterWh: 123_456);
        var last = meter.RegisterWh;
        var evs = new[] { new EvSpec(40_000, 0.1, 11_000, 5_000), new EvSpec(80_000, 0.9, 7_000, 20_000), new EvSpec(30_000, 0.5, 3_600, 2_000) };
        var expected = 123_456.0;
        foreach (var ev in evs)
        {
            meter.AttachEv(ev, clock.GetUtcNow());
            Assert.Equal(ev.ArrivalSoc, meter.Soc);
            meter.StartDelivery(clock.GetUtcNow());
            for (var i = 0; i < 24 * 6; i++)
            {
                clock.Advance(TimeSpan.FromMinutes(10));
                meter.AdvanceTo(clock.GetUtcNow());
                Assert.True(meter.RegisterWh >= last);
                last = meter.RegisterWh;
            }

            Assert.True(meter.EvSuspended);
            expected += Math.Min(ev.EnergyNeedWh, (1 - ev.ArrivalSoc) * ev.BatteryCapacityWh);
            Assert.Equal(expected, meter.RegisterWh, 6);
            meter.StopDelivery(clock.GetUtcNow());
            meter.DetachEv(clock.GetUtcNow());
            Assert.False(meter.EvSuspended);
        }
    }

    [Fact]
    public void Earlier_time_is_ignored_and_never_takes_energy_back()
    {
        var (meter, clock) = Charging(new MeterSpec(SupplyType.AC1Phase, 3_600), new EvSpec(40_000, 0.1, 7_000, 10_000));
        clock.Advance(TimeSpan.FromHours(1));
        meter.AdvanceTo(clock.GetUtcNow());
        meter.AdvanceTo(T0);
        Assert.Equal(3_600, meter.RegisterWh, 6);
        meter.AdvanceTo(clock.GetUtcNow().AddHours(1));
        Assert.Equal(7_200, meter.RegisterWh, 6);
    }

    private static readonly Measurand[] All =
    [
        Measurand.EnergyActiveImportRegister, Measurand.PowerActiveImport, Measurand.CurrentImport, Measurand.Voltage,
        Measurand.SoC, Measurand.Temperature, Measurand.PowerOffered, Measurand.CurrentOffered, Measurand.Frequency,
    ];

    private static SampledValue Single(IReadOnlyList<SampledValue> values, Measurand measurand, Phase? phase = null) =>
        Assert.Single(values, v => v.Measurand == measurand && v.Phase == phase);

    [Fact]
    public void Ac3_samples_have_units_phases_and_values()
    {
        var (meter, clock) = Charging(new MeterSpec(SupplyType.AC3Phase, 11_040), new EvSpec(60_000, 0.25, 22_000, 30_000), initialRegisterWh: 1_000);
        meter.SetLimit(16 * 3 * 230, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMinutes(15));

        var values = meter.Sample(All, ReadingContext.SamplePeriodic, clock.GetUtcNow());

        Assert.All(values, v => Assert.Equal(ReadingContext.SamplePeriodic, v.Context));
        Assert.DoesNotContain(values, v => v.Measurand == Measurand.Frequency);
        var register = Single(values, Measurand.EnergyActiveImportRegister);
        Assert.Equal(("3760.0", UnitOfMeasure.Wh, Location.Outlet), (register.Value, register.Unit, register.Location));
        Assert.Equal(("11040.0", UnitOfMeasure.W), (Single(values, Measurand.PowerActiveImport).Value, Single(values, Measurand.PowerActiveImport).Unit));
        foreach (var phase in new[] { Phase.L1, Phase.L2, Phase.L3 })
        {
            var current = Single(values, Measurand.CurrentImport, phase);
            Assert.Equal(("16.00", UnitOfMeasure.A), (current.Value, current.Unit));
        }

        Assert.Equal(3, values.Count(v => v.Measurand == Measurand.CurrentImport));
        Assert.Equal(new[] { Phase.L1N, Phase.L2N, Phase.L3N }, values.Where(v => v.Measurand == Measurand.Voltage).Select(v => v.Phase!.Value));
        Assert.All(values.Where(v => v.Measurand == Measurand.Voltage), v => Assert.Equal(("230.0", UnitOfMeasure.V), (v.Value, v.Unit)));
        var soc = Single(values, Measurand.SoC);
        Assert.Equal(("29.6", UnitOfMeasure.Percent, Location.EV), (soc.Value, soc.Unit, soc.Location));
        var offered = Single(values, Measurand.PowerOffered);
        Assert.Equal(("11040.0", UnitOfMeasure.W), (offered.Value, offered.Unit));
        var currentOffered = Single(values, Measurand.CurrentOffered);
        Assert.Equal(("16.00", UnitOfMeasure.A), (currentOffered.Value, currentOffered.Unit));
        var temperature = Single(values, Measurand.Temperature);
        Assert.Equal(("45.0", UnitOfMeasure.Celsius), (temperature.Value, temperature.Unit));
        Assert.All(values.Where(v => v.Measurand != Measurand.SoC), v => Assert.Equal(Location.Outlet, v.Location));
    }

    [Fact]
    public void Ac1_samples_use_phase_l1_only()
    {
        var (meter, clock) = Charging(new MeterSpec(SupplyType.AC1Phase, 7_360), new EvSpec(60_000, 0.25, 11_000, 30_000));
        var values = meter.Sample(All, ReadingContext.Trigger, clock.GetUtcNow());

        var current = Assert.Single(values, v => v.Measurand == Measurand.CurrentImport);
        Assert.Equal((Phase.L1, "32.00", UnitOfMeasure.A), (current.Phase, current.Value, current.Unit));
        var voltage = Assert.Single(values, v => v.Measurand == Measurand.Voltage);
        Assert.Equal((Phase.L1N, "230.0"), (voltage.Phase, voltage.Value));
        Assert.Equal("32.00", Single(values, Measurand.CurrentOffered).Value);
    }

    [Fact]
    public void Dc_samples_have_no_phase_and_use_the_dc_voltage()
    {
        var (meter, clock) = Charging(new MeterSpec(SupplyType.DC, 150_000, DcVoltage: 800), new EvSpec(80_000, 0.1, 120_000, 50_000));
        var values = meter.Sample(All, ReadingContext.TransactionBegin, clock.GetUtcNow());

        Assert.All(values, v => Assert.Null(v.Phase));
        Assert.Equal("150.00", Single(values, Measurand.CurrentImport).Value);
        Assert.Equal(("800.0", UnitOfMeasure.V), (Single(values, Measurand.Voltage).Value, Single(values, Measurand.Voltage).Unit));
        Assert.Equal("187.50", Single(values, Measurand.CurrentOffered).Value);
        Assert.Equal("120000.0", Single(values, Measurand.PowerActiveImport).Value);
    }

    [Fact]
    public void Soc_is_skipped_without_an_ev_and_idle_values_are_zero()
    {
        var meter = new ConnectorMeter(new MeterSpec(SupplyType.AC3Phase, 22_000), initialRegisterWh: 42.25);
        var values = meter.Sample(All, ReadingContext.SampleClock, T0);

        Assert.DoesNotContain(values, v => v.Measurand == Measurand.SoC);
        Assert.Equal("42.3", Single(values, Measurand.EnergyActiveImportRegister).Value);
        Assert.Equal("0.0", Single(values, Measurand.PowerActiveImport).Value);
        Assert.Equal("25.0", Single(values, Measurand.Temperature).Value);
        Assert.Equal("22000.0", Single(values, Measurand.PowerOffered).Value);
    }

    [Fact]
    public void Temperature_rises_with_power()
    {
        var (meter, clock) = Charging(new MeterSpec(SupplyType.AC3Phase, 22_000), new EvSpec(60_000, 0.2, 22_000, 50_000));
        meter.SetLimit(5_500, clock.GetUtcNow());
        var low = double.Parse(Single(meter.Sample([Measurand.Temperature], ReadingContext.Trigger, clock.GetUtcNow()), Measurand.Temperature).Value, CultureInfo.InvariantCulture);
        meter.SetLimit(null, clock.GetUtcNow());
        var high = double.Parse(Single(meter.Sample([Measurand.Temperature], ReadingContext.Trigger, clock.GetUtcNow()), Measurand.Temperature).Value, CultureInfo.InvariantCulture);

        Assert.True(high > low + 10, $"{low} -> {high}");
        Assert.InRange(high, 30, 60);
    }

    [Fact]
    public void Values_are_formatted_with_the_invariant_culture_whatever_the_current_one()
    {
        var previous = CultureInfo.CurrentCulture;
        var commaCulture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commaCulture.NumberFormat.NumberDecimalSeparator = ",";
        commaCulture.NumberFormat.NumberGroupSeparator = ".";
        try
        {
            CultureInfo.CurrentCulture = commaCulture;
            Assert.Equal("1,5", 1.5.ToString("0.0", CultureInfo.CurrentCulture));
            var (meter, clock) = Charging(new MeterSpec(SupplyType.AC3Phase, 11_000), new EvSpec(60_000, 0.2, 11_000, 50_000), initialRegisterWh: 1234.5);
            var values = meter.Sample([Measurand.EnergyActiveImportRegister, Measurand.CurrentImport], ReadingContext.SamplePeriodic, clock.GetUtcNow());

            Assert.Equal("1234.5", Single(values, Measurand.EnergyActiveImportRegister).Value);
            Assert.Equal("15.94", Single(values, Measurand.CurrentImport, Phase.L1).Value);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
