using System.Diagnostics;

namespace Simulator.Metrics.Tests;

public sealed class CallTraceTests
{
    [Fact]
    public void Each_recorded_call_is_one_line_of_nanosecond_stamps_with_blanks_for_the_unknown_ones_and_GC_totals_follow()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleetsim-call-trace-{Guid.NewGuid():N}.csv");
        try
        {
            var trace = CallTrace.Create(path);
            var sent = Stopwatch.GetTimestamp();
            var ns = (long)(sent * (1e9 / Stopwatch.Frequency));
            trace.Record(new CallStamps("CP-1", "17", "MeterValues", 0, 0, 0, sent - 5, sent, sent + 1, sent + 2, sent + 3, sent + 4));
            trace.Flush();

            var lines = ReadShared(path);
            Assert.Equal("kind,cp,id,action,due_ns,fired_ns,turn_ns,enqueued_ns,sent_ns,written_ns,received_ns,dispatched_ns,answered_ns", lines[0]);
            var call = Assert.Single(lines, l => l.StartsWith("call,", StringComparison.Ordinal)).Split(',');
            Assert.Equal(["call", "CP-1", "17", "MeterValues", "", "", ""], call[..7]);
            var stamps = call[7..].Select(long.Parse).ToArray();
            Assert.Equal(6, stamps.Length);
            Assert.InRange(stamps[1], ns - 1, ns + 1);
            Assert.True(stamps.Zip(stamps.Skip(1)).All(p => p.First < p.Second), string.Join(',', stamps));
            var totals = Assert.Single(lines, l => l.StartsWith("gc_total,", StringComparison.Ordinal)).Split(',');
            Assert.True(long.Parse(totals[6]) > 0);   // bytes allocated so far
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
