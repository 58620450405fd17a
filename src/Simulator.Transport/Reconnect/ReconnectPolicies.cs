namespace Simulator.Transport.Reconnect;

/// <summary>
/// Decides how long to wait before the next connection attempt. Pure: no sleeping, no clock; one instance per connection
/// (some policies remember the previous delay). Not thread-safe: call it from the connection's owner.
/// </summary>
public interface IReconnectPolicy
{
    /// <summary>The wait before the next attempt after <paramref name="consecutiveFailures"/> (≥ 1) failures in a row.</summary>
    TimeSpan NextDelay(int consecutiveFailures);

    /// <summary>Called after a successful connection: forget the failure history.</summary>
    void Reset();
}

/// <summary>Jitter applied to an exponential backoff.</summary>
public enum BackoffJitter
{
    /// <summary>d = min(cap, base·2^(n−1)), exactly.</summary>
    None,

    /// <summary>uniform[0, d].</summary>
    Full,

    /// <summary>d/2 + uniform[0, d/2].</summary>
    Equal,

    /// <summary>min(cap, uniform[base, previous·3]), previous starting at base.</summary>
    Decorrelated,
}

internal static class PolicyMath
{
    internal static void CheckFailures(int consecutiveFailures) =>
        ArgumentOutOfRangeException.ThrowIfLessThan(consecutiveFailures, 1);

    /// <summary>uniform[low, high] in milliseconds.</summary>
    internal static double Uniform(Random random, double low, double high) => low + (random.NextDouble() * (high - low));

    internal static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}

/// <summary>
/// The OCPP 2.0.1 model (B.4 / configuration RetryBackOff*): the first wait is RetryBackOffWaitMinimum + uniform[0, RetryBackOffRandomRange];
/// every further failure doubles the minimum part, at most RetryBackOffRepeatTimes times, after which the wait stays there.
/// The random part is drawn fresh each time and not doubled.
/// </summary>
public sealed class Ocpp201BackoffPolicy : IReconnectPolicy
{
    private readonly TimeSpan _waitMinimum;
    private readonly TimeSpan _randomRange;
    private readonly int _repeatTimes;
    private readonly Random _random;

    public Ocpp201BackoffPolicy(TimeSpan waitMinimum, TimeSpan randomRange, int repeatTimes, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(waitMinimum, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(randomRange, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(repeatTimes);
        _waitMinimum = waitMinimum;
        _randomRange = randomRange;
        _repeatTimes = repeatTimes;
        _random = random ?? Random.Shared;
    }

    public TimeSpan NextDelay(int consecutiveFailures)
    {
        PolicyMath.CheckFailures(consecutiveFailures);
        var doublings = Math.Min(consecutiveFailures - 1, _repeatTimes);
        var minimum = _waitMinimum.TotalMilliseconds * Math.Pow(2, doublings);
        return PolicyMath.Ms(minimum + PolicyMath.Uniform(_random, 0, _randomRange.TotalMilliseconds));
    }

    public void Reset()
    {
        // Stateless: the failure count the caller passes carries the history.
    }
}

/// <summary>Exponential backoff base·2^(n−1), capped, with a choice of jitter.</summary>
public sealed class ExponentialBackoffPolicy : IReconnectPolicy
{
    private readonly double _baseMs;
    private readonly double _capMs;
    private readonly BackoffJitter _jitter;
    private readonly Random _random;
    private double _previousMs;

    public ExponentialBackoffPolicy(TimeSpan baseDelay, TimeSpan maxDelay, BackoffJitter jitter, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _baseMs = baseDelay.TotalMilliseconds;
        _capMs = maxDelay.TotalMilliseconds;
        _jitter = jitter;
        _random = random ?? Random.Shared;
        _previousMs = _baseMs;
    }

    public TimeSpan NextDelay(int consecutiveFailures)
    {
        PolicyMath.CheckFailures(consecutiveFailures);
        if (_jitter == BackoffJitter.Decorrelated)
        {
            _previousMs = Math.Min(_capMs, PolicyMath.Uniform(_random, _baseMs, _previousMs * 3));
            return PolicyMath.Ms(_previousMs);
        }

        // 2^(n−1) grows past any cap long before double overflows; clamp the exponent anyway.
        var d = Math.Min(_capMs, _baseMs * Math.Pow(2, Math.Min(consecutiveFailures - 1, 1000)));
        return _jitter switch
        {
            BackoffJitter.Full => PolicyMath.Ms(PolicyMath.Uniform(_random, 0, d)),
            BackoffJitter.Equal => PolicyMath.Ms((d / 2) + PolicyMath.Uniform(_random, 0, d / 2)),
            _ => PolicyMath.Ms(d),
        };
    }

    public void Reset() => _previousMs = _baseMs;
}

/// <summary>The same wait every time.</summary>
public sealed class FixedIntervalPolicy : IReconnectPolicy
{
    private readonly TimeSpan _interval;

    public FixedIntervalPolicy(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        _interval = interval;
    }

    public TimeSpan NextDelay(int consecutiveFailures)
    {
        PolicyMath.CheckFailures(consecutiveFailures);
        return _interval;
    }

    public void Reset()
    {
    }
}

/// <summary>No wait at all: the deliberately bad policy that makes reconnect storms.</summary>
public sealed class ImmediatePolicy : IReconnectPolicy
{
    public static ImmediatePolicy Instance { get; } = new();

    public TimeSpan NextDelay(int consecutiveFailures)
    {
        PolicyMath.CheckFailures(consecutiveFailures);
        return TimeSpan.Zero;
    }

    public void Reset()
    {
    }
}

public enum ReconnectPolicyKind
{
    /// <summary>OCPP 2.0.1 RetryBackOff model: <see cref="ReconnectPolicySettings.BaseDelay"/> = RetryBackOffWaitMinimum.</summary>
    Ocpp201,

    /// <summary>Exponential with <see cref="ReconnectPolicySettings.Jitter"/> between BaseDelay and MaxDelay.</summary>
    Exponential,

    /// <summary>BaseDelay every time.</summary>
    Fixed,

    /// <summary>Zero delay.</summary>
    Immediate,
}

/// <summary>A reconnect policy by name and parameters, as a profile states it per charge-point type.</summary>
public sealed record ReconnectPolicySettings
{
    public ReconnectPolicyKind Kind { get; init; } = ReconnectPolicyKind.Ocpp201;

    /// <summary>RetryBackOffWaitMinimum (Ocpp201), the base (Exponential) or the interval (Fixed).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>RetryBackOffRandomRange (Ocpp201).</summary>
    public TimeSpan RandomRange { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>RetryBackOffRepeatTimes (Ocpp201).</summary>
    public int RepeatTimes { get; init; } = 2;

    /// <summary>The cap (Exponential).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Jitter kind (Exponential).</summary>
    public BackoffJitter Jitter { get; init; } = BackoffJitter.Full;

    /// <summary>A new policy instance (one per connection). <paramref name="random"/>: a seeded source for reproducible runs.</summary>
    public IReconnectPolicy Create(Random? random = null) => Kind switch
    {
        ReconnectPolicyKind.Ocpp201 => new Ocpp201BackoffPolicy(BaseDelay, RandomRange, RepeatTimes, random),
        ReconnectPolicyKind.Exponential => new ExponentialBackoffPolicy(BaseDelay, MaxDelay, Jitter, random),
        ReconnectPolicyKind.Fixed => new FixedIntervalPolicy(BaseDelay),
        ReconnectPolicyKind.Immediate => ImmediatePolicy.Instance,
        _ => throw new InvalidOperationException($"Unknown reconnect policy kind {Kind}."),
    };
}
