using Microsoft.Extensions.Logging;
using Simulator.Fleet.Logging;

namespace Simulator.Fleet.Tests.Hostile;

public class RateLimitedLogTests
{
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => 1_000;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, (long)by.TotalMilliseconds);
    }

    [Fact]
    public void The_first_few_of_a_kind_are_written_then_counted_and_summed_up_once_per_window()
    {
        var clock = new ManualClock();
        var log = new RateLimitedLog(clock, firstPerKind: 3, window: TimeSpan.FromSeconds(10));
        var written = Enumerable.Range(0, 1000).Count(_ => Admit(log, "flood", out var summary) && summary is null);
        Assert.Equal(3, written);
        Assert.Empty(log.TakeSummaries(all: false));   // the window is not over yet

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(Admit(log, "flood", out var due));
        Assert.NotNull(due);
        Assert.Equal(998, due.Suppressed);
        Assert.Equal(1001, due.Total);
        Assert.Equal("flood: 998 more in the last 10 s, not logged one by one (1001 since the start)", due.ToString());

        // Another kind has its own budget.
        Assert.True(Admit(log, "other", out _));

        // The events stop: the last count is still written once its window is over, and then nothing more.
        for (var i = 0; i < 7; i++)
        {
            Admit(log, "flood", out _);
        }
        Assert.Empty(log.TakeSummaries(all: false));
        clock.Advance(TimeSpan.FromSeconds(11));
        var late = Assert.Single(log.TakeSummaries(all: false));
        Assert.Equal(7, late.Suppressed);
        Assert.Equal(LogLevel.Warning, late.Level);
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Empty(log.TakeSummaries(all: true));
        Assert.Equal(1005, log.Suppressed["flood"]);
    }

    [Fact]
    public void Counts_from_many_threads_add_up_exactly()
    {
        var clock = new ManualClock();
        var log = new RateLimitedLog(clock, firstPerKind: 5, window: TimeSpan.FromSeconds(10));
        long written = 0;
        long summarized = 0;
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                if (Admit(log, "kind", out var summary))
                {
                    Interlocked.Increment(ref written);
                }
                if (summary is not null)
                {
                    Interlocked.Add(ref summarized, summary.Suppressed);
                }
                if (worker == 0 && i % 5_000 == 0)
                {
                    clock.Advance(TimeSpan.FromSeconds(10));
                }
            }
        });
        summarized += log.TakeSummaries(all: true).Sum(s => s.Suppressed);
        Assert.Equal(5, written);
        Assert.Equal(8 * 50_000 - 5, summarized);
    }

    private static bool Admit(RateLimitedLog log, string kind, out RateLimitedSummary? summary) => log.Admit(kind, LogLevel.Warning, out summary);
}
