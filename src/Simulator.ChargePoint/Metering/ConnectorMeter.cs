using System.Globalization;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Metering;

/// <summary>
/// The energy meter of one connector, with the EV plugged into it.
/// </summary>
/// <remarks>
/// <para>
/// Power = min(charger max, EV max, smart-charging limit, the EV's CC-CV acceptance at its SoC). It is zero when no
/// transaction delivers, no EV is attached, the EV is suspended (full, or its energy need met) or the limit is 0.
/// </para>
/// <para>
/// CC-CV curve: the EV accepts its full <see cref="EvSpec.MaxPowerW"/> up to <see cref="TaperStartSoc"/> (80 %);
/// above it the acceptance falls linearly with SoC to <see cref="TrickleFraction"/> (5 %) of its max power at 100 %.
/// Because dSoC/dt is proportional to power, a taper that is linear in SoC makes the power decay exponentially in
/// time, the familiar CV-phase shape. The EV stops (suspends) at 100 % SoC, reached in finite time thanks to the trickle,
/// or once <see cref="EvSpec.EnergyNeedWh"/> has been delivered since <see cref="AttachEv"/>.
/// </para>
/// <para>
/// Integration is analytic: while the power is capped (by charger, EV or limit) it is constant, and once the taper
/// governs it, P(t) = P0·e^(−k·t) with k = slope / (capacity·3600). <see cref="AdvanceTo"/> walks these closed-form
/// segments, so one call over an hour and 3600 calls a second apart give the same register up to rounding.
/// </para>
/// <para>
/// Every method taking <c>now</c> first integrates up to <c>now</c>. A <c>now</c> earlier than the last one seen is
/// treated as the last one (no energy is ever taken back). The state properties describe the meter at the last
/// <c>now</c> it was given.
/// </para>
/// </remarks>
public sealed class ConnectorMeter
{
    /// <summary>SoC above which the EV's acceptance tapers.</summary>
    public const double TaperStartSoc = 0.8;

    /// <summary>Acceptance at 100 % SoC, as a fraction of the EV's max power.</summary>
    public const double TrickleFraction = 0.05;

    /// <summary>Ambient temperature of the charger body, °C.</summary>
    public const double AmbientTemperatureC = 25;

    /// <summary>Temperature rise of the body at the charger's max power, K.</summary>
    public const double TemperatureRiseAtMaxPowerK = 20;

    /// <summary>Boundaries (full, need met) closer than this many seconds count as reached; covers tick rounding.</summary>
    private const double BoundaryToleranceSeconds = 1e-6;

    private const double EnergyToleranceWh = 1e-9;

    private readonly MeterSpec _spec;
    private EvSpec? _ev;
    private double _soc;
    private double _deliveredSinceAttachWh;
    private bool _delivering;
    private DateTimeOffset? _clock;

    public ConnectorMeter(MeterSpec spec, double initialRegisterWh = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!(spec.MaxPowerW > 0) || double.IsInfinity(spec.MaxPowerW))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), "MaxPowerW must be positive and finite.");
        }

        if (!(spec.NominalVoltage > 0) || !(spec.DcVoltage > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), "Voltages must be positive.");
        }

        if (!(initialRegisterWh >= 0) || double.IsInfinity(initialRegisterWh))
        {
            throw new ArgumentOutOfRangeException(nameof(initialRegisterWh), "The register starts at a finite value >= 0.");
        }

        _spec = spec;
        RegisterWh = initialRegisterWh;
    }

    public MeterSpec Spec => _spec;

    /// <summary>Energy.Active.Import.Register in Wh: monotonic, survives EVs.</summary>
    public double RegisterWh { get; private set; }

    /// <summary>Power being delivered right now, W.</summary>
    public double PowerW => IsFlowing ? Math.Min(OfferedCapW, AcceptanceW(_ev!, _soc)) : 0;

    /// <summary>State of charge 0..1 while an EV is attached.</summary>
    public double? Soc => _ev is null ? null : _soc;

    /// <summary>The EV takes no power because it is full or its energy need is met: the connector is SuspendedEV.</summary>
    public bool EvSuspended { get; private set; }

    /// <summary>The active smart-charging cap in W, null = none.</summary>
    public double? LimitW { get; private set; }

    /// <summary>The limit is 0: the EVSE offers no energy (SuspendedEVSE while a transaction runs).</summary>
    public bool EvseSuspended => LimitW is <= 0;

    /// <summary>An EV is attached.</summary>
    public bool HasEv => _ev is not null;

    /// <summary>A transaction runs and energy may flow.</summary>
    public bool Delivering => _delivering;

    /// <summary>Energy delivered to the attached EV since it was attached, Wh (0 without EV).</summary>
    public double DeliveredSinceAttachWh => _ev is null ? 0 : _deliveredSinceAttachWh;

    /// <summary>What the EVSE offers: min(charger max, limit), W. This is Power.Offered.</summary>
    public double OfferedW => Math.Max(0, Math.Min(_spec.MaxPowerW, LimitW ?? double.PositiveInfinity));

    /// <summary>Charger body temperature, °C: ambient plus a rise proportional to the power drawn.</summary>
    public double TemperatureC => TemperatureAt(PowerW);

    private double OfferedCapW => _ev is null ? 0 : Math.Min(OfferedW, _ev.MaxPowerW);

    private bool IsFlowing => _delivering && _ev is not null && !EvSuspended && OfferedCapW > 0;

    public void AttachEv(EvSpec ev, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ev);
        if (!(ev.BatteryCapacityWh > 0) || double.IsInfinity(ev.BatteryCapacityWh))
        {
            throw new ArgumentOutOfRangeException(nameof(ev), "BatteryCapacityWh must be positive and finite.");
        }

        if (!(ev.ArrivalSoc >= 0 && ev.ArrivalSoc <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ev), "ArrivalSoc must be within 0..1.");
        }

        if (!(ev.MaxPowerW >= 0) || double.IsInfinity(ev.MaxPowerW))
        {
            throw new ArgumentOutOfRangeException(nameof(ev), "MaxPowerW must be finite and >= 0.");
        }

        if (!(ev.EnergyNeedWh >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(ev), "EnergyNeedWh must be >= 0.");
        }

        AdvanceTo(now);
        _ev = ev;
        _soc = ev.ArrivalSoc;
        _deliveredSinceAttachWh = 0;
        EvSuspended = false;
        CheckEvDone();
    }

    public void DetachEv(DateTimeOffset now)
    {
        AdvanceTo(now);
        _ev = null;
        _soc = 0;
        _deliveredSinceAttachWh = 0;
        EvSuspended = false;
    }

    public void StartDelivery(DateTimeOffset now)
    {
        AdvanceTo(now);
        _delivering = true;
    }

    public void StopDelivery(DateTimeOffset now)
    {
        AdvanceTo(now);
        _delivering = false;
    }

    /// <summary>Sets the smart-charging cap in W; null removes it, 0 suspends the EVSE.</summary>
    public void SetLimit(double? limitW, DateTimeOffset now)
    {
        if (limitW is { } l && (double.IsNaN(l) || l < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(limitW), "A limit is >= 0 W, or null for none.");
        }

        AdvanceTo(now);
        LimitW = limitW;
    }

    /// <summary>After a power cut: the register as it was last saved (the meter is idle: no EV, no delivery).</summary>
    internal void RestoreRegister(double registerWh)
    {
        if (!(registerWh >= 0) || double.IsInfinity(registerWh))
        {
            throw new ArgumentOutOfRangeException(nameof(registerWh), "The register is a finite value >= 0.");
        }

        RegisterWh = registerWh;
    }

    /// <summary>Integrates exactly up to <paramref name="now"/>.</summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        if (_clock is not { } last)
        {
            _clock = now;
            return;
        }

        if (now <= last)
        {
            return;
        }

        _clock = now;
        Integrate((now - last).Ticks / (double)TimeSpan.TicksPerSecond);
    }

    /// <summary>
    /// When the EV will reach its energy need or become full (so the owner can wake up and report SuspendedEV),
    /// or null when energy does not flow. Rounded up to the next tick: <see cref="AdvanceTo"/> at that instant sets
    /// <see cref="EvSuspended"/>.
    /// </summary>
    public DateTimeOffset? NextChangeAt(DateTimeOffset now)
    {
        AdvanceTo(now);
        if (!IsFlowing)
        {
            return null;
        }

        var ticks = Math.Ceiling(SecondsUntilEvDone() * TimeSpan.TicksPerSecond);
        var at = _clock!.Value;
        return ticks < DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks ? at.AddTicks((long)ticks) : null;
    }

    /// <summary>
    /// Samples the requested measurands at <paramref name="now"/>. Measurands the meter does not model, or that do not
    /// apply (SoC without an EV), are skipped.
    /// </summary>
    public IReadOnlyList<SampledValue> Sample(IReadOnlyList<Measurand> measurands, ReadingContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(measurands);
        return Values(Read(now), measurands, context);
    }

    /// <summary>The meter at <paramref name="now"/> as the numbers a sample is made of (see <see cref="Values"/>).</summary>
    public MeterReading Read(DateTimeOffset now)
    {
        AdvanceTo(now);
        return new(RegisterWh, PowerW, OfferedW, _ev is null ? double.NaN : _soc * 100);
    }

    /// <summary>Whether the measurand gives a value: the meter models it, and SoC only with an EV.</summary>
    public static bool Gives(Measurand measurand, in MeterReading reading) => measurand switch
    {
        Measurand.EnergyActiveImportRegister or Measurand.PowerActiveImport or Measurand.PowerOffered or Measurand.CurrentOffered
            or Measurand.CurrentImport or Measurand.Voltage or Measurand.Temperature => true,
        Measurand.SoC => reading.HasEv,
        _ => false,
    };

    /// <summary>The sampled values of a reading of this meter, as <see cref="Sample"/> gives them.</summary>
    public SampledValue[] Values(in MeterReading reading, IReadOnlyList<Measurand> measurands, ReadingContext context)
    {
        // Counted first so the array is made at its size: one object per sample rather than a list and its larger array.
        var count = 0;
        // Indexed: a foreach over the interface would box the list's enumerator at every sample.
        for (var i = 0; i < measurands.Count; i++)
        {
            var measurand = measurands[i];
            if (Gives(measurand, reading))
            {
                count += measurand is Measurand.CurrentImport or Measurand.Voltage ? PerPhaseValues : 1;
            }
        }
        if (count == 0)
        {
            return [];
        }
        var result = new SampledValue[count];
        var next = 0;
        var power = reading.PowerW;
        for (var i = 0; i < measurands.Count; i++)
        {
            var measurand = measurands[i];
            if (!Gives(measurand, reading))
            {
                continue;
            }
            switch (measurand)
            {
                case Measurand.EnergyActiveImportRegister:
                    result[next++] = Value(reading.RegisterWh, 1, measurand, UnitOfMeasure.Wh, context);
                    break;
                case Measurand.PowerActiveImport:
                    result[next++] = Value(power, 1, measurand, UnitOfMeasure.W, context);
                    break;
                case Measurand.PowerOffered:
                    result[next++] = Value(reading.OfferedW, 1, measurand, UnitOfMeasure.W, context);
                    break;
                case Measurand.CurrentOffered:
                    result[next++] = Value(_spec.CurrentPerPhaseA(reading.OfferedW), 2, measurand, UnitOfMeasure.A, context);
                    break;
                case Measurand.CurrentImport:
                    PutPerPhase(result, ref next, _spec.CurrentPerPhaseA(power), 2, measurand, UnitOfMeasure.A, context, Phase.L1, Phase.L2, Phase.L3);
                    break;
                case Measurand.Voltage:
                    PutPerPhase(result, ref next, _spec.PhaseVoltage, 1, measurand, UnitOfMeasure.V, context, Phase.L1N, Phase.L2N, Phase.L3N);
                    break;
                case Measurand.Temperature:
                    result[next++] = Value(TemperatureAt(power), 1, measurand, UnitOfMeasure.Celsius, context);
                    break;
                case Measurand.SoC:
                    result[next++] = Value(reading.SocPercent, 1, measurand, UnitOfMeasure.Percent, context, location: Location.EV);
                    break;
                default:
                    break;
            }
        }

        return result;
    }

    /// <summary>How many values a per-phase measurand gives: one on DC and single-phase AC, one per phase on three-phase AC.</summary>
    private int PerPhaseValues => _spec.Supply is SupplyType.DC or SupplyType.AC1Phase ? 1 : 3;

    private void PutPerPhase(SampledValue[] into, ref int next, double value, int decimals, Measurand measurand, UnitOfMeasure unit, ReadingContext context, Phase p1, Phase p2, Phase p3)
    {
        switch (_spec.Supply)
        {
            case SupplyType.DC:
                into[next++] = Value(value, decimals, measurand, unit, context);
                break;
            case SupplyType.AC1Phase:
                into[next++] = Value(value, decimals, measurand, unit, context, p1);
                break;
            default:
                into[next++] = Value(value, decimals, measurand, unit, context, p1);
                into[next++] = Value(value, decimals, measurand, unit, context, p2);
                into[next++] = Value(value, decimals, measurand, unit, context, p3);
                break;
        }
    }

    // The reading as a number: its text is written straight into the frame, not made as a string per sample.
    internal static SampledValue Value(double value, int decimals, Measurand measurand, UnitOfMeasure unit, ReadingContext context, Phase? phase = null, Location location = Location.Outlet) => new(value, decimals)
    {
        Context = context,
        Measurand = measurand,
        Phase = phase,
        Location = location,
        Unit = unit,
    };

    private double TemperatureAt(double powerW) => AmbientTemperatureC + (TemperatureRiseAtMaxPowerK * powerW / _spec.MaxPowerW);

    /// <summary>The EV's CC-CV acceptance at a state of charge.</summary>
    private static double AcceptanceW(EvSpec ev, double soc) =>
        soc <= TaperStartSoc ? ev.MaxPowerW : ev.MaxPowerW - (TaperSlopeWPerSoc(ev) * (soc - TaperStartSoc));

    /// <summary>How fast acceptance falls above the taper start, W per unit of SoC.</summary>
    private static double TaperSlopeWPerSoc(EvSpec ev) => ev.MaxPowerW * (1 - TrickleFraction) / (1 - TaperStartSoc);

    /// <summary>The SoC from which the taper, not the cap, governs power.</summary>
    private static double KneeSoc(EvSpec ev, double capW)
    {
        if (capW >= ev.MaxPowerW)
        {
            return TaperStartSoc;
        }

        var slope = TaperSlopeWPerSoc(ev);
        return slope <= 0 ? 1 : Math.Min(1, TaperStartSoc + ((ev.MaxPowerW - capW) / slope));
    }

    private double RemainingNeedWh => Math.Max(0, _ev!.EnergyNeedWh - _deliveredSinceAttachWh);

    private void Integrate(double seconds)
    {
        // At most three closed-form segments: capped constant power, exponential taper, then suspended.
        while (seconds > 0 && IsFlowing)
        {
            var ev = _ev!;
            var cap = OfferedCapW;
            var capacity = ev.BatteryCapacityWh;
            var knee = KneeSoc(ev, cap);

            if (_soc < knee)
            {
                var toKneeWh = (knee - _soc) * capacity;
                var needWh = RemainingNeedWh;
                var segmentWh = Math.Min(toKneeWh, needWh);
                var segmentSeconds = segmentWh / cap * 3600;
                if (seconds < segmentSeconds - BoundaryToleranceSeconds)
                {
                    Deliver(cap * seconds / 3600);
                    return;
                }

                Deliver(segmentWh, toKneeWh <= needWh ? knee : null);
                seconds -= segmentSeconds;
            }
            else
            {
                var p0 = AcceptanceW(ev, _soc);
                var slope = TaperSlopeWPerSoc(ev);
                var k = slope / (capacity * 3600);
                var endWh = Math.Min((1 - _soc) * capacity, RemainingNeedWh);
                var endSeconds = TaperSeconds(p0, slope, capacity, endWh, k);
                if (seconds < endSeconds - BoundaryToleranceSeconds)
                {
                    Deliver(p0 * capacity / slope * -double.ExpM1(-k * seconds));
                    return;
                }

                Deliver(endWh);
                seconds -= endSeconds;
            }

            CheckEvDone();
        }
    }

    /// <summary>Seconds for the exponential taper starting at power p0 to deliver energyWh.</summary>
    private static double TaperSeconds(double p0, double slope, double capacity, double energyWh, double k) =>
        energyWh <= 0 ? 0 : -double.LogP1(-energyWh * slope / (p0 * capacity)) / k;

    private double SecondsUntilEvDone()
    {
        var ev = _ev!;
        var cap = OfferedCapW;
        var capacity = ev.BatteryCapacityWh;
        var knee = KneeSoc(ev, cap);
        var soc = _soc;
        var need = RemainingNeedWh;
        var seconds = 0.0;
        if (soc < knee)
        {
            var segmentWh = Math.Min((knee - soc) * capacity, need);
            seconds += segmentWh / cap * 3600;
            need -= segmentWh;
            soc = knee;
            if (need <= EnergyToleranceWh || knee >= 1)
            {
                return seconds;
            }
        }

        var slope = TaperSlopeWPerSoc(ev);
        var endWh = Math.Min((1 - soc) * capacity, need);
        return seconds + TaperSeconds(AcceptanceW(ev, soc), slope, capacity, endWh, slope / (capacity * 3600));
    }

    private void Deliver(double energyWh, double? exactSoc = null)
    {
        if (energyWh <= 0)
        {
            return;
        }

        RegisterWh += energyWh;
        _deliveredSinceAttachWh += energyWh;
        _soc = Math.Min(1, exactSoc ?? (_soc + (energyWh / _ev!.BatteryCapacityWh)));
    }

    private void CheckEvDone()
    {
        if (_ev is null)
        {
            return;
        }

        if (_soc >= 1 - 1e-12 || _ev.EnergyNeedWh - _deliveredSinceAttachWh <= EnergyToleranceWh)
        {
            EvSuspended = true;
        }
    }
}
