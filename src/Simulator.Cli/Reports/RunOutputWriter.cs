using System.Globalization;
using Simulator.Fleet.Tracing;
using Simulator.Metrics;
using Simulator.Metrics.TimeSeries;

namespace Simulator.Cli.Reports;

/// <summary>Writes what <see cref="RunOutputs"/> asked for once the report is final, and says where it went.</summary>
internal static class RunOutputWriter
{
    public static async Task WriteAsync(RunOutputs outputs, RunReport report, TimeSeriesRecorder? timeSeries, FrameTrace? trace, HtmlReportContext context, TextWriter output)
    {
        var rows = timeSeries?.Rows ?? [];
        foreach (var file in outputs.TimeSeries)
        {
            await TimeSeriesWriter.WriteAsync(file, rows).ConfigureAwait(false);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Time series ({rows.Count} rows) written to {Path.GetFullPath(file)}"));
        }
        if (outputs.Html is { } html)
        {
            await File.WriteAllTextAsync(html, HtmlReport.Render(report, rows, context)).ConfigureAwait(false);
            output.WriteLine($"HTML report written to {Path.GetFullPath(html)}");
            if (!HtmlReport.FontsAvailable())
            {
                output.WriteLine("HTML report: this machine has no fonts, so its charts carry no text; install one (e.g. fonts-dejavu-core)");
            }
        }
        if (trace is not null && outputs.Trace is { } tracePath)
        {
            // The charge points have stopped: what they traced is queued; write it out before reporting the figures.
            await trace.DisposeAsync().ConfigureAwait(false);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Frame trace: {trace.FramesWritten} frames ({trace.BytesWritten / 1024.0:0.#} KB) written to {Path.GetFullPath(tracePath)}"));
            if (trace.LimitReached)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Frame trace: stopped at the --trace-max bound of {trace.MaxBytes / (1024.0 * 1024):0.##} MB; {trace.FramesNotWritten} later frames were not written"));
            }
        }
    }
}
