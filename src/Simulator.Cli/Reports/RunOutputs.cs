using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Simulator.Fleet.Tracing;
using Simulator.Metrics.TimeSeries;

namespace Simulator.Cli.Reports;

/// <summary>
/// What a run keeps besides the JSON report (<c>--out</c>, <c>--html</c>, <c>--trace</c>): the options, their checks, and
/// the files' names. The defaults: <c>--html</c> without a file writes beside <c>--report X.json</c> as <c>X.html</c>, or
/// <c>fleetsim-report.html</c> in the current directory when there is no <c>--report</c>.
/// </summary>
internal sealed record RunOutputs(IReadOnlyList<string> TimeSeries, string? Html, string? Trace, string? TraceIds, long TraceMaxBytes)
{
    public const string DefaultHtmlName = "fleetsim-report.html";
    public const long DefaultTraceMaxBytes = 100L * 1024 * 1024;

    public static readonly Option<string[]> OutOption = new("--out")
    {
        Description = "Write the time series (a row per second) to FILE.csv or FILE.jsonl; may be given twice",
        AllowMultipleArgumentsPerToken = false,
    };
    public static readonly Option<string?> HtmlOption = new("--html")
    {
        Description = "Write a self-contained HTML report (tables and charts) to FILE; without FILE beside --report X.json as X.html",
        Arity = ArgumentArity.ZeroOrOne,
    };
    public static readonly Option<string?> TraceOption = new("--trace") { Description = "Write every frame in and out of the traced charge points to FILE.jsonl" };
    public static readonly Option<string?> TraceIdsOption = new("--trace-ids") { Description = "Which charge points --trace follows: comma-separated globs, e.g. 'CP-00*,CP-1?0' (default: all)" };
    public static readonly Option<string?> TraceMaxOption = new("--trace-max") { Description = "Stop writing the trace at this size, e.g. 100MB (the default), 2GB, 500KB" };

    public static IEnumerable<Option> All => [OutOption, HtmlOption, TraceOption, TraceIdsOption, TraceMaxOption];

    public static RunOutputs None { get; } = new([], null, null, null, DefaultTraceMaxBytes);

    /// <summary>Whether the run must record a time series (for <c>--out</c> or the HTML report's charts).</summary>
    public bool RecordsTimeSeries => TimeSeries.Count > 0 || Html is not null;

    /// <summary>The options of <paramref name="parse"/>, or the first problem as one line naming the option.</summary>
    public static RunOutputs? Parse(ParseResult parse, FileInfo? report, out string? problem)
    {
        problem = null;
        var outs = parse.GetValue(OutOption) ?? [];
        foreach (var file in outs)
        {
            if (TimeSeriesWriter.FormatOf(file) is null)
            {
                problem = $"--out: '{file}' must end in .csv or .jsonl (the extension chooses the format)";
                return null;
            }
        }
        string? html = null;
        if (parse.GetResult(HtmlOption) is { Implicit: false })
        {
            html = parse.GetValue(HtmlOption) is { Length: > 0 } named ? named
                : report is not null ? Path.ChangeExtension(report.FullName, ".html")
                : DefaultHtmlName;
        }
        var trace = parse.GetValue(TraceOption);
        var traceIds = parse.GetValue(TraceIdsOption);
        if (traceIds is not null)
        {
            if (trace is null)
            {
                problem = "--trace-ids needs --trace FILE";
                return null;
            }
            try
            {
                _ = FrameTrace.GlobToRegex(traceIds);
            }
            catch (Exception ex) when (ex is ArgumentException or RegexParseException)
            {
                problem = $"--trace-ids: {ex.Message}";
                return null;
            }
        }
        var traceMax = DefaultTraceMaxBytes;
        if (parse.GetValue(TraceMaxOption) is { } maxText && !TryParseSize(maxText, out traceMax))
        {
            problem = $"--trace-max: '{maxText}' is not a size; expected e.g. 100MB, 2GB, 500KB or a number of bytes (more than 0)";
            return null;
        }
        foreach (var (option, file) in outs.Select(o => ("--out", (string?)o)).Append(("--html", html)).Append(("--trace", trace)))
        {
            if (file is not null && Path.GetDirectoryName(Path.GetFullPath(file)) is { } directory && !Directory.Exists(directory))
            {
                problem = $"{option}: the directory of '{file}' does not exist";
                return null;
            }
        }
        return new RunOutputs(outs, html, trace, traceIds, traceMax);
    }

    /// <summary>Bytes from <c>N</c>, <c>NKB</c>, <c>NMB</c>, <c>NGB</c> (binary multiples: 1 MB = 1,048,576 bytes).</summary>
    internal static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var match = Regex.Match(text.Trim(), @"^(\d+(?:\.\d+)?)\s*([KMG]i?B|B)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        var multiplier = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "KB" or "KIB" => 1024d,
            "MB" or "MIB" => 1024d * 1024,
            "GB" or "GIB" => 1024d * 1024 * 1024,
            _ => 1d,
        };
        var value = number * multiplier;
        if (value < 1 || value > long.MaxValue / 2)
        {
            return false;
        }
        bytes = (long)value;
        return true;
    }
}
