using System.Globalization;
using System.Runtime.InteropServices;
using Simulator.Fleet.Running;

namespace Simulator.Fleet.Tests.Running;

public sealed class NativeHeapTests
{
    private const int ChunkBytes = 64 * 1024;   // below glibc's mmap threshold: from a malloc heap
    private const int Chunks = 512;
    private const int Page = 4096;

    [Fact]
    public void Trim_gives_the_free_pages_in_the_middle_of_the_C_heap_back_to_the_system()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(NativeHeap.Trim());
            return;
        }

        var chunks = new IntPtr[Chunks];
        try
        {
            for (var i = 0; i < Chunks; i++)
            {
                chunks[i] = Marshal.AllocHGlobal(ChunkBytes);
                for (var offset = 0; offset < ChunkBytes; offset += Page)
                {
                    Marshal.WriteByte(chunks[i], offset, 1);   // resident
                }
            }
            // Every other chunk freed: 16 MiB of free pages between live chunks, which free() itself cannot return (not the top of the heap).
            for (var i = 0; i < Chunks; i += 2)
            {
                Marshal.FreeHGlobal(chunks[i]);
                chunks[i] = IntPtr.Zero;
            }
            var low = chunks.Where(c => c != IntPtr.Zero).Min(c => c.ToInt64());
            var high = chunks.Where(c => c != IntPtr.Zero).Max(c => c.ToInt64()) + ChunkBytes;
            var before = ResidentKiB(low, high);

            Assert.True(NativeHeap.Trim());

            var after = ResidentKiB(low, high);
            Assert.True(before - after >= 8 * 1024, $"resident in the chunks' mappings: {before} KiB before the trim, {after} KiB after");
        }
        finally
        {
            foreach (var chunk in chunks.Where(c => c != IntPtr.Zero))
            {
                Marshal.FreeHGlobal(chunk);
            }
        }
    }

    /// <summary>The resident KiB of the mappings that overlap [low, high) (/proc/self/smaps).</summary>
    private static long ResidentKiB(long low, long high)
    {
        long total = 0;
        var overlaps = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                && long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
            {
                overlaps = start < high && end > low;
            }
            else if (overlaps && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                total += long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }
        return total;
    }
}
