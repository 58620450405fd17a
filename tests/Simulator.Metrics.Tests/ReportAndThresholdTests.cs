using System.Text.Json;
using Simulator.Metrics;

namespace Simulator.Metrics.Tests;

public sealed class ReportAndThresholdTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static RunReport CraftReport()
    {
        using var t = new FleetTelemetry("n1");
        for (var i = 1; i <= 100; i++)
        {
            // BootNotification: 1..100 ms; one CALLERROR.
            t.CallCompleted("BootNotification", Directions.CpToCsms, i == 100 ? CallOutcome.CallError : CallOutcome.Ok, "InternalError", TimeSpan.FromMilliseconds(i), TimeSpan.Zero);
            // Heartbeat: 2 ms, one timeout of 30 s.
            t.CallCompleted("Heartbeat", Directions.CpToCsms, i == 1 ? CallOutcome.Timeout : CallOutcome.Ok, null, i == 1 ? TimeSpan.FromSeconds(30) : TimeSpan.FromMilliseconds(2), TimeSpan.Zero, TimeSpan.FromMilliseconds(3));
        }

        t.CallCompleted("Reset", Directions.CsmsToCp, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(700), TimeSpan.Zero);
        for (var i = 0; i < 99; i++)
        {
            t.Connected();
            t.Booted();
        }

        t.ConnectionAttempt(ConnectResults.Ok, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));
        t.ConnectionAttempt(ConnectResults.Refused);
        t.SessionStarted();
        t.SessionCompleted();
        t.EnergyDelivered(12_500);
        t.SetLedger(new LedgerCounts(1000, 999, 1, 3));
        for (var i = 0; i < 110; i++)
        {
            if (i < 100)
            {
                t.MessageSent("Heartbeat");
            }
            t.MessageReceived("Heartbeat");
        }
        var storms = new[] { new StormEventResult("mass-reconnect", T0.AddMinutes(1), new Dictionary<string, double> { ["reconnectedWithinSeconds"] = 42.5 }) };
        return RunReportBuilder.Build(new RunInfo("run-1", "smoke", T0, T0.AddMinutes(5), 100), t.Snapshot(), storms);
    }

    [Fact]
    public void Report_carries_the_figures_of_the_run()
    {
        var r = CraftReport();
        var boot = r.Actions.Single(a => a.Action == "BootNotification");
        Assert.Equal((100L, 99L, 1L, 0L), (boot.Count, boot.Ok, boot.Errors, boot.Timeouts));
        Assert.Equal(1, boot.ErrorsByCode["InternalError"]);
        Assert.Equal(50, boot.Latency.P50Ms, 0.1);
        Assert.Equal(99, boot.Latency.P99Ms, 0.1);
        Assert.Null(boot.LatencyFromIntended);
        Assert.NotNull(r.Actions.Single(a => a.Action == "Heartbeat").LatencyFromIntended);
        Assert.Equal(200, r.Totals.Count);   // the calls the charge points made; Reset (csms_to_cp) is the charge point's answer
        Assert.Equal(12.5, r.Sessions.EnergyDeliveredKwh);
        Assert.Equal(300, r.DurationSeconds);
        Assert.Equal(99, r.Connections.ConnectedPeak);
    }

    [Fact]
    public void Json_round_trips_with_stable_camel_case_names_and_a_schema_version()
    {
        var report = CraftReport() with { Thresholds = [new ThresholdResult("lost == 0", true, false, "1")] };
        var json = report.ToJson();
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        foreach (var name in new[] { "runId", "profile", "start", "end", "durationSeconds", "abortReason", "nodeCount", "fleetSize", "actions", "totals", "connections", "sessions", "schedulerLag", "securityEvents", "storms", "lossCheck", "thresholds" })
        {
            Assert.True(root.TryGetProperty(name, out _), $"missing {name}");
        }

        var action = root.GetProperty("actions")[0];
        foreach (var name in new[] { "action", "direction", "count", "ok", "errors", "errorsByCode", "timeouts", "latency", "queueWait", "latencyFromIntended" })
        {
            Assert.True(action.TryGetProperty(name, out _), $"missing actions[].{name}");
        }

        foreach (var name in new[] { "count", "meanMs", "p50Ms", "p90Ms", "p95Ms", "p99Ms", "p999Ms", "maxMs" })
        {
            Assert.True(action.GetProperty("latency").TryGetProperty(name, out _), $"missing latency.{name}");
        }

        Assert.Equal(3, root.GetProperty("lossCheck").GetProperty("duplicatesRecognised").GetInt64());
        Assert.Equal(42.5, root.GetProperty("storms")[0].GetProperty("figures").GetProperty("reconnectedWithinSeconds").GetDouble());

        var back = RunReport.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(report.Actions.Count, back.Actions.Count);
        Assert.Equal(report.LossCheck, back.LossCheck);
    }

    [Fact]
    public void Summary_has_a_header_and_one_row_per_action_and_direction()
    {
        var text = SummaryRenderer.Render(CraftReport());
        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("action", StringComparison.Ordinal) && l.Contains("p99.9", StringComparison.Ordinal) && l.TrimEnd().EndsWith("max", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("BootNotification", StringComparison.Ordinal) && l.Contains("cp_to_csms", StringComparison.Ordinal) && l.Contains("100", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Heartbeat", StringComparison.Ordinal) && l.Contains("30.02s", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Reset", StringComparison.Ordinal) && l.Contains("csms_to_cp", StringComparison.Ordinal) && l.Contains("700.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("TOTAL", StringComparison.Ordinal) && l.Contains("cp_to_csms", StringComparison.Ordinal) && l.Contains("200", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("CSMS calls: 1 (Reset ok 1)", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', text);
    }

    [Fact]
    public void A_narrow_summary_fits_its_width_hides_actions_without_calls_keeps_a_stable_order_and_ends_with_the_verdict()
    {
        var crafted = CraftReport();
        var idle = new ActionReport("DiagnosticsStatusNotification", Directions.CpToCsms, 0, 0, 0, new Dictionary<string, long>(), 0,
            new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0), new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0), null);
        var report = (crafted with
        {
            Actions = [.. crafted.Actions.Reverse(), idle],
            Thresholds = [new ThresholdResult("p99 < 10ms", false, false, "99.01ms"), new ThresholdResult("errors < 5%", false, true, "0.5%")],
            SchedulerLag = new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0),
            Sessions = crafted.Sessions with { Connectors = 200 },
        }).WithExitCode(ExitCodes.ThresholdFailed);

        var wide = SummaryRenderer.Render(report).Split(Environment.NewLine);
        Assert.Contains(wide, l => l.Length > 80);
        var lines = SummaryRenderer.Render(report, 80).TrimEnd().Split(Environment.NewLine);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.DoesNotContain(lines, l => l.Contains("DiagnosticsStatusNotification", StringComparison.Ordinal));
        var cp = Array.IndexOf(lines, "cp_to_csms:");
        var csms = Array.IndexOf(lines, "csms_to_cp:");
        Assert.True(cp > 0 && csms > cp, string.Join('\n', lines));
        Assert.StartsWith("BootNotification ", lines[cp + 1], StringComparison.Ordinal);
        Assert.StartsWith("Heartbeat ", lines[cp + 2], StringComparison.Ordinal);
        Assert.StartsWith("Reset ", lines[csms + 1], StringComparison.Ordinal);
        Assert.Contains("scheduler lag n/a", lines);
        Assert.Contains(lines, l => l.Contains("connectors charging at peak 1 of 200", StringComparison.Ordinal));
        Assert.Equal("FAILED (exit 99), 0.7 msg/s: 1 transaction message(s) lost; threshold failed: p99 < 10ms", SummaryRenderer.VerdictLine(report));
        Assert.Equal(80, lines[^1].Length);
        Assert.Equal(SummaryRenderer.VerdictLine(report)[..77] + "...", lines[^1]);
        Assert.Single(lines, l => l.StartsWith("FAILED", StringComparison.Ordinal));
        Assert.Contains("BootNot~", SummaryRenderer.Render(report, 1), StringComparison.Ordinal);   // a silly width still ends
        Assert.Equal("PASSED (exit 0), 0.7 msg/s: 2 thresholds held",
            SummaryRenderer.VerdictLine((report with { LossCheck = null, Thresholds = [.. report.Thresholds.Select(t => t with { Passed = true })] }).WithExitCode(ExitCodes.Ok)));
    }

    [Fact]
    public void Summary_prints_each_storm_and_tls_as_not_applicable_when_no_handshake_ran()
    {
        var storms = new[]
        {
            new StormEventResult("arrival", DateTimeOffset.UnixEpoch, new Dictionary<string, double>
            {
                ["chargePoints"] = 20, ["secondsTo50PctConnected"] = 0.4, ["secondsTo99PctConnected"] = 1.2, ["secondsTo100PctConnected"] = 1.3,
                ["secondsTo50PctBooted"] = 0.5, ["secondsTo99PctBooted"] = 1.4, ["secondsTo100PctBooted"] = 1.5,
            }),
            new StormEventResult("csms-restart", new DateTimeOffset(2026, 12, 4, 12, 0, 30, TimeSpan.Zero), new Dictionary<string, double>
            {
                ["affected"] = 20, ["reconnected"] = 19, ["neverReconnected"] = 1, ["secondsTo50PctConnected"] = 10.2, ["secondsTo99PctConnected"] = 14,
                ["attemptsTotal"] = 130, ["attemptsPeakPerSecond"] = 25, ["offlineQueuePeak"] = 57, ["offlineQueueDrainedAfterSeconds"] = 16.5,
            }) { FailedAttemptsByResult = new Dictionary<string, long> { ["refused"] = 110 } },
        };
        var text = SummaryRenderer.Render(CraftReport() with { Storms = storms });
        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();

        Assert.Contains("arrival: 20 charge points; 50/99/100 % connected after 0.4/1.2/1.3 s, booted after 0.5/1.4/1.5 s", lines);
        Assert.Contains("storm csms-restart at 12:00:30: affected 20, reconnected 19, never reconnected 1; 50/99/100 % back after 10.2/14.0/- s, booted after -/-/- s; "
            + "attempts 130 (peak 25/s), failed: refused 110; offline queue peak 57, drained after 16.5 s", lines);
        Assert.Contains(lines, l => l.StartsWith("connect p50", StringComparison.Ordinal) && l.Contains("; tls p50 ", StringComparison.Ordinal));

        var plain = CraftReport();
        var withoutTls = plain with { Connections = plain.Connections with { TlsHandshake = new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0) } };
        Assert.Contains(SummaryRenderer.Render(withoutTls).Split('\n'), l => l.StartsWith("connect p50", StringComparison.Ordinal) && l.TrimEnd().EndsWith("; tls n/a", StringComparison.Ordinal));
    }

    [Fact]
    public void A_timeline_event_that_failed_says_so_and_why_in_the_summary_and_the_json()
    {
        var failed = new StormEventResult("csms-blackhole", new DateTimeOffset(2026, 12, 4, 12, 0, 5, TimeSpan.Zero), new Dictionary<string, double> { ["affected"] = 0 })
        {
            Failure = "the target is not the embedded CSMS",
        };
        var report = CraftReport() with { Storms = [failed] };

        var line = Assert.Single(SummaryRenderer.Render(report).Split('\n'), l => l.StartsWith("storm csms-blackhole", StringComparison.Ordinal));
        Assert.StartsWith("storm csms-blackhole at 12:00:05 FAILED (the target is not the embedded CSMS): affected 0,", line, StringComparison.Ordinal);

        using var doc = JsonDocument.Parse(report.ToJson());
        Assert.Equal("the target is not the embedded CSMS", doc.RootElement.GetProperty("storms")[0].GetProperty("failure").GetString());
        Assert.Equal("the target is not the embedded CSMS", RunReport.FromJson(report.ToJson()).Storms.Single().Failure);
        using var ok = JsonDocument.Parse(CraftReport().ToJson());
        Assert.Equal(JsonValueKind.Null, ok.RootElement.GetProperty("storms")[0].GetProperty("failure").ValueKind);
    }

    [Theory]
    [InlineData("p99 BootNotification < 500ms", ThresholdMetric.P99, "BootNotification", ThresholdOperator.LessThan, 500, false)]
    [InlineData("p(95) Heartbeat <= 1s", ThresholdMetric.P95, "Heartbeat", ThresholdOperator.LessOrEqual, 1000, false)]
    [InlineData("max StartTransaction < 2s", ThresholdMetric.Max, "StartTransaction", ThresholdOperator.LessThan, 2000, false)]
    [InlineData("p99.9<250", ThresholdMetric.P999, null, ThresholdOperator.LessThan, 250, false)]
    [InlineData("avg > 1500us", ThresholdMetric.Avg, null, ThresholdOperator.GreaterThan, 1.5, false)]
    [InlineData("errors < 0.1%", ThresholdMetric.Errors, null, ThresholdOperator.LessThan, 0.1, true)]
    [InlineData("timeouts == 0", ThresholdMetric.Timeouts, null, ThresholdOperator.Equal, 0, false)]
    [InlineData("connected >= 99%", ThresholdMetric.Connected, null, ThresholdOperator.GreaterOrEqual, 99, true)]
    [InlineData("booted >= 99%", ThresholdMetric.Booted, null, ThresholdOperator.GreaterOrEqual, 99, true)]
    [InlineData("lost == 0", ThresholdMetric.Lost, null, ThresholdOperator.Equal, 0, false)]
    [InlineData("errors Heartbeat != 3", ThresholdMetric.Errors, "Heartbeat", ThresholdOperator.NotEqual, 3, false)]
    [InlineData("reconnected >= 99%", ThresholdMetric.Reconnected, null, ThresholdOperator.GreaterOrEqual, 99, true)]
    [InlineData("p99 reconnectTime < 30s", ThresholdMetric.P99, null, ThresholdOperator.LessThan, 30_000, false)]
    public void Good_expressions_parse(string text, ThresholdMetric metric, string? action, ThresholdOperator op, double value, bool percent)
    {
        var t = Threshold.Parse(text, abortOnFail: true);
        Assert.Equal((metric, action, op, percent, true), (t.Metric, t.Action, t.Operator, t.IsPercent, t.AbortOnFail));
        Assert.Equal(value, t.Value, 1e-9);
    }

    [Theory]
    [InlineData("p99x < 5ms", "unknown metric 'p99x'; expected one of p50, p90, p95, p99, p99.9, max, avg, errors, timeouts, connected, booted, lost")]
    [InlineData("p97 < 5ms", "unsupported percentile 'p97'")]
    [InlineData("p99 Heartbeat 5ms", "no comparison operator")]
    [InlineData("p99 < ", "no value after the operator")]
    [InlineData("p99 < 5 parsecs", "unknown time unit 'parsecs'")]
    [InlineData("p99 < 5%", "a latency cannot be a percentage")]
    [InlineData("errors < 5ms", "unexpected unit 'ms'")]
    [InlineData("errors < 150%", "above 100%")]
    [InlineData("connected BootNotification >= 99%", "takes no action")]
    [InlineData("p99 Heartbeat sideways < 1s", "unknown direction 'sideways'")]
    [InlineData("p99 < abc", "invalid duration 'abc'")]
    [InlineData("   ", "empty threshold")]
    [InlineData("reconnected Heartbeat >= 99%", "takes no action")]
    [InlineData("reconnected >= 99% during steady", "judges each timeline event that disconnected charge points, over the whole run; it takes no 'during'")]
    [InlineData("p99 reconnectTime ocpp_version=1.6 < 30s", "it takes no ocpp_version=...")]
    [InlineData("p99 reconnectTime BootNotification < 30s", "reconnectTime is the whole fleet's and takes no action")]
    [InlineData("p95 reconnectTime < 30s", "a storm's reconnect time has p50, p90, p99 and max, not 'p95'")]
    [InlineData("errors reconnectTime < 1%", "'reconnectTime' is a latency")]
    public void Bad_expressions_say_what_is_wrong(string text, string expected)
    {
        var e = Assert.Throws<ThresholdParseException>(() => Threshold.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    // HdrHistogram reports the highest value equivalent to the recorded one (3 significant digits): 99 ms reads 99.01 ms.
    [InlineData("p99 BootNotification < 500ms", true, "99.01ms")]
    [InlineData("p99 BootNotification < 50ms", false, "99.01ms")]
    [InlineData("p50 BootNotification cp_to_csms <= 50ms", false, "50.02ms")]
    [InlineData("p50 BootNotification cp_to_csms <= 50.1ms", true, "50.02ms")]
    [InlineData("max Heartbeat < 2s", false, "30.02s")]
    [InlineData("p99 StartTransaction < 2s", false, "no calls of StartTransaction")]
    [InlineData("errors < 1%", true, "0.5% (1 of 200)")]
    [InlineData("errors Reset < 1%", true, "0% (0 of 1)")]
    [InlineData("errors == 0", false, "1")]
    [InlineData("timeouts == 0", false, "1")]
    [InlineData("timeouts Reset == 0", true, "0")]
    [InlineData("connected >= 99%", true, "99% (99 of 100)")]
    [InlineData("booted >= 99.5%", false, "99% (99 of 100)")]
    [InlineData("lost == 0", false, "1")]
    [InlineData("lost <= 0.1%", true, "0.1% (1 of 1000)")]
    public void Thresholds_evaluate_against_a_crafted_report(string text, bool passes, string actual)
    {
        var result = Assert.Single(ThresholdEvaluator.Evaluate(CraftReport(), [Threshold.Parse(text)]));
        Assert.Equal(passes, result.Passed);
        Assert.Equal(actual, result.Actual);
        Assert.Equal(passes ? ExitCodes.Ok : ExitCodes.ThresholdFailed, ThresholdEvaluator.ExitCode([result]));
    }

    [Theory]
    [InlineData("reconnected >= 99%", false, "csms-restart at 12:00:30 100% (20 of 20), network-drop at 12:01:00 90% (9 of 10)")]
    [InlineData("reconnected >= 90%", true, "csms-restart at 12:00:30 100% (20 of 20), network-drop at 12:01:00 90% (9 of 10)")]
    [InlineData("reconnected >= 9", true, "csms-restart at 12:00:30 20 of 20, network-drop at 12:01:00 9 of 10")]
    [InlineData("p99 reconnectTime < 15s", true, "csms-restart at 12:00:30 14.00s, network-drop at 12:01:00 4.00s")]
    [InlineData("max reconnectTime < 15s", false, "csms-restart at 12:00:30 16.50s, network-drop at 12:01:00 5.00s")]
    [InlineData("p50 reconnectTime <= 10.2s", true, "csms-restart at 12:00:30 10.20s, network-drop at 12:01:00 2.00s")]
    public void Storm_thresholds_judge_every_event_that_disconnected_charge_points_on_its_own(string text, bool passes, string actual)
    {
        // The arrival and an event that disconnected nobody (a slow CSMS) are not judged.
        var report = CraftReport() with { Storms = [Storm("arrival", 0, 0, 0, 0), Storm("csms-restart", 30, 20, 20, 14), Storm("csms-slow", 45, 0, 0, 0), Storm("network-drop", 60, 10, 9, 4)] };

        var result = Assert.Single(ThresholdEvaluator.Evaluate(report, [Threshold.Parse(text)]));

        Assert.Equal((passes, actual), (result.Passed, result.Actual));
    }

    [Fact]
    public void A_storm_threshold_fails_when_there_was_no_storm_to_judge_or_it_was_not_carried_out_and_waits_for_the_end_of_a_live_run()
    {
        var threshold = Threshold.Parse("reconnected >= 99%", abortOnFail: true);
        var none = CraftReport() with { Storms = [Storm("arrival", 0, 0, 0, 0)] };
        var slowOnly = CraftReport() with { Storms = [Storm("csms-slow", 45, 0, 0, 0)] };
        var notCarriedOut = CraftReport() with { Storms = [Storm("csms-restart", 30, 0, 0, 0) with { Failure = "the target is not the embedded CSMS" }] };
        var noneBack = CraftReport() with { Storms = [Storm("csms-restart", 30, 20, 0, 0)] };

        Assert.Equal((false, "no timeline event in this run"), Verdict(none, threshold));
        Assert.Equal((false, "no timeline event disconnected a charge point"), Verdict(slowOnly, threshold));
        Assert.Equal((false, "csms-restart at 12:00:30 not carried out: the target is not the embedded CSMS"), Verdict(notCarriedOut, threshold));
        Assert.Equal((false, "csms-restart at 12:00:30 none reconnected"), Verdict(noneBack, Threshold.Parse("p99 reconnectTime < 1m")));

        using var t = new FleetTelemetry("n1");
        Assert.Empty(ThresholdEvaluator.FailedAbortThresholds(t.Snapshot(), new RunInfo("r", "p", T0, T0.AddSeconds(10), 1), [threshold]));

        static (bool, string) Verdict(RunReport report, Threshold threshold) =>
            Assert.Single(ThresholdEvaluator.Evaluate(report, [threshold])) is var r ? (r.Passed, r.Actual) : default;
    }

    /// <summary>A timeline event's figures, its reconnect times from one p99 (p50 half of it, max 1.25 times it; the CSMS restart's p50 10.2 s, max 16.5 s).</summary>
    private static StormEventResult Storm(string name, int atSeconds, int affected, int reconnected, double p99Seconds)
    {
        var figures = new Dictionary<string, double>();
        if (name == StormFigures.Arrival)
        {
            figures[StormFigures.ChargePoints] = 20;
        }
        else
        {
            figures[StormFigures.Affected] = affected;
            figures[StormFigures.Reconnected] = reconnected;
            figures[StormFigures.NeverReconnected] = affected - reconnected;
            if (reconnected > 0)
            {
                figures[StormFigures.ReconnectTimeP50Seconds] = name == "csms-restart" ? 10.2 : p99Seconds / 2;
                figures[StormFigures.ReconnectTimeP90Seconds] = p99Seconds * 0.9;
                figures[StormFigures.ReconnectTimeP99Seconds] = p99Seconds;
                figures[StormFigures.ReconnectTimeMaxSeconds] = name == "csms-restart" ? 16.5 : p99Seconds * 1.25;
            }
        }
        return new StormEventResult(name, new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero).AddSeconds(atSeconds), figures);
    }

    [Fact]
    public void Live_evaluation_reports_only_failing_abort_thresholds_and_skips_the_loss_check()
    {
        using var t = new FleetTelemetry("n1");
        t.CallCompleted("BootNotification", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromSeconds(3), TimeSpan.Zero);
        var thresholds = new[]
        {
            Threshold.Parse("p99 BootNotification < 1s", abortOnFail: true),
            Threshold.Parse("max BootNotification < 1s"),
            Threshold.Parse("lost == 0", abortOnFail: true),
            Threshold.Parse("timeouts == 0", abortOnFail: true),
        };
        var failed = ThresholdEvaluator.FailedAbortThresholds(t.Snapshot(), new RunInfo("r", "p", T0, T0.AddSeconds(10), 1), thresholds);
        Assert.Equal("p99 BootNotification < 1s", Assert.Single(failed).Expression);
    }

    [Fact]
    public void Exit_codes_match_k6()
    {
        Assert.Equal((0, 99, 104, 105, 107), (ExitCodes.Ok, ExitCodes.ThresholdFailed, ExitCodes.InvalidArguments, ExitCodes.Aborted, ExitCodes.InternalError));
    }
}
