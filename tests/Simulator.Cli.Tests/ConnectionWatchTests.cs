using Simulator.Cli.Live;

namespace Simulator.Cli.Tests;

public sealed class ConnectionWatchTests
{
    private static Dictionary<string, long> Attempts(params (string Result, long Count)[] counts) =>
        counts.ToDictionary(c => c.Result, c => c.Count, StringComparer.Ordinal);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Rates_are_per_second_of_the_interval_with_ok_first()
    {
        var watch = new ConnectionWatch(20);
        watch.Observe(Attempts(("ok", 2)), 2, S(1));

        var look = watch.Observe(Attempts(("ok", 4), ("refused", 10), ("http_401", 20)), 4, S(3));

        Assert.Equal(["ok", "http_401", "refused"], look.Rates.Select(r => r.Result));
        Assert.Equal([1.0, 10.0, 5.0], look.Rates.Select(r => Math.Round(r.PerSecond, 3)));
        Assert.Equal("ok 1/s, http_401 10/s, refused 5/s", look.RatesText);
        Assert.Equal("none", watch.Observe(Attempts(("ok", 4), ("refused", 10), ("http_401", 20)), 4, S(4)).RatesText);
    }

    [Fact]
    public void The_fleet_down_warns_at_once_and_nothing_connecting_for_five_seconds_says_so_with_the_cause_and_a_hint()
    {
        var watch = new ConnectionWatch(20);
        Assert.StartsWith("WARNING: 20 of 20 charge points (100%) not connected while attempts fail (refused 20)", watch.Observe(Attempts(("refused", 20)), 0, S(1)).Warning);
        Assert.StartsWith("WARNING: 20 of 20", watch.Observe(Attempts(("refused", 40)), 0, S(4)).Warning);

        var look = watch.Observe(Attempts(("refused", 60), ("timeout", 1)), 0, S(6));

        Assert.Equal("WARNING: nothing connected for 6s; 61 attempts failed (refused 60, timeout 1): nothing listens at the target's address and port", look.Warning);
    }

    [Fact]
    public void A_tenth_of_the_fleet_down_while_attempts_fail_warns_and_a_ramp_or_the_end_of_a_run_does_not()
    {
        var watch = new ConnectionWatch(100);
        Assert.Null(watch.Observe(Attempts(("ok", 10)), 10, S(1)).Warning);                       // ramp: 90 not there yet, nothing fails
        Assert.Null(watch.Observe(Attempts(("ok", 95), ("tls_client_certificate", 5)), 95, S(2)).Warning);   // 5 % down

        var look = watch.Observe(Attempts(("ok", 95), ("tls_client_certificate", 20)), 80, S(3));

        Assert.Equal("WARNING: 20 of 100 charge points (20%) not connected while attempts fail (tls_client_certificate 15): the CSMS refuses the client certificate (or its absence)", look.Warning);
        Assert.Null(watch.Observe(Attempts(("ok", 95), ("tls_client_certificate", 20)), 0, S(9)).Warning);  // the run stopping: no attempt fails
    }

    [Fact]
    public void An_outage_the_timeline_causes_is_told_as_planned_without_a_guess_at_the_cause_and_warnings_resume_after_it()
    {
        var watch = new ConnectionWatch(100, [new PlannedOutage("csms-restart", S(30), S(40))]);
        Assert.Null(watch.Observe(Attempts(("ok", 100)), 100, S(26)).Warning);

        Assert.Equal("as planned, the timeline's csms-restart (00:30-00:40): nothing connected for 5s; 50 attempts failed (refused 50)",
            watch.Observe(Attempts(("ok", 100), ("refused", 50)), 0, S(31)).Warning);
        Assert.Equal("as planned, the timeline's csms-restart (00:30-00:40): nothing connected for 10s; 250 attempts failed (refused 250)",
            watch.Observe(Attempts(("ok", 100), ("refused", 250)), 0, S(36)).Warning);
        // The look from 36 to 41 still overlaps the refusal.
        Assert.StartsWith("as planned, the timeline's csms-restart (00:30-00:40): 80 of 100",
            watch.Observe(Attempts(("ok", 120), ("refused", 300)), 20, S(41)).Warning, StringComparison.Ordinal);

        // After it, attempts that still fail are news again.
        Assert.Equal("WARNING: 50 of 100 charge points (50%) not connected while attempts fail (refused 10): nothing listens at the target's address and port",
            watch.Observe(Attempts(("ok", 150), ("refused", 310)), 50, S(46)).Warning);
    }

    [Fact]
    public void The_planned_outages_are_the_timeline_events_that_refuse_swallow_or_cut_connections()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(extra: """
            timeline:
              - {at: 10s, event: csms-restart, for: 5s}
              - {at: 30s, event: csms-slow, for: 5s}
              - {at: 50s, event: csms-blackhole, for: 8s}
              - {at: 70s, event: network-drop, for: 3s, share: 50%}
              - {at: 90s, event: reboot-all}
            """));

        Assert.Equal(
            [new PlannedOutage("csms-restart", S(10), S(15)), new PlannedOutage("csms-blackhole", S(50), S(58)), new PlannedOutage("network-drop", S(70), S(73))],
            PlannedOutage.Of(plan));
    }
}
