using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Simulator.Metrics;

namespace Simulator.Metrics.Tests;

public sealed class CsmsViolationTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 19, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_kind_has_a_camel_case_label()
        => Assert.Equal(
            ["binaryFrame", "messageTooLarge", "unknownCallId", "invalidResponsePayload", "notOcppJ", "unsupportedAction", "invalidRequestPayload"],
            CsmsViolationKinds.All.Select(k => k.ToLabel()));

    [Fact]
    public void Counts_by_kind_and_action_travel_between_nodes_and_merge_with_the_earliest_examples_of_each_kind()
    {
        var clock = new FakeTimeProvider(Start);
        using var a = new FleetTelemetry("a", clock);
        using var b = new FleetTelemetry("b", clock);
        for (var i = 0; i < 5; i++)
        {
            a.CsmsProtocolViolation(CsmsViolationKind.BinaryFrame, null, $"CP-A{i}", "binary message of 3 bytes, ignored");
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        b.CsmsProtocolViolation(CsmsViolationKind.BinaryFrame, null, "CP-B0", "binary message of 9 bytes, ignored");   // later than a's first three
        b.CsmsProtocolViolation(CsmsViolationKind.InvalidResponsePayload, "BootNotification", "CP-B1", new string('x', 1000));

        var fromA = StatisticsSnapshot.FromBytes(a.Snapshot().ToBytes());
        Assert.Equal(5, fromA.CsmsViolations[new CsmsViolationKey("binaryFrame", "unknown")]);
        Assert.Equal(CsmsViolationKinds.ExamplesPerKind, fromA.CsmsViolationExamples.Count);

        var merged = fromA.Merge(StatisticsSnapshot.FromBytes(b.Snapshot().ToBytes()));
        Assert.Equal(6, merged.CsmsViolations[new CsmsViolationKey("binaryFrame", "unknown")]);
        Assert.Equal(1, merged.CsmsViolations[new CsmsViolationKey("invalidResponsePayload", "BootNotification")]);
        Assert.Equal(["CP-A0", "CP-A1", "CP-A2"], merged.CsmsViolationExamples.Where(e => e.Kind == "binaryFrame").Select(e => e.ChargePointId));
        var invalid = Assert.Single(merged.CsmsViolationExamples, e => e.Kind == "invalidResponsePayload");
        Assert.Equal("BootNotification", invalid.Action);
        Assert.True(invalid.Detail.Length < 300, "the frame text is cut");
        Assert.Equal(merged.CsmsViolations, merged.WithoutLiveGauges().CsmsViolations);
    }

    [Fact]
    public void The_report_lists_every_kind_counts_by_action_and_examples_and_the_summary_shows_them()
    {
        var clock = new FakeTimeProvider(Start);
        using var t = new FleetTelemetry("n", clock);
        t.CsmsProtocolViolation(CsmsViolationKind.MessageTooLarge, "SendLocalList", "CP-7", "message of 5000000 bytes (SendLocalList)");
        t.CsmsProtocolViolation(CsmsViolationKind.BinaryFrame, null, "CP-8", "binary message of 3 bytes, ignored");
        var report = RunReportBuilder.Build(new RunInfo("r", "p", Start, Start.AddMinutes(1), 2), t.Snapshot());

        using var doc = JsonDocument.Parse(report.ToJson());
        var section = doc.RootElement.GetProperty("csmsProtocolViolations");
        Assert.Equal(2, section.GetProperty("total").GetInt64());
        Assert.Equal(CsmsViolationKinds.All.Count, section.GetProperty("byKind").EnumerateObject().Count());
        Assert.Equal(0, section.GetProperty("byKind").GetProperty("unknownCallId").GetInt64());
        var byAction = section.GetProperty("byAction").EnumerateArray().ToList();
        Assert.Contains(byAction, e => e.GetProperty("kind").GetString() == "messageTooLarge" && e.GetProperty("action").GetString() == "SendLocalList" && e.GetProperty("count").GetInt64() == 1);
        var example = section.GetProperty("examples").EnumerateArray().First(e => e.GetProperty("kind").GetString() == "messageTooLarge");
        Assert.Equal("CP-7", example.GetProperty("chargePointId").GetString());
        Assert.Contains("5000000 bytes", example.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(Start, example.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(report.ToJson(), RunReport.FromJson(report.ToJson()).ToJson());

        var summary = SummaryRenderer.Render(report);
        Assert.Contains("CSMS protocol violations: 2 (binaryFrame 1, messageTooLarge 1)", summary, StringComparison.Ordinal);
        Assert.Contains("on CP-7 (SendLocalList): message of 5000000 bytes", summary, StringComparison.Ordinal);

        using var quiet = new FleetTelemetry("q", clock);
        Assert.DoesNotContain("CSMS protocol violations", SummaryRenderer.Render(RunReportBuilder.Build(new RunInfo("r", "p", Start, Start.AddMinutes(1), 2), quiet.Snapshot())), StringComparison.Ordinal);
    }
}
