using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Simulator.Metrics.TimeSeries;

/// <summary>Writes a run's time series as CSV (one fixed header, a column per action and figure) or JSON lines (one row object a line); see REPORT.md.</summary>
public static class TimeSeriesWriter
{
    private static readonly string[] CallFigures = ["count", "errors", "timeouts", "p50Ms", "p99Ms"];

    /// <summary>The format a file name asks for: <c>.csv</c> or <c>.jsonl</c>/<c>.ndjson</c>; null for anything else.</summary>
    public static TimeSeriesFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => TimeSeriesFormat.Csv,
        ".jsonl" or ".ndjson" => TimeSeriesFormat.JsonLines,
        _ => null,
    };

    public static async Task WriteAsync(string path, IReadOnlyList<TimeSeriesRow> rows, CancellationToken cancellationToken = default)
    {
        var text = FormatOf(path) switch
        {
            TimeSeriesFormat.Csv => ToCsv(rows),
            TimeSeriesFormat.JsonLines => ToJsonLines(rows),
            _ => throw new ArgumentException($"'{path}': a time series file ends in .csv or .jsonl", nameof(path)),
        };
        await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
    }

    public static string ToJsonLines(IEnumerable<TimeSeriesRow> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(JsonSerializer.Serialize(row, TimeSeriesJsonContext.Default.TimeSeriesRow)).Append('\n');
        }
        return text.ToString();
    }

    public static IReadOnlyList<TimeSeriesRow> FromJsonLines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonSerializer.Deserialize(line, TimeSeriesJsonContext.Default.TimeSeriesRow) ?? throw new JsonException("a time series line is null"))];

    public static string ToCsv(IReadOnlyList<TimeSeriesRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var inv = CultureInfo.InvariantCulture;
        var results = rows.SelectMany(r => r.ConnectionAttempts.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var keys = rows.SelectMany(r => r.Calls.Select(c => new CallKey(c.Action, c.Direction, c.OcppVersion))).Distinct()
            .OrderBy(k => k.Action, StringComparer.Ordinal).ThenBy(k => k.Direction, StringComparer.Ordinal).ThenBy(k => k.OcppVersion, StringComparer.Ordinal).ToList();
        // A mixed fleet's columns name the version (BootNotification@2.0.1.cp_to_csms.count); a single version's do not.
        var mixed = keys.Select(k => k.OcppVersion).Distinct(StringComparer.Ordinal).Count() > 1;
        var header = new List<string> { "elapsedSeconds", "intervalSeconds", "time", "connected", "booted", "charging", "messagesCpToCsms", "messagesCsmsToCp", "errors", "timeouts", "reconnects", "offlineQueueDepth" };
        header.AddRange(results.Select(r => $"attempts.{r}"));
        foreach (var key in keys)
        {
            header.AddRange(CallFigures.Select(figure => mixed && key.OcppVersion.Length > 0 ? $"{key.Action}@{key.OcppVersion}.{key.Direction}.{figure}" : $"{key.Action}.{key.Direction}.{figure}"));
        }

        var csv = new StringBuilder();
        csv.AppendJoin(',', header.Select(Field)).Append('\n');
        foreach (var row in rows)
        {
            var fields = new List<string>
            {
                row.ElapsedSeconds.ToString("0.###", inv), row.IntervalSeconds.ToString("0.###", inv), row.Time.ToString("O", inv),
                row.Connected.ToString(inv), row.Booted.ToString(inv), row.Charging.ToString(inv), row.MessagesCpToCsms.ToString(inv),
                row.MessagesCsmsToCp.ToString(inv), row.Errors.ToString(inv), row.Timeouts.ToString(inv), row.Reconnects.ToString(inv),
                row.OfflineQueueDepth.ToString(inv),
            };
            fields.AddRange(results.Select(r => row.ConnectionAttempts.GetValueOrDefault(r).ToString(inv)));
            foreach (var key in keys)
            {
                var call = row.Calls.FirstOrDefault(c => c.Action == key.Action && c.Direction == key.Direction && c.OcppVersion == key.OcppVersion);
                fields.Add((call?.Count ?? 0).ToString(inv));
                fields.Add((call?.Errors ?? 0).ToString(inv));
                fields.Add((call?.Timeouts ?? 0).ToString(inv));
                fields.Add(call?.P50Ms?.ToString("0.###", inv) ?? "");
                fields.Add(call?.P99Ms?.ToString("0.###", inv) ?? "");
            }
            csv.AppendJoin(',', fields.Select(Field)).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>RFC 4180 quoting where needed (action names come from the wire; a CSMS may send anything).</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

public enum TimeSeriesFormat
{
    Csv,
    JsonLines,
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(TimeSeriesRow))]
public sealed partial class TimeSeriesJsonContext : JsonSerializerContext;
