using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Metering;

/// <summary>
/// A connector meter at one instant, as the numbers its sampled values are formatted from (<see cref="ConnectorMeter.Values"/>).
/// <paramref name="SocPercent"/> is NaN without an EV.
/// </summary>
public readonly record struct MeterReading(double RegisterWh, double PowerW, double OfferedW, double SocPercent)
{
    public bool HasEv => !double.IsNaN(SocPercent);
}

/// <summary>
/// The samples a transaction gathers for its end message (1.6 StopTransaction's transactionData, 2.0.1 the Ended TransactionEvent's
/// meterValue), kept as readings in one growable array of reference-free records; the sampled values are made only when the end message is.
/// </summary>
/// <remarks>
/// A transaction with a sample a second keeps hundreds of them for its whole session. As MeterValue objects (with their lists, sampled values
/// and value strings) each sample was ~220 bytes of young objects that all survived into the older generations, and every gen0 GC marked
/// through them; a record is 48 bytes in an array the GC does not scan. The measurand lists are held once each (a record names its list by
/// index), so a configuration change during the transaction keeps the lists of both sides.
/// </remarks>
public sealed class MeterSampleLog
{
    private readonly List<IReadOnlyList<Measurand>> _measurandLists = [];
    private Entry[] _entries = [];
    private int _count;

    public int Count => _count;

    /// <summary>
    /// Keeps the sample of <paramref name="measurands"/> in <paramref name="reading"/>, stamped <paramref name="timestamp"/>; false (and
    /// nothing kept) when none of the measurands gives a value, as a sample of them would be empty.
    /// </summary>
    public bool Add(DateTimeOffset timestamp, ReadingContext context, IReadOnlyList<Measurand> measurands, in MeterReading reading)
    {
        ArgumentNullException.ThrowIfNull(measurands);
        var gives = false;
        for (var i = 0; i < measurands.Count && !gives; i++)
        {
            gives = ConnectorMeter.Gives(measurands[i], reading);
        }
        if (!gives)
        {
            return false;
        }
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Max(8, _count * 2));
        }
        _entries[_count++] = new Entry(timestamp.Ticks, (short)timestamp.Offset.TotalMinutes, (byte)context, IndexOf(measurands), reading);
        return true;
    }

    public DateTimeOffset TimestampAt(int index)
    {
        ref readonly var entry = ref At(index);
        return new DateTimeOffset(entry.Ticks, TimeSpan.FromMinutes(entry.OffsetMinutes));
    }

    public ReadingContext ContextAt(int index) => (ReadingContext)At(index).Context;

    /// <summary>The sample's values as <paramref name="meter"/> (the meter it was read from) would have sampled them then.</summary>
    public List<SampledValue> ValuesAt(int index, ConnectorMeter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ref readonly var entry = ref At(index);
        return meter.Values(entry.Reading, _measurandLists[entry.MeasurandList], (ReadingContext)entry.Context);
    }

    private ref readonly Entry At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
        return ref _entries[index];
    }

    /// <summary>The list's index among those kept: the same instance, or one with the same measurands (2.0.1 makes a new list per sample).</summary>
    private ushort IndexOf(IReadOnlyList<Measurand> measurands)
    {
        for (var i = _measurandLists.Count - 1; i >= 0; i--)
        {
            var kept = _measurandLists[i];
            if (ReferenceEquals(kept, measurands) || SameMeasurands(kept, measurands))
            {
                return (ushort)i;
            }
        }
        if (_measurandLists.Count > ushort.MaxValue)
        {
            throw new InvalidOperationException($"A transaction's samples use more than {ushort.MaxValue + 1} different measurand lists.");
        }
        _measurandLists.Add(measurands);
        return (ushort)(_measurandLists.Count - 1);
    }

    private static bool SameMeasurands(IReadOnlyList<Measurand> a, IReadOnlyList<Measurand> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>48 bytes: the timestamp as clock ticks and offset, the reading context, the measurand list's index, the reading.</summary>
    private readonly record struct Entry(long Ticks, short OffsetMinutes, byte Context, ushort MeasurandList, MeterReading Reading);
}
