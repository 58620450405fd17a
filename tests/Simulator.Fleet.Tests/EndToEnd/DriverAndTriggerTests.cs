using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Simulator.Csms;
using Simulator.Fleet.Plan;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Reservation;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Fleet.Tests.EndToEnd;

/// <summary>
/// The simulated driver of app-started sessions and TriggerMessage, through real sockets: the embedded CSMS sends the CALLs,
/// the tap records what the charge point sent back.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class DriverAndTriggerTests : IAsyncLifetime
{
    private const string Key = "00112233445566778899aabbccddeeff";

    private FleetHarness? _h;
    private string _id = "";

    private FleetHarness H => _h!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
        {
            await _h.DisposeAsync();
        }
    }

    private async Task StartAsync(
        BehaviourPlan? behaviour = null, bool securityExtension = false, RegistrationStatus boot = RegistrationStatus.Accepted, IReadOnlyDictionary<string, string>? configuration = null)
    {
        var plan = Plans.OneType("DRV-{000}", behaviour: behaviour, configuration: configuration);
        if (securityExtension)
        {
            // Security profile 1 on the charge point turns the whitepaper's actions on (the tap in between does not forward Basic auth; the CSMS runs profile 0).
            plan = plan with { Types = [plan.Types[0] with { Security = new SecurityPlan { Profile = 1, AuthorizationKey = Key, CpoName = "FleetSim CPO" } }] };
        }
        _h = await FleetHarness.StartAsync(plan, new CsmsOptions { HeartbeatInterval = 300 });
        if (boot == RegistrationStatus.Accepted)
        {
            _id = await H.StartBootedAsync();
            return;
        }
        H.Csms.SetBootResponse(boot, retryInterval: 300);
        _id = H.Id();
        H.Start(_id);
        await Await.ConditionAsync(() => Calls("BootNotification").Count == 1 && H.Csms.Registry.Find(_id)?.Snapshot().BootStatus == boot.ToString(), $"the BootNotification answered {boot}");
    }

    private async Task<TResponse> CallAsync<TResponse>(IOcppRequest request) where TResponse : IOcppResponse
    {
        var outcome = await H.Csms.CallAsync(_id, request);
        Assert.True(outcome.IsAnswered, $"{outcome.Action}: {outcome.Status} {outcome.ErrorCode} {outcome.Description}");
        return Assert.IsType<TResponse>(outcome.Response);
    }

    private IReadOnlyList<TapFrame> Calls(string action) => H.Wire.CallsFromChargePoint(_id, action);

    private ChargePointStatus? Status(int connectorId) => H.Snapshot(_id).Connectors.FirstOrDefault(c => c.ConnectorId == connectorId)?.Status;

    private Task StatusBecomesAsync(int connectorId, ChargePointStatus status, TimeSpan? timeout = null) =>
        Await.ConditionAsync(() => Status(connectorId) == status, timeout ?? TimeSpan.FromSeconds(20), $"connector {connectorId} reported {status} (now {Status(connectorId)})");

    private static bool Has(TapFrame frame, string property, int value) => frame.Payload.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.Number && p.GetInt32() == value;

    /// <summary>RemoteStartTransaction, then within 10 s: StartTransaction, StatusNotification Charging and MeterValues with the transaction id. Returns the StartTransaction frame and the id.</summary>
    private async Task<(JsonElement Start, int TransactionId)> RemoteStartAsync(string idTag, int? connectorId, int expectedConnector)
    {
        var clock = Stopwatch.StartNew();
        var reply = await CallAsync<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { ConnectorId = connectorId, IdTag = idTag });
        Assert.Equal(RemoteStartStopStatus.Accepted, reply.Status);

        var within = TimeSpan.FromSeconds(10);
        await Await.ConditionAsync(() => Calls("StartTransaction").Any(s => s.Payload.GetProperty("idTag").GetString() == idTag), within, $"StartTransaction for {idTag}");
        var start = Calls("StartTransaction").Single(s => s.Payload.GetProperty("idTag").GetString() == idTag).Payload;
        Assert.Equal(expectedConnector, start.GetProperty("connectorId").GetInt32());
        await Await.ConditionAsync(() => H.Snapshot(_id).ActiveTransactions.Any(t => t.IdTag == idTag), within - clock.Elapsed, "the CSMS answered StartTransaction");
        var transactionId = H.Snapshot(_id).ActiveTransactions.Single(t => t.IdTag == idTag).TransactionId;
        await Await.ConditionAsync(
            () => Calls("StatusNotification").Any(s => Has(s, "connectorId", expectedConnector) && s.Payload.GetProperty("status").GetString() == "Charging"),
            within - clock.Elapsed, "StatusNotification Charging");
        await Await.ConditionAsync(() => Calls("MeterValues").Any(m => Has(m, "transactionId", transactionId)), within - clock.Elapsed, "MeterValues carrying the transactionId");
        // Preparing came first: the connector waited for the driver's cable.
        var statuses = Calls("StatusNotification").Where(s => Has(s, "connectorId", expectedConnector)).Select(s => s.Payload.GetProperty("status").GetString()).ToList();
        Assert.True(statuses.IndexOf("Preparing") >= 0 && statuses.IndexOf("Preparing") < statuses.IndexOf("Charging"), string.Join(", ", statuses));
        return (start, transactionId);
    }

    [Fact]
    public async Task Idle_RemoteStart_brings_the_driver_and_the_transaction_RemoteStop_ends_it_with_Remote_and_the_driver_unplugs()
    {
        await StartAsync();
        var (_, transactionId) = await RemoteStartAsync("APP-IDLE", 1, expectedConnector: 1);

        var stop = await CallAsync<RemoteStopTransactionResponse>(new RemoteStopTransactionRequest { TransactionId = transactionId });
        Assert.Equal(RemoteStartStopStatus.Accepted, stop.Status);
        await Await.ConditionAsync(() => Calls("StopTransaction").Any(s => Has(s, "transactionId", transactionId)), "StopTransaction");
        Assert.Equal("Remote", Calls("StopTransaction").Single(s => Has(s, "transactionId", transactionId)).Payload.GetProperty("reason").GetString());
        await StatusBecomesAsync(1, ChargePointStatus.Available);   // the driver unplugged
        Assert.Equal(1, H.Csms.Ledger.CountsFor(_id).StopsDelivered);
        // Free again: a reservation is accepted (before the fix the waiting connector answered Occupied).
        var reserve = await CallAsync<ReserveNowResponse>(new ReserveNowRequest { ConnectorId = 1, ReservationId = 5, IdTag = "LATER", ExpiryDate = DateTimeOffset.UtcNow.AddMinutes(5) });
        Assert.Equal(ReservationStatus.Accepted, reserve.Status);
    }

    [Fact]
    public async Task A_driver_later_than_ConnectionTimeOut_finds_the_remote_start_lapsed_plugs_in_for_nothing_and_leaves()
    {
        await StartAsync(BehaviourPlan.Idle with { RemoteStart = new RemoteStartPlan { PlugInAfter = Distribution.Constant(3) } },
            configuration: new Dictionary<string, string> { ["ConnectionTimeOut"] = "1" });
        var reply = await CallAsync<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { ConnectorId = 1, IdTag = "APP-LATE" });
        Assert.Equal(RemoteStartStopStatus.Accepted, reply.Status);

        // Preparing (waiting), Available (ConnectionTimeOut), Preparing (the late cable), Available (the driver leaves).
        string?[] expected = ["Preparing", "Available", "Preparing", "Available"];
        await Await.ConditionAsync(() => Statuses(1).Skip(1).Take(4).SequenceEqual(expected), TimeSpan.FromSeconds(20), $"statuses {string.Join(", ", expected)} (now {string.Join(", ", Statuses(1))})");
        Assert.Empty(Calls("StartTransaction"));
        Assert.Empty(H.Snapshot(_id).ActiveTransactions);
    }

    private List<string?> Statuses(int connectorId) =>
        [.. Calls("StatusNotification").Where(s => Has(s, "connectorId", connectorId)).Select(s => s.Payload.GetProperty("status").GetString())];

    [Fact]
    public async Task Sessions_ReserveNow_then_RemoteStart_with_that_idTag_starts_on_the_reserved_connector_with_the_reservation_id()
    {
        // A session behaviour whose own sessions are an hour apart (seeded: none comes during the test).
        await StartAsync(new BehaviourPlan { Kind = BehaviourKind.Sessions, MeanTimeBetweenSessions = TimeSpan.FromHours(10), IdTags = new IdTagPlan { Accepted = ["E2E-TAG"] } });
        var reserve = await CallAsync<ReserveNowResponse>(new ReserveNowRequest { ConnectorId = 2, ReservationId = 42, IdTag = "APP-RES", ExpiryDate = DateTimeOffset.UtcNow.AddMinutes(10) });
        Assert.Equal(ReservationStatus.Accepted, reserve.Status);
        await StatusBecomesAsync(2, ChargePointStatus.Reserved);

        var (start, transactionId) = await RemoteStartAsync("APP-RES", null, expectedConnector: 2);
        Assert.Equal(42, start.GetProperty("reservationId").GetInt32());

        await CallAsync<RemoteStopTransactionResponse>(new RemoteStopTransactionRequest { TransactionId = transactionId });
        await Await.ConditionAsync(() => Calls("StopTransaction").Any(s => Has(s, "transactionId", transactionId)), "StopTransaction");
        await StatusBecomesAsync(2, ChargePointStatus.Available);
        Assert.DoesNotContain(Calls("Authorize"), a => a.Payload.GetProperty("idTag").GetString() == "E2E-TAG");   // no session of the behaviour's own interfered
    }

    [Fact]
    public async Task While_Pending_every_TriggerMessage_and_ExtendedTriggerMessage_sends_its_message_and_nothing_else_goes()
    {
        await StartAsync(securityExtension: true, boot: RegistrationStatus.Pending);
        await TriggerEveryKindAsync();
        Assert.Equal("Pending", H.Snapshot(_id).BootStatus);
        Assert.False(H.Snapshot(_id).Booted);
        // Held: nothing of the charge point's own beyond BootNotification and what was triggered.
        var own = H.Wire.Frames(_id).Where(f => f.FromChargePoint && f.MessageType == 2).Select(f => f.Action!).ToList();
        Assert.Equal(
            ["BootNotification", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat", "LogStatusNotification", "MeterValues", "SignCertificate", "SignedFirmwareStatusNotification", "StatusNotification"],
            own.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(3, own.Count(a => a == "BootNotification"));   // the first, then the two triggered
        Assert.Equal(2, own.Count(a => a == "StatusNotification"));   // one per StatusNotification trigger (connector 1)

        // Accepted: the held statuses follow, and the triggers work the same.
        H.Csms.SetBootResponse(RegistrationStatus.Accepted);
        Assert.Equal(TriggerMessageStatus.Accepted, (await CallAsync<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = MessageTrigger.BootNotification })).Status);
        await Await.ConditionAsync(() => H.Snapshot(_id) is { Booted: true } s && s.Connectors.Count == 3, "booted, with every connector's status");
        await TriggerEveryKindAsync();
    }

    /// <summary>Every TriggerMessage and every ExtendedTriggerMessage: Accepted, and the requested message arrives.</summary>
    private async Task TriggerEveryKindAsync()
    {
        foreach (var trigger in Enum.GetValues<MessageTrigger>())
        {
            var action = trigger.ToString();
            var before = Calls(action).Count;
            var connector = trigger is MessageTrigger.MeterValues or MessageTrigger.StatusNotification ? 1 : (int?)null;
            var reply = await CallAsync<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = trigger, ConnectorId = connector });
            Assert.Equal(TriggerMessageStatus.Accepted, reply.Status);
            await Await.ConditionAsync(() => Calls(action).Count > before, TimeSpan.FromSeconds(10), $"the triggered {action}");
        }
        foreach (var trigger in Enum.GetValues<ExtendedMessageTrigger>())
        {
            var action = trigger switch
            {
                ExtendedMessageTrigger.FirmwareStatusNotification => "SignedFirmwareStatusNotification",
                ExtendedMessageTrigger.SignChargePointCertificate => "SignCertificate",
                _ => trigger.ToString(),
            };
            var before = Calls(action).Count;
            var connector = trigger is ExtendedMessageTrigger.MeterValues or ExtendedMessageTrigger.StatusNotification ? 1 : (int?)null;
            var reply = await CallAsync<ExtendedTriggerMessageResponse>(new ExtendedTriggerMessageRequest { RequestedMessage = trigger, ConnectorId = connector });
            Assert.Equal(ExtendedTriggerMessageStatus.Accepted, reply.Status);
            await Await.ConditionAsync(() => Calls(action).Count > before, TimeSpan.FromSeconds(10), $"the ExtendedTriggerMessage's {action}");
        }
    }

    [Fact]
    public async Task A_MeterValues_trigger_without_a_connector_or_for_connector_0_gives_the_main_meter_the_sum_of_the_connectors()
    {
        await StartAsync(securityExtension: true);
        var (_, transactionId) = await RemoteStartAsync("APP-METER", 2, expectedConnector: 2);
        await Await.ConditionAsync(() => Calls("MeterValues").Any(m => Has(m, "transactionId", transactionId) && Energy(m) > 1), "energy on connector 2's register");
        await CallAsync<RemoteStopTransactionResponse>(new RemoteStopTransactionRequest { TransactionId = transactionId });
        await Await.ConditionAsync(() => Calls("StopTransaction").Any(s => Has(s, "transactionId", transactionId)), "StopTransaction");
        var meterStop = Calls("StopTransaction").Single(s => Has(s, "transactionId", transactionId)).Payload.GetProperty("meterStop").GetInt32();

        // No connectorId: every connector, 0 included.
        var before = Calls("MeterValues").Count;
        Assert.Equal(TriggerMessageStatus.Accepted, (await CallAsync<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = MessageTrigger.MeterValues })).Status);
        await Await.ConditionAsync(() => Calls("MeterValues").Count >= before + 3, "MeterValues for connectors 0, 1 and 2");
        var all = Calls("MeterValues").Skip(before).ToList();
        Assert.Equal([0, 1, 2], all.Select(m => m.Payload.GetProperty("connectorId").GetInt32()).Order());
        var main = all.Single(m => Has(m, "connectorId", 0));
        Assert.Equal(all.Where(m => !Has(m, "connectorId", 0)).Sum(Energy), Energy(main), 0.2);
        Assert.Equal(meterStop, Energy(main), 1.0);
        AssertMainMeter(main);

        // Connector 0, by TriggerMessage and by ExtendedTriggerMessage: one MeterValues each, for connector 0.
        before = Calls("MeterValues").Count;
        Assert.Equal(TriggerMessageStatus.Accepted, (await CallAsync<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = MessageTrigger.MeterValues, ConnectorId = 0 })).Status);
        // A trigger for a message still waiting for its answer sends nothing new (TriggerFloodTests): the second trigger goes
        // once the CSMS's answer to the first MeterValues has passed the tap, so it reaches the charge point first.
        await Await.ConditionAsync(() => Calls("MeterValues").Skip(before).Any(m => Has(m, "connectorId", 0)), "the TriggerMessage's MeterValues for connector 0");
        var firstId = Calls("MeterValues").Skip(before).First(m => Has(m, "connectorId", 0)).UniqueId;
        await Await.ConditionAsync(() => H.Wire.Frames(_id).Any(f => !f.FromChargePoint && f.MessageType == 3 && f.UniqueId == firstId), "the CSMS's answer to that MeterValues");
        Assert.Equal(ExtendedTriggerMessageStatus.Accepted,
            (await CallAsync<ExtendedTriggerMessageResponse>(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.MeterValues, ConnectorId = 0 })).Status);
        await Await.ConditionAsync(() => Calls("MeterValues").Skip(before).Count(m => Has(m, "connectorId", 0)) >= 2, "two MeterValues for connector 0");
        await Task.Delay(300);
        var triggered = Calls("MeterValues").Skip(before).Where(m => m.Payload.GetProperty("meterValue")[0].GetProperty("sampledValue")[0].GetProperty("context").GetString() == "Trigger").ToList();
        Assert.Equal(2, triggered.Count);
        Assert.All(triggered, m =>
        {
            Assert.True(Has(m, "connectorId", 0));
            Assert.Equal(Energy(main), Energy(m), 0.01);
            AssertMainMeter(m);
        });
    }

    private static void AssertMainMeter(TapFrame frame)
    {
        var values = frame.Payload.GetProperty("meterValue")[0].GetProperty("sampledValue").EnumerateArray().ToList();
        Assert.All(values, v => Assert.Equal(("Trigger", "Inlet"), (v.GetProperty("context").GetString(), v.GetProperty("location").GetString())));
        Assert.False(frame.Payload.TryGetProperty("transactionId", out _));
    }

    private static double Energy(TapFrame frame) =>
        frame.Payload.GetProperty("meterValue").EnumerateArray()
            .SelectMany(v => v.GetProperty("sampledValue").EnumerateArray())
            .Where(s => s.TryGetProperty("measurand", out var m) ? m.GetString() == "Energy.Active.Import.Register" : true)
            .Select(s => double.Parse(s.GetProperty("value").GetString()!, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(double.NaN)
            .First();
}
