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
    public const string Grammar = "<metric> [<action> [cp_to_csms|csms_to_cp]] <op> <value>, e.g. 'p99 BootNotification < 500ms' or 'errors < 0.1%'";
    public const string KnownMetrics = "p50, p90, p95, p99, p99.9, max, avg, errors, timeouts, connected, booted, lost";

    public bool IsLatency => Metric is ThresholdMetric.P50 or ThresholdMetric.P90 or ThresholdMetric.P95 or ThresholdMetric.P99
        or ThresholdMetric.P999 or ThresholdMetric.Max or ThresholdMetric.Avg;

    /// <summary>Parses an expression; throws <see cref="ThresholdParseException"/> naming what is wrong and what is expected.</summary>
    public static Threshold Parse(string expression, bool abortOnFail = false)
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
        if (left.Length == 0)
        {
            throw new ThresholdParseException(expression, $"no metric before the operator; expected one of {KnownMetrics}");
        }

        var metric = ParseMetric(expression, left[0]);
        string? action = null;
        string? direction = null;
        if (left.Length >= 2)
        {
            if (metric is ThresholdMetric.Connected or ThresholdMetric.Booted or ThresholdMetric.Lost)
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
        return new Threshold(expression, metric, action, direction, op, value, isPercent, abortOnFail);
    }

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

/// <summary>Evaluates thresholds against a report (end of run) or live statistics (for abortOnFail).</summary>
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
    /// Evaluates the abortOnFail thresholds against the statistics so far; returns the ones that fail.
    /// A check that needs data not available yet (the loss check) is skipped.
    /// </summary>
    public static IReadOnlyList<ThresholdResult> FailedAbortThresholds(StatisticsSnapshot live, RunInfo run, IEnumerable<Threshold> thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var report = RunReportBuilder.Build(run, live);
        return thresholds.Where(t => t.AbortOnFail)
            .Select(t => EvaluateOne(report, t, live: true))
            .Where(r => r is { Passed: false })
            .Select(r => r!)
            .ToList();
    }

    /// <summary>The exit code for a finished run: 99 when any threshold failed, else 0.</summary>
    public static int ExitCode(IEnumerable<ThresholdResult> results) =>
        results.Any(r => !r.Passed) ? ExitCodes.ThresholdFailed : ExitCodes.Ok;

    private static ThresholdResult? EvaluateOne(RunReport report, Threshold t, bool live)
    {
        var inv = CultureInfo.InvariantCulture;
        if (t.IsLatency)
        {
            List<(string Name, LatencySummary L)> targets = t.Action is null
                ? [("all", report.Totals.Latency)]
                : report.Actions.Where(a => a.Action == t.Action && (t.Direction is null || a.Direction == t.Direction))
                    .Select(a => (Name: $"{a.Action} {a.Direction}", L: a.Latency)).ToList();
            if (targets.Count == 0 || targets.All(x => x.L.Count == 0))
            {
                return live ? null : new ThresholdResult(t.Expression, t.AbortOnFail, false, $"no calls of {t.Action ?? "any action"}");
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
                var rows = report.Actions.Where(a => (t.Action is null || a.Action == t.Action) && (direction is null || a.Direction == direction)).ToList();
                count = rows.Sum(a => t.Metric == ThresholdMetric.Errors ? a.Errors : a.Timeouts);
                total = rows.Sum(a => a.Count);
                break;
            case ThresholdMetric.Connected:
                count = report.Connections.ConnectedPeak;
                total = report.FleetSize;
                break;
            case ThresholdMetric.Booted:
                count = report.Connections.BootedPeak;
                total = report.FleetSize;
                break;
            case ThresholdMetric.Lost:
                if (report.LossCheck is null)
                {
                    return live ? null : new ThresholdResult(t.Expression, t.AbortOnFail, false, "no loss check ran");
                }

                count = report.LossCheck.Lost;
                total = report.LossCheck.Produced;
                break;
            default:
                throw new InvalidOperationException($"unhandled metric {t.Metric}");
        }

        if (t.IsPercent)
        {
            if (total == 0)
            {
                return live ? null : new ThresholdResult(t.Expression, t.AbortOnFail, false, "no data (0 of 0)");
            }

            var pct = 100.0 * count / total;
            return new ThresholdResult(t.Expression, t.AbortOnFail, Compare(pct, t.Operator, t.Value), string.Create(inv, $"{pct:0.###}% ({count} of {total})"));
        }

        return new ThresholdResult(t.Expression, t.AbortOnFail, Compare(count, t.Operator, t.Value), count.ToString(inv));
    }

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
