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
}
