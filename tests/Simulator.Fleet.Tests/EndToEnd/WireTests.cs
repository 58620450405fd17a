using System.Text.Json;
using System.Text.RegularExpressions;
using Simulator.Csms;
using Simulator.Fleet.Plan;
using Simulator.Metrics;
using Simulator.Ocpp.V16.Core;

namespace Simulator.Fleet.Tests.EndToEnd;

/// <summary>
/// What the charge point's wire does with what a CSMS sends: big messages, binary messages, broken frames (counted as CSMS
/// protocol violations), and the date-time format of what both sides write.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed partial class WireTests
{
    [GeneratedRegex("""^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$""")]
    private static partial Regex WireDateTime();

    private static long Violations(FleetHarness h, string kind, string action = CsmsViolationKinds.UnknownAction)
        => h.Telemetry.Snapshot().CsmsViolations.GetValueOrDefault(new CsmsViolationKey(kind, action));

    [Fact]
    public async Task A_binary_message_is_ignored_and_counted_and_broken_frames_are_counted_by_kind_on_the_same_connection()
    {
        await using var h = await FleetHarness.StartAsync(Plans.OneType("VIO-{000}"));
        var id = await h.StartBootedAsync();
        var sessions = h.Wire.Sessions(id);

        await h.Wire.SendBinaryToChargePointAsync(id, [1, 2, 3, 4, 5]);
        // The CSMS's next CALL is answered on the same connection.
        var outcome = await h.Csms.CallAsync(id, new GetConfigurationRequest { Key = ["HeartbeatInterval"] });
        Assert.True(outcome.IsAnswered, outcome.Status.ToString());
        Assert.Equal(1, Violations(h, "binaryFrame"));

        await h.Wire.SendRawToChargePointAsync(id, "this is not JSON at all");
        await h.Wire.SendRawToChargePointAsync(id, """[2,"v-unknown","NoSuchAction",{}]""");
        await h.Wire.SendRawToChargePointAsync(id, """[2,"v-boot","BootNotification",{"chargePointVendor":"v","chargePointModel":"m"}]""");
        await h.Wire.SendRawToChargePointAsync(id, """[2,"v-bad","Reset",{"type":"Sideways"}]""");
        await h.Wire.SendRawToChargePointAsync(id, """[3,"v-nobody-asked",{}]""");
        // A broken frame that names the AuthorizationKey: counted, never quoted (the value may be a real key).
        await h.Wire.SendRawToChargePointAsync(id, """[2,"v-key","ChangeConfiguration",{"key":"AuthorizationKey","value":"00aa11bb22cc33dd44ee55ff66aa77bb" """);
        await Await.ConditionAsync(() => h.Telemetry.Snapshot().CsmsViolations.Values.Sum() >= 7, "seven violations counted");

        Assert.Equal(2, Violations(h, "notOcppJ"));
        Assert.Equal(1, Violations(h, "unsupportedAction"));   // an action OCPP does not have stays out of the label set
        Assert.Equal(1, Violations(h, "unsupportedAction", "BootNotification"));
        Assert.Equal(1, Violations(h, "invalidRequestPayload", "Reset"));
        Assert.Equal(1, Violations(h, "unknownCallId"));
        Assert.Equal(sessions, h.Wire.Sessions(id));
        Assert.True(h.Snapshot(id).Connected);

        var report = RunReportBuilder.Build(new RunInfo("r", "e2e", DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow, 1), h.Telemetry.Snapshot());
        using var json = JsonDocument.Parse(report.ToJson());
        var section = json.RootElement.GetProperty("csmsProtocolViolations");
        Assert.Equal(7, section.GetProperty("total").GetInt64());
        Assert.DoesNotContain("00aa11bb22cc33dd44ee55ff66aa77bb", report.ToJson(), StringComparison.OrdinalIgnoreCase);
        var examples = section.GetProperty("examples").EnumerateArray().ToList();
        var binary = Assert.Single(examples, e => e.GetProperty("kind").GetString() == "binaryFrame");
        Assert.Equal(id, binary.GetProperty("chargePointId").GetString());
        Assert.Contains("5 bytes", binary.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("this is not JSON", examples.First(e => e.GetProperty("kind").GetString() == "notOcppJ").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("NoSuchAction", examples.First(e => e.GetProperty("kind").GetString() == "unsupportedAction").GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_of_1_MiB_is_received_and_answered()
    {
        await using var h = await FleetHarness.StartAsync(Plans.OneType("BIG-{000}"));
        var id = await h.StartBootedAsync();
        var sessions = h.Wire.Sessions(id);

        var data = new string('d', 1024 * 1024);
        await h.Wire.SendRawToChargePointAsync(id, $$"""[2,"big-1","DataTransfer",{"vendorId":"FleetSim","messageId":"bulk","data":"{{data}}"}]""");

        await Await.ConditionAsync(() => h.Wire.AnswerFromChargePoint(id, "big-1") is not null, "the answer to the 1 MiB DataTransfer");
        Assert.Equal(3, h.Wire.AnswerFromChargePoint(id, "big-1")!.MessageType);
        Assert.Equal(sessions, h.Wire.Sessions(id));
        Assert.Empty(h.Telemetry.Snapshot().CsmsViolations);
    }

    [Fact]
    public async Task A_message_over_the_configured_maximum_closes_the_connection_and_is_counted_with_its_size_and_action()
    {
        var plan = Plans.OneType("LIM-{000}") with { Target = new TargetPlan { MaxMessageBytes = 4096 } };
        await using var h = await FleetHarness.StartAsync(plan);
        var id = await h.StartBootedAsync();
        var sessions = h.Wire.Sessions(id);

        var frame = $$"""[2,"big-2","DataTransfer",{"vendorId":"FleetSim","data":"{{new string('d', 10_000)}}"}]""";
        await h.Wire.SendRawToChargePointAsync(id, frame);

        await Await.ConditionAsync(() => Violations(h, "messageTooLarge", "DataTransfer") == 1, "the oversized message counted");
        var example = Assert.Single(h.Telemetry.Snapshot().CsmsViolationExamples);
        Assert.Equal((id, "DataTransfer"), (example.ChargePointId, example.Action));
        Assert.Contains($"message of {frame.Length} bytes", example.Detail, StringComparison.Ordinal);
        Assert.Null(h.Wire.AnswerFromChargePoint(id, "big-2"));
        // The connection was closed (1009) and the charge point came back on a new one.
        await Await.ConditionAsync(() => h.Wire.Sessions(id) > sessions && h.Snapshot(id).Connected, "a new connection");
    }

    [Fact]
    public async Task Date_times_on_the_wire_are_UTC_with_Z_and_milliseconds_in_both_directions()
    {
        var plan = Plans.OneType("TIME-{000}", connectors: 1, behaviour: Plans.OneSession(TimeSpan.FromSeconds(30)));
        await using var h = await FleetHarness.StartAsync(plan, new CsmsOptions { HeartbeatInterval = 1 });
        var id = await h.StartBootedAsync();
        await Await.ConditionAsync(
            () => h.Wire.CallsFromChargePoint(id, "MeterValues").Count >= 1 && h.Wire.CallsFromChargePoint(id, "Heartbeat").Count >= 1
                && h.Wire.CallsFromChargePoint(id, "Heartbeat").Any(c => CsmsAnswer(h, id, c.UniqueId!) is not null),
            "MeterValues, a Heartbeat and its answer");

        var boot = h.Wire.CallsFromChargePoint(id, "BootNotification")[0];
        var bootAnswer = CsmsAnswer(h, id, boot.UniqueId!)!;
        var beat = h.Wire.CallsFromChargePoint(id, "Heartbeat").First(c => CsmsAnswer(h, id, c.UniqueId!) is not null);
        var written = new List<(string What, string Value)>
        {
            ("BootNotification.conf currentTime", bootAnswer.Payload.GetProperty("currentTime").GetString()!),
            ("Heartbeat.conf currentTime", CsmsAnswer(h, id, beat.UniqueId!)!.Payload.GetProperty("currentTime").GetString()!),
            ("MeterValues.req timestamp", h.Wire.CallsFromChargePoint(id, "MeterValues")[0].Payload.GetProperty("meterValue")[0].GetProperty("timestamp").GetString()!),
            ("StartTransaction.req timestamp", h.Wire.CallsFromChargePoint(id, "StartTransaction")[0].Payload.GetProperty("timestamp").GetString()!),
        };
        written.AddRange(h.Wire.CallsFromChargePoint(id, "StatusNotification")
            .Where(s => s.Payload.TryGetProperty("timestamp", out _))
            .Select(s => ("StatusNotification.req timestamp", s.Payload.GetProperty("timestamp").GetString()!)));
        Assert.All(written, w => Assert.True(WireDateTime().IsMatch(w.Value), $"{w.What}: '{w.Value}'"));
    }

    private static TapFrame? CsmsAnswer(FleetHarness h, string id, string uniqueId)
        => h.Wire.Frames(id).FirstOrDefault(f => !f.FromChargePoint && f.MessageType is 3 or 4 && f.UniqueId == uniqueId);
}
