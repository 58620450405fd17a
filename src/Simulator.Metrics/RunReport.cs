using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Simulator.Metrics;

/// <summary>The end-of-run report. Field names are stable; see REPORT.md. Bump <see cref="CurrentSchemaVersion"/> on breaking changes.</summary>
public sealed record RunReport
{
    public const int CurrentSchemaVersion = 2;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string RunId { get; init; }
    public required string Profile { get; init; }
    /// <summary>The run's verdict: true when it exits 0 (every threshold held, nothing lost, not aborted).</summary>
    public bool Passed { get; init; }
    /// <summary>The process's exit code (<see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; init; }
    public FleetSimBuild? FleetSim { get; init; }
    /// <summary>The command line, secrets masked as ***.</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];
    public int? Seed { get; init; }
    /// <summary>The CSMS URLs the charge points connected to, without credentials.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];
    public MachineInfo? Machine { get; init; }
    /// <summary>The profile as the run used it (command-line overrides applied, defaults filled in), secrets masked.</summary>
    public System.Text.Json.JsonElement? ResolvedProfile { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public double DurationSeconds { get; init; }
    /// <summary>Why the run ended before its planned duration (a signal, a threshold, the cluster); null when it ran to its end.</summary>
    public string? AbortReason { get; init; }
    public int NodeCount { get; init; }
    /// <summary>Charge points the profile asked for (the base of the connected/booted percentages).</summary>
    public long FleetSize { get; init; }
    public required IReadOnlyList<ActionReport> Actions { get; init; }
    /// <summary>All calls the charge points made (cp_to_csms), all actions together: the CSMS's side of the load.</summary>
    public required CallTotals Totals { get; init; }
    /// <summary>OCPP messages written and read by the charge points (CALLs and answers, both directions).</summary>
    public MessageTotals Messages { get; init; } = MessageTotals.None;
    public required ConnectionReport Connections { get; init; }
    public required SessionReport Sessions { get; init; }
    public required LatencySummary SchedulerLag { get; init; }
    public required IReadOnlyDictionary<string, long> SecurityEvents { get; init; }
    /// <summary>File transfers (diagnostics and log uploads, firmware downloads) by direction, then by outcome: "ok" or the failure's cause.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> FileTransfers { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, long>>();
    /// <summary>What the CSMS did against the protocol, by kind and action, with the first examples of each kind.</summary>
    public CsmsViolationReport CsmsProtocolViolations { get; init; } = CsmsViolationReport.None;
    public IReadOnlyList<StormEventResult> Storms { get; init; } = [];
    public LossCheck? LossCheck { get; init; }
    /// <summary>The run cut into rampUp, steady and drain (only the phases it reached); empty in reports written before phases.</summary>
    public IReadOnlyList<PhaseReport> Phases { get; init; } = [];
    /// <summary>How the charge points' first periodic messages were placed: <c>spread</c> (random within the interval) or <c>lockstep</c>.</summary>
    public string? Periodic { get; init; }
    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];
    /// <summary>Only for a clustered run: each node's share and the nodes that failed during the run.</summary>
    public ClusterReport? Cluster { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ReportJsonContext.Default.RunReport);

    /// <summary>The report with the run's exit code and its verdict (passed: exit code 0).</summary>
    public RunReport WithExitCode(int exitCode) => this with { ExitCode = exitCode, Passed = exitCode == ExitCodes.Ok };

    public static RunReport FromJson(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Default.RunReport)
        ?? throw new JsonException("the report JSON is null");
}

/// <summary>One action in one direction.</summary>
public sealed record ActionReport(
    string Action,
    string Direction,
    long Count,
    long Ok,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorsByCode,
    long Timeouts,
    LatencySummary Latency,
    LatencySummary QueueWait,
    LatencySummary? LatencyFromIntended)
{
    /// <summary>CALLRESULTs by the <c>status</c> of their payload (Accepted, Rejected, NotSupported ...); for csms_to_cp, the charge points' answers.</summary>
    public IReadOnlyDictionary<string, long> ResultsByStatus { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>The OCPP version of the charge points that made or answered these calls ("1.6", "2.0.1"; "" when not known).</summary>
    public string OcppVersion { get; init; } = "";

    /// <summary>The row's name in a summary: the action, with its version when the run mixed versions.</summary>
    internal string Label(bool mixed) => mixed && OcppVersion.Length > 0 ? $"{Action} ({OcppVersion})" : Action;

    /// <summary>Rows of more than one OCPP version.</summary>
    internal static bool Mixed(IEnumerable<ActionReport> actions) => actions.Select(a => a.OcppVersion).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Skip(1).Any();
}

public sealed record CallTotals(long Count, long Ok, long Errors, long Timeouts, double ErrorRate, double TimeoutRate, LatencySummary Latency);

/// <summary>Percentiles in milliseconds, from an HdrHistogram.</summary>
public sealed record LatencySummary(long Count, double MeanMs, double P50Ms, double P90Ms, double P95Ms, double P99Ms, double P999Ms, double MaxMs)
{
    public static LatencySummary From(LatencyHistogram h)
    {
        ArgumentNullException.ThrowIfNull(h);
        return new LatencySummary(
            h.Count,
            Math.Round(h.MeanMicros / 1000.0, 3),
            h.ValueAtPercentileMs(50),
            h.ValueAtPercentileMs(90),
            h.ValueAtPercentileMs(95),
            h.ValueAtPercentileMs(99),
            h.ValueAtPercentileMs(99.9),
            h.MaxMicros / 1000.0);
    }
}

public sealed record ConnectionReport(
    IReadOnlyDictionary<string, long> AttemptsByResult,
    long Reconnects,
    long ConnectedPeak,
    long BootedPeak,
    LatencySummary ConnectTime,
    LatencySummary TlsHandshake,
    LatencySummary UpgradeTime);

public sealed record SessionReport(long Started, long Completed, double EnergyDeliveredKwh)
{
    /// <summary>Most connectors charging at once (a cluster's nodes' peaks summed: an upper bound).</summary>
    public long ChargingPeak { get; init; }
    /// <summary>Connectors of the whole fleet (0 when not known).</summary>
    public long Connectors { get; init; }
}

/// <summary>OCPP messages the charge points wrote (<see cref="Sent"/>) and read, and both together per second of the run.</summary>
public sealed record MessageTotals(long Sent, long Received, double PerSecond)
{
    public static MessageTotals None { get; } = new(0, 0, 0);
}

/// <summary>CSMS protocol violations: the total, every kind (0 when not seen), counts by kind and action, and examples.</summary>
public sealed record CsmsViolationReport(long Total, IReadOnlyDictionary<string, long> ByKind, IReadOnlyList<CsmsViolationCount> ByAction, IReadOnlyList<CsmsViolationExample> Examples)
{
    public static CsmsViolationReport None { get; } = From(new Dictionary<CsmsViolationKey, long>(), []);

    public static CsmsViolationReport From(IReadOnlyDictionary<CsmsViolationKey, long> counts, IReadOnlyList<CsmsViolationExample> examples)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(examples);
        var byKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var kind in CsmsViolationKinds.All)
        {
            byKind[kind.ToLabel()] = 0;
        }

        foreach (var (key, count) in counts)
        {
            byKind[key.Kind] = byKind.GetValueOrDefault(key.Kind) + count;
        }

        var byAction = counts
            .Select(c => new CsmsViolationCount(c.Key.Kind, c.Key.Action, c.Value))
            .OrderBy(c => c.Kind, StringComparer.Ordinal)
            .ThenBy(c => c.Action, StringComparer.Ordinal)
            .ToList();
        return new CsmsViolationReport(byKind.Values.Sum(), byKind, byAction, [.. examples.OrderBy(e => e.At)]);
    }
}

public sealed record CsmsViolationCount(string Kind, string Action, long Count);

/// <summary>Result of one storm event (mass reconnect, reboot wave, …); figures are free key/value pairs.</summary>
public sealed record StormEventResult(string Name, DateTimeOffset At, IReadOnlyDictionary<string, double> Figures)
{
    /// <summary>Connection attempts in the storm's window that failed, by result (the labels of <c>connections.attemptsByResult</c>).</summary>
    public IReadOnlyDictionary<string, long> FailedAttemptsByResult { get; init; } = new Dictionary<string, long>();

    /// <summary>Why the timeline event could not be carried out (e.g. the CSMS it acts on is not under the run's control); null when it was.</summary>
    public string? Failure { get; init; }
}

/// <summary>A clustered run's nodes: what each carried, and which left early with how much load on them.</summary>
public sealed record ClusterReport(IReadOnlyList<NodeReport> Nodes, IReadOnlyList<NodeFailureReport> Failures)
{
    public long ChargePointsInterrupted => Failures.Sum(f => f.ChargePointsInterrupted);
    public long SessionsInterrupted => Failures.Sum(f => f.SessionsInterrupted);
}

/// <summary>One node's share: peaks of its charge points, its boots and messages (from its own statistics).</summary>
public sealed record NodeReport(string Node, string Address, bool Failed, long ConnectedPeak, long BootedPeak, long BootNotifications, long MessagesSent, long SessionsStarted);

/// <summary>
/// A node that left mid-run: when it became unreachable and was removed, and the charge points and sessions it held then
/// (from its last statistics); those charge points started again on the surviving nodes.
/// </summary>
public sealed record NodeFailureReport(string Node, string Address, DateTimeOffset? UnreachableAt, DateTimeOffset RemovedAt, long ChargePointsInterrupted, long SessionsInterrupted);

/// <summary>
/// The ledger check after the drain: every transaction message the charge points produced against what the CSMS recorded.
/// <see cref="Delivered"/>: recorded by the CSMS. Of the rest, <see cref="StillQueued"/> were still in a charge point's offline
/// queue when it stopped, <see cref="GivenUp"/> were dropped by the charge point after TransactionMessageAttempts (or because
/// their StartTransaction was never answered), and <see cref="Lost"/> — acknowledged by the CSMS but not recorded, or gone
/// from the queue without either — fails the run. <see cref="OnFailedNodes"/> is apart: messages of charge points while
/// they ran on a cluster node that died, which the node may have died holding. <see cref="Incomplete"/> names the cluster
/// nodes whose part was not checked (null when every node's was): the figures leave their messages out, so they prove
/// nothing about them.
/// </summary>
public sealed record LossCheck(long Produced, long Delivered, long Lost, long DuplicatesRecognised)
{
    public long StillQueued { get; init; }
    public long GivenUp { get; init; }
    public FailedNodesLoss? OnFailedNodes { get; init; }
    public IReadOnlyList<UncheckedNode>? Incomplete { get; init; }

    /// <summary>Whether some node's part of the check is missing.</summary>
    [JsonIgnore]
    public bool IsIncomplete => Incomplete is { Count: > 0 };
}

/// <summary>A cluster node whose part of the loss check was not checked, and why (e.g. its final report never arrived).</summary>
public sealed record UncheckedNode(string Node, string Reason);

/// <summary>
/// One phase of the run: its span, the connected and booted charge points in it (lowest sample and time-weighted mean, sampled
/// about once a second), its calls per action with latencies, its totals and its scheduler lag.
/// </summary>
public sealed record PhaseReport(
    string Name,
    DateTimeOffset Start,
    DateTimeOffset End,
    double DurationSeconds,
    GaugeFigures Connected,
    GaugeFigures Booted,
    IReadOnlyList<ActionReport> Actions,
    CallTotals Totals,
    LatencySummary SchedulerLag);

/// <summary>
/// Transaction messages produced on cluster nodes that died (as far as each node had handed them to the coordinator, about
/// once a second): how many reached the CSMS, and how many went with the node. Not counted as lost: a simulator node's
/// death, not the CSMS, took them.
/// </summary>
public sealed record FailedNodesLoss(long Produced, long Delivered, long WentWithTheNode);

/// <summary>A threshold's verdict; <see cref="Actual"/> is what was measured, as text with its unit.</summary>
public sealed record ThresholdResult(string Expression, bool AbortOnFail, bool Passed, string Actual);

/// <summary>Identity of a run, supplied by the caller.</summary>
public sealed record RunInfo(string RunId, string Profile, DateTimeOffset Start, DateTimeOffset End, long FleetSize);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;

/// <summary>Builds a <see cref="RunReport"/> from (merged) statistics.</summary>
public static class RunReportBuilder
{
    /// <summary>The phases of the run, each from its own statistics.</summary>
    public static IReadOnlyList<PhaseReport> Phases(IEnumerable<PhaseStatistics> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        return [.. phases.Select(p =>
        {
            var (actions, totals) = Calls(p.Statistics);
            return new PhaseReport(p.Name, p.Start, p.End, Math.Max(0, (p.End - p.Start).TotalSeconds), p.Connected, p.Booted, actions, totals, LatencySummary.From(p.Statistics.SchedulerLag));
        })];
    }

    private static (List<ActionReport> Actions, CallTotals Totals) Calls(StatisticsSnapshot stats)
    {
        var actions = stats.Calls
            .OrderBy(kv => kv.Key.Action, StringComparer.Ordinal)
            .ThenBy(kv => kv.Key.Direction, StringComparer.Ordinal)
            .ThenBy(kv => kv.Key.OcppVersion, StringComparer.Ordinal)
            .Select(kv => new ActionReport(
                kv.Key.Action,
                kv.Key.Direction,
                kv.Value.Count,
                kv.Value.Ok,
                kv.Value.Errors,
                new SortedDictionary<string, long>(kv.Value.ErrorsByCode.ToDictionary(), StringComparer.Ordinal),
                kv.Value.Timeouts,
                LatencySummary.From(kv.Value.RoundTrip),
                LatencySummary.From(kv.Value.QueueWait),
                kv.Value.FromIntended.Count == 0 ? null : LatencySummary.From(kv.Value.FromIntended))
            {
                ResultsByStatus = Sorted(kv.Value.ResultsByStatus),
                OcppVersion = kv.Key.OcppVersion,
            })
            .ToList();

        // The totals judge the CSMS: the calls the charge points made, not the charge points' answers to the CSMS's calls.
        var made = actions.Where(a => a.Direction == Directions.CpToCsms).ToList();
        var count = made.Sum(a => a.Count);
        var errors = made.Sum(a => a.Errors);
        var timeouts = made.Sum(a => a.Timeouts);
        return (actions, new CallTotals(
            count,
            made.Sum(a => a.Ok),
            errors,
            timeouts,
            count == 0 ? 0 : (double)errors / count,
            count == 0 ? 0 : (double)timeouts / count,
            LatencySummary.From(stats.Calls.Where(c => c.Key.Direction == Directions.CpToCsms).Aggregate(LatencyHistogram.Empty, (sum, c) => sum.Merge(c.Value.RoundTrip)))));
    }

    public static RunReport Build(RunInfo run, StatisticsSnapshot stats, IReadOnlyList<StormEventResult>? storms = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(stats);
        var (actions, totals) = Calls(stats);
        return new RunReport
        {
            RunId = run.RunId,
            Profile = run.Profile,
            Start = run.Start,
            End = run.End,
            DurationSeconds = (run.End - run.Start).TotalSeconds,
            NodeCount = stats.Nodes.Count,
            FleetSize = run.FleetSize,
            Actions = actions,
            Totals = totals,
            Connections = new ConnectionReport(
                Sorted(stats.ConnectionAttempts),
                stats.Reconnects,
                stats.ConnectedPeak,
                stats.BootedPeak,
                LatencySummary.From(stats.ConnectTime),
                LatencySummary.From(stats.TlsHandshake),
                LatencySummary.From(stats.UpgradeTime)),
            Sessions = new SessionReport(stats.SessionsStarted, stats.SessionsCompleted, stats.EnergyWh / 1000.0) { ChargingPeak = stats.SessionsActivePeak },
            Messages = Messages(stats, run),
            SchedulerLag = LatencySummary.From(stats.SchedulerLag),
            SecurityEvents = Sorted(stats.SecurityEvents),
            FileTransfers = ByDirection(stats.FileTransfers),
            CsmsProtocolViolations = CsmsViolationReport.From(stats.CsmsViolations, stats.CsmsViolationExamples),
            Storms = storms ?? [],
            LossCheck = stats.Ledger is { } l ? new LossCheck(l.Produced, l.Delivered, l.Lost, l.DuplicatesRecognised) : null,
        };
    }

    private static MessageTotals Messages(StatisticsSnapshot stats, RunInfo run)
    {
        var sent = stats.MessagesSent.Values.Sum();
        var received = stats.MessagesReceived.Values.Sum();
        var seconds = (run.End - run.Start).TotalSeconds;
        return new MessageTotals(sent, received, seconds > 0 ? Math.Round((sent + received) / seconds, 3) : 0);
    }

    private static SortedDictionary<string, long> Sorted(IReadOnlyDictionary<string, long> counts) =>
        new(counts.ToDictionary(), StringComparer.Ordinal);

    /// <summary>"upload/ok" → n, "upload/login" → m becomes upload: {ok: n, login: m}.</summary>
    private static SortedDictionary<string, IReadOnlyDictionary<string, long>> ByDirection(IReadOnlyDictionary<string, long> transfers) =>
        new(transfers
            .Select(kv => (Key: kv.Key.Split('/', 2), kv.Value))
            .GroupBy(t => t.Key[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, IReadOnlyDictionary<string, long> (g) => new SortedDictionary<string, long>(g.ToDictionary(t => t.Key.Length > 1 ? t.Key[1] : "", t => t.Value, StringComparer.Ordinal), StringComparer.Ordinal), StringComparer.Ordinal),
            StringComparer.Ordinal);
}

/// <summary>
/// Renders the k6-like end-of-run summary as plain text (no terminal needed), at most <c>width</c> columns: the wide table
/// when it fits, else a narrow one per direction; longer lines wrap. It ends with the verdict line.
/// </summary>
public static class SummaryRenderer
{
    /// <summary>The width when the reader's terminal is unknown (a pipe, a CI log).</summary>
    public const int DefaultWidth = 80;

    /// <summary>Narrower than this, lines are not broken any further (a terminal cannot be that narrow in earnest).</summary>
    private const int MinimumWidth = 20;

    private static readonly string[] Header = ["action", "dir", "count", "errors", "timeouts", "p50", "p90", "p99", "p99.9", "max"];
    private static readonly string[] NarrowHeader = ["action", "count", "err", "t/o", "p50", "p99", "max"];

    public static string Render(RunReport report, int width = int.MaxValue) => Render(report, width, verdict: true);

    /// <summary>The summary; without <paramref name="verdict"/> the caller prints <see cref="VerdictLine"/> itself, last.</summary>
    public static string Render(RunReport report, int width, bool verdict)
    {
        ArgumentNullException.ThrowIfNull(report);
        var inv = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.Append(inv, $"run {report.RunId}  profile {report.Profile}  duration {report.DurationSeconds:0.0}s  nodes {report.NodeCount}").AppendLine();
        sb.AppendLine();

        var shown = report.Actions
            .Where(a => a.Count > 0)
            .OrderBy(a => a.Direction == Directions.CpToCsms ? 0 : 1)
            .ThenBy(a => a.Direction, StringComparer.Ordinal)
            .ThenBy(a => a.Action, StringComparer.Ordinal)
            .ThenBy(a => a.OcppVersion, StringComparer.Ordinal)
            .ToList();
        var table = WideTable(shown, report.Totals);
        if (table.Max(l => l.Length) > width)
        {
            table = NarrowTable(shown, report.Totals, width);
        }
        foreach (var line in table)
        {
            sb.AppendLine(line);
        }

        sb.AppendLine();
        var conn = report.Connections;
        sb.Append(inv, $"connections: {string.Join(", ", conn.AttemptsByResult.Select(kv => $"{kv.Key}={kv.Value}"))}; reconnects {conn.Reconnects}; peak connected {conn.ConnectedPeak}, booted {conn.BootedPeak} of {report.FleetSize}").AppendLine();
        var tls = conn.TlsHandshake.Count == 0 ? "tls n/a" : $"tls p50 {Ms(conn.TlsHandshake.P50Ms)} p99 {Ms(conn.TlsHandshake.P99Ms)}";
        var connect = conn.ConnectTime.Count == 0 ? "connect n/a" : $"connect p50 {Ms(conn.ConnectTime.P50Ms)} p99 {Ms(conn.ConnectTime.P99Ms)}";
        sb.Append(inv, $"{connect}; {tls}").AppendLine();
        var of = report.Sessions.Connectors > 0 ? string.Create(inv, $" of {report.Sessions.Connectors}") : "";
        sb.Append(inv, $"sessions: started {report.Sessions.Started}, completed {report.Sessions.Completed}; connectors charging at peak {report.Sessions.ChargingPeak}{of}; energy {report.Sessions.EnergyDeliveredKwh:0.###} kWh").AppendLine();
        sb.Append(report.SchedulerLag.Count == 0 ? "scheduler lag n/a" : string.Create(inv, $"scheduler lag p50 {Ms(report.SchedulerLag.P50Ms)} p99 {Ms(report.SchedulerLag.P99Ms)} max {Ms(report.SchedulerLag.MaxMs)}")).AppendLine();
        if (CsmsCallsLine(report) is { } csmsCalls)
        {
            sb.Append(csmsCalls).AppendLine();
        }

        if (report.Periodic is { } periodic)
        {
            sb.Append(inv, $"periodic messages: {periodic}{(periodic == "lockstep" ? " (first heartbeat and meter value a full interval after boot/start)" : " (first heartbeat and meter value at a random point of the interval)")}").AppendLine();
        }
        if (report.FileTransfers.Count > 0)
        {
            sb.Append(inv, $"file transfers: {string.Join("; ", report.FileTransfers.Select(d => $"{d.Key} {string.Join(", ", d.Value.Select(o => $"{o.Key}={o.Value}"))}"))}").AppendLine();
        }

        if (report.CsmsProtocolViolations is { Total: > 0 } violations)
        {
            sb.Append(inv, $"CSMS protocol violations: {violations.Total} ({string.Join(", ", violations.ByKind.Where(k => k.Value > 0).Select(k => $"{k.Key} {k.Value}"))})").AppendLine();
            foreach (var example in violations.Examples)
            {
                sb.Append(inv, $"  {example.Kind} at {example.At:HH:mm:ss.fff} on {example.ChargePointId}{(example.Action is null ? "" : $" ({example.Action})")}: {example.Detail}").AppendLine();
            }
        }

        foreach (var storm in report.Storms)
        {
            sb.Append(StormLine(storm)).AppendLine();
        }

        if (report.Cluster is { } cluster)
        {
            sb.Append(inv, $"nodes: {string.Join(", ", cluster.Nodes.Select(n => $"{n.Node} booted peak {n.BootedPeak}, boots {n.BootNotifications}{(n.Failed ? " (FAILED)" : "")}"))}").AppendLine();
            foreach (var failure in cluster.Failures)
            {
                sb.Append(inv, $"node failure: {failure.Node} ({failure.Address}) unreachable {failure.UnreachableAt?.ToString("HH:mm:ss", inv) ?? "?"}, removed {failure.RemovedAt:HH:mm:ss}: {failure.ChargePointsInterrupted} charge points and {failure.SessionsInterrupted} sessions interrupted, restarted on the other nodes").AppendLine();
            }
        }

        if (report.Phases.Count > 0)
        {
            sb.AppendLine("phases (thresholds judge steady unless they say 'during rampUp|drain|run'):");
            sb.Append(PhasesTable(report.Phases, width));
        }

        if (report.LossCheck is { } loss)
        {
            sb.Append(inv, $"loss check: produced {loss.Produced}, delivered {loss.Delivered}, still queued {loss.StillQueued}, given up {loss.GivenUp}, lost {loss.Lost}, duplicates {loss.DuplicatesRecognised}").AppendLine();
            if (loss.OnFailedNodes is { } failed)
            {
                sb.Append(inv, $"on failed nodes (not counted above): produced {failed.Produced}, delivered {failed.Delivered}, went with the node {failed.WentWithTheNode}").AppendLine();
            }
            if (loss.Incomplete is { Count: > 0 } notChecked)
            {
                sb.Append(inv, $"loss check INCOMPLETE, not checked (not counted above): {string.Join("; ", notChecked.Select(u => $"{u.Node}: {u.Reason}"))}").AppendLine();
            }
        }

        foreach (var th in report.Thresholds)
        {
            sb.Append(inv, $"{(th.Passed ? "PASS" : "FAIL")}  {th.Expression}  (actual {th.Actual})").AppendLine();
        }

        if (verdict)
        {
            sb.AppendLine(VerdictLine(report, width));
        }

        return Wrap(sb.ToString(), width);
    }

    /// <summary>
    /// The one line that ends the summary: PASSED or FAILED, the exit code, the messages per second, and why; cut with ...
    /// to <paramref name="width"/> (the PASS/FAIL lines above it have every threshold in full).
    /// </summary>
    public static string VerdictLine(RunReport report, int width = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(report);
        var verdict = Verdict(report);
        return verdict.Length <= width ? verdict : string.Concat(verdict.AsSpan(0, Math.Max(0, width - 3)), "...");
    }

    private static string Verdict(RunReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var reasons = new List<string>();
        if (report.AbortReason is { } aborted)
        {
            reasons.Add("aborted: " + aborted);
        }
        if (report.LossCheck is { Lost: > 0 } loss)
        {
            reasons.Add(string.Create(inv, $"{loss.Lost} transaction message(s) lost"));
        }
        if (report.LossCheck is { Incomplete: { Count: > 0 } notChecked })
        {
            reasons.Add($"loss check incomplete: {string.Join(", ", notChecked.Select(u => u.Node))} not checked");
        }
        var failed = report.Thresholds.Where(t => !t.Passed).Select(t => t.Expression).ToList();
        if (failed.Count > 0)
        {
            reasons.Add($"threshold{(failed.Count == 1 ? "" : "s")} failed: {string.Join(", ", failed)}");
        }
        else if (report.Thresholds.Count > 0)
        {
            reasons.Add(string.Create(inv, $"{report.Thresholds.Count} threshold{(report.Thresholds.Count == 1 ? "" : "s")} held"));
        }
        var why = reasons.Count == 0 ? "" : ": " + string.Join("; ", reasons);
        return string.Create(inv, $"{(report.Passed ? "PASSED" : "FAILED")} (exit {report.ExitCode}), {report.Messages.PerSecond:0.#} msg/s{why}");
    }

    private static List<string> WideTable(IReadOnlyList<ActionReport> actions, CallTotals t)
    {
        var rows = new List<string[]> { Header };
        var mixed = ActionReport.Mixed(actions);
        rows.AddRange(actions.Select(a => Row(a.Label(mixed), a.Direction, a.Count, a.Errors, a.Timeouts, a.Latency)));
        rows.Add(Row("TOTAL", Directions.CpToCsms, t.Count, t.Errors, t.Timeouts, t.Latency));
        var widths = Widths(rows);
        var lines = new List<string>();
        for (var r = 0; r < rows.Count; r++)
        {
            lines.Add(Line(rows[r], widths, textColumns: 2));
            if (r == 0 || r == rows.Count - 2)
            {
                lines.Add(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
            }
        }
        return lines;
    }

    /// <summary>One block per direction, fewer percentiles; action names cut (with ~) only when nothing else fits.</summary>
    private static List<string> NarrowTable(IReadOnlyList<ActionReport> actions, CallTotals t, int width)
    {
        var inv = CultureInfo.InvariantCulture;
        string[] Cells(string action, long count, long errors, long timeouts, LatencySummary l) =>
            [action, count.ToString(inv), errors.ToString(inv), timeouts.ToString(inv), Latency(l, l.P50Ms), Latency(l, l.P99Ms), Latency(l, l.MaxMs)];
        var rows = new List<string[]> { NarrowHeader };
        var mixed = ActionReport.Mixed(actions);
        rows.AddRange(actions.Select(a => Cells(a.Label(mixed), a.Count, a.Errors, a.Timeouts, a.Latency)));
        rows.Add(Cells("TOTAL", t.Count, t.Errors, t.Timeouts, t.Latency));
        var widths = Widths(rows);
        var room = width - (widths.Skip(1).Sum() + (2 * (widths.Length - 1)));
        if (widths[0] > room)
        {
            widths[0] = Math.Max(8, room);
        }
        var rule = new string('-', Math.Min(width, widths.Sum() + (2 * (widths.Length - 1))));
        var lines = new List<string> { Line(NarrowHeader, widths, textColumns: 1), rule };
        foreach (var group in actions.GroupBy(a => a.Direction))
        {
            lines.Add(group.Key + ":");
            lines.AddRange(group.Select(a => Line(Cells(Cut(a.Label(mixed), widths[0]), a.Count, a.Errors, a.Timeouts, a.Latency), widths, textColumns: 1)));
        }
        lines.Add(rule);
        lines.Add(Line(rows[^1], widths, textColumns: 1));
        return lines;
    }

    private static int[] Widths(List<string[]> rows) => [.. Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length))];

    private static string Line(string[] cells, int[] widths, int textColumns)
    {
        var line = new System.Text.StringBuilder();
        for (var c = 0; c < cells.Length; c++)
        {
            line.Append(c < textColumns ? cells[c].PadRight(widths[c]) : cells[c].PadLeft(widths[c]));
            line.Append(c == cells.Length - 1 ? "" : "  ");
        }
        return line.ToString();
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "~");

    /// <summary>Lines longer than <paramref name="width"/> broken at spaces, continued with an indent of two.</summary>
    public static string Wrap(string text, int width)
    {
        if (width == int.MaxValue)
        {
            return text;
        }
        width = Math.Max(width, MinimumWidth);
        var result = new System.Text.StringBuilder();
        foreach (var line in text.Split(Environment.NewLine))
        {
            var rest = line;
            var indent = "";
            while (indent.Length + rest.Length > width)
            {
                var room = width - indent.Length;
                var cut = rest.LastIndexOf(' ', Math.Min(room, rest.Length - 1));
                if (cut <= 0)
                {
                    cut = room;
                }
                result.Append(indent).Append(rest.AsSpan(0, cut).TrimEnd()).AppendLine();
                rest = rest[cut..].TrimStart();
                indent = "  ";
            }
            result.Append(indent).Append(rest).AppendLine();
        }
        return result.ToString(0, result.Length - Environment.NewLine.Length);
    }

    /// <summary>The CSMS's calls and how the charge points answered them, e.g. "CSMS calls: 3 (ChangeConfiguration Accepted 2, Rejected 1)"; null when there were none.</summary>
    internal static string? CsmsCallsLine(RunReport report)
    {
        var calls = report.Actions.Where(a => a.Direction == Directions.CsmsToCp && a.Count > 0).ToList();
        if (calls.Count == 0)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        var answers = calls.Select(a =>
        {
            var parts = a.ResultsByStatus.Select(s => string.Create(inv, $"{s.Key} {s.Value}")).ToList();
            var withoutStatus = a.Ok - a.ResultsByStatus.Values.Sum();
            if (withoutStatus > 0)
            {
                parts.Add(string.Create(inv, $"ok {withoutStatus}"));
            }
            parts.AddRange(a.ErrorsByCode.Select(e => string.Create(inv, $"CALLERROR {e.Key} {e.Value}")));
            return $"{a.Label(ActionReport.Mixed(calls))} {string.Join(", ", parts)}";
        });
        return string.Create(inv, $"CSMS calls: {calls.Sum(a => a.Count)} ({string.Join("; ", answers)}); slowest answer {Ms(calls.Max(a => a.Latency.MaxMs))} (answer times in the csms_to_cp rows)");
    }

    /// <summary>
    /// The phases apart: per phase its span, the connected charge points (lowest, time-weighted mean), calls, errors, p99 and
    /// scheduler lag, then p50/p99 per action and phase for the actions that had calls.
    /// </summary>
    private static readonly string[] PhaseHeader = ["phase", "time", "conn min/mean", "calls", "errors", "timeouts", "p99", "lag p99"];

    internal static string PhasesTable(IReadOnlyList<PhaseReport> phases, int width = int.MaxValue)
    {
        var inv = CultureInfo.InvariantCulture;
        string Lat(LatencySummary l) => l.Count == 0 ? "n/a" : Ms(l.P99Ms);
        var rows = new List<string[]> { PhaseHeader };
        rows.AddRange(phases.Select(p => new[]
        {
            p.Name, string.Create(inv, $"{p.DurationSeconds:0.0}s"), string.Create(inv, $"{p.Connected.Min}/{p.Connected.Mean:0.#}"),
            p.Totals.Count.ToString(inv), p.Totals.Errors.ToString(inv), p.Totals.Timeouts.ToString(inv), Lat(p.Totals.Latency), Lat(p.SchedulerLag),
        }));

        // p50/p99 per action and phase, for the actions that had calls (the direction only when the CSMS called).
        var actions = phases.SelectMany(p => p.Actions.Where(a => a.Count > 0).Select(a => (a.Action, a.Direction, a.OcppVersion))).Distinct()
            .OrderBy(a => a.Action, StringComparer.Ordinal).ThenBy(a => a.Direction, StringComparer.Ordinal).ThenBy(a => a.OcppVersion, StringComparer.Ordinal).ToList();
        var mixed = actions.Select(a => a.OcppVersion).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Count() > 1;
        string Name(string action, string version) => mixed && version.Length > 0 ? $"{action} ({version})" : action;
        List<string[]> LatencyTable(bool withMedian) =>
        [
            [withMedian ? "p50/p99" : "p99", .. phases.Select(p => p.Name)],
            .. actions.Select(key => (string[])[key.Direction == Directions.CpToCsms ? Name(key.Action, key.OcppVersion) : $"{Name(key.Action, key.OcppVersion)} {key.Direction}",
                .. phases.Select(p => p.Actions.FirstOrDefault(a => a.Action == key.Action && a.Direction == key.Direction && a.OcppVersion == key.OcppVersion) is { Count: > 0 } a
                    ? withMedian ? $"{Ms(a.Latency.P50Ms)}/{Ms(a.Latency.P99Ms)}" : Ms(a.Latency.P99Ms)
                    : "-")]),
        ];
        // As the action table: fewer percentiles when both do not fit (the whole run's p50 is in the action table above).
        var latencies = TableLines(LatencyTable(withMedian: true));
        if (latencies.Max(l => l.Length) > width)
        {
            latencies = TableLines(LatencyTable(withMedian: false));
        }

        var sb = new System.Text.StringBuilder();
        sb.AppendJoin(Environment.NewLine, TableLines(rows)).AppendLine();
        if (actions.Count > 0)
        {
            sb.AppendJoin(Environment.NewLine, latencies).AppendLine();
        }

        return sb.ToString();
    }

    /// <summary>Columns padded to their widest cell, the first left-aligned, the rest right-aligned, indented by two.</summary>
    private static List<string> TableLines(List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        return [.. rows.Select(row => "  " + string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd())];
    }

    /// <summary>One line per storm: who was hit, how fast they came back, how hard they knocked, how long the queues took to drain.</summary>
    internal static string StormLine(StormEventResult storm)
    {
        var inv = CultureInfo.InvariantCulture;
        var f = storm.Figures;
        string Seconds(string key) => f.TryGetValue(key, out var v) ? v.ToString("0.0", inv) : "-";
        string Shares(string what) => $"{Seconds(StormFigures.SecondsTo(50, what))}/{Seconds(StormFigures.SecondsTo(99, what))}/{Seconds(StormFigures.SecondsTo(100, what))} s";
        if (storm.Name == StormFigures.Arrival)
        {
            return string.Create(inv, $"arrival: {f.GetValueOrDefault(StormFigures.ChargePoints)} charge points; 50/99/100 % connected after {Shares("connected")}, booted after {Shares("booted")}");
        }
        var line = new System.Text.StringBuilder();
        line.Append(inv, $"storm {storm.Name} at {storm.At:HH:mm:ss}{(storm.Failure is { } failure ? $" FAILED ({failure})" : "")}: affected {f.GetValueOrDefault(StormFigures.Affected)}, reconnected {f.GetValueOrDefault(StormFigures.Reconnected)}, never reconnected {f.GetValueOrDefault(StormFigures.NeverReconnected)}; ");
        line.Append(inv, $"50/99/100 % back after {Shares("connected")}, booted after {Shares("booted")}; attempts {f.GetValueOrDefault(StormFigures.AttemptsTotal)} (peak {f.GetValueOrDefault(StormFigures.AttemptsPeakPerSecond)}/s)");
        var failed = storm.FailedAttemptsByResult.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value}")).ToList();
        if (failed.Count > 0)
        {
            line.Append(inv, $", failed: {string.Join(", ", failed)}");
        }
        if (f.TryGetValue(StormFigures.OfflineQueuePeak, out var peak))
        {
            line.Append(inv, $"; offline queue peak {peak}{(f.ContainsKey(StormFigures.OfflineQueueDrainedAfterSeconds) ? $", drained after {Seconds(StormFigures.OfflineQueueDrainedAfterSeconds)} s" : "")}");
        }
        return line.ToString();
    }

    private static string[] Row(string action, string dir, long count, long errors, long timeouts, LatencySummary l)
    {
        var inv = CultureInfo.InvariantCulture;
        return [action, dir, count.ToString(inv), errors.ToString(inv), timeouts.ToString(inv), Latency(l, l.P50Ms), Latency(l, l.P90Ms), Latency(l, l.P99Ms), Latency(l, l.P999Ms), Latency(l, l.MaxMs)];
    }

    /// <summary>n/a when nothing was measured (a 0.00ms would read as a measurement).</summary>
    private static string Latency(LatencySummary summary, double ms) => summary.Count == 0 ? "n/a" : Ms(ms);

    internal static string Ms(double ms) => ms >= 1000
        ? (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + "s"
        : ms.ToString("0.00", CultureInfo.InvariantCulture) + "ms";
}
