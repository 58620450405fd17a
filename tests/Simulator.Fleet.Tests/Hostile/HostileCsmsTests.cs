using System.Globalization;
using Simulator.Csms;
using Simulator.Fleet.Logging;
using Simulator.Fleet.Tests.EndToEnd;
using Simulator.Metrics;
using Xunit.Abstractions;

namespace Simulator.Fleet.Tests.Hostile;

/// <summary>
/// 50 charge points against a CSMS that floods, sends garbage or stalls, for a bounded time, while 5 other charge points in
/// the same process talk to the embedded CSMS: the fleet stays up, ends on time with a report that counts the violations by
/// kind, its memory and its log stay bounded, and the well-behaved charge points keep their heartbeats answered.
/// </summary>
[Collection(EndToEndGroup.Name)]
public class HostileCsmsTests(ITestOutputHelper output)
{
    private const int Fleet = 50;
    private const int MaxMessageBytes = 64 * 1024;
    private const long MemoryBound = 200L * 1024 * 1024;
    private const int LogLineBound = 300;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task A_flood_of_calls_is_answered_without_starving_the_charge_points_own_traffic_or_flooding_the_log()
    {
        await using var hostile = await HostileCsms.StartAsync(HostileMode.Flood, MaxMessageBytes);
        await using var good = await WellBehavedFleet.StartAsync();

        // Longer than the other runs: the charge points' own calls are paced by the flooding CSMS's answers, which a busy machine
        // serves late (a heartbeat answered after the 5 s call timeout holds the next call back), and every charge point's
        // Authorize must get out within the run (12 s gave 2.4 heartbeats and 46 Authorizes per 50 charge points at load 25).
        var duration = TimeSpan.FromSeconds(20);
        var result = await HostileRun.RunAsync(HostileRun.Plan(Fleet, duration, MaxMessageBytes), hostile.Url, TimeSpan.FromSeconds(5));

        Print(result, hostile, good);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flood: {hostile.CallsSent} CALLs sent ({hostile.CallsSent / duration.TotalSeconds:0} per s), {hostile.ValidCallsSent} valid, {hostile.ValidAnswered} answered with a CALLRESULT, {hostile.UnknownRejected} unknown ones refused with a CALLERROR"));
        AssertSurvived(result, good);
        Assert.True(hostile.CallsSent > 10 * Fleet, $"the flood reached only {hostile.CallsSent} CALLs");
        // Every valid CALL that reached a charge point before the end was answered: the rest were in flight when the run stopped.
        Assert.True(hostile.ValidAnswered > hostile.ValidCallsSent / 2, $"{hostile.ValidAnswered} of {hostile.ValidCallsSent} valid CALLs answered");
        Assert.True(hostile.UnknownRejected > 0, "no unknown action refused");
        Assert.True(Violations(result, CsmsViolationKind.UnsupportedAction) > 0, "the unknown actions are counted as violations");
        // The charge points' own traffic kept going through the flood (the triggered Heartbeats do not queue up in front of it):
        // heartbeats on their interval, the EVs' arrivals and the drivers' tags. (How soon the flooding CSMS answers them is up
        // to it: its answers wait behind its own flood in the TCP stream.)
        Assert.True(hostile.CallsFrom("Heartbeat") >= Fleet * 3, $"{hostile.CallsFrom("Heartbeat")} Heartbeats");
        Assert.True(hostile.CallsFrom("StatusNotification:Preparing") >= Fleet, $"{hostile.CallsFrom("StatusNotification:Preparing")} StatusNotifications Preparing");
        Assert.True(hostile.CallsFrom("Authorize") >= Fleet, $"{hostile.CallsFrom("Authorize")} Authorizes");
    }

    [Fact]
    public async Task Garbage_is_counted_by_kind_and_logged_only_a_few_times_per_kind()
    {
        await using var hostile = await HostileCsms.StartAsync(HostileMode.Garbage, MaxMessageBytes);
        await using var good = await WellBehavedFleet.StartAsync();

        var result = await HostileRun.RunAsync(HostileRun.Plan(Fleet, Duration, MaxMessageBytes), hostile.Url, TimeSpan.FromSeconds(5));

        Print(result, hostile, good);
        AssertSurvived(result, good);
        Assert.True(hostile.GarbageSent > 2 * Fleet, $"only {hostile.GarbageSent} garbage frames");
        foreach (var kind in new[]
        {
            CsmsViolationKind.NotOcppJ, CsmsViolationKind.UnknownCallId, CsmsViolationKind.BinaryFrame, CsmsViolationKind.MessageTooLarge,
            CsmsViolationKind.UnsupportedAction, CsmsViolationKind.InvalidRequestPayload, CsmsViolationKind.InvalidResponsePayload,
        })
        {
            Assert.True(Violations(result, kind) > 0, $"no {kind.ToLabel()} counted");
        }
        Assert.NotNull(result.Report.CsmsProtocolViolations);
        // Written one by one at most FirstPerKind times per kind; the rest only in the counts.
        Assert.True(result.Suppressed.GetValueOrDefault(CsmsLogKinds.FrameNotOcppJ) > 0, "nothing suppressed");
        Assert.True(result.LogLines.Count(l => l.Contains("inbound frame rejected (not OCPP-J)", StringComparison.Ordinal) && !l.Contains("more in the last", StringComparison.Ordinal))
            <= RateLimitedLog.DefaultFirstPerKind);
        Assert.Contains(result.LogLines, l => l.Contains("inbound frame rejected (not OCPP-J): ", StringComparison.Ordinal) && l.Contains("more in the last", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_csms_that_never_answers_makes_calls_time_out_and_the_charge_points_recover_when_it_ends()
    {
        await using var hostile = await HostileCsms.StartAsync(HostileMode.Stall, MaxMessageBytes);
        await using var good = await WellBehavedFleet.StartAsync();
        var stallEnded = false;

        var result = await HostileRun.RunAsync(HostileRun.Plan(Fleet, Duration, MaxMessageBytes), hostile.Url, TimeSpan.FromSeconds(3), elapsed =>
        {
            if (!stallEnded && elapsed >= TimeSpan.FromSeconds(5))
            {
                stallEnded = true;
                hostile.EndStall();
            }
        });

        Print(result, hostile, good);
        AssertSurvived(result, good);
        var boot = result.Statistics.Calls.GetValueOrDefault(new CallKey("BootNotification", Directions.CpToCsms, "1.6"));
        Assert.True(boot is { Timeouts: >= Fleet }, $"BootNotification timeouts: {boot?.Timeouts}");
        // The stall ended: the charge points reconnected (the stalled connections were dropped) and booted.
        Assert.True(hostile.Connections >= 2 * Fleet, $"{hostile.Connections} connections");
        Assert.Equal(Fleet, result.Statistics.BootedPeak);
        Assert.True(hostile.CallsFrom("Heartbeat") >= Fleet, $"{hostile.CallsFrom("Heartbeat")} Heartbeats after the stall");
        Assert.True(hostile.CallsFrom("MeterValues") > 0, "no MeterValues after the stall");
    }

    [Fact]
    public async Task A_csms_that_floods_and_stops_reading_leaves_the_fleet_up_and_its_memory_bounded()
    {
        await using var hostile = await HostileCsms.StartAsync(HostileMode.StopReading, MaxMessageBytes);
        await using var good = await WellBehavedFleet.StartAsync();

        var result = await HostileRun.RunAsync(HostileRun.Plan(Fleet, Duration, MaxMessageBytes), hostile.Url, TimeSpan.FromSeconds(3));

        Print(result, hostile, good);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stop reading: {hostile.CallsSent} CALLs sent, none of the answers read"));
        AssertSurvived(result, good);
        Assert.True(hostile.CallsSent > Fleet, $"only {hostile.CallsSent} CALLs");
        var timeouts = result.Statistics.Calls.Where(c => c.Key.Direction == Directions.CpToCsms).Sum(c => c.Value.Timeouts);
        Assert.True(timeouts > 0, "the charge points' calls after the boot time out (their frames are never read)");
    }

    private static long Violations(HostileRunResult result, CsmsViolationKind kind)
        => result.Statistics.CsmsViolations.Where(v => v.Key.Kind == kind.ToLabel()).Sum(v => v.Value);

    private static void AssertSurvived(HostileRunResult result, WellBehavedFleet good)
    {
        // Ends on time: the plan's duration, the stop's drain (5 s) and the bounded closes, not a hang.
        Assert.Null(result.Finished.AbortReason);
        Assert.Equal(Fleet, result.Finished.ChargePointsStarted);
        Assert.Empty(result.Finished.DidNotStop);
        Assert.True(result.Elapsed < Duration + TimeSpan.FromSeconds(25), $"the run took {result.Elapsed}");
        Assert.Contains("\"csmsProtocolViolations\"", result.Report.ToJson(), StringComparison.Ordinal);
        Assert.True(result.ManagedAfter - result.ManagedBefore < MemoryBound, $"managed memory grew by {Mb(result.ManagedAfter - result.ManagedBefore)}");
        Assert.True(result.WorkingSetPeak - result.WorkingSetBefore < MemoryBound, $"the working set grew by {Mb(result.WorkingSetPeak - result.WorkingSetBefore)}");
        Assert.True(result.LogLines.Count < LogLineBound, $"{result.LogLines.Count} log lines:\n{string.Join('\n', result.LogLines.Take(40))}");
        Assert.True(good.HeartbeatsAnswered >= 5 * 5, $"the well-behaved charge points' heartbeats answered: {good.HeartbeatsAnswered}");
        Assert.Equal(0, good.Timeouts);
    }

    private void Print(HostileRunResult result, HostileCsms hostile, WellBehavedFleet good)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{hostile.Mode}: run {result.Elapsed.TotalSeconds:0.0} s; managed {Mb(result.ManagedBefore)} -> {Mb(result.ManagedAfter)}; working set {Mb(result.WorkingSetBefore)} -> peak {Mb(result.WorkingSetPeak)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"log lines: {result.LogLines.Count}; suppressed: {string.Join(", ", result.Suppressed.Select(s => $"{s.Key}={s.Value}"))}"));
        output.WriteLine($"violations: {string.Join(", ", result.Statistics.CsmsViolations.Select(v => $"{v.Key.Kind}/{v.Key.Action}={v.Value}"))}");
        output.WriteLine($"calls from the charge points: {string.Join(", ", hostile.CallsFromChargePoints.Select(c => $"{c.Key}={c.Value}"))}; connections {hostile.Connections}");
        output.WriteLine($"charge point calls: {string.Join(", ", result.Statistics.Calls.Where(c => c.Key.Direction == Directions.CpToCsms).Select(c => $"{c.Key.Action} ok={c.Value.Ok} timeouts={c.Value.Timeouts}"))}");
        output.WriteLine($"well-behaved fleet: {good.HeartbeatsAnswered} heartbeats answered, {good.Timeouts} timeouts");
        foreach (var line in result.LogLines.Take(60))
        {
            output.WriteLine("  " + line);
        }
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MB");

    /// <summary>5 charge points against the embedded CSMS (heartbeat every second) in their own actor system, in this process.</summary>
    private sealed class WellBehavedFleet : IAsyncDisposable
    {
        private readonly FleetHarness _harness;

        private readonly long _heartbeatsBefore;

        private WellBehavedFleet(FleetHarness harness)
        {
            _harness = harness;
            _heartbeatsBefore = AllHeartbeats();
        }

        /// <summary>Heartbeats answered since the fleet was up (during the hostile run).</summary>
        public long HeartbeatsAnswered => AllHeartbeats() - _heartbeatsBefore;

        public long Timeouts => _harness.Telemetry.Snapshot().Calls.Values.Sum(c => c.Timeouts);

        public static async Task<WellBehavedFleet> StartAsync()
        {
            var harness = await FleetHarness.StartAsync(Plans.OneType("GOOD-{000}", count: 5), new CsmsOptions { HeartbeatInterval = 1 }, tap: false);
            for (var i = 0; i < 5; i++)
            {
                await harness.StartBootedAsync(i);
            }
            return new WellBehavedFleet(harness);
        }

        public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

        private long AllHeartbeats() => _harness.Telemetry.Snapshot().Calls.GetValueOrDefault(new CallKey("Heartbeat", Directions.CpToCsms, "1.6"))?.Ok ?? 0;
    }
}
