using System.Globalization;

namespace Simulator.Metrics;

public enum ThresholdOperator
{
    LessThan,
    LessOrEqual,
    GreaterThan,
    GreaterOrEqual,
    Equal,
    NotEqual,
}

/// <summary>What a threshold measures.</summary>
public enum ThresholdMetric
{
    P50,
    P90,
    P95,
    P99,
    P999,
    Max,
    Avg,
    Errors,
    Timeouts,
    Connected,
    Booted,
    Lost,
    StillQueued,
    GivenUp,
    UncheckedNodes,
    /// <summary>The charge points a timeline event disconnected that connected again (count, or % of them), per event.</summary>
    Reconnected,
}

/// <summary>Which latency a percentile threshold reads.</summary>
public enum LatencySource
{
    /// <summary>From the actual send to the answer (or the timeout).</summary>
    RoundTrip,
    /// <summary>From the intended (scheduled) send time to the answer: includes how late the simulator sent it.</summary>
    FromIntended,
    /// <summary>How late the charge points' timers fired (the simulator falling behind its schedule); no action.</summary>
    SchedulerLag,
    /// <summary>
    /// How long the charge points a timeline event disconnected took to connect again (the storm's reconnect time, from the
    /// drop); no action, each event judged on its own.
    /// </summary>
    ReconnectTime,
}

/// <summary>
/// A k6-style threshold such as <c>p99 BootNotification &lt; 500ms</c> or <c>errors &lt; 0.1%</c>.
/// Latency values are held in ms; <see cref="IsPercent"/> marks a rate (0–100) rather than a count.
/// </summary>
public sealed record Threshold(
    string Expression,
    ThresholdMetric Metric,
    string? Action,
    string? Direction,
    ThresholdOperator Operator,
    double Value,
    bool IsPercent,
    bool AbortOnFail = false)
{
    public const string Grammar = "<metric> [fromIntended|schedulerLag|reconnectTime] [<action> [cp_to_csms|csms_to_cp]] [ocpp_version=<version>] <op> <value> [during rampUp|steady|drain|run], e.g. 'p99 BootNotification < 500ms', 'errors < 0.1%', 'p99 TransactionEvent ocpp_version=2.0.1 < 1s' or 'p99 StopTransaction < 1s during drain', or for a timeline event that disconnects charge points 'reconnected >= 99%' and 'p99 reconnectTime < 30s'";

    /// <summary>The selector that limits a threshold to the charge points of one OCPP version.</summary>
    public const string VersionSelector = "ocpp_version=";
    public const string KnownMetrics = "p50, p90, p95, p99, p99.9, max, avg, errors, timeouts, connected, booted, lost, stillQueued, givenUp, uncheckedNodes, reconnected";
    public const string KnownPhases = "rampUp, steady, drain, run";

    public bool IsLatency => Metric is ThresholdMetric.P50 or ThresholdMetric.P90 or ThresholdMetric.P95 or ThresholdMetric.P99
        or ThresholdMetric.P999 or ThresholdMetric.Max or ThresholdMetric.Avg;

    /// <summary>A figure of the loss check (after the run, over the whole run).</summary>
    public bool IsLoss => IsLossMetric(Metric);

    private static bool IsLossMetric(ThresholdMetric metric) => metric is ThresholdMetric.Lost or ThresholdMetric.StillQueued or ThresholdMetric.GivenUp or ThresholdMetric.UncheckedNodes;

    /// <summary>A figure of the timeline's storms (each event that disconnected charge points, judged on its own).</summary>
    public bool IsStorm => Metric == ThresholdMetric.Reconnected || Source == LatencySource.ReconnectTime;

    /// <summary>For percentile metrics: round trip (default), from the intended send time, or the scheduler lag.</summary>
    public LatencySource Source { get; init; }

    /// <summary>Only the calls of charge points of this OCPP version (<c>ocpp_version=2.0.1</c>); null: every version.</summary>
    public string? OcppVersion { get; init; }

    /// <summary>The phase named with <c>during</c> (<see cref="RunPhaseNames"/>, or <c>run</c>); null: the steady phase.</summary>
    public string? Phase { get; init; }

    /// <summary>With <see cref="AbortOnFail"/>: not evaluated while the run is younger than this (k6's delayAbortEval).</summary>
    public TimeSpan DelayAbortEval { get; init; }

    /// <summary>Parses an expression; throws <see cref="ThresholdParseException"/> naming what is wrong and what is expected.</summary>
    public static Threshold Parse(string expression, bool abortOnFail = false, TimeSpan delayAbortEval = default)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = expression.Trim();
        if (text.Length == 0)
        {
            throw new ThresholdParseException(expression, $"empty threshold; expected {Grammar}");
        }

        var (opIndex, opLength, op) = FindOperator(text)
            ?? throw new ThresholdParseException(expression, $"no comparison operator; expected one of <, <=, >, >=, ==, != as in {Grammar}");
        var left = text[..opIndex].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var right = text[(opIndex + opLength)..].Trim();
        string? ocppVersion = null;
        if (left.FirstOrDefault(t => t.StartsWith(VersionSelector, StringComparison.OrdinalIgnoreCase)) is { } selector)
        {
            ocppVersion = selector[VersionSelector.Length..];
            if (ocppVersion.Length == 0 || left.Count(t => t.StartsWith(VersionSelector, StringComparison.OrdinalIgnoreCase)) > 1)
            {
                throw new ThresholdParseException(expression, "expected one ocpp_version=<version>, e.g. ocpp_version=2.0.1");
            }
            left = [.. left.Where(t => !ReferenceEquals(t, selector))];
        }

        if (left.Length == 0)
        {
            throw new ThresholdParseException(expression, $"no metric before the operator; expected one of {KnownMetrics}");
        }

        string? phase = null;
        var during = right.IndexOf(" during ", StringComparison.OrdinalIgnoreCase);
        if (during >= 0)
        {
            phase = ParsePhase(expression, right[(during + " during ".Length)..].Trim());
            right = right[..during].Trim();
        }

        var metric = ParseMetric(expression, left[0]);
        var source = LatencySource.RoundTrip;
        if (left.Length >= 2 && ParseSource(left[1]) is { } named)
        {
            if (!(metric is ThresholdMetric.P50 or ThresholdMetric.P90 or ThresholdMetric.P95 or ThresholdMetric.P99 or ThresholdMetric.P999 or ThresholdMetric.Max or ThresholdMetric.Avg))
            {
                throw new ThresholdParseException(expression, $"'{left[1]}' is a latency; it goes with p50, p90, p95, p99, p99.9, max or avg, e.g. 'p99 {left[1]} < 1s'");
            }

            source = named;
            left = [left[0], .. left[2..]];
            if (source is LatencySource.SchedulerLag or LatencySource.ReconnectTime && left.Length >= 2)
            {
                var word = source == LatencySource.SchedulerLag ? "schedulerLag" : "reconnectTime";
                throw new ThresholdParseException(expression, $"{word} is the whole fleet's and takes no action; expected '{left[0]} {word} <op> <value>'");
            }
            if (source == LatencySource.ReconnectTime && metric is not (ThresholdMetric.P50 or ThresholdMetric.P90 or ThresholdMetric.P99 or ThresholdMetric.Max))
            {
                throw new ThresholdParseException(expression, $"a storm's reconnect time has p50, p90, p99 and max, not '{left[0]}'; e.g. 'p99 reconnectTime < 30s'");
            }
        }

        var storm = metric == ThresholdMetric.Reconnected || source == LatencySource.ReconnectTime;
        var stormWords = metric == ThresholdMetric.Reconnected ? left[0] : $"{left[0]} reconnectTime";
        if (storm && (ocppVersion is not null || phase is not null))
        {
            throw new ThresholdParseException(expression, $"'{stormWords}' judges each timeline event that disconnected charge points, over the whole run; it takes no {(ocppVersion is not null ? "ocpp_version=..." : "'during'")}");
        }

        if (ocppVersion is not null && (metric is ThresholdMetric.Connected or ThresholdMetric.Booted || IsLossMetric(metric) || source == LatencySource.SchedulerLag))
        {
            throw new ThresholdParseException(expression, $"'{left[0]}{(source == LatencySource.SchedulerLag ? " schedulerLag" : "")}' is the whole fleet's; ocpp_version=... goes with latencies, errors and timeouts of calls");
        }

        if (phase is not null && IsLossMetric(metric))
        {
            throw new ThresholdParseException(expression, $"'{left[0]}' is the loss check after the drain, over the whole run; it takes no 'during'");
        }

        string? action = null;
        string? direction = null;
        if (left.Length >= 2)
        {
            if (metric is ThresholdMetric.Connected or ThresholdMetric.Booted or ThresholdMetric.Reconnected || IsLossMetric(metric))
            {
                throw new ThresholdParseException(expression, $"'{left[0]}' applies to the whole fleet and takes no action; expected '{left[0]} <op> <value>'");
            }

            action = left[1];
            if (left.Length >= 3)
            {
                direction = left[2];
                if (!Directions.IsValid(direction))
                {
                    throw new ThresholdParseException(expression, $"unknown direction '{direction}'; expected {Directions.CpToCsms} or {Directions.CsmsToCp}");
                }
            }

            if (left.Length > 3)
            {
                throw new ThresholdParseException(expression, $"unexpected '{left[3]}' before the operator; expected {Grammar}");
            }
        }

        if (right.Length == 0)
        {
            throw new ThresholdParseException(expression, "no value after the operator; expected a number such as 500ms, 1s, 0.1% or 0");
        }

        var isLatency = metric is ThresholdMetric.P50 or ThresholdMetric.P90 or ThresholdMetric.P95 or ThresholdMetric.P99
            or ThresholdMetric.P999 or ThresholdMetric.Max or ThresholdMetric.Avg;
        var (value, isPercent) = isLatency ? (ParseDuration(expression, right), false) : ParseCount(expression, right);
        if (isPercent && metric == ThresholdMetric.UncheckedNodes)
        {
            throw new ThresholdParseException(expression, $"uncheckedNodes counts cluster nodes; expected a plain count such as 0 or 1, not '{right}'");
        }
        return new Threshold(expression, metric, action, direction, op, value, isPercent, abortOnFail) { Source = source, Phase = phase, DelayAbortEval = delayAbortEval, OcppVersion = ocppVersion };
    }

    private static LatencySource? ParseSource(string token) => token.ToLowerInvariant() switch
    {
        "fromintended" => LatencySource.FromIntended,
        "schedulerlag" => LatencySource.SchedulerLag,
        "reconnecttime" => LatencySource.ReconnectTime,
        _ => null,
    };

    private static string ParsePhase(string expression, string token) => token.ToLowerInvariant() switch
    {
        "rampup" => RunPhaseNames.RampUp,
        "steady" => RunPhaseNames.Steady,
        "drain" => RunPhaseNames.Drain,
        "run" => RunPhaseNames.Run,
        _ => throw new ThresholdParseException(expression, $"unknown phase '{token}' after 'during'; expected one of {KnownPhases}"),
    };

    private static (int Index, int Length, ThresholdOperator Op)? FindOperator(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var two = i + 1 < text.Length ? text.AsSpan(i, 2) : [];
            switch (text[i])
            {
                case '<' when two is "<=": return (i, 2, ThresholdOperator.LessOrEqual);
                case '<': return (i, 1, ThresholdOperator.LessThan);
                case '>' when two is ">=": return (i, 2, ThresholdOperator.GreaterOrEqual);
                case '>': return (i, 1, ThresholdOperator.GreaterThan);
                case '=' when two is "==": return (i, 2, ThresholdOperator.Equal);
                case '!' when two is "!=": return (i, 2, ThresholdOperator.NotEqual);
            }
        }

        return null;
    }

    private static ThresholdMetric ParseMetric(string expression, string token)
    {
        var t = token.ToLowerInvariant();
        if (t.StartsWith("p(", StringComparison.Ordinal) && t.EndsWith(')'))
        {
            t = "p" + t[2..^1];
        }

        return t switch
        {
            "p50" or "med" => ThresholdMetric.P50,
            "p90" => ThresholdMetric.P90,
            "p95" => ThresholdMetric.P95,
            "p99" => ThresholdMetric.P99,
            "p99.9" => ThresholdMetric.P999,
            "max" => ThresholdMetric.Max,
            "avg" => ThresholdMetric.Avg,
            "errors" => ThresholdMetric.Errors,
            "timeouts" => ThresholdMetric.Timeouts,
            "connected" => ThresholdMetric.Connected,
            "booted" => ThresholdMetric.Booted,
            "lost" => ThresholdMetric.Lost,
            "stillqueued" => ThresholdMetric.StillQueued,
            "givenup" => ThresholdMetric.GivenUp,
            "uncheckednodes" => ThresholdMetric.UncheckedNodes,
            "reconnected" => ThresholdMetric.Reconnected,
            _ when t.StartsWith('p') && double.TryParse(t.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out _) =>
                throw new ThresholdParseException(expression, $"unsupported percentile '{token}'; expected one of p50, p90, p95, p99, p99.9 (or p(95) style)"),
            _ => throw new ThresholdParseException(expression, $"unknown metric '{token}'; expected one of {KnownMetrics}"),
        };
    }

    private static double ParseDuration(string expression, string text)
    {
        var (number, unit) = SplitNumber(text);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new ThresholdParseException(expression, $"invalid duration '{text}'; expected a non-negative number with a unit us, ms, s or m (bare numbers are ms), e.g. 500ms");
        }

        return unit switch
        {
            "" or "ms" => value,
            "us" or "µs" => value / 1000,
            "s" => value * 1000,
            "m" => value * 60_000,
            "%" => throw new ThresholdParseException(expression, $"a latency cannot be a percentage ('{text}'); expected a duration such as 500ms or 1s"),
            _ => throw new ThresholdParseException(expression, $"unknown time unit '{unit}' in '{text}'; expected us, ms, s or m"),
        };
    }

    private static (double Value, bool IsPercent) ParseCount(string expression, string text)
    {
        var (number, unit) = SplitNumber(text);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new ThresholdParseException(expression, $"invalid value '{text}'; expected a non-negative count such as 0 or a percentage such as 0.1%");
        }

        return unit switch
        {
            "" => (value, false),
            "%" when value <= 100 => (value, true),
            "%" => throw new ThresholdParseException(expression, $"percentage '{text}' is above 100%; expected 0% to 100%"),
            _ => throw new ThresholdParseException(expression, $"unexpected unit '{unit}' in '{text}'; expected a plain count or a percentage such as 0.1%"),
        };
    }

    private static (string Number, string Unit) SplitNumber(string text)
    {
        var i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or '-' or '+' or 'e' or 'E') && !(text[i] is 'e' or 'E' && i == 0))
        {
            i++;
        }

        return (text[..i], text[i..].Trim().ToLowerInvariant());
    }
}

public sealed class ThresholdParseException : FormatException
{
    public ThresholdParseException(string expression, string problem)
        : base($"invalid threshold '{expression}': {problem}")
    {
        Expression = expression;
        Problem = problem;
    }

    public ThresholdParseException()
    {
        Expression = string.Empty;
        Problem = string.Empty;
    }

    public ThresholdParseException(string message)
        : base(message)
    {
        Expression = string.Empty;
        Problem = message;
    }

    public ThresholdParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Expression = string.Empty;
        Problem = message;
    }

    public string Expression { get; }

    /// <summary>What is wrong and what was expected, without the expression.</summary>
    public string Problem { get; }
}

/// <summary>
/// Evaluates thresholds against a report (end of run) or live statistics (for abortOnFail). A threshold judges the steady
/// phase unless it names another with <c>during</c> (<c>run</c>: the whole run); a latency, errors or timeouts threshold
/// without <c>during</c> whose action had no calls in the steady phase (BootNotification after an uneventful ramp-up) is
/// judged over the whole run and says so. Connected and booted are the time-weighted mean of the phase's samples. A report
/// without phases (written before them) is judged over the whole run, connected and booted from their peaks.
/// </summary>
public static class ThresholdEvaluator
{
    /// <summary>Evaluates every threshold against the finished run.</summary>
    public static IReadOnlyList<ThresholdResult> Evaluate(RunReport report, IEnumerable<Threshold> thresholds)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(thresholds);
        return thresholds.Select(t => EvaluateOne(report, t, live: false)!).ToList();
    }

    /// <summary>
    /// Evaluates the abortOnFail thresholds against the statistics so far; returns the ones that fail. Skipped: a threshold
    /// younger than its delayAbortEval, one that needs data not available yet (the loss check), and with
    /// <paramref name="currentPhase"/> one that judges a phase the run is not in (the steady phase's thresholds wait for the
    /// ramp-up to end) — the current phase is judged on what happened in it so far.
    /// </summary>
    public static IReadOnlyList<ThresholdResult> FailedAbortThresholds(StatisticsSnapshot live, RunInfo run, IEnumerable<Threshold> thresholds, PhaseStatistics? currentPhase = null, TimeSpan elapsed = default)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var candidates = thresholds.Where(t => t.AbortOnFail && elapsed >= t.DelayAbortEval).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        var report = RunReportBuilder.Build(run, live);
        if (currentPhase is not null)
        {
            report = report with { Phases = RunReportBuilder.Phases([currentPhase]) };
            candidates = candidates.Where(t => (t.Phase ?? RunPhaseNames.Steady) is var phase && (phase == RunPhaseNames.Run || phase == currentPhase.Name)).ToList();
        }

        return candidates
            .Select(t => EvaluateOne(report, t, live: true))
            .Where(r => r is { Passed: false })
            .Select(r => r!)
            .ToList();
    }

    /// <summary>The exit code for a finished run: 99 when any threshold failed, else 0.</summary>
    public static int ExitCode(IEnumerable<ThresholdResult> results) =>
        results.Any(r => !r.Passed) ? ExitCodes.ThresholdFailed : ExitCodes.Ok;

    /// <summary>
    /// The exit code of a finished run with its evaluated thresholds: 105 when it was aborted; 99 when a transaction message
    /// was lost (whatever the thresholds say), when the loss check is incomplete and no <c>uncheckedNodes</c> threshold
    /// says how many unchecked nodes are acceptable (without one the check must cover every node), or when a threshold failed; else 0.
    /// </summary>
    public static int ExitCode(RunReport report, IEnumerable<Threshold> thresholds)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (report.AbortReason is not null)
        {
            return ExitCodes.Aborted;
        }
        if (report.LossCheck is { Lost: > 0 })
        {
            return ExitCodes.ThresholdFailed;
        }
        if (report.LossCheck is { IsIncomplete: true } && !thresholds.Any(t => t.Metric == ThresholdMetric.UncheckedNodes))
        {
            return ExitCodes.ThresholdFailed;
        }
        return ExitCode(report.Thresholds);
    }

    /// <summary>What a threshold is judged on: the whole run or one phase.</summary>
    private sealed record Scope(string? Phase, IReadOnlyList<ActionReport> Actions, CallTotals Totals, LatencySummary SchedulerLag, double Connected, double Booted, string GaugeWord);

    private static Scope WholeRun(RunReport report)
    {
        if (report.Phases.Count == 0)
        {
            return new Scope(null, report.Actions, report.Totals, report.SchedulerLag, report.Connections.ConnectedPeak, report.Connections.BootedPeak, "");
        }

        var seconds = report.Phases.Sum(p => p.DurationSeconds);
        double Mean(Func<PhaseReport, double> pick) => seconds > 0 ? report.Phases.Sum(p => pick(p) * p.DurationSeconds) / seconds : pick(report.Phases[^1]);
        return new Scope(RunPhaseNames.Run, report.Actions, report.Totals, report.SchedulerLag, Mean(p => p.Connected.Mean), Mean(p => p.Booted.Mean), "mean");
    }

    private static Scope Of(PhaseReport phase) =>
        new(phase.Name, phase.Actions, phase.Totals, phase.SchedulerLag, phase.Connected.Mean, phase.Booted.Mean, "mean");

    private static ThresholdResult? EvaluateOne(RunReport report, Threshold t, bool live)
    {
        if (t.IsLoss)
        {
            return EvaluateLoss(report, t, live);
        }
        if (t.IsStorm)
        {
            return EvaluateStorms(report, t, live);
        }

        var wanted = t.Phase ?? (report.Phases.Count > 0 ? RunPhaseNames.Steady : RunPhaseNames.Run);
        Scope scope;
        if (wanted == RunPhaseNames.Run)
        {
            scope = WholeRun(report);
        }
        else if (report.Phases.FirstOrDefault(p => p.Name == wanted) is { } phase)
        {
            scope = Of(phase);
        }
        else
        {
            return live ? null : new ThresholdResult(t.Expression, t.AbortOnFail, false, $"no {wanted} phase in this run{(wanted == RunPhaseNames.Steady ? " (it ended before the arrival completed)" : "")}");
        }

        var result = EvaluateIn(scope, report.FleetSize, t, live);
        if (result is null && t.Phase is null && scope.Phase != RunPhaseNames.Run && (t.IsLatency || t.Metric is ThresholdMetric.Errors or ThresholdMetric.Timeouts))
        {
            // The action had no calls in the steady phase (so far): judge it over the whole run, and say so.
            if (EvaluateIn(WholeRun(report), report.FleetSize, t, live) is { } whole)
            {
                return whole with { Actual = $"{whole.Actual} (whole run: none in the {scope.Phase} phase)" };
            }
        }

        return result ?? (live ? null : new ThresholdResult(t.Expression, t.AbortOnFail, false, $"no calls of {t.Action ?? "any action"}{In(scope)}"));
    }

    private static string In(Scope scope) => scope.Phase is null or RunPhaseNames.Run ? "" : $" in the {scope.Phase} phase";

    /// <summary>The verdict within a scope; null when the scope has nothing to judge (no calls of the action).</summary>
    private static ThresholdResult? EvaluateIn(Scope scope, long fleetSize, Threshold t, bool live)
    {
        var inv = CultureInfo.InvariantCulture;
        if (t.IsLatency)
        {
            List<(string Name, LatencySummary L)> targets = t.Source == LatencySource.SchedulerLag
                ? [("schedulerLag", scope.SchedulerLag)]
                : t.Action is null && t.Source == LatencySource.RoundTrip && t.OcppVersion is null
                    ? [("all", scope.Totals.Latency)]
                    : scope.Actions.Where(a => (t.Action is null || a.Action == t.Action) && (t.Direction is null || a.Direction == t.Direction)
                            && (t.OcppVersion is null || a.OcppVersion == t.OcppVersion)
                            && (t.OcppVersion is null || t.Action is not null || t.Direction is not null || a.Direction == Directions.CpToCsms))
                        .Select(a => (Name: $"{a.Action}{(t.OcppVersion is null && a.OcppVersion.Length > 0 && ActionReport.Mixed(scope.Actions) ? $" ({a.OcppVersion})" : "")} {a.Direction}", L: t.Source == LatencySource.FromIntended ? a.LatencyFromIntended ?? Empty : a.Latency)).ToList();
            if (targets.Count == 0 || targets.All(x => x.L.Count == 0))
            {
                if (t.Source == LatencySource.RoundTrip)
                {
                    return null;
                }

                var what = t.Source == LatencySource.SchedulerLag ? "no scheduled timer fired" : $"no scheduled sends of {t.Action ?? "any action"} (fromIntended needs periodic messages)";
                return live ? null : new ThresholdResult(t.Expression, t.AbortOnFail, false, what + In(scope));
            }

            var measured = targets.Where(x => x.L.Count > 0).Select(x => (x.Name, Value: Pick(t.Metric, x.L))).ToList();
            var passed = measured.All(m => Compare(m.Value, t.Operator, t.Value));
            var actual = string.Join(", ", measured.Select(m => measured.Count == 1 ? SummaryRenderer.Ms(m.Value) : $"{m.Name} {SummaryRenderer.Ms(m.Value)}"));
            return new ThresholdResult(t.Expression, t.AbortOnFail, passed, actual);
        }

        double count;
        double total;
        switch (t.Metric)
        {
            case ThresholdMetric.Errors or ThresholdMetric.Timeouts:
                // Without an action, the totals: the calls the charge points made (the charge points' answers count only when named).
                var direction = t.Direction ?? (t.Action is null ? Directions.CpToCsms : null);
                var rows = scope.Actions.Where(a => (t.Action is null || a.Action == t.Action) && (direction is null || a.Direction == direction)
                    && (t.OcppVersion is null || a.OcppVersion == t.OcppVersion)).ToList();
                if ((t.Action is not null || t.OcppVersion is not null) && rows.Sum(a => a.Count) == 0)
                {
                    return null;
                }

                count = rows.Sum(a => t.Metric == ThresholdMetric.Errors ? a.Errors : a.Timeouts);
                total = rows.Sum(a => a.Count);
                break;
            case ThresholdMetric.Connected:
                count = scope.Connected;
                total = fleetSize;
                break;
            case ThresholdMetric.Booted:
                count = scope.Booted;
                total = fleetSize;
                break;
            default:
                throw new InvalidOperationException($"unhandled metric {t.Metric}");
        }

        var gauge = t.Metric is ThresholdMetric.Connected or ThresholdMetric.Booted && scope.GaugeWord.Length > 0 ? $"{scope.GaugeWord}{In(scope)} " : "";
        if (t.IsPercent)
        {
            if (total == 0)
            {
                return live ? null : new ThresholdResult(t.Expression, t.AbortOnFail, false, $"no data (0 of 0){In(scope)}");
            }

            var pct = 100.0 * count / total;
            return new ThresholdResult(t.Expression, t.AbortOnFail, Compare(pct, t.Operator, t.Value), string.Create(inv, $"{gauge}{pct:0.###}% ({count:0.##} of {total})"));
        }

        return new ThresholdResult(t.Expression, t.AbortOnFail, Compare(count, t.Operator, t.Value), gauge + count.ToString("0.##", inv));
    }

    private static ThresholdResult? EvaluateLoss(RunReport report, Threshold t, bool live)
    {
        if (report.LossCheck is not { } loss)
        {
            return live ? null : new ThresholdResult(t.Expression, t.AbortOnFail, false, "no loss check ran");
        }

        if (t.Metric == ThresholdMetric.UncheckedNodes)
        {
            var nodes = loss.Incomplete ?? [];
            return new ThresholdResult(t.Expression, t.AbortOnFail, Compare(nodes.Count, t.Operator, t.Value),
                nodes.Count == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{nodes.Count} ({string.Join(", ", nodes.Select(n => n.Node))})"));
        }

        double count = t.Metric switch
        {
            ThresholdMetric.StillQueued => loss.StillQueued,
            ThresholdMetric.GivenUp => loss.GivenUp,
            _ => loss.Lost,
        };
        double total = loss.Produced;
        if (t.IsPercent)
        {
            if (total == 0)
            {
                return live ? null : new ThresholdResult(t.Expression, t.AbortOnFail, false, "no data (0 of 0)");
            }

            var pct = 100.0 * count / total;
            return new ThresholdResult(t.Expression, t.AbortOnFail, Compare(pct, t.Operator, t.Value), string.Create(CultureInfo.InvariantCulture, $"{pct:0.###}% ({count} of {total})"));
        }

        return new ThresholdResult(t.Expression, t.AbortOnFail, Compare(count, t.Operator, t.Value), count.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Each timeline event that disconnected charge points must pass on its own figures; an event that could not be carried
    /// out fails (there was no storm to judge), and a run without such an event has nothing to judge and fails too.
    /// </summary>
    private static ThresholdResult? EvaluateStorms(RunReport report, Threshold t, bool live)
    {
        if (live)
        {
            return null;   // a storm's figures are made at the end of the run
        }
        var inv = CultureInfo.InvariantCulture;
        var events = report.Storms.Where(s => s.Name != StormFigures.Arrival).ToList();
        var failed = events.Where(s => s.Failure is not null).ToList();
        var judged = events.Where(s => s.Failure is null && s.Figures.GetValueOrDefault(StormFigures.Affected) > 0).ToList();
        if (judged.Count == 0 && failed.Count == 0)
        {
            var why = events.Count == 0 ? "no timeline event in this run" : "no timeline event disconnected a charge point";
            return new ThresholdResult(t.Expression, t.AbortOnFail, false, why);
        }

        var verdicts = new List<(bool Passed, string Actual)>();
        verdicts.AddRange(failed.Select(s => (false, string.Create(inv, $"{s.Name} at {s.At:HH:mm:ss} not carried out: {s.Failure}"))));
        foreach (var storm in judged)
        {
            var at = string.Create(inv, $"{storm.Name} at {storm.At:HH:mm:ss}");
            if (t.Metric == ThresholdMetric.Reconnected)
            {
                var reconnected = storm.Figures.GetValueOrDefault(StormFigures.Reconnected);
                var affected = storm.Figures[StormFigures.Affected];
                verdicts.Add(t.IsPercent
                    ? (Compare(100 * reconnected / affected, t.Operator, t.Value), string.Create(inv, $"{at} {100 * reconnected / affected:0.###}% ({reconnected} of {affected})"))
                    : (Compare(reconnected, t.Operator, t.Value), string.Create(inv, $"{at} {reconnected} of {affected}")));
                continue;
            }

            var key = t.Metric switch
            {
                ThresholdMetric.P50 => StormFigures.ReconnectTimeP50Seconds,
                ThresholdMetric.P90 => StormFigures.ReconnectTimeP90Seconds,
                ThresholdMetric.P99 => StormFigures.ReconnectTimeP99Seconds,
                _ => StormFigures.ReconnectTimeMaxSeconds,
            };
            // Without the figure none of the disconnected charge points came back before the end of the run.
            verdicts.Add(storm.Figures.TryGetValue(key, out var seconds)
                ? (Compare(seconds * 1000, t.Operator, t.Value), $"{at} {SummaryRenderer.Ms(seconds * 1000)}")
                : (false, $"{at} none reconnected"));
        }

        return new ThresholdResult(t.Expression, t.AbortOnFail, verdicts.All(v => v.Passed), string.Join(", ", verdicts.Select(v => v.Actual)));
    }

    private static readonly LatencySummary Empty = LatencySummary.From(LatencyHistogram.Empty);

    private static double Pick(ThresholdMetric metric, LatencySummary l) => metric switch
    {
        ThresholdMetric.P50 => l.P50Ms,
        ThresholdMetric.P90 => l.P90Ms,
        ThresholdMetric.P95 => l.P95Ms,
        ThresholdMetric.P99 => l.P99Ms,
        ThresholdMetric.P999 => l.P999Ms,
        ThresholdMetric.Max => l.MaxMs,
        ThresholdMetric.Avg => l.MeanMs,
        _ => throw new InvalidOperationException($"{metric} is not a latency metric"),
    };

    private static bool Compare(double actual, ThresholdOperator op, double limit) => op switch
    {
        ThresholdOperator.LessThan => actual < limit,
        ThresholdOperator.LessOrEqual => actual <= limit,
        ThresholdOperator.GreaterThan => actual > limit,
        ThresholdOperator.GreaterOrEqual => actual >= limit,
        ThresholdOperator.Equal => actual == limit,
        ThresholdOperator.NotEqual => actual != limit,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operator"),
    };
}
