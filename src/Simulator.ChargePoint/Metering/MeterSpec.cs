namespace Simulator.ChargePoint.Metering;

public enum SupplyType
{
    AC1Phase,
    AC3Phase,
    DC,
}

/// <summary>What a connector's supply can deliver.</summary>
/// <param name="MaxPowerW">The charger's own maximum power for this connector.</param>
/// <param name="NominalVoltage">Phase-to-neutral voltage for AC supplies.</param>
/// <param name="DcVoltage">Voltage at the DC outlet (a fixed battery voltage; the model does not track it with SoC).</param>
public sealed record MeterSpec(SupplyType Supply, double MaxPowerW, double NominalVoltage = 230, double DcVoltage = 400)
{
    /// <summary>Phases the power is spread over: 3 for AC 3-phase, 1 for AC 1-phase and for DC.</summary>
    public int Phases => Supply == SupplyType.AC3Phase ? 3 : 1;

    /// <summary>The voltage one phase's current is computed from: the phase voltage for AC, the DC voltage for DC.</summary>
    public double PhaseVoltage => Supply == SupplyType.DC ? DcVoltage : NominalVoltage;

    /// <summary>Current per phase for a given total power.</summary>
    public double CurrentPerPhaseA(double powerW) => powerW / (Phases * PhaseVoltage);
}

/// <summary>
/// An EV plugged into a connector: battery, arrival state of charge (0..1), its own max power,
/// and how much energy the driver wants (it stops when that is reached or when the battery is full).
/// </summary>
public sealed record EvSpec(double BatteryCapacityWh, double ArrivalSoc, double MaxPowerW, double EnergyNeedWh);
