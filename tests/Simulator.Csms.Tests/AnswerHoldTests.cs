using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Simulator.Ocpp.Rpc;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms.Tests;

/// <summary>The answer hold (<see cref="CsmsOptions.AnswerHold"/>) and the call stamps (<see cref="CsmsOptions.StampsPath"/>), through real sockets.</summary>
public sealed partial class AnswerHoldTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("csms-hold-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_answer_leaves_no_earlier_than_the_hold_after_its_call_arrived(bool inlineIo)
    {
        var hold = TimeSpan.FromMilliseconds(250);
        var stamps = Path.Combine(_directory, "stamps.csv");
        var ids = new List<string>();
        await using (var csms = await Support.StartAsync(new CsmsOptions { AnswerHold = hold, StampsPath = stamps, InlineIo = inlineIo }))
        {
            await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
            for (var i = 0; i < 3; i++)
            {
                var watch = Stopwatch.StartNew();
                var answered = Assert.IsType<CallAnswered>(await cp.CallAsync(new HeartbeatRequest()));
                Assert.True(watch.Elapsed >= hold, $"answered after {watch.Elapsed.TotalMilliseconds} ms");
                ids.Add(answered.Call.UniqueId);
            }
        }
        var lines = Parse(stamps);
        foreach (var id in ids)
        {
            var arrived = Assert.Single(lines, l => l.Kind == "in" && l.UniqueId == id).Ns;
            var answered = Assert.Single(lines, l => l.Kind == "out" && l.UniqueId == id).Ns;
            Assert.True(answered - arrived >= hold.Ticks * 100, $"held {(answered - arrived) / 1e6} ms");
        }
    }

    [Fact]
    public async Task Only_the_named_actions_are_held_and_a_held_answer_goes_with_its_connection()
    {
        var csms = await Support.StartAsync(new CsmsOptions { AnswerHold = AnswerHoldMax, AnswerHoldActions = ["MeterValues"] });
        Task? stopping = null;
        try
        {
            await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
            var meterValues = cp.CallAsync(new MeterValuesRequest
            {
                ConnectorId = 1,
                MeterValue = [new MeterValue { Timestamp = DateTimeOffset.UnixEpoch, SampledValue = [new SampledValue { Value = "1" }] }],
            }, TimeSpan.FromMinutes(2));
            // One CALL in flight per charge point (OCPP): the other actions come from a second one.
            await using var other = await TestChargePoint.ConnectAsync(csms.Url, "CP-2");
            Assert.IsType<HeartbeatResponse>(await other.AskAsync(new HeartbeatRequest()));
            Assert.IsType<BootNotificationResponse>(await other.AskAsync(new BootNotificationRequest { ChargePointVendor = "V", ChargePointModel = "M" }));
            // Held for a minute: the answers to the other actions went past it.
            Assert.False(meterValues.IsCompleted);
            await cp.DisposeAsync();
            // The held answer's connection is gone: the CSMS stops without waiting for the minute.
            stopping = csms.DisposeAsync().AsTask();
            await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            if (stopping is null)
            {
                await csms.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_stamps_file_has_one_well_formed_line_per_call_and_per_answer()
    {
        var stamps = Path.Combine(_directory, "stamps.csv");
        var sent = new List<(string ChargeBoxId, string UniqueId)>();
        await using (var csms = await Support.StartAsync(new CsmsOptions { StampsPath = stamps }))
        {
            await using var a = await TestChargePoint.ConnectAsync(csms.Url, "CP-A");
            await using var b = await TestChargePoint.ConnectAsync(csms.Url, "CP.B~1");
            for (var i = 0; i < 10; i++)
            {
                foreach (var cp in new[] { a, b })
                {
                    var answered = Assert.IsType<CallAnswered>(await cp.CallAsync(new HeartbeatRequest()));
                    sent.Add((cp.Id, answered.Call.UniqueId));
                }
            }
            // Any unique id a charge point chooses (CSV-quoted), and a CALLERROR is an answer too. A connection's messages
            // are processed in order: once the call after it is answered, the raw one has been.
            await a.SendRawAsync("""[2,"odd,\"id","Heartbeat",{}]""");
            sent.Add(("CP-A", "odd,\"id"));
            csms.Faults.InjectCallErrors(1, TimeSpan.FromMinutes(1));
            var failed = Assert.IsType<CallFailed>(await a.CallAsync(new HeartbeatRequest()));
            sent.Add(("CP-A", failed.Call.UniqueId));
        }
        var raw = File.ReadAllLines(stamps);
        Assert.All(raw, line => Assert.True(StampLine().IsMatch(line) || PauseLine().IsMatch(line) || TotalsLine().IsMatch(line) || AllocationLine().IsMatch(line), line));
        // The totals are written at the end at least: they count every collection up to then.
        Assert.Matches(TotalsLine(), raw[^1]);
        var lines = Parse(stamps);
        Assert.Equal(2 * sent.Count, lines.Count);
        foreach (var (chargeBoxId, uniqueId) in sent)
        {
            var arrived = Assert.Single(lines, l => l.Kind == "in" && l.ChargeBoxId == chargeBoxId && l.UniqueId == uniqueId);
            var answered = Assert.Single(lines, l => l.Kind == "out" && l.ChargeBoxId == chargeBoxId && l.UniqueId == uniqueId);
            Assert.True(answered.Ns >= arrived.Ns);
        }
    }

    [Fact]
    public async Task The_stamps_file_has_a_line_for_each_pause_of_the_CSMS_process_when_it_happened()
    {
        var stamps = Path.Combine(_directory, "stamps.csv");
        long before, after;
        await using (var csms = await Support.StartAsync(new CsmsOptions { StampsPath = stamps }))
        {
            // The CSMS runs in this process: a collection here is one of its pauses.
            before = Nanoseconds(Stopwatch.GetTimestamp());
            GC.Collect(2, GCCollectionMode.Forced, blocking: true);
            after = Nanoseconds(Stopwatch.GetTimestamp());
            // The runtime's events reach the listener in batches, a while after they happened; the file is written every 100 ms.
            var deadline = Stopwatch.StartNew();
            while (!Pauses(stamps).Any(p => InCall(p.Paused)) && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
        // On the stamps' clock, within the call that made it (the conversion from the events' wall clock is good to a millisecond).
        bool InCall(long ns) => ns >= before - 1_000_000 && ns <= after + 1_000_000;
        Assert.Contains(Pauses(stamps), p => p.Generation == 2 && InCall(p.Paused) && p.Index > 0 && p.Resumed >= p.Paused && p.Resumed <= after + 1_000_000);
        var totals = File.ReadAllLines(stamps).Last(l => l.StartsWith("gc_total,", StringComparison.Ordinal)).Split(',');
        Assert.True(long.Parse(totals[3], CultureInfo.InvariantCulture) >= 1, "gen2 collections counted");
        Assert.True(long.Parse(totals[6], CultureInfo.InvariantCulture) > 0, "allocated bytes");
    }

    [Fact]
    public async Task The_hold_thread_is_scheduled_as_it_says()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { AnswerHold = TimeSpan.FromMilliseconds(10) });
        var priority = csms.HoldPriority!;
        if (!OperatingSystem.IsLinux())
        {
            Assert.Equal("normal", priority);
            return;
        }
        // /proc/self/task/TID/stat: field 41 is the scheduling policy (0 normal, 1 FIFO); the thread's name is cut to 15 characters.
        var policies = Directory.EnumerateDirectories("/proc/self/task")
            .Where(t => File.ReadAllText(Path.Combine(t, "comm")).Trim() == "csms-answer-hol")
            .Select(t => File.ReadAllText(Path.Combine(t, "stat")))
            .Select(stat => int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[38], CultureInfo.InvariantCulture))
            .ToList();
        Assert.NotEmpty(policies);
        if (priority == "real-time (SCHED_FIFO 1)")
        {
            Assert.Contains(1, policies);
        }
        else
        {
            Assert.StartsWith("normal (real-time refused: errno ", priority, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_the_options_nothing_is_held_and_no_file_is_written()
    {
        await using (var csms = await Support.StartAsync())
        {
            Assert.Equal(TimeSpan.Zero, csms.Options.AnswerHold);
            await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
            await cp.AskAsync(new HeartbeatRequest());
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(60_001)]
    public void A_hold_outside_0_to_60_s_is_refused_with_its_name(int milliseconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CsmsServer(new CsmsOptions { AnswerHold = TimeSpan.FromMilliseconds(milliseconds) }));
        Assert.Contains("AnswerHold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_or_csms_initiated_hold_action_is_refused_with_its_name()
    {
        var unknown = Assert.Throws<ArgumentException>(() => new CsmsServer(new CsmsOptions { AnswerHold = TimeSpan.FromSeconds(1), AnswerHoldActions = ["MeterValue"] }));
        Assert.Contains("AnswerHoldActions: 'MeterValue'", unknown.Message, StringComparison.Ordinal);
        var csmsInitiated = Assert.Throws<ArgumentException>(() => new CsmsServer(new CsmsOptions { AnswerHold = TimeSpan.FromSeconds(1), AnswerHoldActions = ["Reset"] }));
        Assert.Contains("'Reset'", csmsInitiated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stamps_file_that_cannot_be_created_fails_the_start()
    {
        Assert.ThrowsAny<IOException>(() => new CsmsServer(new CsmsOptions { StampsPath = Path.Combine(_directory, "missing", "stamps.csv") }));
    }

    private static readonly TimeSpan AnswerHoldMax = TimeSpan.FromSeconds(60);

    private static long Nanoseconds(long timestamp) => (long)((Int128)timestamp * 1_000_000_000 / Stopwatch.Frequency);

    private static List<(long Index, int Generation, long Paused, long Resumed)> Pauses(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var pauses = new List<(long, int, long, long)>();
        while (reader.ReadLine() is { } line)
        {
            if (PauseLine().Match(line) is { Success: true } match)
            {
                var number = (string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
                pauses.Add((number("index"), (int)number("gen"), number("paused"), number("resumed")));
            }
        }
        return pauses;
    }

    private static List<(string Kind, string ChargeBoxId, string UniqueId, long Ns)> Parse(string path)
    {
        var lines = new List<(string, string, string, long)>();
        foreach (var line in File.ReadAllLines(path))
        {
            if (PauseLine().IsMatch(line) || TotalsLine().IsMatch(line) || AllocationLine().IsMatch(line))
            {
                continue;
            }
            var match = StampLine().Match(line);
            Assert.True(match.Success, line);
            var id = match.Groups["id"].Value;
            lines.Add((match.Groups["kind"].Value, match.Groups["cp"].Value, id.StartsWith('"') ? id[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : id,
                long.Parse(match.Groups["ns"].Value, CultureInfo.InvariantCulture)));
        }
        return lines;
    }

    /// <summary>in|out, a chargeBoxId, a unique id (CSV-quoted when it holds a comma or quote), nanoseconds.</summary>
    [GeneratedRegex("""^(?<kind>in|out),(?<cp>[A-Za-z0-9\-._~*=:+|@]{1,48}),(?<id>[^,"\r\n]{1,36}|"(?:[^"]|"")*"),(?<ns>[0-9]+)$""")]
    private static partial Regex StampLine();

    /// <summary>gc, index, generation (-1: not a collection), paused and resumed ns, promoted bytes.</summary>
    [GeneratedRegex("""^gc,(?<index>[0-9]+),(?<gen>-1|[0-9]),(?<paused>[0-9]+),(?<resumed>[0-9]+),[0-9]+$""")]
    private static partial Regex PauseLine();

    /// <summary>gc_total, gen0, gen1, gen2 counts, pause ns, ns, allocated bytes.</summary>
    [GeneratedRegex("""^gc_total,[0-9]+,[0-9]+,[0-9]+,[0-9]+,[0-9]+,[0-9]+$""")]
    private static partial Regex TotalsLine();

    /// <summary>gc_alloc, a type name (commas as semicolons), small/large/pinned, bytes, ns.</summary>
    [GeneratedRegex("""^gc_alloc,[^,\r\n]+,[0-2],[0-9]+,[0-9]+$""")]
    private static partial Regex AllocationLine();
}
