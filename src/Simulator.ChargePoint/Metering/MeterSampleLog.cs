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
/// meterValue), kept as numbers in two growable arrays without references; the sampled values are made only with the end message.
/// </summary>
/// <remarks>
/// A transaction sampling every second keeps hundreds of samples for its whole session. As MeterValue objects (with their lists, sampled
/// values and value strings) each sample was ~220 bytes of young objects that all survived into the older generations, and every gen0 GC
/// marked through them. Here a sample is a 16-byte record (timestamp, context, which measurand list) plus the 8-byte numbers its measurands
/// are made of and no more (the register alone for the default Energy.Active.Import.Register: 24 bytes), in arrays the GC does not scan.
/// The measurand lists are held once each (a record names its list by index), so a configuration change during the transaction keeps both.
/// </remarks>
public sealed class MeterSampleLog
{
    private const byte Register = 1, Power = 2, Offered = 4, Soc = 8;

    // The measurand lists by index: the first inline (a transaction nearly always samples one), the others in a list made for a second.
    private IReadOnlyList<Measurand>? _firstList;
    private byte _firstNeeds;
    private List<(IReadOnlyList<Measurand> Measurands, byte Needs)>? _moreLists;
    private Entry[] _entries = [];
    private double[] _numbers = [];
    private int _count;
    private int _numberCount;

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
        var list = IndexOf(measurands);
        var needs = Needs(NeedsAt(list), reading.HasEv);
        // Small at first: most transactions end after a few samples, and a charge point of the fleet keeps one log per open transaction.
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Max(4, _count * 2));
        }
        if (_numberCount + 4 > _numbers.Length)
        {
            Array.Resize(ref _numbers, Math.Max(4, _numbers.Length * 2));
        }
        _entries[_count++] = new Entry(timestamp.Ticks, (short)timestamp.Offset.TotalMinutes, (byte)context, reading.HasEv, list);
        Put(needs, Register, reading.RegisterWh);
        Put(needs, Power, reading.PowerW);
        Put(needs, Offered, reading.OfferedW);
        Put(needs, Soc, reading.SocPercent);
        return true;
    }

    /// <summary>
    /// The kept samples, oldest first, each made by <paramref name="make"/> from its timestamp, context and sampled values as
    /// <paramref name="meter"/> (the meter they were read from) gave them then.
    /// </summary>
    public T[] Replay<T>(ConnectorMeter meter, Func<DateTimeOffset, ReadingContext, SampledValue[], T> make)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(make);
        var result = new T[_count];
        var next = 0;
        for (var i = 0; i < _count; i++)
        {
            ref readonly var entry = ref _entries[i];
            var needs = Needs(NeedsAt(entry.MeasurandList), entry.HasEv);
            var reading = new MeterReading(
                Take(needs, Register, ref next), Take(needs, Power, ref next), Take(needs, Offered, ref next), entry.HasEv ? Take(needs, Soc, ref next) : double.NaN);
            var context = (ReadingContext)entry.Context;
            var timestamp = new DateTimeOffset(entry.Ticks, TimeSpan.FromMinutes(entry.OffsetMinutes));
            result[i] = make(timestamp, context, meter.Values(reading, ListAt(entry.MeasurandList), context));
        }
        return result;
    }

    private IReadOnlyList<Measurand> ListAt(int index) => index == 0 ? _firstList! : _moreLists![index - 1].Measurands;

    private byte NeedsAt(int index) => index == 0 ? _firstNeeds : _moreLists![index - 1].Needs;

    private static byte Needs(byte listNeeds, bool hasEv) => hasEv ? listNeeds : (byte)(listNeeds & ~Soc);

    private void Put(byte needs, byte what, double value)
    {
        if ((needs & what) != 0)
        {
            _numbers[_numberCount++] = value;
        }
    }

    /// <summary>A number the sample kept, or 0 for one its measurands do not use (<see cref="ConnectorMeter.Values"/> does not read it).</summary>
    private double Take(byte needs, byte what, ref int next) => (needs & what) != 0 ? _numbers[next++] : 0;

    /// <summary>Which numbers of a reading the measurands' values are made of (Voltage of none: it is the supply's).</summary>
    private static byte NeedsOf(IReadOnlyList<Measurand> measurands)
    {
        byte needs = 0;
        for (var i = 0; i < measurands.Count; i++)
        {
            needs |= measurands[i] switch
            {
                Measurand.EnergyActiveImportRegister => Register,
                Measurand.PowerActiveImport or Measurand.CurrentImport or Measurand.Temperature => Power,
                Measurand.PowerOffered or Measurand.CurrentOffered => Offered,
                Measurand.SoC => Soc,
                _ => 0,
            };
        }
        return needs;
    }

    /// <summary>The list's index among those kept: the same instance, or one with the same measurands (2.0.1 makes a new list per sample).</summary>
    private ushort IndexOf(IReadOnlyList<Measurand> measurands)
    {
        if (_firstList is null)
        {
            _firstList = measurands;
            _firstNeeds = NeedsOf(measurands);
            return 0;
        }
        var lists = 1 + (_moreLists?.Count ?? 0);
        for (var i = lists - 1; i >= 0; i--)
        {
            var kept = ListAt(i);
            if (ReferenceEquals(kept, measurands) || SameMeasurands(kept, measurands))
            {
                return (ushort)i;
            }
        }
        if (lists > ushort.MaxValue)
        {
            throw new InvalidOperationException($"A transaction's samples use more than {ushort.MaxValue + 1} different measurand lists.");
        }
        (_moreLists ??= []).Add((measurands, NeedsOf(measurands)));
        return (ushort)lists;
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

    /// <summary>16 bytes: the timestamp as clock ticks and offset, the reading context, whether an EV was attached, the measurand list's index.</summary>
    private readonly record struct Entry(long Ticks, short OffsetMinutes, byte Context, bool HasEv, ushort MeasurandList);
}
