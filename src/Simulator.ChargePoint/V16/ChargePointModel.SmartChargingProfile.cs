using Simulator.ChargePoint.Metering;
using Simulator.Ocpp.V16.SmartCharging;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.V16;

/// <summary>SmartCharging profile: delegates to the <see cref="SmartCharging.SmartChargingEngine"/>; limits reach the meters in <see cref="ApplyLimits"/>.</summary>
public sealed partial class ChargePointModel
{
    private SetChargingProfileResponse SetChargingProfile(SetChargingProfileRequest request)
    {
        if (request.ConnectorId < 0 || request.ConnectorId > ConnectorCount)
        {
            return new() { Status = ChargingProfileStatus.Rejected };
        }
        var activeTransaction = request.ConnectorId == 0 ? null : connectors[request.ConnectorId].Transaction?.TransactionId;
        var outcome = smartCharging.Set(request.ConnectorId, request.CsChargingProfiles, activeTransaction);
        return new() { Status = outcome.Accepted ? ChargingProfileStatus.Accepted : ChargingProfileStatus.Rejected };
    }

    private ClearChargingProfileResponse ClearChargingProfile(ClearChargingProfileRequest request)
    {
        var cleared = smartCharging.Clear(request.Id, request.ConnectorId, request.ChargingProfilePurpose, request.StackLevel);
        return new() { Status = cleared > 0 ? ClearChargingProfileStatus.Accepted : ClearChargingProfileStatus.Unknown };
    }

    private GetCompositeScheduleResponse GetCompositeSchedule(GetCompositeScheduleRequest request)
    {
        if (request.ConnectorId < 0 || request.ConnectorId > ConnectorCount || request.Duration < 0)
        {
            return new() { Status = GetCompositeScheduleStatus.Rejected };
        }
        var (phases, voltage) = PhasesAndVoltage();
        var result = smartCharging.GetCompositeSchedule(request.ConnectorId, TimeSpan.FromSeconds(request.Duration), request.ChargingRateUnit, CsmsNow, phases, voltage);
        return result is null
            ? new() { Status = GetCompositeScheduleStatus.Rejected }
            : new() { Status = GetCompositeScheduleStatus.Accepted, ConnectorId = request.ConnectorId, ScheduleStart = result.ScheduleStart, ChargingSchedule = result.Schedule };
    }

    private (int Phases, double Voltage) PhasesAndVoltage() => options.Meter.Supply switch
    {
        SupplyType.AC1Phase => (1, options.Meter.NominalVoltage),
        SupplyType.AC3Phase => (3, options.Meter.NominalVoltage),
        _ => (1, options.Meter.DcVoltage),
    };
}
