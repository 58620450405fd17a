using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;

namespace Simulator.Fleet.Tests.EndToEnd;

/// <summary>The loss check must see a real loss, and must not mistake a legitimate resend for one.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class LossCheckTests
{
    [Fact]
    public async Task A_transaction_message_that_never_arrived_is_counted_lost()
    {
        await using var h = await FleetHarness.StartAsync(Plans.OneType("LOSS-{000}", connectors: 1, behaviour: Plans.OneSession(TimeSpan.FromSeconds(5))), tap: false);
        var id = await h.StartBootedAsync();
        await Await.ConditionAsync(() => h.Csms.Ledger.CountsFor(id).StopsDelivered >= 1, "one whole session delivered");
        var stopped = await h.StopAsync(id);

        var honest = h.Csms.Ledger.Reconcile(Simulator.Cli.Embedded.ProducedMessages.ForLedger([stopped]));
        Assert.Equal(0, honest.Lost);

        // The charge point claims one more MeterValues sample than it delivered: exactly that one is lost.
        var last = stopped.Produced.Last(p => p.Kind == ProducedKind.MeterValues);
        var phantom = last with { Timestamp = last.Timestamp.AddMilliseconds(1) };
        var withLoss = h.Csms.Ledger.Reconcile(Simulator.Cli.Embedded.ProducedMessages.ForLedger([stopped with { Produced = [.. stopped.Produced, phantom] }]));
        Assert.Equal(1, withLoss.Lost);
        var example = Assert.Single(withLoss.LostExamples);
        Assert.Equal(phantom.Timestamp, example.Timestamp);
        Assert.Equal(TransactionMessageKind.MeterValues, example.Kind);

        // A StopTransaction that never came (the ledger knows no Stop for that transaction id) is lost too.
        var stop = stopped.Produced.First(p => p.Kind == ProducedKind.StopTransaction);
        var missingStop = stop with { TransactionId = stop.TransactionId + 10_000 };
        Assert.Equal(1, h.Csms.Ledger.Reconcile(Simulator.Cli.Embedded.ProducedMessages.ForLedger([stopped with { Produced = [.. stopped.Produced, missingStop] }])).Lost);
    }

    [Fact]
    public async Task A_message_the_charge_point_gave_up_is_given_up_not_lost_and_the_answered_ones_are_acknowledged()
    {
        var plan = Plans.OneType("GIVE-{000}", connectors: 1, behaviour: Plans.OneSession(TimeSpan.FromSeconds(60)),
            configuration: new Dictionary<string, string> { ["TransactionMessageAttempts"] = "1" });
        await using var h = await FleetHarness.StartAsync(plan, tap: false);
        var id = await h.StartBootedAsync();
        await Await.ConditionAsync(() => h.Csms.Ledger.CountsFor(id).MeterValuesDelivered >= 2, "meter values delivered");

        // For 3 s every CALL gets a CALLERROR without being recorded: with one attempt each, the charge point drops those meter values.
        h.Csms.Faults.InjectCallErrors(1.0, TimeSpan.FromSeconds(3));
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        var before = h.Csms.Ledger.CountsFor(id).MeterValuesDelivered;
        await Await.ConditionAsync(() => h.Csms.Ledger.CountsFor(id).MeterValuesDelivered > before, "meter values delivered again after the errors");
        var stopped = await h.StopAsync(id);

        Assert.Equal(0, stopped.UndeliveredTransactionMessages);
        Assert.DoesNotContain(stopped.Produced, p => p.Fate is ProducedFate.Unknown or ProducedFate.StillQueued);
        var givenUp = stopped.Produced.Count(p => p.Fate == ProducedFate.GivenUp);
        Assert.True(givenUp >= 2, $"only {givenUp} messages given up");
        Assert.All(stopped.Produced.Where(p => p.Fate == ProducedFate.GivenUp), p => Assert.Equal(ProducedKind.MeterValues, p.Kind));

        var loss = (await Simulator.Cli.Embedded.LossClassification.CheckAsync([stopped], (some, _) =>
        {
            var details = h.Csms.Ledger.Reconcile(Simulator.Cli.Embedded.ProducedMessages.ForLedger(some));
            return Task.FromResult(new Simulator.Cli.Embedded.LedgerAnswer(details.Produced, details.Lost, []));
        }, 0, CancellationToken.None)).Check;
        Assert.Equal((0L, 0L), (loss.Lost, loss.StillQueued));
        Assert.Equal(givenUp, loss.GivenUp);
        Assert.Equal(stopped.Produced.Count(p => p.Fate == ProducedFate.Acknowledged), loss.Delivered);
        Assert.Equal(stopped.Produced.Count, loss.Produced);
    }

    [Fact]
    public async Task The_same_StartTransaction_delivered_twice_is_a_recognised_resend_not_a_loss()
    {
        await using var csms = new CsmsServer(new CsmsOptions { ControlPort = null });
        await csms.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        await socket.ConnectAsync(new Uri(csms.Url, "RESEND-001"), CancellationToken.None);

        await CallAsync(socket, "b1", "BootNotification", """{"chargePointVendor":"E2E","chargePointModel":"Raw"}""");
        const string start = """{"connectorId":1,"idTag":"E2E-TAG","meterStart":1200,"timestamp":"2026-01-01T10:00:00.000Z"}""";
        var first = await CallAsync(socket, "s1", "StartTransaction", start);
        // The answer was "lost"; the charge point sends the same message again with a new unique id.
        var second = await CallAsync(socket, "s2", "StartTransaction", start);
        Assert.Equal(first.GetProperty("transactionId").GetInt32(), second.GetProperty("transactionId").GetInt32());

        var counts = csms.Ledger.CountsFor("RESEND-001");
        Assert.Equal(1, counts.StartsDelivered);
        Assert.Equal(1, counts.Resent);
        var produced = new Simulator.Csms.ProducedTransactionMessage("RESEND-001", TransactionMessageKind.Start, 1, "E2E-TAG", DateTimeOffset.Parse("2026-01-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), 1200);
        var loss = csms.Ledger.Reconcile([produced]);
        Assert.Equal(0, loss.Lost);
        Assert.Equal(0, loss.Unexpected);
        Assert.Equal(1, loss.Produced);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
    }

    private static async Task<JsonElement> CallAsync(ClientWebSocket socket, string uniqueId, string action, string payload)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes($"[2,\"{uniqueId}\",\"{action}\",{payload}]"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        using var doc = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        Assert.Equal(3, doc.RootElement[0].GetInt32());
        Assert.Equal(uniqueId, doc.RootElement[1].GetString());
        return doc.RootElement[2].Clone();
    }
}
