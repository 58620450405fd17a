using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Rpc;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.Provisioning;
using V16Core = Simulator.Ocpp.V16.Core;

namespace Simulator.Csms.Tests.V201;

/// <summary>The storm instrument works on 2.0.1 connections as on 1.6 ones, each CALLERROR spelled in the connection's version.</summary>
public sealed class FaultTests201
{
    [Fact]
    public async Task Injected_CALLERRORs_are_spelled_per_version_on_the_wire()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1");
        await using var chargePoint = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        var (status, _) = await csms.ControlAsync(HttpMethod.Post, "faults/errors", """{"fraction":1,"seconds":60,"code":"FormatViolation"}""");
        Assert.Equal(200, status);
        // The clients' endpoints read both spellings; the raw frames show what was written.
        var failed201 = Assert.IsType<CallFailed>(await station.CallAsync(new HeartbeatRequest()));
        var failed16 = Assert.IsType<CallFailed>(await chargePoint.CallAsync(new V16Core.HeartbeatRequest()));
        Assert.Equal(OcppErrorCode.FormatViolation, failed201.ErrorCode);
        Assert.Equal(OcppErrorCode.FormatViolation, failed16.ErrorCode);
        Assert.Contains(station.RawErrors, frame => frame.Contains("\"FormatViolation\"", StringComparison.Ordinal));
        Assert.Contains(chargePoint.RawErrors, frame => frame.Contains("\"FormationViolation\"", StringComparison.Ordinal));
        Assert.Equal(2, csms.Faults.Counts.ErrorsInjected);
    }

    [Fact]
    public async Task A_boot_fault_holds_201_stations_Pending_and_a_black_hole_leaves_them_unanswered()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1");
        var (status, _) = await csms.ControlAsync(HttpMethod.Post, "faults/boot", """{"mode":"reject","retryInterval":15,"seconds":60}""");
        Assert.Equal(200, status);
        var rejected = await station.AskValidAsync(Support201.Boot());
        Assert.Equal((RegistrationStatus.Rejected, 15), (rejected.Status, rejected.Interval));
        Assert.Equal(1, csms.Faults.Counts.BootsRejected);

        csms.Faults.Clear();
        csms.Faults.BlackHole(TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<TimeoutException>(() => station.CallAsync(new HeartbeatRequest(), TimeSpan.FromMilliseconds(500)));
        Assert.Equal(1, csms.Faults.Counts.CallsBlackholed);
    }
}
