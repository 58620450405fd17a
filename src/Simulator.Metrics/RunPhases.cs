namespace Simulator.Metrics;

/// <summary>The phases of a run, as the report and the thresholds name them.</summary>
public static class RunPhaseNames
{
    /// <summary>From the start until the arrival is complete (every charge point started and booted, or 30 s after the last start).</summary>
    public const string RampUp = "rampUp";

    /// <summary>From the end of the ramp-up until the run's duration is over (or it is aborted).</summary>
    public const string Steady = "steady";

    /// <summary>The end: sessions stop, offline queues empty (up to the profile's <c>drain</c>), sockets close.</summary>
    public const string Drain = "drain";

    /// <summary>The whole run (thresholds only: <c>during run</c>).</summary>
    public const string Run = "run";

    public static IReadOnlyList<string> All { get; } = [RampUp, Steady, Drain];
}

/// <summary>
/// How many charge points were connected (or booted) during a phase, from samples about once a second: the lowest sample and
/// the time-weighted mean (each sample holds until the next). Empty when the phase had no sample.
/// </summary>
public sealed record GaugeFigures(long Min, double Mean)
{
    public static GaugeFigures None { get; } = new(0, 0);
}

/// <summary>One phase: its span, what happened in it (the run's statistics at its end minus those at its start) and its gauges.</summary>
public sealed record PhaseStatistics(string Name, DateTimeOffset Start, DateTimeOffset End, StatisticsSnapshot Statistics, GaugeFigures Connected, GaugeFigures Booted, int Samples);

/// <summary>
/// Cuts a run into phases: takes the cumulative statistics at each boundary, so a phase's calls, errors and latencies are the
/// difference between its end and its start, and samples the connected/booted gauges for time-weighted figures. Boundaries
/// fall on the caller's samples (about once a second). Not thread-safe: one caller (the runner's loop).
/// </summary>
public sealed class RunPhaseRecorder
{
    private readonly List<(string Name, DateTimeOffset Start, StatisticsSnapshot AtStart)> _begun = [];
    private readonly Dictionary<string, GaugeAccumulator> _connected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GaugeAccumulator> _booted = new(StringComparer.Ordinal);

    public RunPhaseRecorder(DateTimeOffset start, StatisticsSnapshot atStart)
    {
        ArgumentNullException.ThrowIfNull(atStart);
        _begun.Add((RunPhaseNames.RampUp, start, atStart));
        Sample(start, atStart.ConnectedNow, atStart.BootedNow);
    }

    public string Current => _begun[^1].Name;

    public DateTimeOffset CurrentSince => _begun[^1].Start;

    /// <summary>Starts the next phase at <paramref name="at"/>, with the cumulative statistics then; a phase already begun is ignored.</summary>
    public void Enter(string phase, DateTimeOffset at, StatisticsSnapshot cumulative)
    {
        ArgumentNullException.ThrowIfNull(cumulative);
        if (_begun.Any(b => b.Name == phase))
        {
            return;
        }
        Sample(at, cumulative.ConnectedNow, cumulative.BootedNow);   // the old phase's last sample
        _begun.Add((phase, at, cumulative));
        Sample(at, cumulative.ConnectedNow, cumulative.BootedNow);
    }

    /// <summary>The gauges now, for the current phase.</summary>
    public void Sample(DateTimeOffset at, long connected, long booted)
    {
        Accumulator(_connected, Current).Add(at, connected);
        Accumulator(_booted, Current).Add(at, booted);
    }

    /// <summary>The current phase so far, against the cumulative statistics now (for thresholds evaluated while the run goes).</summary>
    public PhaseStatistics CurrentSoFar(DateTimeOffset now, StatisticsSnapshot cumulative)
    {
        ArgumentNullException.ThrowIfNull(cumulative);
        var (name, start, atStart) = _begun[^1];
        return Figures(name, start, now, PhaseDifference.Between(atStart, cumulative));
    }

    /// <summary>Every phase that began, the last ending at <paramref name="end"/> with the run's final statistics.</summary>
    public IReadOnlyList<PhaseStatistics> Complete(DateTimeOffset end, StatisticsSnapshot final)
    {
        ArgumentNullException.ThrowIfNull(final);
        var phases = new List<PhaseStatistics>(_begun.Count);
        for (var i = 0; i < _begun.Count; i++)
        {
            var (name, start, atStart) = _begun[i];
            var (phaseEnd, atEnd) = i + 1 < _begun.Count ? (_begun[i + 1].Start, _begun[i + 1].AtStart) : (end, final);
            phases.Add(Figures(name, start, phaseEnd, PhaseDifference.Between(atStart, atEnd)));
        }
        return phases;
    }

    private PhaseStatistics Figures(string name, DateTimeOffset start, DateTimeOffset end, StatisticsSnapshot statistics)
    {
        var connected = _connected.GetValueOrDefault(name);
        var booted = _booted.GetValueOrDefault(name);
        return new PhaseStatistics(name, start, end, statistics, connected?.Figures() ?? GaugeFigures.None, booted?.Figures() ?? GaugeFigures.None, connected?.Samples ?? 0);
    }

    private static GaugeAccumulator Accumulator(Dictionary<string, GaugeAccumulator> all, string phase)
    {
        if (!all.TryGetValue(phase, out var accumulator))
        {
            accumulator = new GaugeAccumulator();
            all[phase] = accumulator;
        }
        return accumulator;
    }

    /// <summary>Time-weighted: each sample's value holds until the next sample; a single sample is its own mean.</summary>
    private sealed class GaugeAccumulator
    {
        private DateTimeOffset _lastAt;
        private long _last;
        private double _weighted;
        private double _seconds;
        private long _min = long.MaxValue;

        public int Samples { get; private set; }

        public void Add(DateTimeOffset at, long value)
        {
            if (Samples > 0 && at > _lastAt)
            {
                var seconds = (at - _lastAt).TotalSeconds;
                _weighted += _last * seconds;
                _seconds += seconds;
            }
            _lastAt = at;
            _last = value;
            _min = Math.Min(_min, value);
            Samples++;
        }

        public GaugeFigures Figures() => Samples == 0 ? GaugeFigures.None : new GaugeFigures(_min, _seconds > 0 ? _weighted / _seconds : _last);
    }
}

/// <summary>What happened between two cumulative snapshots of the same run: calls, errors, latencies, scheduler lag, connection attempts.</summary>
public static class PhaseDifference
{
    public static StatisticsSnapshot Between(StatisticsSnapshot earlier, StatisticsSnapshot later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        var calls = new Dictionary<CallKey, CallStatistics>();
        foreach (var (key, now) in later.Calls)
        {
            if (!earlier.Calls.TryGetValue(key, out var before))
            {
                calls[key] = now;
                continue;
            }
            if (now.Count <= before.Count)
            {
                continue;
            }
            calls[key] = new CallStatistics(
                now.Count - before.Count,
                now.Ok - before.Ok,
                now.Timeouts - before.Timeouts,
                Minus(now.ErrorsByCode, before.ErrorsByCode),
                now.RoundTrip.Minus(before.RoundTrip),
                now.QueueWait.Minus(before.QueueWait),
                now.FromIntended.Minus(before.FromIntended));
        }

        return new StatisticsSnapshot
        {
            Nodes = later.Nodes,
            CapturedAt = later.CapturedAt,
            Calls = calls,
            MessagesSent = Minus(later.MessagesSent, earlier.MessagesSent),
            MessagesReceived = Minus(later.MessagesReceived, earlier.MessagesReceived),
            ConnectionAttempts = Minus(later.ConnectionAttempts, earlier.ConnectionAttempts),
            SecurityEvents = Minus(later.SecurityEvents, earlier.SecurityEvents),
            ConnectTime = later.ConnectTime.Minus(earlier.ConnectTime),
            TlsHandshake = later.TlsHandshake.Minus(earlier.TlsHandshake),
            UpgradeTime = later.UpgradeTime.Minus(earlier.UpgradeTime),
            SchedulerLag = later.SchedulerLag.Minus(earlier.SchedulerLag),
            Reconnects = later.Reconnects - earlier.Reconnects,
            ConnectedNow = later.ConnectedNow,
            ConnectedPeak = later.ConnectedPeak,
            BootedNow = later.BootedNow,
            BootedPeak = later.BootedPeak,
            SessionsStarted = later.SessionsStarted - earlier.SessionsStarted,
            SessionsCompleted = later.SessionsCompleted - earlier.SessionsCompleted,
            SessionsActive = later.SessionsActive,
            OfflineQueueDepth = later.OfflineQueueDepth,
            EnergyWh = later.EnergyWh - earlier.EnergyWh,
        };
    }

    private static Dictionary<string, long> Minus(IReadOnlyDictionary<string, long> later, IReadOnlyDictionary<string, long> earlier)
    {
        var difference = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in later)
        {
            var delta = value - earlier.GetValueOrDefault(key);
            if (delta > 0)
            {
                difference[key] = delta;
            }
        }
        return difference;
    }
}
