using System.Globalization;

namespace Simulator.Ocpp.Framing;

/// <summary>
/// The strings of the small numeric unique ids ("1" to "65535"), made once per process and shared. An endpoint numbers its
/// CALLs 1, 2, 3..., so every answer a charge point reads (and every CALL a CSMS reads from FleetSim) carries one of a few
/// thousand ids: reading it gives the shared string rather than a new one per frame. Made in chunks of 256 as ids get
/// there, so a run keeps only the ids its charge points reached (about 32 bytes each).
/// Thread-safe: two threads that make the same id's string at once each get an equal string, and one of them stays.
/// </summary>
public static class NumericUniqueIds
{
    private const int ChunkShift = 8;
    private const int ChunkSize = 1 << ChunkShift;
    private const int Limit = 1 << 16;

    private static readonly string?[]?[] Chunks = new string?[]?[Limit >> ChunkShift];

    /// <summary>The decimal digits of <paramref name="id"/>: the shared string below the limit, else a new one.</summary>
    public static string Of(long id) => id is > 0 and < Limit ? Shared((int)id) : id.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The shared string of an id written as plain decimal digits of a number from 1 to 65535 (no sign, no leading zero, as
    /// <see cref="Of"/> writes it), or null for any other id: the caller reads that one as it would any string.
    /// </summary>
    public static string? TryShare(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length is 0 or > 5 || utf8[0] is < (byte)'1' or > (byte)'9')
        {
            return null;
        }
        var id = 0;
        foreach (var digit in utf8)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return null;
            }
            id = (id * 10) + (digit - '0');
        }
        return id < Limit ? Shared(id) : null;
    }

    private static string Shared(int id)
    {
        ref var chunk = ref Chunks[id >> ChunkShift];
        var strings = chunk ?? Interlocked.CompareExchange(ref chunk, new string?[ChunkSize], null) ?? chunk;
        return strings[id & (ChunkSize - 1)] ??= id.ToString(CultureInfo.InvariantCulture);
    }
}
