using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Tests.Station;

/// <summary>Messages and an instant for the station-core tests (the core is version-neutral; 1.6 types serve as samples).</summary>
internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public static StatusNotificationRequest Status(int connector) =>
        new() { ConnectorId = connector, ErrorCode = ChargePointErrorCode.NoError, Status = ChargePointStatus.Available };

    public static BootNotificationRequest Boot() => new() { ChargePointVendor = "V", ChargePointModel = "M" };

    public static StartTransactionRequest Start() => new() { ConnectorId = 1, IdTag = "T", MeterStart = 0, Timestamp = T0 };
}
