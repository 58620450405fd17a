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
/// The records and numbers are written into chunks that are never copied: each new chunk is twice the last one up to 4 KB, and a full
/// chunk stays as it is. Growing one array by doubling made each copy a young array that survived (about twice the bytes the samples
/// need), left the old copy as garbage in the older generations, and kept the log's card set for the gen0 GCs until a gen1 GC.
/// </remarks>
public sealed class MeterSampleLog
{
    private const byte Register = 1, Power = 2, Offered = 4, Soc = 8;

    // The measurand lists by index: the first inline (a transaction nearly always samples one), the others in a list made for a second.
    private IReadOnlyList<Measurand>? _firstList;
    private byte _firstNeeds;
    private List<(IReadOnlyList<Measurand> Measurands, byte Needs)>? _moreLists;
    // A sample is its record (two longs: offset, context, EV, list and a marker bit; then ticks) followed by its numbers (a double's bits
    // each), never split across chunks. Small at first: most transactions end after a few samples, and the fleet keeps one log per open
    // transaction.
    private const int FirstChunk = 16, LastChunk = 512;
    private long[][] _chunks = [];
    private int _chunkCount;
    private int _used;   // longs used in the last chunk
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
        var list = IndexOf(measurands);
        var needs = Needs(NeedsAt(list), reading.HasEv);
        var chunk = ChunkWithRoom(2 + System.Numerics.BitOperations.PopCount(needs));
        chunk[_used++] = Pack((short)timestamp.Offset.TotalMinutes, (byte)context, reading.HasEv, list);
        chunk[_used++] = timestamp.Ticks;
        Put(chunk, needs, Register, reading.RegisterWh);
        Put(chunk, needs, Power, reading.PowerW);
        Put(chunk, needs, Offered, reading.OfferedW);
        Put(chunk, needs, Soc, reading.SocPercent);
        _count++;
        return true;
    }

    /// <summary>The last chunk if <paramref name="longs"/> more still fit, else a new one (the full one is kept as it is).</summary>
    private long[] ChunkWithRoom(int longs)
    {
        if (_chunkCount > 0 && _used + longs <= _chunks[_chunkCount - 1].Length)
        {
            return _chunks[_chunkCount - 1];
        }
        if (_chunkCount == _chunks.Length)
        {
            Array.Resize(ref _chunks, Math.Max(4, _chunkCount * 2));
        }
        var chunk = new long[_chunkCount == 0 ? FirstChunk : Math.Min(LastChunk, _chunks[_chunkCount - 1].Length * 2)];
        _chunks[_chunkCount++] = chunk;
        _used = 0;
        return chunk;
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
        var i = 0;
        for (var c = 0; c < _chunkCount; c++)
        {
            var chunk = _chunks[c];
            var end = c == _chunkCount - 1 ? _used : chunk.Length;
            var next = 0;
            // A full chunk ends where the next sample did not fit: zeros, where a record's first long has its marker bit.
            while (next < end && i < _count && chunk[next] != 0)
            {
                var (offsetMinutes, context, hasEv, list) = Unpack(chunk[next++]);
                var ticks = chunk[next++];
                var needs = Needs(NeedsAt(list), hasEv);
                var reading = new MeterReading(
                    Take(chunk, needs, Register, ref next), Take(chunk, needs, Power, ref next), Take(chunk, needs, Offered, ref next),
                    hasEv ? Take(chunk, needs, Soc, ref next) : double.NaN);
                result[i++] = make(new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes)), context, meter.Values(reading, ListAt(list), context));
            }
        }
        return result;
    }

    private IReadOnlyList<Measurand> ListAt(int index) => index == 0 ? _firstList! : _moreLists![index - 1].Measurands;

    private byte NeedsAt(int index) => index == 0 ? _firstNeeds : _moreLists![index - 1].Needs;

    private static byte Needs(byte listNeeds, bool hasEv) => hasEv ? listNeeds : (byte)(listNeeds & ~Soc);

    private void Put(long[] chunk, byte needs, byte what, double value)
    {
        if ((needs & what) != 0)
        {
            chunk[_used++] = BitConverter.DoubleToInt64Bits(value);
        }
    }

    /// <summary>A number the sample kept, or 0 for one its measurands do not use (<see cref="ConnectorMeter.Values"/> does not read it).</summary>
    private static double Take(long[] chunk, byte needs, byte what, ref int next) => (needs & what) != 0 ? BitConverter.Int64BitsToDouble(chunk[next++]) : 0;

    /// <summary>A record's first long: the offset in minutes (16 bits), the context (8), whether an EV was attached (8), the list's index
    /// (16), and a marker bit so that it is never 0.</summary>
    private static long Pack(short offsetMinutes, byte context, bool hasEv, ushort list)
        => (ushort)offsetMinutes | ((long)context << 16) | ((hasEv ? 1L : 0L) << 24) | ((long)list << 32) | (1L << 48);

    private static (short OffsetMinutes, ReadingContext Context, bool HasEv, ushort List) Unpack(long packed)
        => ((short)(ushort)packed, (ReadingContext)(byte)(packed >> 16), ((packed >> 24) & 1) != 0, (ushort)(packed >> 32));

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
}
