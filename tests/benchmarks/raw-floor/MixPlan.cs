using System.Diagnostics;

namespace RawFloor;

/// <summary>What one charge point sends at one due time: one or more CALLs, in order, each after the previous one's answer.</summary>
internal enum StepKind
{
    Boot,       // BootNotification, StatusNotification Available for connectors 0, 1 and 2
    Heartbeat,
    PlugIn,     // StatusNotification Preparing
    Tag,        // Authorize, StartTransaction, StatusNotification Charging
    Meter,      // MeterValues (energy and power)
    Unplug,     // StopTransaction, StatusNotification Available
    Unplugged,  // StatusNotification Available (plugged in, no transaction yet)
}

internal readonly record struct Step(StepKind Kind, int ConnectorId);

/// <summary>
/// The peer mix of tests/benchmarks/peer-mix.yaml as FleetSim plays it, reduced to due times: heartbeat every 60 s, per
/// connector sessions with exponential gaps (mean 22 s), the card 2 s after the plug-in, plugged in 60-80 s, meter values
/// every 30 s while charging. The first heartbeat and each session's first meter value come at a random phase within the
/// interval, as FleetSim's do (they are not aligned to boot or to the start of charging). Times are Stopwatch timestamps.
/// </summary>
internal sealed class MixPlan
{
    private const double HeartbeatSeconds = 60;
    private const double MeterSeconds = 30;
    private const double MeanGapSeconds = 22;
    private const double TagDelaySeconds = 2;
    private const double PlugInMinSeconds = 60;
    private const double PlugInMaxSeconds = 80;

    private readonly Random _random;
    private readonly Connector[] _connectors = [new(), new()];
    private long _nextHeartbeat;

    public MixPlan(int seed) => _random = new Random(seed);

    public static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    /// <summary>Starts the schedule once the charge point has booted.</summary>
    public void Start(long now)
    {
        _nextHeartbeat = now + Ticks(_random.NextDouble() * HeartbeatSeconds);
        foreach (var c in _connectors)
        {
            c.NextSessionAt = now + Gap();
        }
    }

    public long NextDue
    {
        get
        {
            var next = _nextHeartbeat;
            foreach (var c in _connectors)
            {
                next = Math.Min(next, c.NextSessionAt);
                next = Math.Min(next, c.TagAt);
                next = Math.Min(next, c.UnplugAt);
                next = Math.Min(next, c.NextMeterAt);
            }
            return next;
        }
    }

    /// <summary>Adds what is due at <paramref name="now"/>, in time order per connector.</summary>
    public void CollectDue(long now, Queue<Step> steps)
    {
        if (_nextHeartbeat <= now)
        {
            _nextHeartbeat += Ticks(HeartbeatSeconds);
            steps.Enqueue(new Step(StepKind.Heartbeat, 0));
        }
        for (var i = 0; i < _connectors.Length; i++)
        {
            var c = _connectors[i];
            var connectorId = i + 1;
            if (c.NextSessionAt <= now)
            {
                c.NextSessionAt = long.MaxValue;
                c.TagAt = now + Ticks(TagDelaySeconds);
                c.UnplugAt = now + Ticks(PlugInMinSeconds + (_random.NextDouble() * (PlugInMaxSeconds - PlugInMinSeconds)));
                steps.Enqueue(new Step(StepKind.PlugIn, connectorId));
            }
            if (c.TagAt <= now)
            {
                c.TagAt = long.MaxValue;
                c.NextMeterAt = now + Ticks(_random.NextDouble() * MeterSeconds);
                steps.Enqueue(new Step(StepKind.Tag, connectorId));
            }
            if (c.NextMeterAt <= now && c.UnplugAt > now)
            {
                c.NextMeterAt += Ticks(MeterSeconds);
                steps.Enqueue(new Step(StepKind.Meter, connectorId));
            }
            if (c.UnplugAt <= now)
            {
                c.UnplugAt = long.MaxValue;
                c.NextMeterAt = long.MaxValue;
                c.NextSessionAt = now + Gap();
                steps.Enqueue(new Step(StepKind.Unplug, connectorId));
            }
        }
    }

    /// <summary>The end of the run, as FleetSim's drain: every open transaction stops, every plugged connector is freed.</summary>
    public void CollectDrain(Queue<Step> steps)
    {
        for (var i = 0; i < _connectors.Length; i++)
        {
            var c = _connectors[i];
            if (c.UnplugAt != long.MaxValue)
            {
                steps.Enqueue(new Step(c.TagAt == long.MaxValue ? StepKind.Unplug : StepKind.Unplugged, i + 1));
            }
            c.NextSessionAt = c.TagAt = c.UnplugAt = c.NextMeterAt = long.MaxValue;
        }
        _nextHeartbeat = long.MaxValue;
    }

    private long Gap() => Ticks(-MeanGapSeconds * Math.Log(1 - _random.NextDouble()));

    private sealed class Connector
    {
        public long NextSessionAt = long.MaxValue;
        public long TagAt = long.MaxValue;
        public long UnplugAt = long.MaxValue;
        public long NextMeterAt = long.MaxValue;
    }
}
