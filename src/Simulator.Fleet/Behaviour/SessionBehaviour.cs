using Simulator.Fleet.Plan;

namespace Simulator.Fleet.Behaviour;

/// <summary>Something the EV driver or the hardware does at a charge point, decided by the load profile.</summary>
public abstract record BehaviourAction(int ConnectorId);

public sealed record PlugInAction(int ConnectorId, double BatteryCapacityWh, double ArrivalSoc, double MaxPowerW, double EnergyNeedWh) : BehaviourAction(ConnectorId);

public sealed record PresentIdTagAction(int ConnectorId, string IdTag) : BehaviourAction(ConnectorId);

public sealed record UnplugAction(int ConnectorId) : BehaviourAction(ConnectorId);

public sealed record FaultAction(int ConnectorId, bool Faulted) : BehaviourAction(ConnectorId);

/// <summary>
/// The open-model part of a load: per connector, charging sessions arrive as a Poisson process (exponential gaps),
/// each a plug-in, an id tag a moment later, and an unplug after the plug-in duration; optional faults arrive the same
/// way. Pure and clock-free: the owner asks what is due and when to ask next.
/// </summary>
/// <remarks>
/// It is also the driver of sessions started from an app (RemoteStartTransaction), in both behaviours. Told that the charge point
/// waits for the EV (<see cref="OnRemoteStartAwaitingPlugIn"/>), the driver plugs in after <see cref="RemoteStartPlan.PlugInAfter"/>
/// with an EV from the EV plan; once the transaction runs (<see cref="OnSessionStarted"/>) the EV stays for the plug-in duration,
/// and when the transaction ends before that (<see cref="OnSessionEnded"/>: RemoteStopTransaction, a fault) or never starts (the
/// remote start lapsed before the plug-in) the driver unplugs after <see cref="UnplugDelaySeconds"/>. With <c>sessions</c> the
/// connector's planned arrival gives way, and its next one is drawn after the unplug, as after any session.
/// </remarks>
public sealed class SessionBehaviour
{
    /// <summary>Time between plugging in and presenting the card, as a driver would.</summary>
    public static readonly TimeSpan TagDelay = TimeSpan.FromSeconds(2);

    /// <summary>Seconds the driver of an app-started session takes to unplug once charging has ended, or when plugging in started nothing.</summary>
    public static readonly Distribution UnplugDelaySeconds = Distribution.Uniform(2, 5);

    private readonly BehaviourPlan _plan;
    private readonly EvPlan _ev;
    private readonly Random _random;
    private readonly ConnectorSchedule[] _connectors;
    private readonly string[] _tagPool;

    public SessionBehaviour(BehaviourPlan plan, EvPlan ev, int connectors, Random random, DateTimeOffset start)
    {
        _plan = plan;
        _ev = ev;
        _random = random;
        _tagPool = [.. plan.IdTags.Accepted, .. plan.IdTags.Blocked];
        _connectors = new ConnectorSchedule[connectors];
        for (var i = 0; i < connectors; i++)
        {
            _connectors[i] = new ConnectorSchedule
            {
                NextSessionAt = plan.Kind == BehaviourKind.Sessions ? start + Gap() : null,
                NextFaultAt = plan.FaultsPerConnectorHour > 0 ? start + FaultGap() : null,
            };
        }
    }

    public DateTimeOffset? NextDueAt
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (var c in _connectors)
            {
                next = Min(next, c.NextSessionAt);
                next = Min(next, c.RemotePlugInAt);
                next = Min(next, c.TagAt);
                next = Min(next, c.UnplugAt);
                next = Min(next, c.NextFaultAt);
                next = Min(next, c.FaultEndsAt);
            }
            return next;
        }
    }

    /// <summary>Adds every action due at <paramref name="now"/> to <paramref name="due"/>, in time order per connector.</summary>
    public void CollectDue(DateTimeOffset now, List<BehaviourAction> due)
    {
        for (var i = 0; i < _connectors.Length; i++)
        {
            var c = _connectors[i];
            var connectorId = i + 1;
            if (c.FaultEndsAt <= now)
            {
                c.FaultEndsAt = null;
                c.NextFaultAt = now + FaultGap();
                due.Add(new FaultAction(connectorId, false));
            }
            if (c.NextFaultAt <= now && c.FaultEndsAt is null)
            {
                c.NextFaultAt = null;
                c.FaultEndsAt = now + _plan.FaultDuration;
                due.Add(new FaultAction(connectorId, true));
            }
            if (c.NextSessionAt <= now)
            {
                c.NextSessionAt = null;
                due.Add(NewArrival(connectorId));
                c.TagAt = now + TagDelay;
                c.UnplugAt = now + PlugInDuration();
            }
            if (c.RemotePlugInAt <= now)
            {
                c.RemotePlugInAt = null;
                due.Add(NewArrival(connectorId));
                c.UnplugAt = now + UnplugDelay();   // unless the transaction starts (OnSessionStarted)
            }
            if (c.TagAt <= now)
            {
                c.TagAt = null;
                due.Add(new PresentIdTagAction(connectorId, PickTag()));
            }
            if (c.UnplugAt <= now)
            {
                c.UnplugAt = null;
                c.RemoteDriver = false;
                c.NextSessionAt = NextArrival(now);
                due.Add(new UnplugAction(connectorId));
            }
        }
    }

    /// <summary>An accepted remote start waits for the EV at the connector: its driver sets off (unless the plan says never).</summary>
    public void OnRemoteStartAwaitingPlugIn(int connectorId, DateTimeOffset now)
    {
        if (At(connectorId) is not { } c || c.UnplugAt is not null)
        {
            return;   // an EV is plugged in already
        }
        c.RemoteDriver = true;
        c.NextSessionAt = null;
        if (c.RemotePlugInAt is null && _plan.RemoteStart.PlugInAfter is { } after)
        {
            c.RemotePlugInAt = now + TimeSpan.FromSeconds(Math.Max(0, after.Sample(_random)));
        }
    }

    /// <summary>The charge point stopped waiting for the EV. A driver on the way still comes (and finds nothing); one who never comes frees the connector.</summary>
    public void OnRemoteStartLapsed(int connectorId, DateTimeOffset now)
    {
        if (At(connectorId) is { RemoteDriver: true, UnplugAt: null, RemotePlugInAt: null } c)
        {
            c.RemoteDriver = false;
            c.NextSessionAt = NextArrival(now);
        }
    }

    /// <summary>A transaction started on the connector: the driver of an app-started session leaves the EV for the plug-in duration.</summary>
    public void OnSessionStarted(int connectorId, DateTimeOffset now)
    {
        if (At(connectorId) is { RemoteDriver: true, UnplugAt: not null } c)
        {
            c.UnplugAt = now + PlugInDuration();
        }
    }

    /// <summary>A transaction ended on the connector: the driver of an app-started session unplugs shortly after.</summary>
    public void OnSessionEnded(int connectorId, DateTimeOffset now)
    {
        if (At(connectorId) is { RemoteDriver: true, UnplugAt: { } unplugAt } c)
        {
            c.UnplugAt = Min(unplugAt, now + UnplugDelay());
        }
    }

    private ConnectorSchedule? At(int connectorId) => connectorId >= 1 && connectorId <= _connectors.Length ? _connectors[connectorId - 1] : null;

    private DateTimeOffset? NextArrival(DateTimeOffset now) => _plan.Kind == BehaviourKind.Sessions ? now + Gap() : null;

    private TimeSpan PlugInDuration() => TimeSpan.FromSeconds(Math.Max(TagDelay.TotalSeconds + 1, _plan.PlugInDuration.Sample(_random)));

    private TimeSpan UnplugDelay() => TimeSpan.FromSeconds(UnplugDelaySeconds.Sample(_random));

    private PlugInAction NewArrival(int connectorId)
    {
        var soc = _ev.ArrivalSocMin + (_random.NextDouble() * (_ev.ArrivalSocMax - _ev.ArrivalSocMin));
        return new PlugInAction(connectorId, _ev.BatteryCapacityWh, soc, _ev.MaxPowerW, _plan.EnergyNeedWh.Sample(_random));
    }

    private string PickTag()
    {
        if (_plan.IdTags.UnknownShare > 0 && _random.NextDouble() < _plan.IdTags.UnknownShare)
        {
            return $"UNKNOWN-{_random.Next(100_000):D5}";
        }
        return _tagPool.Length == 0 ? "FLEETSIM" : _tagPool[_random.Next(_tagPool.Length)];
    }

    private TimeSpan Gap() => TimeSpan.FromSeconds(-_plan.MeanTimeBetweenSessions.TotalSeconds * Math.Log(1 - _random.NextDouble()));

    private TimeSpan FaultGap() => TimeSpan.FromHours(-Math.Log(1 - _random.NextDouble()) / _plan.FaultsPerConnectorHour);

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    /// <remarks>
    /// The instants are kept as UTC ticks (0 = none): a nullable DateTimeOffset takes 24 bytes, and a fleet has one of these per
    /// connector. Comparisons and arithmetic of DateTimeOffset go by the UTC instant, so nothing but the offset's display changes.
    /// </remarks>
    private sealed class ConnectorSchedule
    {
        private long _nextSessionAt;
        private long _tagAt;
        private long _unplugAt;
        private long _nextFaultAt;
        private long _faultEndsAt;
        private long _remotePlugInAt;

        public DateTimeOffset? NextSessionAt { get => At(_nextSessionAt); set => _nextSessionAt = Ticks(value); }
        public DateTimeOffset? TagAt { get => At(_tagAt); set => _tagAt = Ticks(value); }
        public DateTimeOffset? UnplugAt { get => At(_unplugAt); set => _unplugAt = Ticks(value); }
        public DateTimeOffset? NextFaultAt { get => At(_nextFaultAt); set => _nextFaultAt = Ticks(value); }
        public DateTimeOffset? FaultEndsAt { get => At(_faultEndsAt); set => _faultEndsAt = Ticks(value); }
        /// <summary>When the driver of a remote start plugs in.</summary>
        public DateTimeOffset? RemotePlugInAt { get => At(_remotePlugInAt); set => _remotePlugInAt = Ticks(value); }
        /// <summary>The connector belongs to the driver of a remote start, from the charge point's wait for the EV to the unplug.</summary>
        public bool RemoteDriver { get; set; }

        private static DateTimeOffset? At(long utcTicks) => utcTicks == 0 ? null : new DateTimeOffset(utcTicks, TimeSpan.Zero);

        private static long Ticks(DateTimeOffset? instant) => instant?.UtcTicks ?? 0;
    }
}
