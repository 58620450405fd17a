namespace Simulator.Metrics.Tests;

/// <summary>Phases cut from cumulative statistics, thresholds judged per phase, and the grammar that names phases and latencies.</summary>
public sealed class PhaseThresholdTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 1, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("p99 StopTransaction < 1s during drain", ThresholdMetric.P99, "StopTransaction", LatencySource.RoundTrip, "drain")]
    [InlineData("p95 fromIntended MeterValues < 2s", ThresholdMetric.P95, "MeterValues", LatencySource.FromIntended, null)]
    [InlineData("p99 schedulerLag < 100ms during rampUp", ThresholdMetric.P99, null, LatencySource.SchedulerLag, "rampUp")]
    [InlineData("max FromIntended < 5s during RUN", ThresholdMetric.Max, null, LatencySource.FromIntended, "run")]
    [InlineData("connected >= 99% during steady", ThresholdMetric.Connected, null, LatencySource.RoundTrip, "steady")]
    [InlineData("stillQueued == 0", ThresholdMetric.StillQueued, null, LatencySource.RoundTrip, null)]
    [InlineData("givenUp < 0.1%", ThresholdMetric.GivenUp, null, LatencySource.RoundTrip, null)]
    public void The_grammar_names_phases_and_latencies(string text, ThresholdMetric metric, string? action, LatencySource source, string? phase)
    {
        var t = Threshold.Parse(text, abortOnFail: true, TimeSpan.FromSeconds(10));
        Assert.Equal(metric, t.Metric);
        Assert.Equal(action, t.Action);
        Assert.Equal(source, t.Source);
        Assert.Equal(phase, t.Phase);
        Assert.Equal(TimeSpan.FromSeconds(10), t.DelayAbortEval);
    }

    [Theory]
    [InlineData("p99 Heartbeat < 1s during lunch", "unknown phase 'lunch'")]
    [InlineData("lost == 0 during drain", "takes no 'during'")]
    [InlineData("p99 schedulerLag Heartbeat < 1s", "takes no action")]
    [InlineData("errors fromIntended < 1%", "is a latency")]
    [InlineData("stillQueued StopTransaction == 0", "takes no action")]
    public void Wrong_phases_and_sources_are_named(string text, string problem)
    {
        var e = Assert.Throws<ThresholdParseException>(() => Threshold.Parse(text));
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_later_histogram_minus_an_earlier_one_holds_what_came_in_between()
    {
        var early = LatencyHistogram.FromMicros(Enumerable.Range(1, 100).Select(i => i * 1000L));
        var late = early.Merge(LatencyHistogram.FromMicros(Enumerable.Range(1, 100).Select(i => 2_000_000 + (i * 1000L))));

        var between = late.Minus(early);

        Assert.Equal(100, between.Count);
        Assert.InRange(between.ValueAtPercentileMs(50), 2040, 2060);
        Assert.InRange(between.MaxMicros, 2_098_000, 2_103_000);
        Assert.Equal(0, late.Minus(late).Count);
    }

    /// <summary>100 calls of 10 ms in the ramp-up, 100 of 500 ms in the steady phase, 100 of 2 s in the drain; connected 10, then 100, then 0.</summary>
    private static RunReport ThreePhases()
    {
        using var t = new FleetTelemetry("n1");
        var recorder = new RunPhaseRecorder(T0, StatisticsSnapshot.Empty("n1", T0));
        void Calls(int ms, TimeSpan? fromIntended = null)
        {
            for (var i = 0; i < 100; i++)
            {
                t.CallCompleted("StopTransaction", Directions.CpToCsms, i == 0 && ms == 2000 ? CallOutcome.CallError : CallOutcome.Ok, "InternalError", TimeSpan.FromMilliseconds(ms), TimeSpan.Zero, fromIntended);
            }
        }

        Calls(10);
        recorder.Sample(T0, 10, 10);
        for (var i = 0; i < 100; i++)
        {
            t.Connected();
        }

        recorder.Enter(RunPhaseNames.Steady, T0.AddSeconds(10), t.Snapshot());
        Calls(500, TimeSpan.FromMilliseconds(900));
        for (var s = 1; s <= 10; s++)
        {
            // 100 connected, but 40 for 2 of the 10 seconds: the mean is 88, the lowest 40.
            recorder.Sample(T0.AddSeconds(10 + s), s is 4 or 5 ? 40 : 100, 100);
        }

        recorder.Enter(RunPhaseNames.Drain, T0.AddSeconds(20), t.Snapshot());
        Calls(2000);
        recorder.Sample(T0.AddSeconds(25), 0, 0);
        var final = t.Snapshot();
        return RunReportBuilder.Build(new RunInfo("r", "p", T0, T0.AddSeconds(25), 100), final) with
        {
            Phases = RunReportBuilder.Phases(recorder.Complete(T0.AddSeconds(25), final)),
        };
    }

    [Fact]
    public void Each_phase_holds_only_its_own_calls()
    {
        var report = ThreePhases();

        Assert.Equal([RunPhaseNames.RampUp, RunPhaseNames.Steady, RunPhaseNames.Drain], report.Phases.Select(p => p.Name));
        var (ramp, steady, drain) = (report.Phases[0].Actions.Single(), report.Phases[1].Actions.Single(), report.Phases[2].Actions.Single());
        Assert.Equal((100, 100, 100), (ramp.Count, steady.Count, drain.Count));
        Assert.InRange(ramp.Latency.P99Ms, 9.9, 10.1);
        Assert.InRange(steady.Latency.P99Ms, 499, 501);
        Assert.InRange(drain.Latency.P50Ms, 1990, 2010);
        Assert.Equal((0, 0, 1), (ramp.Errors, steady.Errors, drain.Errors));
        Assert.Equal(100, steady.LatencyFromIntended!.Count);
        Assert.Null(ramp.LatencyFromIntended);
        Assert.Equal(10, report.Phases[1].DurationSeconds);
        Assert.Equal(40, report.Phases[1].Connected.Min);
        Assert.Equal(88, report.Phases[1].Connected.Mean, 6);
        // The whole run still counts everything.
        Assert.Equal(300, report.Actions.Single().Count);
    }

    [Fact]
    public void The_phases_latency_table_keeps_only_the_p99_when_p50_and_p99_would_not_fit()
    {
        var report = ThreePhases();

        var wide = SummaryRenderer.Render(report).Split(Environment.NewLine);
        Assert.Contains(wide, l => l.StartsWith("  p50/p99 ", StringComparison.Ordinal));
        Assert.Matches("^  StopTransaction +[0-9.]+ms/[0-9.]+ms +[0-9.]+ms/[0-9.]+ms +[0-9.]+s/[0-9.]+s$", Assert.Single(wide, l => l.StartsWith("  StopTransaction", StringComparison.Ordinal)));

        var narrow = SummaryRenderer.Render(report, 60).Split(Environment.NewLine);
        Assert.Matches("^  p99 +rampUp +steady +drain$", Assert.Single(narrow, l => l.StartsWith("  p99 ", StringComparison.Ordinal) && l.EndsWith("drain", StringComparison.Ordinal)));
        Assert.Matches("^  StopTransaction +10[.0-9]+ms +50[.0-9]+ms +2[.0-9]+s$", Assert.Single(narrow, l => l.StartsWith("  StopTransaction", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("p99 StopTransaction < 600ms", true, "500.")]
    [InlineData("p99 StopTransaction < 600ms during drain", false, "2.00s")]
    [InlineData("p99 StopTransaction < 600ms during run", false, "2.00s")]
    [InlineData("p99 StopTransaction < 15ms during rampUp", true, "10.")]
    [InlineData("errors == 0", true, "0")]
    [InlineData("errors == 0 during drain", false, "1")]
    [InlineData("p99 fromIntended StopTransaction < 1s", true, "900.")]
    [InlineData("p99 fromIntended < 1s during drain", false, "no scheduled sends of any action (fromIntended needs periodic messages) in the drain phase")]
    [InlineData("connected >= 90%", false, "mean in the steady phase 88% (88 of 100)")]
    [InlineData("connected >= 85%", true, "mean in the steady phase 88% (88 of 100)")]
    [InlineData("p99 Heartbeat < 1s", false, "no calls of Heartbeat in the steady phase")]
    public void Thresholds_judge_the_steady_phase_unless_they_name_another(string expression, bool passed, string actual)
    {
        var result = Assert.Single(ThresholdEvaluator.Evaluate(ThreePhases(), [Threshold.Parse(expression)]));
        Assert.True(passed == result.Passed, $"{expression}: {result.Actual}");
        Assert.StartsWith(actual, result.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void An_action_without_calls_in_the_steady_phase_is_judged_over_the_whole_run_and_says_so()
    {
        using var t = new FleetTelemetry("n1");
        t.CallCompleted("BootNotification", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(40), TimeSpan.Zero);
        var recorder = new RunPhaseRecorder(T0, StatisticsSnapshot.Empty("n1", T0));
        recorder.Enter(RunPhaseNames.Steady, T0.AddSeconds(1), t.Snapshot());
        var final = t.Snapshot();
        var report = RunReportBuilder.Build(new RunInfo("r", "p", T0, T0.AddSeconds(5), 1), final) with { Phases = RunReportBuilder.Phases(recorder.Complete(T0.AddSeconds(5), final)) };

        var result = Assert.Single(ThresholdEvaluator.Evaluate(report, [Threshold.Parse("p99 BootNotification < 500ms")]));

        Assert.True(result.Passed);
        Assert.StartsWith("40.0", result.Actual, StringComparison.Ordinal);
        Assert.EndsWith("ms (whole run: none in the steady phase)", result.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void While_the_run_goes_connection_thresholds_wait_for_the_steady_phase_and_for_delayAbortEval()
    {
        using var t = new FleetTelemetry("n1");
        t.Connected();
        var run = new RunInfo("r", "p", T0, T0.AddSeconds(30), 100);
        var recorder = new RunPhaseRecorder(T0, StatisticsSnapshot.Empty("n1", T0));
        recorder.Sample(T0.AddSeconds(1), 1, 0);
        recorder.Sample(T0.AddSeconds(2), 1, 0);
        var connected = Threshold.Parse("connected >= 99%", abortOnFail: true);
        var delayed = Threshold.Parse("connected >= 99%", abortOnFail: true, TimeSpan.FromSeconds(60));
        var duringRamp = Threshold.Parse("connected >= 0.5% during rampUp", abortOnFail: true);

        // Ramp-up: none, then 1 of 100 connected (a mean of 0.5), and nothing aborts for the steady phase's threshold.
        Assert.Empty(ThresholdEvaluator.FailedAbortThresholds(t.Snapshot(), run, [connected, delayed, duringRamp], recorder.CurrentSoFar(T0.AddSeconds(2), t.Snapshot()), TimeSpan.FromSeconds(2)));

        // Steady, still 1 of 100: the threshold fails, except the one whose delayAbortEval has not passed.
        recorder.Enter(RunPhaseNames.Steady, T0.AddSeconds(20), t.Snapshot());
        recorder.Sample(T0.AddSeconds(22), 1, 0);
        var failed = ThresholdEvaluator.FailedAbortThresholds(t.Snapshot(), run, [connected, delayed, duringRamp], recorder.CurrentSoFar(T0.AddSeconds(22), t.Snapshot()), TimeSpan.FromSeconds(22));
        Assert.False(Assert.Single(failed).Passed);
        Assert.Equal(2, ThresholdEvaluator.FailedAbortThresholds(t.Snapshot(), run, [connected, delayed], recorder.CurrentSoFar(T0.AddSeconds(22), t.Snapshot()), TimeSpan.FromSeconds(61)).Count);
    }

    [Fact]
    public void Loss_thresholds_read_still_queued_and_given_up_apart_from_lost()
    {
        using var t = new FleetTelemetry("n1");
        var report = RunReportBuilder.Build(new RunInfo("r", "p", T0, T0.AddSeconds(5), 1), t.Snapshot()) with
        {
            LossCheck = new LossCheck(1000, 970, 0, 2) { StillQueued = 25, GivenUp = 5 },
        };

        var results = ThresholdEvaluator.Evaluate(report, [Threshold.Parse("lost == 0"), Threshold.Parse("stillQueued < 2%"), Threshold.Parse("givenUp == 0")]);

        Assert.Equal([true, false, false], results.Select(r => r.Passed));
        Assert.Equal("2.5% (25 of 1000)", results[1].Actual);
        Assert.Equal("5", results[2].Actual);
        var again = RunReport.FromJson(report.ToJson()).LossCheck!;
        Assert.Equal((25, 5), (again.StillQueued, again.GivenUp));
    }

    [Fact]
    public void An_incomplete_loss_check_fails_the_run_unless_an_uncheckedNodes_threshold_judges_it_and_a_loss_fails_it_anyway()
    {
        using var t = new FleetTelemetry("n1");
        var complete = RunReportBuilder.Build(new RunInfo("r", "p", T0, T0.AddSeconds(5), 1), t.Snapshot()) with { LossCheck = new LossCheck(1000, 1000, 0, 0) };
        var incomplete = complete with { LossCheck = complete.LossCheck! with { Incomplete = [new UncheckedNode("worker-2", "no final report within 20 s")] } };
        int ExitCode(RunReport report, params string[] thresholds)
        {
            var parsed = thresholds.Select(e => Threshold.Parse(e)).ToList();
            return ThresholdEvaluator.ExitCode(report with { Thresholds = ThresholdEvaluator.Evaluate(report, parsed) }, parsed);
        }

        Assert.Equal(ExitCodes.Ok, ExitCode(complete));
        Assert.Equal(ExitCodes.Ok, ExitCode(complete, "uncheckedNodes == 0"));
        Assert.Equal(ExitCodes.ThresholdFailed, ExitCode(incomplete));
        Assert.Equal(ExitCodes.ThresholdFailed, ExitCode(incomplete, "lost == 0"));
        Assert.Equal(ExitCodes.Ok, ExitCode(incomplete, "uncheckedNodes < 2"));
        Assert.Equal(ExitCodes.ThresholdFailed, ExitCode(incomplete, "uncheckedNodes == 0"));
        Assert.Equal(ExitCodes.ThresholdFailed, ExitCode(incomplete with { LossCheck = incomplete.LossCheck! with { Delivered = 999, Lost = 1 } }, "uncheckedNodes < 2"));
        Assert.Equal(ExitCodes.Aborted, ExitCode(incomplete with { AbortReason = "interrupted (SIGINT/SIGTERM)" }, "uncheckedNodes < 2"));

        var judged = ThresholdEvaluator.Evaluate(incomplete, [Threshold.Parse("uncheckedNodes <= 1"), Threshold.Parse("uncheckedNodes == 0")]);
        Assert.Equal([true, false], judged.Select(r => r.Passed));
        Assert.Equal("1 (worker-2)", judged[0].Actual);
        Assert.Equal("0", ThresholdEvaluator.Evaluate(complete, [Threshold.Parse("uncheckedNodes == 0")])[0].Actual);
        var noCheck = ThresholdEvaluator.Evaluate(complete with { LossCheck = null }, [Threshold.Parse("uncheckedNodes <= 1")])[0];
        Assert.Equal((false, "no loss check ran"), (noCheck.Passed, noCheck.Actual));

        var again = RunReport.FromJson(incomplete.ToJson()).LossCheck!;
        Assert.Equal(incomplete.LossCheck!.Incomplete, again.Incomplete);
        Assert.Null(RunReport.FromJson(complete.ToJson()).LossCheck!.Incomplete);
        Assert.Contains("\"incomplete\": [", incomplete.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("isIncomplete", incomplete.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uncheckedNodes < 10%", "uncheckedNodes counts cluster nodes; expected a plain count")]
    [InlineData("uncheckedNodes == 0 during steady", "'uncheckedNodes' is the loss check after the drain, over the whole run; it takes no 'during'")]
    [InlineData("uncheckedNodes worker-2 == 0", "'uncheckedNodes' applies to the whole fleet and takes no action")]
    [InlineData("uncheckedNodes ocpp_version=2.0.1 == 0", "'uncheckedNodes' is the whole fleet's")]
    public void An_uncheckedNodes_threshold_is_a_plain_count_over_the_whole_run(string expression, string problem)
    {
        var error = Assert.Throws<ThresholdParseException>(() => Threshold.Parse(expression));
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
    }
}
