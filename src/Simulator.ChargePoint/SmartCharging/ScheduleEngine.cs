using Simulator.ChargePoint.Metering;

namespace Simulator.ChargePoint.SmartCharging;

/// <summary>
/// Installed charging profiles of one charging station and the limits they impose (OCPP 1.6 §3.13, §5.16, §7.8–7.11; 2.0.1 K),
/// on the version-neutral <see cref="ScheduleProfile"/>. <typeparamref name="TOriginal"/> is the version's own profile type, kept
/// beside each installed profile so that the version can report it back as it was set.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Within one purpose (and, for TxDefaultProfile, one connector scope) the profile with the highest stack level
/// that is valid (validFrom ≤ t &lt; validTo) and whose schedule covers t wins; when it has ended (duration) or not yet
/// started, the next lower one applies.</item>
/// <item>Effective limit of connector c = min(ChargePointMaxProfile, TxProfile of c's transaction if one covers t, else
/// the TxDefaultProfile installed on c, else the one installed on connector 0). A connector-specific TxDefaultProfile
/// overrides connector 0's whatever their stack levels.</item>
/// <item>First version: the ChargePointMaxProfile is applied as a cap on each connector, not shared among them.</item>
/// <item>Relative profiles, and Absolute ones without startSchedule (1.6: "relative to start of charging"), start at the
/// connector's transaction start. Without a transaction <see cref="LimitW(int, DateTimeOffset, int, double)"/> gives
/// their first period (what would be offered if charging began now), and the composite schedule forecasts them as if
/// the transaction started at the request.</item>
/// <item>Recurring profiles repeat every day or week from startSchedule and do not apply before it. Within a
/// recurrence, duration (if any) ends the schedule until the next recurrence; periods are otherwise cut at the next
/// recurrence.</item>
/// <item>Amps become watts as amps × min(numberPhases ?? phases, phases) × voltage, where phases and voltage are the
/// connector's (3 or 1 and the phase voltage for AC; 1 and the DC voltage for DC): a period cannot use more phases than
/// the supply has.</item>
/// </list>
/// </remarks>
public sealed class ScheduleEngine<TOriginal>
{
    private const int MaxBoundarySteps = 10_000;

    private readonly List<InstalledProfile> _profiles = [];
    // By connector id, made at the first transaction: an array of a few slots rather than a dictionary, one per charge point of a fleet.
    private (string TransactionId, DateTimeOffset StartedAt)?[]? _transactions;

    public ScheduleEngine(int connectorCount, int maxStackLevel = 10, int maxProfilesInstalled = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connectorCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxStackLevel);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxProfilesInstalled, 1);
        ConnectorCount = connectorCount;
        MaxStackLevel = maxStackLevel;
        MaxProfilesInstalled = maxProfilesInstalled;
    }

    public int ConnectorCount { get; }

    public int MaxStackLevel { get; }

    public int MaxProfilesInstalled { get; }

    /// <summary>
    /// The limit a composite schedule reports for stretches where no profile applies (W). Set it to the charger's
    /// max power; the <see cref="GetCompositeSchedule(int, TimeSpan, RateUnit?, DateTimeOffset, MeterSpec)"/>
    /// overload uses the spec's max power instead.
    /// </summary>
    public double UnrestrictedLimitW { get; set; } = 22_080;

    /// <summary>The installed profiles with the connector each sits on.</summary>
    public IReadOnlyList<(int ConnectorId, ScheduleProfile Profile, TOriginal Original)> Installed =>
        _profiles.Select(p => (p.ConnectorId, p.Profile, p.Original)).ToList();

    /// <summary>Changes whenever a profile is installed or removed (the owner saves <see cref="Persistent"/> when it does).</summary>
    public int Revision { get; private set; }

    /// <summary>
    /// The installed profiles a station keeps in non-volatile memory (OCPP 2.0.1 K01: charging profiles are stored persistently; a 1.6
    /// charge point keeps them as well), in install order: every purpose but TxProfile, which belongs to a transaction a power cut ends.
    /// </summary>
    public IEnumerable<(int ConnectorId, TOriginal Original)> Persistent =>
        _profiles.Where(p => p.Profile.Purpose != SchedulePurpose.Tx).Select(p => (p.ConnectorId, p.Original));

    /// <summary>
    /// OCPP 2.0.1 (K01.FR.39): a second profile with the same purpose, stack level and EVSE (another id) is Rejected instead of
    /// replacing the installed one as 1.6 does.
    /// </summary>
    public bool RejectSameStackLevel { get; init; }

    /// <summary>SetChargingProfile.req: validates and installs, replacing by id or by purpose + stack level + connector.</summary>
    public ChargingProfileOutcome Set(int connectorId, ScheduleProfile profile, TOriginal original, string? activeTransactionId)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (connectorId < 0 || connectorId > ConnectorCount)
        {
            return ChargingProfileOutcome.Rejected($"connector {connectorId} does not exist (0..{ConnectorCount})");
        }

        if (profile.StackLevel < 0 || profile.StackLevel > MaxStackLevel)
        {
            return ChargingProfileOutcome.Rejected($"stackLevel {profile.StackLevel} outside 0..{MaxStackLevel}");
        }

        if (ValidateSchedule(profile) is { } scheduleProblem)
        {
            return ChargingProfileOutcome.Rejected(scheduleProblem);
        }

        string? transactionId = null;
        switch (profile.Purpose)
        {
            case SchedulePurpose.StationMax:
                if (connectorId != 0)
                {
                    return ChargingProfileOutcome.Rejected("a station max profile can only be set on connector/EVSE 0");
                }

                if (profile.Kind == ScheduleKind.Relative)
                {
                    return ChargingProfileOutcome.Rejected("a station max profile cannot be Relative: there is no transaction to start from");
                }

                break;
            case SchedulePurpose.TxDefault:
            case SchedulePurpose.ExternalConstraints:
                break;
            case SchedulePurpose.Tx:
                if (connectorId == 0)
                {
                    return ChargingProfileOutcome.Rejected("TxProfile needs a specific connector, not 0");
                }

                if (activeTransactionId is not { } active)
                {
                    return ChargingProfileOutcome.Rejected($"TxProfile without an active transaction on connector {connectorId}");
                }

                if (profile.TransactionId is { } wanted && wanted != active)
                {
                    return ChargingProfileOutcome.Rejected($"TxProfile for transaction {wanted}, but connector {connectorId} runs transaction {active}");
                }

                transactionId = active;
                break;
            default:
                return ChargingProfileOutcome.Rejected($"unknown purpose {profile.Purpose}");
        }

        if (RejectSameStackLevel && _profiles.Any(p => p.Profile.Id != profile.Id && p.ConnectorId == connectorId
            && p.Profile.Purpose == profile.Purpose && p.Profile.StackLevel == profile.StackLevel
            && (profile.Purpose != SchedulePurpose.Tx || p.TransactionId == transactionId)
            && (p.Profile.ValidTo is not { } otherTo || profile.ValidFrom is not { } from || from < otherTo)
            && (profile.ValidTo is not { } to || p.Profile.ValidFrom is not { } otherFrom || otherFrom < to)))
        {
            return ChargingProfileOutcome.Rejected($"a {profile.Purpose} profile with stackLevel {profile.StackLevel} and an overlapping validity is already installed on {connectorId}");
        }

        var replaced = _profiles.Where(p => Replaces(p, connectorId, profile)).ToList();
        if (_profiles.Count - replaced.Count >= MaxProfilesInstalled)
        {
            return ChargingProfileOutcome.Rejected($"at most {MaxProfilesInstalled} profiles can be installed");
        }

        foreach (var old in replaced)
        {
            _profiles.Remove(old);
        }

        _profiles.Add(new InstalledProfile(connectorId, profile, original, transactionId));
        Revision++;
        return ChargingProfileOutcome.Ok;
    }

    /// <summary>
    /// ClearChargingProfile.req: with an id, removes that profile (the other criteria are ignored); otherwise removes
    /// every profile matching all the given criteria (null = any). Returns how many were removed (0 => Unknown).
    /// </summary>
    public int Clear(int? id, int? connectorId, SchedulePurpose? purpose, int? stackLevel)
    {
        if (id is { } profileId)
        {
            return Removed(_profiles.RemoveAll(p => p.Profile.Id == profileId));
        }

        return Removed(_profiles.RemoveAll(p =>
            (connectorId is null || p.ConnectorId == connectorId) &&
            (purpose is null || p.Profile.Purpose == purpose) &&
            (stackLevel is null || p.Profile.StackLevel == stackLevel)));
    }

    /// <summary>Removes every profile the predicate (connector, profile) picks; returns how many.</summary>
    public int RemoveWhere(Func<int, ScheduleProfile, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Removed(_profiles.RemoveAll(p => predicate(p.ConnectorId, p.Profile)));
    }

    /// <summary>The transaction the engine knows on the connector (its relative profiles start at its start), or null.</summary>
    public string? TransactionOn(int connectorId) => TransactionAt(connectorId)?.TransactionId;

    private (string TransactionId, DateTimeOffset StartedAt)? TransactionAt(int connectorId) =>
        _transactions is { } open && connectorId >= 0 && connectorId < open.Length ? open[connectorId] : null;

    public void OnTransactionStarted(int connectorId, string transactionId, DateTimeOffset startedAt)
    {
        CheckConnector(connectorId, allowZero: false);
        (_transactions ??= new (string, DateTimeOffset)?[ConnectorCount + 1])[connectorId] = (transactionId, startedAt);
    }

    /// <summary>The transaction on the connector ended: its TxProfiles are removed.</summary>
    public void OnTransactionEnded(int connectorId)
    {
        CheckConnector(connectorId, allowZero: false);
        if (_transactions is { } open)
        {
            open[connectorId] = null;
        }
        Removed(_profiles.RemoveAll(p => p.ConnectorId == connectorId && p.Profile.Purpose == SchedulePurpose.Tx));
    }

    private int Removed(int count)
    {
        if (count > 0)
        {
            Revision++;
        }
        return count;
    }

    /// <summary>The effective cap in W for a connector (0 = the charge point's max profile alone), null = unlimited.</summary>
    public double? LimitW(int connectorId, DateTimeOffset now, int phases, double voltage)
    {
        CheckConnector(connectorId, allowZero: true);
        CheckElectrical(phases, voltage);
        return EffectiveW(connectorId, now, relativeAnchor: null, phases, voltage);
    }

    /// <summary>The effective cap in W for a connector with the given supply.</summary>
    public double? LimitW(int connectorId, DateTimeOffset now, MeterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return LimitW(connectorId, now, spec.Phases, spec.PhaseVoltage);
    }

    /// <summary>
    /// The combined schedule from <paramref name="now"/> over <paramref name="duration"/> in the requested unit (W by
    /// default); null when no profile applies in that window (or the connector does not exist), so the caller answers
    /// Rejected. Connector 0 reports the ChargePointMaxProfile alone. Stretches without any profile get
    /// <see cref="UnrestrictedLimitW"/>. Limits are rounded down to 0.1.
    /// </summary>
    public CompositeLimits? GetCompositeSchedule(int connectorId, TimeSpan duration, RateUnit? unit, DateTimeOffset now, int phases, double voltage) =>
        Composite(connectorId, duration, unit, now, phases, voltage, UnrestrictedLimitW);

    /// <summary>As the other overload, with the phases, voltage and unrestricted limit taken from the supply.</summary>
    public CompositeLimits? GetCompositeSchedule(int connectorId, TimeSpan duration, RateUnit? unit, DateTimeOffset now, MeterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Composite(connectorId, duration, unit, now, spec.Phases, spec.PhaseVoltage, spec.MaxPowerW);
    }

    /// <summary>
    /// The next instant after <paramref name="now"/> at which the connector's effective limit changes (a period
    /// boundary, a schedule or validity start or end, a recurrence), or null when it will not change.
    /// </summary>
    public DateTimeOffset? NextLimitChangeAt(int connectorId, DateTimeOffset now)
    {
        CheckConnector(connectorId, allowZero: true);
        var current = Layers(connectorId, now, relativeAnchor: null);
        var t = now;
        for (var step = 0; step < MaxBoundarySteps; step++)
        {
            if (NextBoundary(connectorId, t, relativeAnchor: null) is not { } next)
            {
                return null;
            }

            if (Layers(connectorId, next, relativeAnchor: null) != current)
            {
                return next;
            }

            t = next;
        }

        return null;
    }

    private CompositeLimits? Composite(int connectorId, TimeSpan duration, RateUnit? unit, DateTimeOffset now, int phases, double voltage, double unrestrictedW)
    {
        if (connectorId < 0 || connectorId > ConnectorCount || duration <= TimeSpan.Zero)
        {
            return null;
        }

        CheckElectrical(phases, voltage);
        var rateUnit = unit ?? RateUnit.W;
        var end = now + duration;
        var periods = new List<SchedulePeriod>();
        var anyLimit = false;
        var t = now;
        for (var step = 0; step < MaxBoundarySteps && t < end; step++)
        {
            var limitW = EffectiveW(connectorId, t, relativeAnchor: now, phases, voltage);
            anyLimit |= limitW.HasValue;
            var value = rateUnit == RateUnit.W ? limitW ?? unrestrictedW : (limitW ?? unrestrictedW) / (phases * voltage);
            var limit = Math.Floor((decimal)value * 10) / 10;
            var offset = (int)Math.Ceiling((t - now).TotalSeconds - 1e-9);
            var period = new SchedulePeriod
            {
                StartPeriod = offset,
                Limit = limit,
                NumberPhases = rateUnit == RateUnit.A ? phases : null,
            };
            if (periods.Count > 0 && periods[^1].StartPeriod == offset)
            {
                periods[^1] = period;
            }
            else if (periods.Count == 0 || periods[^1].Limit != limit)
            {
                periods.Add(period);
            }

            if (periods.Count >= 2 && periods[^1].Limit == periods[^2].Limit)
            {
                periods.RemoveAt(periods.Count - 1);
            }

            if (NextBoundary(connectorId, t, relativeAnchor: now) is not { } next)
            {
                break;
            }

            t = next;
        }

        if (!anyLimit)
        {
            return null;
        }

        var schedule = new Schedule
        {
            Duration = (int)Math.Ceiling(duration.TotalSeconds),
            StartSchedule = now,
            RateUnit = rateUnit,
            SchedulePeriod = periods,
        };
        return new CompositeLimits(now, schedule);
    }

    private double? EffectiveW(int connectorId, DateTimeOffset t, DateTimeOffset? relativeAnchor, int phases, double voltage)
    {
        if (_profiles.Count == 0)
        {
            return null;
        }

        var (max, external, tx) = Layers(connectorId, t, relativeAnchor);
        double? limit = null;
        Lower(ref limit, max, phases, voltage);
        Lower(ref limit, external, phases, voltage);
        Lower(ref limit, tx, phases, voltage);
        return limit;
    }

    private static void Lower(ref double? limit, PeriodHit? hit, int phases, double voltage)
    {
        if (hit is { } h)
        {
            var w = h.ToWatts(phases, voltage);
            limit = limit is { } l ? Math.Min(l, w) : w;
        }
    }

    /// <summary>The period in force for each layer: the station max one, the external constraints one and the Tx/TxDefault one.</summary>
    private (PeriodHit? Max, PeriodHit? External, PeriodHit? Tx) Layers(int connectorId, DateTimeOffset t, DateTimeOffset? relativeAnchor)
    {
        if (_profiles.Count == 0)
        {
            return default;
        }

        var max = Best(t, relativeAnchor, connectorId, SchedulePurpose.StationMax, onConnector: null);
        var external = Best(t, relativeAnchor, connectorId, SchedulePurpose.ExternalConstraints, onConnector: connectorId)
            ?? Best(t, relativeAnchor, connectorId, SchedulePurpose.ExternalConstraints, onConnector: 0);
        if (connectorId == 0)
        {
            return (max, external, null);
        }

        var tx = Best(t, relativeAnchor, connectorId, SchedulePurpose.Tx, onConnector: connectorId)
            ?? Best(t, relativeAnchor, connectorId, SchedulePurpose.TxDefault, onConnector: connectorId)
            ?? Best(t, relativeAnchor, connectorId, SchedulePurpose.TxDefault, onConnector: 0);
        return (max, external, tx);
    }

    /// <summary>The highest-stack-level profile of that purpose (installed on <paramref name="onConnector"/>; null = any) in force at t.</summary>
    private PeriodHit? Best(DateTimeOffset t, DateTimeOffset? relativeAnchor, int connectorId, SchedulePurpose purpose, int? onConnector)
    {
        PeriodHit? best = null;
        var bestLevel = -1;
        foreach (var p in _profiles)
        {
            if (p.Profile.StackLevel > bestLevel && p.Profile.Purpose == purpose && (onConnector is not { } on || p.ConnectorId == on)
                && Evaluate(p, connectorId, t, relativeAnchor) is { } hit)
            {
                best = hit;
                bestLevel = p.Profile.StackLevel;
            }
        }

        return best;
    }

    private static bool IsRelevant(InstalledProfile p, int connectorId) => p.Profile.Purpose switch
    {
        SchedulePurpose.StationMax => true,
        SchedulePurpose.ExternalConstraints => p.ConnectorId == 0 || p.ConnectorId == connectorId,
        _ => connectorId != 0 && (p.ConnectorId == connectorId || (p.ConnectorId == 0 && p.Profile.Purpose == SchedulePurpose.TxDefault)),
    };

    /// <summary>The start of the schedule cycle in force at t; Floating = a relative schedule with nothing to start from (always its first period).</summary>
    private (DateTimeOffset? Start, bool Floating) ScheduleStart(InstalledProfile p, int connectorId, DateTimeOffset t, DateTimeOffset? relativeAnchor)
    {
        var schedule = p.Profile.Schedule;
        if (p.Profile.Kind == ScheduleKind.Recurring)
        {
            var origin = schedule.StartSchedule!.Value;
            if (t < origin)
            {
                return (null, false);
            }

            var length = RecurrenceLength(p.Profile);
            var cycles = (t - origin).Ticks / length.Ticks;
            return (origin + (length * cycles), false);
        }

        if (p.Profile.Kind == ScheduleKind.Absolute && schedule.StartSchedule is { } start)
        {
            return (start, false);
        }

        if (p.Profile.Purpose != SchedulePurpose.StationMax && TransactionAt(connectorId) is { } tx)
        {
            return (tx.StartedAt, false);
        }

        return relativeAnchor is { } anchor ? (anchor, false) : (null, true);
    }

    private PeriodHit? Evaluate(InstalledProfile p, int connectorId, DateTimeOffset t, DateTimeOffset? relativeAnchor)
    {
        var profile = p.Profile;
        if ((profile.ValidFrom is { } from && t < from) || (profile.ValidTo is { } to && t >= to))
        {
            return null;
        }

        var schedule = profile.Schedule;
        var (start, floating) = ScheduleStart(p, connectorId, t, relativeAnchor);
        double elapsed;
        if (floating)
        {
            elapsed = 0;
        }
        else if (start is { } s)
        {
            elapsed = (t - s).TotalSeconds;
        }
        else
        {
            return null;
        }

        if (elapsed < 0 || (schedule.Duration is { } duration && elapsed >= duration))
        {
            return null;
        }

        SchedulePeriod? current = null;
        var periods = schedule.SchedulePeriod;
        for (var i = 0; i < periods.Count; i++)
        {
            if (periods[i].StartPeriod <= elapsed)
            {
                current = periods[i];
            }
        }

        return current is null ? null : new PeriodHit(schedule.RateUnit, current.Limit, current.NumberPhases);
    }

    /// <summary>The earliest instant after t at which any profile relevant to the connector may change its answer.</summary>
    private DateTimeOffset? NextBoundary(int connectorId, DateTimeOffset t, DateTimeOffset? relativeAnchor)
    {
        DateTimeOffset? best = null;
        void Consider(DateTimeOffset candidate)
        {
            if (candidate > t && (best is null || candidate < best))
            {
                best = candidate;
            }
        }

        foreach (var p in _profiles)
        {
            if (!IsRelevant(p, connectorId))
            {
                continue;
            }

            var profile = p.Profile;
            if (profile.ValidFrom is { } from)
            {
                Consider(from);
            }

            if (profile.ValidTo is { } to)
            {
                Consider(to);
            }

            var (start, floating) = ScheduleStart(p, connectorId, t, relativeAnchor);
            if (floating)
            {
                continue;
            }

            if (profile.Kind == ScheduleKind.Recurring)
            {
                var origin = profile.Schedule.StartSchedule!.Value;
                if (start is null)
                {
                    Consider(origin);
                    continue;
                }

                Consider(start.Value + RecurrenceLength(profile));
            }

            if (start is { } s)
            {
                Consider(s);
                var periods = profile.Schedule.SchedulePeriod;
                for (var i = 0; i < periods.Count; i++)
                {
                    Consider(s.AddSeconds(periods[i].StartPeriod));
                }

                if (profile.Schedule.Duration is { } duration)
                {
                    Consider(s.AddSeconds(duration));
                }
            }
        }

        return best;
    }

    private static TimeSpan RecurrenceLength(ScheduleProfile profile) =>
        profile.Recurrency == ScheduleRecurrency.Weekly ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);

    private static bool Replaces(InstalledProfile old, int connectorId, ScheduleProfile incoming) =>
        old.Profile.Id == incoming.Id ||
        (old.ConnectorId == connectorId &&
         old.Profile.Purpose == incoming.Purpose &&
         old.Profile.StackLevel == incoming.StackLevel);

    private static string? ValidateSchedule(ScheduleProfile profile)
    {
        var schedule = profile.Schedule;
        if (schedule is null || schedule.SchedulePeriod is not { Count: > 0 } periods)
        {
            return "chargingSchedule has no periods";
        }

        if (periods[0].StartPeriod != 0)
        {
            return "the first chargingSchedulePeriod must start at 0";
        }

        for (var i = 0; i < periods.Count; i++)
        {
            if (i > 0 && periods[i].StartPeriod <= periods[i - 1].StartPeriod)
            {
                return "chargingSchedulePeriod startPeriods must increase";
            }

            if (periods[i].Limit < 0)
            {
                return "a period limit is negative";
            }

            if (periods[i].NumberPhases is { } n && (n < 1 || n > 3))
            {
                return "numberPhases must be 1..3";
            }
        }

        if (schedule.Duration is < 0)
        {
            return "duration is negative";
        }

        if (profile.ValidFrom is { } from && profile.ValidTo is { } to && to <= from)
        {
            return "validTo is not after validFrom";
        }

        if (profile.Kind == ScheduleKind.Recurring)
        {
            if (profile.Recurrency is null)
            {
                return "a Recurring profile needs recurrencyKind";
            }

            if (schedule.StartSchedule is null)
            {
                return "a Recurring profile needs startSchedule (the recurrence origin)";
            }
        }

        return null;
    }

    private void CheckConnector(int connectorId, bool allowZero)
    {
        if (connectorId < (allowZero ? 0 : 1) || connectorId > ConnectorCount)
        {
            throw new ArgumentOutOfRangeException(nameof(connectorId), connectorId, $"connector outside {(allowZero ? 0 : 1)}..{ConnectorCount}");
        }
    }

    private static void CheckElectrical(int phases, double voltage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(phases, 1);
        if (!(voltage > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(voltage), voltage, "voltage must be positive");
        }
    }

    private sealed record InstalledProfile(int ConnectorId, ScheduleProfile Profile, TOriginal Original, string? TransactionId);

    /// <summary>The period in force for one layer: its unit, limit and phases.</summary>
    private readonly record struct PeriodHit(RateUnit Unit, decimal Limit, int? NumberPhases)
    {
        public double ToWatts(int phases, double voltage) => Unit == RateUnit.W
            ? (double)Limit
            : (double)Limit * Math.Min(NumberPhases ?? phases, phases) * voltage;
    }
}
