namespace Simulator.Cli.Tests;

/// <summary>The profile's end-of-run and periodic settings, and the threshold options that go with phases.</summary>
public sealed class DrainAndPeriodicProfileTests
{
    [Fact]
    public void Drain_is_30_seconds_and_periodic_messages_are_spread_unless_the_profile_says_otherwise()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal());
        Assert.Equal(TimeSpan.FromSeconds(30), plan.Drain);
        Assert.False(plan.PeriodicLockstep);

        var own = TestProfiles.LoadValid(TestProfiles.Minimal(extra: "drain: 0s\nperiodic: lockstep\n"));
        Assert.Equal(TimeSpan.Zero, own.Drain);
        Assert.True(own.PeriodicLockstep);
    }

    [Theory]
    [InlineData("periodic: lockstepp\n", "periodic", "is not one of spread, lockstep")]
    [InlineData("drain: 30\n", "drain", "")]
    [InlineData("thresholds:\n  - {threshold: \"connected >= 99%\", delayAbortEval: 10s}\n", "thresholds[0].delayAbortEval", "needs abortOnFail: true")]
    [InlineData("thresholds:\n  - {threshold: \"reconnected >= 99%\", abortOnFail: true}\n", "thresholds[0].abortOnFail", "abortOnFail could never stop the run on it")]
    public void Wrong_settings_are_named(string extra, string field, string problem)
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(extra: extra));
        Assert.Equal(field, error.FieldPath);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DelayAbortEval_is_read_with_abortOnFail()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(extra: "thresholds:\n  - {threshold: \"connected >= 99%\", abortOnFail: true, delayAbortEval: 1m}\n"));
        var threshold = Assert.Single(plan.Thresholds);
        Assert.True(threshold.AbortOnFail);
        Assert.Equal(TimeSpan.FromMinutes(1), threshold.DelayAbortEval);
    }
}
