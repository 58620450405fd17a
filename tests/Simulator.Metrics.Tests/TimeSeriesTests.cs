using Simulator.Metrics.TimeSeries;

namespace Simulator.Metrics.Tests;

public sealed class TimeSeriesTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rows_hold_what_happened_in_each_interval_and_gauges_as_they_stood()
    {
        using var telemetry = new FleetTelemetry("n1");
        var recorder = new TimeSeriesRecorder(Start);
        telemetry.Connected();
        telemetry.ConnectionAttempt(ConnectResults.Ok);
        telemetry.ConnectionAttempt(ConnectResults.Refused);
        telemetry.CallCompleted("BootNotification", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(4), TimeSpan.Zero);
        telemetry.MessageSent("BootNotification");
        telemetry.MessageReceived("BootNotification");
        var first = recorder.Record(telemetry.Snapshot(), telemetry.RollWindow(), Start.AddSeconds(1));

        telemetry.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Timeout, null, TimeSpan.FromSeconds(30), TimeSpan.Zero);
        telemetry.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.CallError, "InternalError", TimeSpan.FromMilliseconds(2), TimeSpan.Zero);
        telemetry.Reconnect();
        telemetry.Disconnected();
        var second = recorder.Record(telemetry.Snapshot(), telemetry.RollWindow(), Start.AddSeconds(2.5));

        Assert.Equal((1.0, 1.0, 1L, 1L, 1L), (first.ElapsedSeconds, first.IntervalSeconds, first.Connected, first.MessagesCpToCsms, first.MessagesCsmsToCp));
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 1, ["refused"] = 1 }, first.ConnectionAttempts);
        var boot = Assert.Single(first.Calls);
        Assert.Equal(("BootNotification", 1L), (boot.Action, boot.Count));
        Assert.InRange(boot.P50Ms!.Value, 3.9, 4.1);

        Assert.Equal((1.5, 0L, 0L, 1L, 1L, 1L), (second.IntervalSeconds, second.Connected, second.MessagesCpToCsms, second.Errors, second.Timeouts, second.Reconnects));
        Assert.Empty(second.ConnectionAttempts);
        var heartbeat = Assert.Single(second.Calls);
        Assert.Equal(("Heartbeat", 2L, 1L, 1L), (heartbeat.Action, heartbeat.Count, heartbeat.Errors, heartbeat.Timeouts));
    }

    [Fact]
    public void The_last_row_is_left_out_when_nothing_changed_and_kept_when_something_did()
    {
        using var telemetry = new FleetTelemetry("n1");
        var recorder = new TimeSeriesRecorder(Start);
        telemetry.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(1), TimeSpan.Zero);
        recorder.Record(telemetry.Snapshot(), telemetry.RollWindow(), Start.AddSeconds(1));
        Assert.Null(recorder.Complete(telemetry.Snapshot(), telemetry.RollWindow(), Start.AddSeconds(1.1)));

        telemetry.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(1), TimeSpan.Zero);
        Assert.NotNull(recorder.Complete(telemetry.Snapshot(), WindowStatistics.Empty, Start.AddSeconds(1.2)));
        Assert.Equal(2, recorder.Rows.Sum(r => r.Calls.Sum(c => c.Count)));
        Assert.Null(recorder.Rows[^1].Calls[0].P99Ms);
    }

    [Fact]
    public void Csv_quotes_names_from_the_wire_and_json_lines_read_back()
    {
        using var telemetry = new FleetTelemetry("n1");
        var recorder = new TimeSeriesRecorder(Start);
        telemetry.CallCompleted("Evil,\"Action\"", Directions.CsmsToCp, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(1), TimeSpan.Zero);
        recorder.Record(telemetry.Snapshot(), telemetry.RollWindow(), Start.AddSeconds(1));

        var csv = TimeSeriesWriter.ToCsv(recorder.Rows).Split('\n');
        Assert.Contains("\"Evil,\"\"Action\"\".csms_to_cp.count\"", csv[0], StringComparison.Ordinal);
        var back = Assert.Single(TimeSeriesWriter.FromJsonLines(TimeSeriesWriter.ToJsonLines(recorder.Rows)));
        Assert.Equal("Evil,\"Action\"", Assert.Single(back.Calls).Action);
        Assert.Equal(TimeSeriesFormat.Csv, TimeSeriesWriter.FormatOf("a/b.CSV"));
        Assert.Equal(TimeSeriesFormat.JsonLines, TimeSeriesWriter.FormatOf("b.jsonl"));
        Assert.Null(TimeSeriesWriter.FormatOf("b.json"));
    }
}
