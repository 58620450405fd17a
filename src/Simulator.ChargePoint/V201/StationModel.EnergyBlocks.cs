namespace Simulator.ChargePoint.V201;

/// <summary>The hooks of blocks H, I, K, N (monitoring) and O into the station's constructor, timers and settling.</summary>
public sealed partial class StationModel
{
    private DateTimeOffset? NextEnergyBlocksDueAt()
    {
        var next = Earliest(Earliest(NextReservationExpiry(), NextChargingLimitChangeAt()), NextMonitorReport());
        return next is { } t && t < LocalNow ? LocalNow : next;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private void AdvanceEnergyBlocks()
    {
        ExpireReservations();
        AdvanceMonitoring();
    }

    /// <summary>After every change: reservations of broken EVSEs go, limits reach the meters (and the CSMS after a boot), monitors look at the new values.</summary>
    private void SettleEnergyBlocks()
    {
        SettleReservations();
        ApplyChargingLimits();
        AnnounceExternalLimits();
        DropEndedMessages();
        FlushOfflineEvents();
        CheckMonitors();
    }
}
