using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Metering;

/// <summary>
/// Connector 0's meter: the charge point as a whole, measured at its grid inlet. Its energy register is the sum of the connectors'
/// registers; of the other measurands it gives those that mean something for the whole charge point: power and offered power add up,
/// and so do the currents (one supply, phase by phase), the voltage is the supply's. Temperature and SoC belong to one outlet or EV.
/// </summary>
public static class MainMeter
{
    /// <summary>Samples the connectors' meters at <paramref name="now"/>: the energy register always (first), then the other measurands that apply.</summary>
    public static IReadOnlyList<SampledValue> Sample(IReadOnlyList<ConnectorMeter> meters, IReadOnlyList<Measurand> measurands, ReadingContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(measurands);
        if (meters.Count == 0)
        {
            return [];
        }
        foreach (var meter in meters)
        {
            meter.AdvanceTo(now);
        }
        var spec = meters[0].Spec;
        var result = new List<SampledValue> { Value(meters.Sum(m => m.RegisterWh), 1, Measurand.EnergyActiveImportRegister, UnitOfMeasure.Wh, context) };
        foreach (var measurand in measurands.Distinct())
        {
            switch (measurand)
            {
                case Measurand.PowerActiveImport:
                    result.Add(Value(meters.Sum(m => m.PowerW), 1, measurand, UnitOfMeasure.W, context));
                    break;
                case Measurand.PowerOffered:
                    result.Add(Value(meters.Sum(m => m.OfferedW), 1, measurand, UnitOfMeasure.W, context));
                    break;
                case Measurand.CurrentOffered:
                    result.Add(Value(meters.Sum(m => m.Spec.CurrentPerPhaseA(m.OfferedW)), 2, measurand, UnitOfMeasure.A, context));
                    break;
                case Measurand.CurrentImport:
                    AddPerPhase(result, spec, meters.Sum(m => m.Spec.CurrentPerPhaseA(m.PowerW)), 2, measurand, UnitOfMeasure.A, context, Phase.L1, Phase.L2, Phase.L3);
                    break;
                case Measurand.Voltage:
                    AddPerPhase(result, spec, spec.PhaseVoltage, 1, measurand, UnitOfMeasure.V, context, Phase.L1N, Phase.L2N, Phase.L3N);
                    break;
                default:
                    break;   // the energy register is already there; temperature and SoC are per outlet or per EV
            }
        }
        return result;
    }

    private static void AddPerPhase(List<SampledValue> into, MeterSpec spec, double value, int decimals, Measurand measurand, UnitOfMeasure unit, ReadingContext context, params Phase[] phases)
    {
        if (spec.Supply == SupplyType.DC)
        {
            into.Add(Value(value, decimals, measurand, unit, context));
            return;
        }
        foreach (var phase in phases.Take(spec.Phases))
        {
            into.Add(Value(value, decimals, measurand, unit, context, phase));
        }
    }

    private static SampledValue Value(double value, int decimals, Measurand measurand, UnitOfMeasure unit, ReadingContext context, Phase? phase = null)
        => ConnectorMeter.Value(value, decimals, measurand, unit, context, phase, Location.Inlet);
}
