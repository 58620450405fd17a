namespace Simulator.ChargePoint.V201;

/// <summary>The hooks of blocks H, I, K, N (monitoring) and O into the station's constructor, timers and settling.</summary>
public sealed partial class StationModel
{
    private void AddEnergyBlocksVariables()
    {
        AddReservationVariables();
        AddSmartChargingVariables();
        AddDisplayAndCostVariables();
        AddMonitoringVariables();
    }

    private DateTimeOffset? NextEnergyBlocksDueAt()
    {
        var now = LocalNow;
        DateTimeOffset? next = null;
        foreach (var at in new[] { NextReservationExpiry(), NextChargingLimitChangeAt(), NextMonitorReport() })
        {
            if (at is { } t && (next is null || t < next))
            {
                next = t > now ? t : now;
            }
        }
        return next;
    }

    private void AdvanceEnergyBlocks()
    {
        ExpireReservations();
        AdvanceMonitoring();
    }

    /// <summary>After every change: reservations of broken EVSEs go, limits reach the meters, monitors look at the new values.</summary>
    private void SettleEnergyBlocks()
    {
        SettleReservations();
        ApplyChargingLimits();
        DropEndedMessages();
        CheckMonitors();
    }
}
