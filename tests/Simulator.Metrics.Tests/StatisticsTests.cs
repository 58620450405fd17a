using Simulator.Metrics;

namespace Simulator.Metrics.Tests;

public sealed class StatisticsTests
{
    private static readonly TimeSpan Q = TimeSpan.Zero;

    [Fact]
    public void Percentiles_of_1_to_10000_ms_are_exact_within_hdr_precision()
    {
        using var t = new FleetTelemetry("n1");
        for (var ms = 1; ms <= 10_000; ms++)
        {
            t.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(ms), Q);
        }

        var h = t.Snapshot().Calls[new CallKey("Heartbeat", Directions.CpToCsms)].RoundTrip;
        Assert.Equal(10_000, h.Count);
        Assert.Equal(5000, h.ValueAtPercentileMs(50), 5000 * 0.001);
        Assert.Equal(9900, h.ValueAtPercentileMs(99), 9900 * 0.001);
        Assert.Equal(9990, h.ValueAtPercentileMs(99.9), 9990 * 0.001);
        Assert.Equal(10_000, h.MaxMicros / 1000.0, 10.0);
        Assert.Equal(5000.5, h.MeanMicros / 1000.0, 5.0);
    }

    [Fact]
    public async Task A_snapshot_never_counts_more_booted_charge_points_than_answered_BootNotifications()
    {
        // A charge point records its BootNotification's answer, then counts itself booted. A snapshot taken meanwhile must not
        // have the gauge ahead of the calls: a cluster ends the ramp-up when the merged gauge says all are booted and takes the
        // same merged snapshot as the ramp-up's end (a boot missing from it was counted in the steady phase instead).
        using var t = new FleetTelemetry("n1");
        const int ChargePoints = 20_000;
        var key = new CallKey("BootNotification", Directions.CpToCsms);
        var booting = Task.Factory.StartNew(
            () =>
            {
                for (var i = 0; i < ChargePoints; i++)
                {
                    t.CallCompleted("BootNotification", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(1), Q);
                    t.Booted();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        var snapshots = 0;
        while (!booting.IsCompleted || snapshots == 0)
        {
            var s = t.Snapshot();
            var answered = s.Calls.TryGetValue(key, out var boots) ? boots.Ok : 0;
            Assert.True(s.BootedNow <= answered, $"snapshot {snapshots}: {s.BootedNow} booted, {answered} BootNotifications answered");
            snapshots++;
        }
        await booting;
        Assert.Equal(ChargePoints, t.Snapshot().BootedNow);
    }

    [Fact]
    public void Microsecond_resolution_is_kept()
    {
        var h = LatencyHistogram.FromMicros([1, 2, 3, 250, 999]);
        Assert.Equal(1, h.ValueAtPercentileMicros(0));
        Assert.Equal(3, h.ValueAtPercentileMicros(60));
        Assert.Equal(999, h.MaxMicros);
    }

    [Fact]
    public void Merging_two_node_snapshots_equals_recording_everything_on_one_node()
    {
        using var a = new FleetTelemetry("a");
        using var b = new FleetTelemetry("b");
        using var all = new FleetTelemetry("all");
        var rng = new Random(42);
        for (var i = 0; i < 5000; i++)
        {
            var node = i % 3 == 0 ? a : b;
            var latency = TimeSpan.FromMicroseconds(rng.Next(50, 2_000_000));
            var outcome = (CallOutcome)(i % 7 == 0 ? 1 : i % 11 == 0 ? 2 : 0);
            var code = outcome == CallOutcome.CallError ? (i % 2 == 0 ? "InternalError" : "NotImplemented") : null;
            var action = i % 2 == 0 ? "Heartbeat" : "MeterValues";
            foreach (var t in new[] { node, all })
            {
                t.CallCompleted(action, Directions.CpToCsms, outcome, code, latency, TimeSpan.FromMicroseconds(i), latency + TimeSpan.FromMilliseconds(1));
                t.MessageSent(action);
                t.ConnectionAttempt(i % 5 == 0 ? ConnectResults.Timeout : ConnectResults.Ok, latency / 10);
                t.SchedulerLag(TimeSpan.FromMicroseconds(i));
                t.EnergyDelivered(0.5);
            }
        }

        a.SetLedger(new LedgerCounts(10, 9, 1, 0));
        b.SetLedger(new LedgerCounts(5, 5, 0, 2));
        var merged = a.Snapshot().Merge(b.Snapshot());
        var single = all.Snapshot();

        Assert.Equal(["a", "b"], merged.Nodes);
        Assert.Equal(single.Calls.Keys.OrderBy(k => k.Action), merged.Calls.Keys.OrderBy(k => k.Action));
        foreach (var (key, expected) in single.Calls)
        {
            var actual = merged.Calls[key];
            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(expected.Ok, actual.Ok);
            Assert.Equal(expected.Timeouts, actual.Timeouts);
            Assert.Equal(expected.ErrorsByCode.OrderBy(kv => kv.Key), actual.ErrorsByCode.OrderBy(kv => kv.Key));
            AssertSameHistogram(expected.RoundTrip, actual.RoundTrip);
            AssertSameHistogram(expected.QueueWait, actual.QueueWait);
            AssertSameHistogram(expected.FromIntended, actual.FromIntended);
        }

        Assert.Equal(single.MessagesSent.OrderBy(kv => kv.Key), merged.MessagesSent.OrderBy(kv => kv.Key));
        Assert.Equal(single.ConnectionAttempts.OrderBy(kv => kv.Key), merged.ConnectionAttempts.OrderBy(kv => kv.Key));
        AssertSameHistogram(single.ConnectTime, merged.ConnectTime);
        AssertSameHistogram(single.SchedulerLag, merged.SchedulerLag);
        Assert.Equal(single.EnergyWh, merged.EnergyWh, 6);
        Assert.Equal(new LedgerCounts(15, 14, 1, 2), merged.Ledger);
    }

    [Fact]
    public void Compressed_histogram_and_snapshot_bytes_round_trip()
    {
        using var t = new FleetTelemetry("n1");
        for (var i = 1; i <= 1000; i++)
        {
            t.CallCompleted("BootNotification", Directions.CpToCsms, i % 10 == 0 ? CallOutcome.CallError : CallOutcome.Ok, "FormationViolation", TimeSpan.FromMicroseconds(i * 37), TimeSpan.FromMicroseconds(i));
        }

        t.CallCompleted("Reset", Directions.CsmsToCp, CallOutcome.Timeout, null, TimeSpan.FromSeconds(30), Q);
        t.CallCompleted("ChangeConfiguration", Directions.CsmsToCp, CallOutcome.Ok, null, TimeSpan.FromMicroseconds(80), TimeSpan.Zero, responseStatus: "Rejected");
        t.CallCompleted("ChangeConfiguration", Directions.CsmsToCp, CallOutcome.Ok, null, TimeSpan.FromMicroseconds(90), TimeSpan.Zero, responseStatus: "Accepted");
        t.ConnectionAttempt(ConnectResults.Http(503), TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(9));
        t.Connected();
        t.Booted();
        t.SessionStarted();
        t.SessionStarted();
        t.SessionCompleted();
        t.SecurityEvent("SettingSystemTime");
        t.SetLedger(new LedgerCounts(3, 3, 0, 0));
        var original = t.Snapshot();
        Assert.Equal((1L, 2L), (original.SessionsActive, original.SessionsActivePeak));

        var h = original.Calls[new CallKey("BootNotification", Directions.CpToCsms)].RoundTrip;
        var bytes = h.ToCompressedBytes();
        Assert.True(bytes.Length < 2000, $"compressed histogram is {bytes.Length} bytes");
        AssertSameHistogram(h, LatencyHistogram.FromCompressedBytes(bytes));

        var copy = StatisticsSnapshot.FromBytes(original.ToBytes());
        Assert.Equal(original.Nodes, copy.Nodes);
        Assert.Equal(original.CapturedAt, copy.CapturedAt);
        foreach (var (key, stats) in original.Calls)
        {
            Assert.Equal(stats.Count, copy.Calls[key].Count);
            Assert.Equal(stats.Timeouts, copy.Calls[key].Timeouts);
            Assert.Equal(stats.ErrorsByCode, copy.Calls[key].ErrorsByCode);
            Assert.Equal(stats.ResultsByStatus, copy.Calls[key].ResultsByStatus);
            AssertSameHistogram(stats.RoundTrip, copy.Calls[key].RoundTrip);
        }

        Assert.Equal(1, copy.Calls[new CallKey("ChangeConfiguration", Directions.CsmsToCp)].ResultsByStatus["Rejected"]);
        Assert.Equal(2, copy.Merge(original).Calls[new CallKey("ChangeConfiguration", Directions.CsmsToCp)].ResultsByStatus["Accepted"]);
        Assert.Equal(1, copy.ConnectionAttempts["http_503"]);
        AssertSameHistogram(original.TlsHandshake, copy.TlsHandshake);
        Assert.Equal((1, 1, 1, 2, 1L), (copy.ConnectedNow, copy.ConnectedPeak, copy.BootedNow, copy.SessionsStarted, copy.SecurityEvents["SettingSystemTime"]));
        Assert.Equal((1L, 2L), (copy.SessionsActive, copy.SessionsActivePeak));
        Assert.Equal(4, copy.Merge(original).SessionsActivePeak);
        Assert.Equal(original.Ledger, copy.Ledger);
        Assert.Throws<InvalidDataException>(() => StatisticsSnapshot.FromBytes([1, 2, 3, 4, 5, 6, 7, 8]));
    }

    [Fact]
    public void Concurrent_recording_from_many_threads_loses_nothing()
    {
        using var t = new FleetTelemetry("n1");
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 5000; i++)
            {
                t.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMicroseconds(100 + i), Q);
                t.Connected();
                t.Disconnected();
                t.EnergyDelivered(1);
            }
        });
        var s = t.Snapshot();
        var stats = s.Calls[new CallKey("Heartbeat", Directions.CpToCsms)];
        Assert.Equal(40_000, stats.Count);
        Assert.Equal(40_000, stats.RoundTrip.Count);
        Assert.Equal(0, s.ConnectedNow);
        Assert.InRange(s.ConnectedPeak, 1, 8);
        Assert.Equal(40_000, s.EnergyWh);
    }

    [Fact]
    public void Rolling_window_holds_only_the_calls_since_the_previous_roll_while_the_run_total_keeps_all()
    {
        using var t = new FleetTelemetry("n1");
        t.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(900), Q);
        Assert.Equal(1, Assert.Single(t.RollWindow().Rows).Count);
        t.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(10), Q);
        t.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(20), Q);
        var row = Assert.Single(t.RollWindow().Rows);
        Assert.Equal(2, row.Count);
        Assert.Equal(20, row.MaxMs, 0.05);
        Assert.Equal(3, t.Snapshot().Calls[new CallKey("Heartbeat", Directions.CpToCsms)].RoundTrip.Count);
        Assert.Equal(0, Assert.Single(t.RollWindow().Rows).Count);
    }

    [Fact]
    public void Windows_of_several_nodes_merge_their_histograms_per_action_rather_than_averaging_percentiles()
    {
        using var fast = new FleetTelemetry("fast");
        using var slow = new FleetTelemetry("slow");
        for (var i = 0; i < 98; i++)
        {
            fast.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(10), Q);
        }
        slow.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(500), Q);
        slow.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(500), Q);
        slow.CallCompleted("MeterValues", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(30), Q);

        var window = WindowStatistics.FromHistograms(TimeSpan.FromSeconds(1), fast.RollWindowHistograms().Concat(slow.RollWindowHistograms()));

        Assert.Equal(["Heartbeat", "MeterValues"], window.Rows.Select(r => r.Action));
        var heartbeat = window.Rows[0];
        Assert.Equal(100, heartbeat.Count);
        Assert.Equal(10, heartbeat.P50Ms, 0.05);
        Assert.Equal(500, heartbeat.P99Ms, 0.5);   // the 99th of 100 values is a slow one; an average of the nodes' p99 would be 255
        Assert.Equal(0, Assert.Single(fast.RollWindow().Rows).Count);
    }

    [Fact]
    public void A_series_first_recorded_after_snapshots_and_windows_reports_its_percentiles_and_its_phase_difference()
    {
        using var t = new FleetTelemetry("n1");
        t.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(3), Q);
        t.RollWindow();
        var before = t.Snapshot();
        Assert.Equal(0, before.SchedulerLag.Count);   // never recorded: empty, percentiles 0
        Assert.Equal(0, before.SchedulerLag.ValueAtPercentileMicros(99));
        Assert.False(before.Calls.ContainsKey(new CallKey("MeterValues", Directions.CpToCsms)));

        for (var ms = 1; ms <= 1000; ms++)
        {
            t.CallCompleted("MeterValues", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(ms), Q, TimeSpan.FromMilliseconds(ms + 1));
            t.SchedulerLag(TimeSpan.FromMilliseconds(ms));
        }
        var after = t.Snapshot();
        var meter = after.Calls[new CallKey("MeterValues", Directions.CpToCsms)];
        Assert.Equal(1000, meter.RoundTrip.Count);
        Assert.Equal(500, meter.RoundTrip.ValueAtPercentileMs(50), 500 * 0.001);
        Assert.Equal(990, meter.RoundTrip.ValueAtPercentileMs(99), 990 * 0.001);
        Assert.Equal(991, meter.FromIntended.ValueAtPercentileMs(99), 991 * 0.001);
        Assert.Equal(990, after.SchedulerLag.ValueAtPercentileMs(99), 990 * 0.001);

        var phase = PhaseDifference.Between(before, after);
        Assert.Equal(1000, phase.SchedulerLag.Count);
        Assert.Equal(500, phase.SchedulerLag.ValueAtPercentileMs(50), 500 * 0.001);
        Assert.False(phase.Calls.ContainsKey(new CallKey("Heartbeat", Directions.CpToCsms)));   // no Heartbeat in between
        var window = t.RollWindow().Rows.Single(r => r.Action == "MeterValues");
        Assert.Equal(1000, window.Count);
        Assert.Equal(990, window.P99Ms, 990 * 0.001);
    }

    [Fact]
    public void More_values_in_one_bucket_than_16_bit_counts_hold_are_all_counted_in_snapshots_merges_and_differences()
    {
        using var t = new FleetTelemetry("n1");
        t.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(5), Q);
        Assert.Equal(1, t.Snapshot().Calls[new CallKey("Heartbeat", Directions.CpToCsms)].RoundTrip.Count);
        Assert.Equal(1, Assert.Single(t.RollWindow().Rows).Count);   // from here on the window is kept too
        for (var i = 1; i < 40_000; i++)
        {
            t.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(5), Q);
            if (i == 20_000)
            {
                Assert.Equal(20_001, t.Snapshot().Calls[new CallKey("Heartbeat", Directions.CpToCsms)].RoundTrip.Count);
            }
        }
        t.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(50), Q);
        var h = t.Snapshot().Calls[new CallKey("Heartbeat", Directions.CpToCsms)].RoundTrip;
        Assert.Equal(40_001, h.Count);
        Assert.Equal(5, h.ValueAtPercentileMs(99.99), 0.01);
        Assert.Equal(50, h.ValueAtPercentileMs(100), 0.05);
        var window = Assert.Single(t.RollWindow().Rows);
        Assert.Equal(40_000, window.Count);
        Assert.Equal(5, window.P99Ms, 0.01);
        Assert.Equal(50, window.MaxMs, 0.05);

        var small = LatencyHistogram.FromMicros(Enumerable.Repeat(5_000L, 30_000));
        var merged = small.Merge(small);
        Assert.Equal(60_000, merged.Count);
        Assert.Equal(5, merged.ValueAtPercentileMs(100), 0.01);
        var difference = merged.Minus(small);
        Assert.Equal(30_000, difference.Count);
        Assert.Equal(5, difference.ValueAtPercentileMs(50), 0.01);
        Assert.Equal(60_000, LatencyHistogram.FromCompressedBytes(merged.ToCompressedBytes()).Count);
    }

    [Fact]
    public void Unknown_direction_and_connect_result_are_rejected_to_keep_labels_closed()
    {
        using var t = new FleetTelemetry("n1");
        var e = Assert.Throws<ArgumentException>(() => t.CallCompleted("Heartbeat", "up", CallOutcome.Ok, null, Q, Q));
        Assert.Contains("cp_to_csms", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => t.ConnectionAttempt("CP-0001 failed"));
        Assert.Equal("http_404", ConnectResults.Http(404));
    }

    private static void AssertSameHistogram(LatencyHistogram expected, LatencyHistogram actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.MaxMicros, actual.MaxMicros);
        foreach (var p in new[] { 0.0, 10, 50, 90, 99, 99.9, 100 })
        {
            Assert.Equal(expected.ValueAtPercentileMicros(p), actual.ValueAtPercentileMicros(p));
        }
    }
}
