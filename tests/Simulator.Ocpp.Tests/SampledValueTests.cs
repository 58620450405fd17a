using Simulator.Ocpp.V16.Types;

namespace Simulator.Ocpp.Tests;

/// <summary><see cref="SampledValue"/> keeps its six optional enums in a byte each: every value, and absence, reads back as set.</summary>
public class SampledValueTests
{
    [Fact]
    public void Every_member_of_each_optional_enum_reads_back_and_the_others_stay_absent()
    {
        foreach (var context in Enum.GetValues<ReadingContext>())
        {
            AssertOnly(new SampledValue { Value = "1", Context = context }, context, null, null, null, null, null);
        }
        foreach (var format in Enum.GetValues<ValueFormat>())
        {
            AssertOnly(new SampledValue { Value = "1", Format = format }, null, format, null, null, null, null);
        }
        foreach (var measurand in Enum.GetValues<Measurand>())
        {
            AssertOnly(new SampledValue { Value = "1", Measurand = measurand }, null, null, measurand, null, null, null);
        }
        foreach (var phase in Enum.GetValues<Phase>())
        {
            AssertOnly(new SampledValue { Value = "1", Phase = phase }, null, null, null, phase, null, null);
        }
        foreach (var location in Enum.GetValues<Location>())
        {
            AssertOnly(new SampledValue { Value = "1", Location = location }, null, null, null, null, location, null);
        }
        foreach (var unit in Enum.GetValues<UnitOfMeasure>())
        {
            AssertOnly(new SampledValue { Value = "1", Unit = unit }, null, null, null, null, null, unit);
        }
    }

    [Fact]
    public void A_copy_with_a_value_cleared_or_changed_compares_as_its_values_do()
    {
        var full = new SampledValue
        {
            Value = "15234.5", Context = ReadingContext.SampleClock, Format = ValueFormat.Raw, Measurand = Measurand.EnergyActiveImportRegister,
            Phase = Phase.L1N, Location = Location.Outlet, Unit = UnitOfMeasure.Wh,
        };
        var same = full with { };
        Assert.Equal(full, same);
        Assert.Equal(full.GetHashCode(), same.GetHashCode());

        var withoutPhase = full with { Phase = null };
        Assert.Null(withoutPhase.Phase);
        Assert.Equal(Measurand.EnergyActiveImportRegister, withoutPhase.Measurand);
        Assert.NotEqual(full, withoutPhase);
        Assert.Equal(full, withoutPhase with { Phase = Phase.L1N });

        // The first member (0) is a value, not absence.
        Assert.NotEqual(full with { Context = ReadingContext.InterruptionBegin }, full with { Context = null });
        Assert.Equal(ReadingContext.InterruptionBegin, (full with { Context = ReadingContext.InterruptionBegin }).Context);
    }

    [Fact]
    public void An_undefined_enum_value_within_a_byte_is_kept_as_it_was_given()
    {
        Assert.Equal((Measurand)99, new SampledValue { Value = "1", Measurand = (Measurand)99 }.Measurand);
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new SampledValue { Value = "1", Measurand = (Measurand)1000 });
        Assert.Contains("Measurand 1000", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reading_reads_and_writes_as_its_formatted_text_and_equals_the_same_text_given_as_a_string()
    {
        var reading = new SampledValue(15234.46, 1) { Context = ReadingContext.SamplePeriodic, Measurand = Measurand.EnergyActiveImportRegister, Unit = UnitOfMeasure.Wh };
        var text = new SampledValue { Value = "15234.5", Context = ReadingContext.SamplePeriodic, Measurand = Measurand.EnergyActiveImportRegister, Unit = UnitOfMeasure.Wh };
        Assert.Equal("15234.5", reading.Value);
        Assert.Equal(text, reading);
        Assert.Equal(reading, text);
        Assert.Equal(text.GetHashCode(), reading.GetHashCode());
        Assert.NotEqual(text, new SampledValue(15234.46, 2) { Context = ReadingContext.SamplePeriodic, Measurand = Measurand.EnergyActiveImportRegister, Unit = UnitOfMeasure.Wh });
        Assert.Equal("15234", new SampledValue(15234.46, 0).Value);
        Assert.Equal("-0.125", new SampledValue(-0.125, 3).Value);
        Assert.Equal("x", (reading with { Value = "x" }).Value);
        Assert.Equal("15234.5", (reading with { Phase = Phase.L1 }).Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampledValue(1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SampledValue(1, -1));

        // Written straight from the number, the frame is byte for byte the one of its text; read back, it equals the reading.
        var action = V16.Ocpp16.Messages.Of<V16.Core.MeterValuesRequest>();
        V16.Core.MeterValuesRequest Request(params SampledValue[] values) =>
            new() { ConnectorId = 1, TransactionId = 7, MeterValue = [new MeterValue { Timestamp = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), SampledValue = values }] };
        var huge = new SampledValue(1e300, 1);   // its text does not fit the writer's stack buffer: written from its string
        Assert.Equal(300 + 3, huge.Value.Length);
        var fromNumbers = OcppCodec.EncodeCall("1", action, Request(reading, huge, new SampledValue(double.NaN, 1)));
        var fromText = OcppCodec.EncodeCall("1", action, Request(text, new SampledValue { Value = huge.Value }, new SampledValue { Value = "NaN" }));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(fromText), System.Text.Encoding.UTF8.GetString(fromNumbers));
        Assert.True(Framing.FrameParser.TryParse(fromNumbers, out var frame, out _));
        Assert.True(OcppCodec.TryDecode<V16.Core.MeterValuesRequest>(frame.Payload, V16.Ocpp16.Messages, out var decoded, out _));
        Assert.Equal([reading, huge, new SampledValue(double.NaN, 1)], decoded!.MeterValue[0].SampledValue);
    }

    private static void AssertOnly(SampledValue value, ReadingContext? context, ValueFormat? format, Measurand? measurand, Phase? phase, Location? location, UnitOfMeasure? unit)
    {
        Assert.Equal(context, value.Context);
        Assert.Equal(format, value.Format);
        Assert.Equal(measurand, value.Measurand);
        Assert.Equal(phase, value.Phase);
        Assert.Equal(location, value.Location);
        Assert.Equal(unit, value.Unit);
    }
}
