using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Rpc;

namespace Simulator.Csms.Tests.Reliability;

/// <summary>
/// OCPP 1.6 §4.2: before its BootNotification is Accepted a charge point sends BootNotification and, while Pending, what
/// the CSMS triggers. The CSMS answers anything else with SecurityError, keeps it out of the ledger and counts it.
/// </summary>
public sealed class PreBootCallTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<CsmsServer> StrictAsync(PreBootCallPolicy policy = PreBootCallPolicy.Refuse)
    {
        var server = new CsmsServer(new CsmsOptions { ControlPort = null, CallsBeforeBoot = policy });
        await server.StartAsync();
        return server;
    }

    private static void AssertSecurityError(RpcEvent answer)
    {
        var failed = Assert.IsType<CallFailed>(answer);
        Assert.Equal(OcppErrorCode.SecurityError, failed.ErrorCode);
        Assert.Contains("only BootNotification and messages the CSMS triggered", failed.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_before_any_boot_are_refused_with_SecurityError_and_never_reach_the_ledger()
    {
        await using var csms = await StrictAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        AssertSecurityError(await cp.CallAsync(new HeartbeatRequest()));
        AssertSecurityError(await cp.CallAsync(new StartTransactionRequest { ConnectorId = 1, IdTag = "TAG", MeterStart = 0, Timestamp = T0 }));
        AssertSecurityError(await cp.CallAsync(new MeterValuesRequest { ConnectorId = 1, MeterValue = [new MeterValue { Timestamp = T0, SampledValue = [new SampledValue { Value = "1" }] }] }));
        Assert.Equal(0, csms.Ledger.Report().Total.StartsDelivered);
        Assert.Equal(0, csms.Ledger.CountsFor("CP-1").MeterValuesDelivered);
        Assert.Equal(3, csms.GetStats().Violations!.CallsBeforeBootRefused);

        Assert.Equal(RegistrationStatus.Accepted, (await cp.AskAsync(new BootNotificationRequest { ChargePointVendor = "A", ChargePointModel = "B" })).Status);
        await cp.AskAsync(new HeartbeatRequest());
        await cp.AskAsync(new StartTransactionRequest { ConnectorId = 1, IdTag = "TAG", MeterStart = 0, Timestamp = T0 });
        Assert.Equal(1, csms.Ledger.Report().Total.StartsDelivered);
        Assert.Equal(3, csms.GetStats().Violations!.CallsBeforeBootRefused);
    }

    [Fact]
    public async Task While_Pending_only_the_triggered_message_is_accepted_and_a_reconnect_keeps_an_Accepted_registration()
    {
        await using var csms = await StrictAsync();
        csms.SetBootResponse(RegistrationStatus.Pending, 5);
        await using (var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", handler: r => r is TriggerMessageRequest ? new TriggerMessageResponse { Status = TriggerMessageStatus.Accepted } : null))
        {
            Assert.Equal(RegistrationStatus.Pending, (await cp.AskAsync(new BootNotificationRequest { ChargePointVendor = "A", ChargePointModel = "B" })).Status);
            AssertSecurityError(await cp.CallAsync(new StatusNotificationRequest { ConnectorId = 1, ErrorCode = ChargePointErrorCode.NoError, Status = ChargePointStatus.Available }));

            var trigger = await csms.CallAsync("CP-1", new TriggerMessageRequest { RequestedMessage = MessageTrigger.StatusNotification });
            Assert.Equal(CallStatus.Answered, trigger.Status);
            await cp.AskAsync(new StatusNotificationRequest { ConnectorId = 1, ErrorCode = ChargePointErrorCode.NoError, Status = ChargePointStatus.Available });
            Assert.Equal(ChargePointStatus.Available, csms.Registry.Find("CP-1")!.Connector(1)!.Status);
            // Triggering StatusNotification does not open the door for anything else.
            AssertSecurityError(await cp.CallAsync(new HeartbeatRequest()));

            csms.SetBootResponse(RegistrationStatus.Rejected, 5);
            Assert.Equal(RegistrationStatus.Rejected, (await cp.AskAsync(new BootNotificationRequest { ChargePointVendor = "A", ChargePointModel = "B" })).Status);
            AssertSecurityError(await cp.CallAsync(new HeartbeatRequest()));

            csms.SetBootResponse(RegistrationStatus.Accepted);
            Assert.Equal(RegistrationStatus.Accepted, (await cp.AskAsync(new BootNotificationRequest { ChargePointVendor = "A", ChargePointModel = "B" })).Status);
            await cp.AskAsync(new HeartbeatRequest());
        }
        // OCPP 1.6 boots after a reboot, not after every reconnect: the registration stays Accepted.
        await using var again = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        await again.AskAsync(new HeartbeatRequest());
        Assert.Equal(3, csms.GetStats().Violations!.CallsBeforeBootRefused);
    }

    [Fact]
    public async Task The_Accept_policy_processes_them_and_still_counts_them()
    {
        await using var csms = await StrictAsync(PreBootCallPolicy.Accept);
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        await cp.AskAsync(new StartTransactionRequest { ConnectorId = 1, IdTag = "TAG", MeterStart = 0, Timestamp = T0 });
        Assert.Equal(1, csms.Ledger.Report().Total.StartsDelivered);
        var violations = csms.GetStats().Violations!;
        Assert.Equal((0, 1), (violations.CallsBeforeBootRefused, violations.CallsBeforeBootAccepted));
    }
}
