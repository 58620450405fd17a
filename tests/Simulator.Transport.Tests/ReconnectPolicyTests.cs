using Simulator.Transport.Reconnect;

namespace Simulator.Transport.Tests;

public sealed class ReconnectPolicyTests
{
    private const int Draws = 5000;
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);

    [Fact]
    public void No_jitter_doubles_from_the_base_up_to_the_cap()
    {
        var policy = new ExponentialBackoffPolicy(Base, Cap, BackoffJitter.None);
        var delays = Enumerable.Range(1, 10).Select(n => policy.NextDelay(n).TotalSeconds).ToArray();
        Assert.Equal(new double[] { 1, 2, 4, 8, 16, 32, 60, 60, 60, 60 }, delays);
        Assert.Equal(Cap, policy.NextDelay(int.MaxValue));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(12)]
    public void Full_jitter_stays_in_zero_to_d_and_spreads_over_it(int failures)
    {
        var policy = new ExponentialBackoffPolicy(Base, Cap, BackoffJitter.Full, new Random(42));
        var d = Math.Min(Cap.TotalMilliseconds, Base.TotalMilliseconds * Math.Pow(2, failures - 1));
        var draws = Enumerable.Range(0, Draws).Select(_ => policy.NextDelay(failures).TotalMilliseconds).ToArray();
        Assert.All(draws, x => Assert.InRange(x, 0, d));
        Assert.True(draws.Min() < d * 0.05, "the lower end of [0, d] is reached");
        Assert.True(draws.Max() > d * 0.95, "the upper end of [0, d] is reached");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(20)]
    public void Equal_jitter_stays_in_half_d_to_d(int failures)
    {
        var policy = new ExponentialBackoffPolicy(Base, Cap, BackoffJitter.Equal, new Random(7));
        var d = Math.Min(Cap.TotalMilliseconds, Base.TotalMilliseconds * Math.Pow(2, failures - 1));
        var draws = Enumerable.Range(0, Draws).Select(_ => policy.NextDelay(failures).TotalMilliseconds).ToArray();
        Assert.All(draws, x => Assert.InRange(x, d / 2, d));
        Assert.True(draws.Min() < d * 0.55);
        Assert.True(draws.Max() > d * 0.95);
    }

    [Fact]
    public void Decorrelated_jitter_stays_between_the_base_and_three_times_the_previous_and_under_the_cap()
    {
        var policy = new ExponentialBackoffPolicy(Base, Cap, BackoffJitter.Decorrelated, new Random(3));
        var previous = Base.TotalMilliseconds;
        var reachedCap = false;
        for (var n = 1; n <= Draws; n++)
        {
            var x = policy.NextDelay(n).TotalMilliseconds;
            Assert.InRange(x, Base.TotalMilliseconds, Math.Min(Cap.TotalMilliseconds, previous * 3));
            reachedCap |= x == Cap.TotalMilliseconds;
            previous = x;
        }

        Assert.True(reachedCap, "over many failures the cap is reached");
    }

    [Fact]
    public void Reset_after_success_starts_decorrelated_jitter_from_the_base_again()
    {
        var policy = new ExponentialBackoffPolicy(Base, Cap, BackoffJitter.Decorrelated, new Random(11));
        for (var n = 1; n <= 50; n++)
        {
            policy.NextDelay(n);
        }

        policy.Reset();
        for (var i = 0; i < 200; i++)
        {
            policy.Reset();
            Assert.InRange(policy.NextDelay(1).TotalMilliseconds, Base.TotalMilliseconds, Base.TotalMilliseconds * 3);
        }
    }

    [Fact]
    public void Ocpp201_doubles_the_minimum_RepeatTimes_times_and_then_keeps_it()
    {
        var minimum = TimeSpan.FromSeconds(10);
        var range = TimeSpan.FromSeconds(5);
        var policy = new Ocpp201BackoffPolicy(minimum, range, repeatTimes: 3, new Random(5));
        double[] expectedMinimum = [10, 20, 40, 80, 80, 80];
        for (var n = 1; n <= expectedMinimum.Length; n++)
        {
            for (var i = 0; i < 500; i++)
            {
                var x = policy.NextDelay(n).TotalSeconds;
                Assert.InRange(x, expectedMinimum[n - 1], expectedMinimum[n - 1] + range.TotalSeconds);
            }
        }
    }

    [Fact]
    public void Ocpp201_random_part_covers_its_range()
    {
        var policy = new Ocpp201BackoffPolicy(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), repeatTimes: 2, new Random(9));
        var draws = Enumerable.Range(0, Draws).Select(_ => policy.NextDelay(1).TotalSeconds - 30).ToArray();
        Assert.All(draws, x => Assert.InRange(x, 0, 10));
        Assert.True(draws.Min() < 0.5);
        Assert.True(draws.Max() > 9.5);
    }

    [Fact]
    public void Ocpp201_without_repeats_keeps_the_first_wait_and_a_new_failure_series_starts_at_the_minimum()
    {
        var policy = new Ocpp201BackoffPolicy(TimeSpan.FromSeconds(10), TimeSpan.Zero, repeatTimes: 0);
        Assert.Equal(TimeSpan.FromSeconds(10), policy.NextDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.NextDelay(9));

        var doubling = new Ocpp201BackoffPolicy(TimeSpan.FromSeconds(10), TimeSpan.Zero, repeatTimes: 5);
        Assert.Equal(TimeSpan.FromSeconds(80), doubling.NextDelay(4));
        doubling.Reset();
        Assert.Equal(TimeSpan.FromSeconds(10), doubling.NextDelay(1));
    }

    [Fact]
    public void Immediate_is_always_zero_and_fixed_is_always_the_interval()
    {
        var immediate = new ReconnectPolicySettings { Kind = ReconnectPolicyKind.Immediate }.Create();
        var interval = new ReconnectPolicySettings { Kind = ReconnectPolicyKind.Fixed, BaseDelay = TimeSpan.FromSeconds(7) }.Create();
        foreach (var n in new[] { 1, 2, 100, int.MaxValue })
        {
            Assert.Equal(TimeSpan.Zero, immediate.NextDelay(n));
            Assert.Equal(TimeSpan.FromSeconds(7), interval.NextDelay(n));
        }
    }

    [Fact]
    public void The_settings_factory_builds_the_named_policy_with_its_parameters()
    {
        Assert.IsType<Ocpp201BackoffPolicy>(new ReconnectPolicySettings().Create());
        var exponential = new ReconnectPolicySettings
        {
            Kind = ReconnectPolicyKind.Exponential,
            BaseDelay = TimeSpan.FromSeconds(2),
            MaxDelay = TimeSpan.FromSeconds(5),
            Jitter = BackoffJitter.None,
        }.Create();
        Assert.IsType<ExponentialBackoffPolicy>(exponential);
        Assert.Equal(TimeSpan.FromSeconds(4), exponential.NextDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(5), exponential.NextDelay(3));
    }

    [Fact]
    public void Seeded_policies_are_reproducible()
    {
        var a = new ExponentialBackoffPolicy(Base, Cap, BackoffJitter.Full, new Random(123));
        var b = new ExponentialBackoffPolicy(Base, Cap, BackoffJitter.Full, new Random(123));
        Assert.Equal(
            Enumerable.Range(1, 20).Select(a.NextDelay).ToArray(),
            Enumerable.Range(1, 20).Select(b.NextDelay).ToArray());
    }

    [Fact]
    public void A_failure_count_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImmediatePolicy.Instance.NextDelay(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoffPolicy(Base, Cap, BackoffJitter.None).NextDelay(-1));
    }
}
