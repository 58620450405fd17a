using System.Globalization;
using System.Text;

namespace Simulator.ChargePoint.Security;

/// <summary>One security-log line: when (CSMS time), what (an ed3 event name), and a technical note that never holds a secret.</summary>
public sealed record SecurityLogEntry(DateTimeOffset Timestamp, string Type, string? TechInfo, bool Critical);

/// <summary>
/// The charge point's security log (A04.FR.04, N01 SecurityLog). Bounded: the oldest entries go first, so 10,000 simulated
/// charge points keep a predictable footprint. Callers must never put secrets in <see cref="SecurityLogEntry.TechInfo"/>.
/// </summary>
public sealed class SecurityLog
{
    // Made on the first entry: most charge points never log a security event.
    private Queue<SecurityLogEntry>? entries;

    public SecurityLog(int capacity = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => entries?.Count ?? 0;

    public IReadOnlyList<SecurityLogEntry> Entries => entries is null ? [] : [.. entries];

    public void Add(SecurityLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entries ??= new();
        if (entries.Count == Capacity)
        {
            entries.Dequeue();
        }
        entries.Enqueue(entry);
    }

    /// <summary>The log as text, one entry a line, limited to [oldest, latest] when given (GetLog's <c>oldestTimestamp</c>/<c>latestTimestamp</c>).</summary>
    public string Render(string chargeBoxId, DateTimeOffset? oldest, DateTimeOffset? latest)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"FleetSim security log of {chargeBoxId}\n");
        foreach (var entry in entries ?? [])
        {
            if ((oldest is { } from && entry.Timestamp < from) || (latest is { } to && entry.Timestamp > to))
            {
                continue;
            }
            text.Append(CultureInfo.InvariantCulture, $"{entry.Timestamp:O} {entry.Type}{(entry.Critical ? " (critical)" : "")}");
            if (!string.IsNullOrEmpty(entry.TechInfo))
            {
                text.Append(' ').Append(entry.TechInfo);
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
