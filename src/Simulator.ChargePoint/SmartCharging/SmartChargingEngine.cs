using Simulator.ChargePoint.Metering;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.SmartCharging;

/// <summary>
/// The OCPP 1.6 face of the shared <see cref="ScheduleEngine{TOriginal}"/>: 1.6 charging profiles in, 1.6 schedules out
/// (connector 0 = the charge point; ChargePointMaxProfile = <see cref="SchedulePurpose.StationMax"/>).
/// </summary>
public sealed class SmartChargingEngine
{
    private readonly ScheduleEngine<ChargingProfile> engine;

    public SmartChargingEngine(int connectorCount, int maxStackLevel = 10, int maxProfilesInstalled = 20)
    {
        engine = new ScheduleEngine<ChargingProfile>(connectorCount, maxStackLevel, maxProfilesInstalled);
    }

    public int ConnectorCount => engine.ConnectorCount;

    public int MaxStackLevel => engine.MaxStackLevel;

    public int MaxProfilesInstalled => engine.MaxProfilesInstalled;

    /// <inheritdoc cref="ScheduleEngine{TOriginal}.UnrestrictedLimitW"/>
    public double UnrestrictedLimitW { get => engine.UnrestrictedLimitW; init => engine.UnrestrictedLimitW = value; }

    /// <summary>The installed profiles with the connector each sits on.</summary>
    public IReadOnlyList<(int ConnectorId, ChargingProfile Profile)> Installed =>
        [.. engine.Installed.Select(p => (p.ConnectorId, p.Original))];

    /// <inheritdoc cref="ScheduleEngine{TOriginal}.Revision"/>
    public int Revision => engine.Revision;

    /// <summary>The ChargePointMaxProfiles and TxDefaultProfiles with their connector, in install order (what outlives a power cut).</summary>
    public IEnumerable<(int ConnectorId, ChargingProfile Profile)> Persistent => engine.Persistent;

    /// <summary>SetChargingProfile.req: validates and installs, replacing by id or by purpose + stack level + connector.</summary>
    public ChargingProfileOutcome Set(int connectorId, ChargingProfile profile, int? activeTransactionId)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return engine.Set(connectorId, ToNeutral(profile), profile, activeTransactionId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <inheritdoc cref="ScheduleEngine{TOriginal}.Clear"/>
    public int Clear(int? id, int? connectorId, ChargingProfilePurpose? purpose, int? stackLevel) =>
        engine.Clear(id, connectorId, purpose is { } p ? ToNeutral(p) : null, stackLevel);

    public void OnTransactionStarted(int connectorId, int transactionId, DateTimeOffset startedAt) =>
        engine.OnTransactionStarted(connectorId, transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture), startedAt);

    /// <summary>The transaction on the connector ended: its TxProfiles are removed.</summary>
    public void OnTransactionEnded(int connectorId) => engine.OnTransactionEnded(connectorId);

    /// <summary>The effective cap in W for a connector (0 = the charge point's max profile alone), null = unlimited.</summary>
    public double? LimitW(int connectorId, DateTimeOffset now, int phases, double voltage) => engine.LimitW(connectorId, now, phases, voltage);

    /// <summary>The effective cap in W for a connector with the given supply.</summary>
    public double? LimitW(int connectorId, DateTimeOffset now, MeterSpec spec) => engine.LimitW(connectorId, now, spec);

    /// <inheritdoc cref="ScheduleEngine{TOriginal}.GetCompositeSchedule(int, TimeSpan, RateUnit?, DateTimeOffset, int, double)"/>
    public CompositeScheduleResult? GetCompositeSchedule(int connectorId, TimeSpan duration, ChargingRateUnit? unit, DateTimeOffset now, int phases, double voltage) =>
        ToV16(engine.GetCompositeSchedule(connectorId, duration, ToNeutral(unit), now, phases, voltage));

    /// <summary>As the other overload, with the phases, voltage and unrestricted limit taken from the supply.</summary>
    public CompositeScheduleResult? GetCompositeSchedule(int connectorId, TimeSpan duration, ChargingRateUnit? unit, DateTimeOffset now, MeterSpec spec) =>
        ToV16(engine.GetCompositeSchedule(connectorId, duration, ToNeutral(unit), now, spec));

    /// <inheritdoc cref="ScheduleEngine{TOriginal}.NextLimitChangeAt"/>
    public DateTimeOffset? NextLimitChangeAt(int connectorId, DateTimeOffset now) => engine.NextLimitChangeAt(connectorId, now);

    private static ScheduleProfile ToNeutral(ChargingProfile profile) => new()
    {
        Id = profile.ChargingProfileId,
        StackLevel = profile.StackLevel,
        Purpose = ToNeutral(profile.ChargingProfilePurpose),
        Kind = profile.ChargingProfileKind switch
        {
            ChargingProfileKind.Absolute => ScheduleKind.Absolute,
            ChargingProfileKind.Recurring => ScheduleKind.Recurring,
            _ => ScheduleKind.Relative,
        },
        Recurrency = profile.RecurrencyKind switch
        {
            RecurrencyKind.Daily => ScheduleRecurrency.Daily,
            RecurrencyKind.Weekly => ScheduleRecurrency.Weekly,
            _ => null,
        },
        ValidFrom = profile.ValidFrom,
        ValidTo = profile.ValidTo,
        TransactionId = profile.TransactionId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Schedule = profile.ChargingSchedule is not { } schedule ? null! : new Schedule
        {
            StartSchedule = schedule.StartSchedule,
            Duration = schedule.Duration,
            RateUnit = schedule.ChargingRateUnit == ChargingRateUnit.A ? RateUnit.A : RateUnit.W,
            SchedulePeriod = schedule.ChargingSchedulePeriod is null ? null!
                : [.. schedule.ChargingSchedulePeriod.Select(p => new SchedulePeriod { StartPeriod = p.StartPeriod, Limit = p.Limit, NumberPhases = p.NumberPhases })],
        },
    };

    private static SchedulePurpose ToNeutral(ChargingProfilePurpose purpose) => purpose switch
    {
        ChargingProfilePurpose.ChargePointMaxProfile => SchedulePurpose.StationMax,
        ChargingProfilePurpose.TxDefaultProfile => SchedulePurpose.TxDefault,
        _ => SchedulePurpose.Tx,
    };

    private static RateUnit? ToNeutral(ChargingRateUnit? unit) => unit switch
    {
        ChargingRateUnit.A => RateUnit.A,
        ChargingRateUnit.W => RateUnit.W,
        _ => null,
    };

    private static CompositeScheduleResult? ToV16(CompositeLimits? composite) => composite is null ? null : new(composite.ScheduleStart, new ChargingSchedule
    {
        Duration = composite.Schedule.Duration,
        StartSchedule = composite.Schedule.StartSchedule,
        ChargingRateUnit = composite.Schedule.RateUnit == RateUnit.A ? ChargingRateUnit.A : ChargingRateUnit.W,
        ChargingSchedulePeriod = [.. composite.Schedule.SchedulePeriod.Select(p => new ChargingSchedulePeriod { StartPeriod = p.StartPeriod, Limit = p.Limit, NumberPhases = p.NumberPhases })],
    });
}
