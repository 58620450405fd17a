using Simulator.Csms;
using Simulator.Fleet.Plan;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Fleet.Tests.EndToEnd;

/// <summary>A misbehaving CSMS: broken frames, CALLERROR answers, a black hole. The charge point answers, retries and survives.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class FaultToleranceTests
{
    private static readonly Dictionary<string, string> NoRemoteAuthorize = new() { ["AuthorizeRemoteTxRequests"] = "false" };

    [Fact]
    public async Task Broken_frames_from_the_CSMS_get_a_CALLERROR_and_the_actor_keeps_working()
    {
        await using var h = await FleetHarness.StartAsync(Plans.OneType("RAW-{000}"));
        var id = await h.StartBootedAsync();
        var sessions = h.Wire.Sessions(id);

        await h.Wire.SendRawToChargePointAsync(id, "this is not JSON at all");
        await h.Wire.SendRawToChargePointAsync(id, """[2,"e2e-unknown","NoSuchAction",{}]""");
        await h.Wire.SendRawToChargePointAsync(id, """[2,"e2e-badenum","Reset",{"type":"Sideways"}]""");
        await h.Wire.SendRawToChargePointAsync(id, """[2,"e2e-missing","ChangeAvailability",{"connectorId":1}]""");
        await h.Wire.SendRawToChargePointAsync(id, """[3,"e2e-nobody-asked",{}]""");

        await Await.ConditionAsync(() => new[] { "e2e-unknown", "e2e-badenum", "e2e-missing", "-1" }.All(u => h.Wire.AnswerFromChargePoint(id, u) is not null), "answers to the broken CALLs");
        // The frame whose id cannot be read is answered for the id "-1" (OCPP-J 2.0.1 part 4; ocpp-rpc does the same in 1.6).
        Assert.Equal((4, "ProtocolError"), (h.Wire.AnswerFromChargePoint(id, "-1")!.MessageType, h.Wire.AnswerFromChargePoint(id, "-1")!.Json!.Value[2].GetString()));
        Assert.All(new[] { "e2e-unknown", "e2e-badenum", "e2e-missing" }, u => Assert.Equal(4, h.Wire.AnswerFromChargePoint(id, u)!.MessageType));
        Assert.Equal("NotImplemented", h.Wire.AnswerFromChargePoint(id, "e2e-unknown")!.Json!.Value[2].GetString());
        Assert.Contains(h.Wire.AnswerFromChargePoint(id, "e2e-badenum")!.Json!.Value[2].GetString(), new[] { "FormationViolation", "FormatViolation", "PropertyConstraintViolation", "TypeConstraintViolation" });
        Assert.Contains(h.Wire.AnswerFromChargePoint(id, "e2e-missing")!.Json!.Value[2].GetString(), new[] { "OccurenceConstraintViolation", "OccurrenceConstraintViolation" });

        // Same actor, same connection, still answering.
        var outcome = await h.Csms.CallAsync(id, new GetConfigurationRequest { Key = ["HeartbeatInterval"] });
        Assert.True(outcome.IsAnswered, outcome.Status.ToString());
        Assert.Equal(sessions, h.Wire.Sessions(id));
        Assert.True(h.Snapshot(id).Connected);
    }

    [Fact]
    public async Task A_CALLERROR_answer_to_a_StartTransaction_is_retried_until_it_is_accepted()
    {
        await using var h = await FleetHarness.StartAsync(Plans.OneType("CERR-{000}", connectors: 1, behaviour: Plans.PluggedWaitingForRemoteStart, configuration: NoRemoteAuthorize));
        var id = await h.StartBootedAsync();
        await Await.ConditionAsync(() => h.Wire.CallsFromChargePoint(id, "Authorize").Count >= 1, "the driver's blocked tag was tried");

        h.Csms.Faults.InjectCallErrors(1.0, TimeSpan.FromSeconds(2.5), OcppErrorCode.InternalError);
        var reply = await h.Csms.CallAsync(id, new RemoteStartTransactionRequest { ConnectorId = 1, IdTag = "E2E-REMOTE" });
        Assert.Equal(RemoteStartStopStatus.Accepted, Assert.IsType<RemoteStartTransactionResponse>(reply.Response).Status);

        await Await.ConditionAsync(() => h.Csms.Ledger.CountsFor(id).StartsDelivered == 1, "the StartTransaction is finally recorded");
        var starts = h.Wire.CallsFromChargePoint(id, "StartTransaction");
        Assert.True(starts.Count >= 2, $"expected a retry, saw {starts.Count} StartTransaction CALL(s)");
        Assert.Equal(4, CsmsAnswer(h, id, starts[0].UniqueId!)!.MessageType);
        Assert.Equal(3, CsmsAnswer(h, id, starts[^1].UniqueId!)!.MessageType);
        // A retry is the same message: same connector, tag, meterStart and timestamp.
        Assert.All(starts, s => Assert.Equal(starts[0].Payload.GetRawText(), s.Payload.GetRawText()));
        Assert.Equal(0, h.Csms.Ledger.CountsFor(id).Resent);
    }

    private static TapFrame? CsmsAnswer(FleetHarness h, string id, string uniqueId)
        => h.Wire.Frames(id).FirstOrDefault(f => !f.FromChargePoint && f.MessageType is 3 or 4 && f.UniqueId == uniqueId);

    [Fact]
    public async Task A_black_hole_times_calls_out_without_crashing_the_actor_and_the_messages_arrive_afterwards()
    {
        await using var h = await FleetHarness.StartAsync(
            Plans.OneType("HOLE-{000}", connectors: 1, behaviour: Plans.PluggedWaitingForRemoteStart, configuration: NoRemoteAuthorize),
            callTimeout: TimeSpan.FromSeconds(1.5));
        var id = await h.StartBootedAsync();
        await Await.ConditionAsync(() => h.Wire.CallsFromChargePoint(id, "Authorize").Count >= 1, "the driver's blocked tag was tried");
        await h.Csms.CallAsync(id, new RemoteStartTransactionRequest { ConnectorId = 1, IdTag = "E2E-REMOTE" });
        await Await.ConditionAsync(() => h.Csms.Ledger.CountsFor(id).MeterValuesDelivered >= 1, "the transaction is sampling");

        var holeStart = DateTimeOffset.UtcNow;
        h.Csms.Faults.BlackHole(TimeSpan.FromSeconds(4));
        await Task.Delay(TimeSpan.FromSeconds(4));
        var holeEnd = DateTimeOffset.UtcNow;
        var timeouts = h.Telemetry.Snapshot().Calls.Where(c => c.Key.Action == "MeterValues").Sum(c => c.Value.Timeouts);
        Assert.True(timeouts >= 1, "the black hole made at least one MeterValues time out");

        // After the hole the same actor delivers what it sampled meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var stopped = await h.StopAsync(id);
        Assert.Contains(stopped.Produced, p => p.Kind == Fleet.ChargePoints.ProducedKind.MeterValues && p.Timestamp > holeStart && p.Timestamp < holeEnd);
        var loss = h.Csms.Ledger.Reconcile(Simulator.Cli.Embedded.ProducedMessages.ForLedger([stopped]));
        Assert.Equal(0, loss.Lost);
        Assert.Equal(0, stopped.UndeliveredTransactionMessages);
    }
}
