using System.Text.Json;
using Simulator.Fleet.Tests.EndToEnd;
using Simulator.Fleet.Tests.StrictCsms;

namespace Simulator.Fleet.Tests.V201;

/// <summary>
/// FleetSim's OCPP 2.0.1 stations against a CSMS that is not ours: ocpp-rpc in strict mode in ocpp2.0.1, which checks every
/// frame in both directions against the OCA 2.0.1 schemas. Every test also asserts that it saw nothing schema-invalid.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class StrictCsms201Tests
{
    private static Task<StrictCsmsHarness> StartAsync(Plan.BehaviourPlan? behaviour = null)
        => StrictCsmsHarness.StartAsync(behaviour: behaviour, adjust: plan => plan with
        {
            Types = [V201FleetTests.Station201("ac201", plan.Types[0].IdPattern, plan.Types[0].Count)],
        });

    private static string Str(JsonElement element, string property) => element.TryGetProperty(property, out var v) ? v.ToString() : "(absent)";

    private static async Task<string> StartAcceptedAsync(StrictCsmsHarness h)
    {
        var id = h.Id();
        h.Start(id);
        await Await.ConditionAsync(() => h.BootAnswers(id).Contains("Accepted"), StrictCsmsHarness.Wait, $"{id}: BootNotification Accepted");
        await h.NextCallAsync(id, "StatusNotification", 0, s => Str(s.Payload, "evseId") == "1");
        return id;
    }

    [Fact]
    public async Task Boot_Pending_then_Accepted()
    {
        await using var h = await StartAsync();
        var id = h.Id();
        await h.Csms.SetBootAsync("Pending", id, interval: 1);
        h.Start(id);
        await Await.ConditionAsync(() => h.BootAnswers(id).Contains("Pending"), StrictCsmsHarness.Wait, $"{id}: BootNotification answered Pending");
        Assert.Empty(h.Calls(id, "StatusNotification"));   // while Pending nothing but the boot goes

        await h.Csms.SetBootAsync("Accepted", id);
        await Await.ConditionAsync(() => h.BootAnswers(id).Contains("Accepted"), StrictCsmsHarness.Wait, $"{id}: the retried BootNotification answered Accepted");
        var boot = h.Calls(id, "BootNotification")[0];
        Assert.Equal("PowerUp", Str(boot.Payload, "reason"));
        Assert.Equal("ocpp2.0.1", h.Csms.Of(id, "connect")[0].Json.GetProperty("protocol").GetString());
        await h.NextCallAsync(id, "StatusNotification", 0);
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task GetBaseReport_FullInventory_comes_in_NotifyReport_parts_whose_variables_round_trip_through_GetVariables()
    {
        await using var h = await StartAsync();
        var id = await StartAcceptedAsync(h);

        var reply = await h.AnsweredAsync(id, "GetBaseReport", new { requestId = 7, reportBase = "FullInventory" });
        Assert.Equal("Accepted", Str(reply, "status"));
        await Await.ConditionAsync(
            () => h.Calls(id, "NotifyReport").Any(r => r.Payload.GetProperty("requestId").GetInt32() == 7 && !(r.Payload.TryGetProperty("tbc", out var tbc) && tbc.GetBoolean())),
            StrictCsmsHarness.Wait, "the last NotifyReport part (tbc false)");
        var parts = h.Calls(id, "NotifyReport").Where(r => r.Payload.GetProperty("requestId").GetInt32() == 7).ToList();
        Assert.True(parts.Count > 1, $"{parts.Count} part(s)");
        Assert.Equal(Enumerable.Range(0, parts.Count), parts.Select(p => p.Payload.GetProperty("seqNo").GetInt32()));

        // Every reported Actual value that is readable: GetVariables gives the same value.
        var reported = parts.SelectMany(p => p.Payload.GetProperty("reportData").EnumerateArray())
            .SelectMany(d => d.GetProperty("variableAttribute").EnumerateArray()
                .Where(a => Str(a, "type") is "Actual" or "(absent)" && a.TryGetProperty("value", out _) && Str(a, "mutability") != "WriteOnly")
                .Select(a => (Component: d.GetProperty("component"), Variable: d.GetProperty("variable"), Value: a.GetProperty("value").GetString())))
            .Where(r => r.Variable.GetProperty("name").GetString() is not ("DateTime" or "Power"))   // live values move between the two reads
            .ToList();
        Assert.True(reported.Count > 20, $"{reported.Count} values reported");
        foreach (var chunk in reported.Chunk(10))
        {
            var answer = await h.AnsweredAsync(id, "GetVariables", new { getVariableData = chunk.Select(r => new { component = r.Component, variable = r.Variable }).ToArray() });
            var results = answer.GetProperty("getVariableResult").EnumerateArray().ToList();
            Assert.Equal(chunk.Length, results.Count);
            for (var i = 0; i < chunk.Length; i++)
            {
                Assert.Equal("Accepted", Str(results[i], "attributeStatus"));
                Assert.Equal(chunk[i].Value, Str(results[i], "attributeValue"));
            }
        }
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task SetVariables_HeartbeatInterval_changes_the_heartbeat()
    {
        await using var h = await StartAsync();
        var id = await StartAcceptedAsync(h);

        var reply = await h.AnsweredAsync(id, "SetVariables", new
        {
            setVariableData = new[] { new { attributeValue = "1", component = new { name = "OCPPCommCtrlr" }, variable = new { name = "HeartbeatInterval" } } },
        });
        Assert.Equal("Accepted", Str(reply.GetProperty("setVariableResult")[0], "attributeStatus"));
        var before = h.Calls(id, "Heartbeat").Count;
        await Await.ConditionAsync(() => h.Calls(id, "Heartbeat").Count >= before + 5, StrictCsmsHarness.Wait, "five heartbeats a second apart");
        Cadence.AssertNear([.. h.Calls(id, "Heartbeat").Skip(before + 1).Select(b => b.At)], TimeSpan.FromSeconds(1));
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task RequestStartTransaction_starts_with_the_remoteStartId_meters_it_and_RequestStopTransaction_ends_it_Remote()
    {
        await using var h = await StartAsync();
        var id = await StartAcceptedAsync(h);

        var reply = await h.AnsweredAsync(id, "RequestStartTransaction", new { evseId = 1, remoteStartId = 4242, idToken = new { idToken = "STRICT-201", type = "Central" } });
        Assert.Equal("Accepted", Str(reply, "status"));
        var started = await h.NextCallAsync(id, "TransactionEvent", 0, e => Str(e.Payload, "eventType") == "Started");
        var transaction = started.Payload.GetProperty("transactionInfo");
        var transactionId = transaction.GetProperty("transactionId").GetString()!;
        Assert.Equal("4242", Str(transaction, "remoteStartId"));
        Assert.Equal(0, started.Payload.GetProperty("seqNo").GetInt32());
        var updated = await h.NextCallAsync(id, "TransactionEvent", 0, e => Str(e.Payload, "eventType") == "Updated" && e.Payload.TryGetProperty("meterValue", out _));
        Assert.Equal(transactionId, updated.Payload.GetProperty("transactionInfo").GetProperty("transactionId").GetString());
        Assert.Contains(updated.Payload.GetProperty("meterValue").EnumerateArray().SelectMany(m => m.GetProperty("sampledValue").EnumerateArray()),
            v => Str(v, "measurand") is "Energy.Active.Import.Register" or "(absent)");

        var stop = await h.AnsweredAsync(id, "RequestStopTransaction", new { transactionId });
        Assert.Equal("Accepted", Str(stop, "status"));
        var ended = await h.NextCallAsync(id, "TransactionEvent", 0, e => Str(e.Payload, "eventType") == "Ended");
        Assert.Equal(transactionId, ended.Payload.GetProperty("transactionInfo").GetProperty("transactionId").GetString());
        Assert.Equal("Remote", Str(ended.Payload.GetProperty("transactionInfo"), "stoppedReason"));
        Assert.Equal("RemoteStop", Str(ended.Payload, "triggerReason"));
        var seqNos = h.Calls(id, "TransactionEvent").Select(e => e.Payload.GetProperty("seqNo").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(0, seqNos.Count), seqNos);
        h.Csms.AssertNoViolations();
    }
}
