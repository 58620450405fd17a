using Simulator.ChargePoint.Metering;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Tests.Metering;

public class MeterSampleLogTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.FromHours(5.5));

    private static readonly Measurand[][] Lists =
    [
        [Measurand.EnergyActiveImportRegister],
        [Measurand.SoC, Measurand.Voltage],
        [Measurand.Temperature, Measurand.CurrentOffered, Measurand.EnergyActiveImportRegister, Measurand.SoC, Measurand.Frequency],
        [Measurand.PowerOffered, Measurand.CurrentImport, Measurand.PowerActiveImport, Measurand.SoC, Measurand.Voltage, Measurand.EnergyActiveImportRegister],
    ];

    [Theory]
    [InlineData(SupplyType.AC3Phase)]
    [InlineData(SupplyType.AC1Phase)]
    [InlineData(SupplyType.DC)]
    public void Replayed_samples_are_what_the_meter_sampled_then(SupplyType supply)
    {
        var meter = new ConnectorMeter(new MeterSpec(supply, 22_000), 1234.5);
        var log = new MeterSampleLog();
        var expected = new List<(DateTimeOffset, ReadingContext, IReadOnlyList<SampledValue>)>();
        var now = T0;
        meter.StartDelivery(now);
        for (var i = 0; i < 300; i++)
        {
            now += TimeSpan.FromSeconds(37.25);
            if (i == 40)
            {
                meter.AttachEv(new EvSpec(30_000, 0.7, 11_000, 20_000), now);
            }
            if (i == 150)
            {
                meter.SetLimit(4_000, now);
            }
            if (i == 260)
            {
                meter.DetachEv(now);
            }
            // A new list instance each time, as 2.0.1 makes them: kept once per distinct list.
            var measurands = Lists[i % Lists.Length].ToList();
            var context = i % 7 == 0 ? ReadingContext.SampleClock : ReadingContext.SamplePeriodic;
            var stamp = now.ToOffset(TimeSpan.FromHours(i % 3 == 0 ? -7 : 1));
            var values = meter.Sample(measurands, context, now);
            var kept = log.Add(stamp, context, measurands, meter.Read(now));
            Assert.Equal(values.Count > 0, kept);
            if (kept)
            {
                expected.Add((stamp, context, values));
            }
        }

        var replayed = log.Replay(meter, (timestamp, context, values) => (timestamp, context, values));
        Assert.Equal(expected.Count, log.Count);
        Assert.True(expected.Count > 200);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Item1, replayed[i].timestamp);
            Assert.Equal(expected[i].Item1.Offset, replayed[i].timestamp.Offset);
            Assert.Equal(expected[i].Item2, replayed[i].context);
            Assert.Equal(expected[i].Item3, replayed[i].values);
        }
    }

    [Fact]
    public void A_sample_without_values_is_not_kept()
    {
        var meter = new ConnectorMeter(new MeterSpec(SupplyType.AC3Phase, 22_000));
        var log = new MeterSampleLog();
        Assert.False(log.Add(T0, ReadingContext.SamplePeriodic, [Measurand.SoC, Measurand.Frequency], meter.Read(T0)));
        Assert.False(log.Add(T0, ReadingContext.SamplePeriodic, [], meter.Read(T0)));
        Assert.Equal(0, log.Count);
        Assert.Empty(log.Replay(meter, (_, _, values) => values));
        Assert.True(log.Add(T0, ReadingContext.TransactionEnd, [Measurand.SoC, Measurand.Voltage], meter.Read(T0)));
        var values = Assert.Single(log.Replay(meter, (_, _, values) => values));
        Assert.Equal([Phase.L1N, Phase.L2N, Phase.L3N], values.Select(v => v.Phase));
    }
    [Fact]
    public void A_long_transaction_keeps_every_sample_in_order()
    {
        // Thousands of samples fill many chunks; the sizes alternate (register only, then register, power and SoC with an EV)
        // so that samples end at every position near a chunk's end.
        var meter = new ConnectorMeter(new MeterSpec(SupplyType.AC3Phase, 22_000), 10.0);
        var log = new MeterSampleLog();
        var registerOnly = new[] { Measurand.EnergyActiveImportRegister };
        var more = new[] { Measurand.EnergyActiveImportRegister, Measurand.PowerActiveImport, Measurand.SoC };
        var expected = new List<(DateTimeOffset, IReadOnlyList<SampledValue>)>();
        var now = T0;
        meter.StartDelivery(now);
        meter.AttachEv(new EvSpec(60_000, 0.1, 11_000, 50_000), now);
        for (var i = 0; i < 5000; i++)
        {
            now += TimeSpan.FromSeconds(1);
            var measurands = i % 3 == 0 ? more : registerOnly;
            Assert.True(log.Add(now, ReadingContext.SamplePeriodic, measurands, meter.Read(now)));
            expected.Add((now, meter.Sample(measurands, ReadingContext.SamplePeriodic, now)));
        }

        var replayed = log.Replay(meter, (timestamp, _, values) => (timestamp, values));
        Assert.Equal(5000, log.Count);
        Assert.Equal(expected.Count, replayed.Length);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Item1, replayed[i].timestamp);
            Assert.Equal(expected[i].Item2, replayed[i].values);
        }
    }
}
