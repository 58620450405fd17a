using System.CommandLine;
using System.Globalization;
using System.Text;
using Simulator.Cli.Commands;
using Simulator.Fleet.Plan;

namespace Simulator.Cli.Profiles;

/// <summary>
/// <c>fleetsim validate PROFILE [run's options]</c>: everything <c>run</c> checks before it connects anything (the profile, the
/// overrides, the thresholds, the open-file budget, the options), then the resolved plan, as k6's <c>inspect</c> prints it.
/// </summary>
internal static class ValidateCommand
{
    /// <summary>Exit code for a profile that does not load (k6 uses 99 for failed thresholds; profiles get 104).</summary>
    public const int InvalidProfileExitCode = 104;

    public static Command Create(TextWriter output, TextWriter errors)
    {
        var command = new Command("validate", """
            Check a profile with the command line run would get, without connecting anything: every problem with its file,
            line and field, then the resolved plan (charge points, arrival, timeline, storms, thresholds, open files).
            Exit 0 or 104. Takes every option of run; a built-in profile by its name (fleetsim profiles).

            Examples:
              fleetsim validate profiles/reconnect-storm.yaml
              fleetsim validate steady-load --count 5000 --target ws://127.0.0.1:8080/ocpp
            """);
        RunCommand.AddArgumentAndOptions(command);
        command.SetAction((parse, cancellationToken) => RunCommand.ExecuteAsync(parse, output, errors, validateOnly: true, cancellationToken));
        return command;
    }

    /// <summary><c>OK: smoke, 20 charge points, ac (20)</c>.</summary>
    public static string Summary(FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var types = string.Join(", ", plan.Types.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} ({t.Count})")));
        return string.Create(CultureInfo.InvariantCulture, $"OK: {plan.Name}, {plan.TotalCount} charge points, {types}");
    }

    /// <summary>The resolved plan, section by section; <paramref name="openFiles"/> says what this process would hold.</summary>
    public static string Describe(FleetPlan plan, string profile, string openFiles)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        void Row(string label, string value) => Line(string.Create(CultureInfo.InvariantCulture, $"{label,-12}{value}"));

        Line(Summary(plan));
        Row("Profile", profile);
        Row("Target", Target(plan));
        Row("Duration", Units.FormatDuration(plan.Duration));
        Row("Open files", openFiles);
        if (plan.StateDirectory is { } state)
        {
            Row("State", state);
        }

        Line("");
        Line(Format($"Charge points ({plan.TotalCount:N0})"));
        var catalog = new FleetCatalog(plan);
        var width = plan.Types.Max(t => t.Name.Length);
        foreach (var type in plan.Types)
        {
            var ids = catalog.Members.Where(m => m.Type == type).Select(m => m.ChargeBoxId).ToList();
            var range = ids.Count == 1 ? ids[0] : $"{ids[0]} … {ids[^1]}";
            var security = type.Security is { } s ? Format($", security profile {s.Profile}") : "";
            Line(Format($"  {type.Name.PadRight(width)} {type.Count,7}  {range}  OCPP {type.OcppVersion}, {type.Connectors} {(type.OcppVersion == "1.6" ? "connector(s)" : "EVSE(s)")}, {Current(type.Current)}, {Power(type.MaxPowerW)}, reconnect {Reconnect(type)}{security}"));
        }

        Line("");
        Line("Arrival");
        foreach (var row in ArrivalCurve(plan))
        {
            Line("  " + row);
        }

        Line("");
        Row("Behaviour", Behaviour(plan.Behaviour));

        Line("");
        Line(plan.Timeline.Count == 0 ? "Timeline    none" : "Timeline");
        foreach (var e in plan.Timeline)
        {
            Line(Format($"  {Units.FormatDuration(e.At),-8}{Event(e)}"));
        }

        var storms = plan.Timeline.Where(e => e.Kind is TimelineEventKind.CsmsRestart or TimelineEventKind.NetworkDrop or TimelineEventKind.RebootAll).ToList();
        Line(storms.Count == 0 ? "Storms      none (no timeline event disconnects the fleet)" : "Storms");
        foreach (var e in storms)
        {
            var affected = (int)Math.Round(ConnectedAt(plan, e.At) * (e.Kind == TimelineEventKind.NetworkDrop ? e.Share : 1), MidpointRounding.AwayFromZero);
            var policies = string.Join("; ", plan.Types.Select(t => $"{t.Name} {Reconnect(t)}").Distinct());
            var what = e.Kind switch
            {
                TimelineEventKind.CsmsRestart => Format($"lose the CSMS for {Units.FormatDuration(e.For)} and reconnect"),
                TimelineEventKind.NetworkDrop => Format($"lose their network for {Units.FormatDuration(e.For)} and reconnect"),
                _ => "reboot, reconnect and boot again",
            };
            Line(Format($"  {Units.FormatDuration(e.At),-8}{PlanRules.EventWord(e.Kind)}: about {affected:N0} charge points {what}: {policies}"));
        }

        Line("");
        Line(plan.Thresholds.Count == 0 ? "Thresholds  none (exit 0 unless a transaction message is lost)" : "Thresholds");
        foreach (var t in plan.Thresholds)
        {
            Line($"  {t.Expression}{(t.AbortOnFail ? "  (abortOnFail)" : "")}");
        }

        return text.ToString().TrimEnd('\n');
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Target(FleetPlan plan)
    {
        var security = Format($"security profile {plan.Target.Security.Profile}");
        if (plan.Target.IsEmbedded)
        {
            return Format($"the embedded CSMS ({(plan.EmbeddedCsms.SeparateProcess ? "its own process" : "in this process")}, heartbeat {Units.FormatDuration(plan.EmbeddedCsms.HeartbeatInterval)}), {security}");
        }

        if (plan.Target.Urls.Count > 1)
        {
            var distribution = plan.Target.Distribution switch { UrlDistribution.Random => "random", UrlDistribution.ById => "byId", _ => "roundRobin" };
            return $"{string.Join(", ", plan.Target.Urls)} ({distribution}), {security}";
        }

        return $"{plan.Target.Url}, {security}";
    }

    private static string Current(CurrentType current) => current switch
    {
        CurrentType.AC1Phase => "ac1",
        CurrentType.AC3Phase => "ac3",
        _ => "dc",
    };

    private static string Power(double watts) => watts >= 1000 ? Format($"{watts / 1000:0.###}kW") : Format($"{watts:0.###}W");

    private static string Energy(double wattHours) => wattHours >= 1000 ? Format($"{wattHours / 1000:0.###}kWh") : Format($"{wattHours:0.###}Wh");

    private static string Seconds(double seconds) => Units.FormatDuration(TimeSpan.FromSeconds(seconds));

    private static string Reconnect(ChargePointTypePlan type) => !type.Reconnect.Given && type.OcppVersion != "1.6"
        ? "the station's own (RetryBackOff* in its device model)"
        : Reconnect(type.Reconnect);

    private static string Reconnect(ReconnectPlan plan) => plan.Kind switch
    {
        ReconnectKind.Ocpp201 => Format($"ocpp201 (wait {Units.FormatDuration(plan.WaitMinimum)} + up to {Units.FormatDuration(plan.RandomRange)}, doubled {plan.RepeatTimes} times)"),
        ReconnectKind.Exponential => Format($"exponential (base {Units.FormatDuration(plan.Base)}, cap {Units.FormatDuration(plan.Cap)}, {plan.Jitter.ToString().ToLowerInvariant()} jitter)"),
        ReconnectKind.Fixed => Format($"fixed (every {Units.FormatDuration(plan.Interval)})"),
        _ => "immediate (no wait)",
    };

    private static string Distribution(Distribution d, Func<double, string> unit) => d.Kind switch
    {
        DistributionKind.Constant => unit(d.A),
        DistributionKind.Uniform => $"uniform {unit(d.A)}–{unit(d.B)}",
        DistributionKind.Normal => $"normal mean {unit(d.A)}, stddev {unit(d.B)}",
        _ => $"exponential mean {unit(d.A)}",
    };

    private static string Behaviour(BehaviourPlan b)
    {
        var remote = b.RemoteStart.PlugInAfter is { } after ? $"a remote start is plugged in after {Distribution(after, Seconds)}" : "a remote start is never plugged in";
        if (b.Kind == BehaviourKind.Idle)
        {
            return $"idle: boot, heartbeat, answer the CSMS; {remote}";
        }

        var faults = b.FaultsPerConnectorHour > 0 ? Format($"; faults {b.FaultsPerConnectorHour:0.###} per connector-hour for {Units.FormatDuration(b.FaultDuration)}") : "";
        var unknown = b.IdTags.UnknownShare > 0 ? Format($", {b.IdTags.UnknownShare:0.##%} unknown tags") : "";
        return $"sessions: one every {Units.FormatDuration(b.MeanTimeBetweenSessions)} per connector on average (Poisson), plugged in {Distribution(b.PlugInDuration, Seconds)}, " +
            $"energy {Distribution(b.EnergyNeedWh, Energy)}, {b.IdTags.Accepted.Count} accepted tag(s){unknown}{faults}; {remote}";
    }

    private static string Event(TimelineEvent e) => PlanRules.EventWord(e.Kind) + e.Kind switch
    {
        TimelineEventKind.CsmsRestart => Format($" for {Units.FormatDuration(e.For)}, refusing {(e.Refusal == RefusalMode.Http503 ? "with HTTP 503" : "TCP connections")}"),
        TimelineEventKind.CsmsBlackhole => Format($" for {Units.FormatDuration(e.For)}: the CSMS answers nothing"),
        TimelineEventKind.CsmsSlow => Format($" for {Units.FormatDuration(e.For)}: answers {Units.FormatDuration(e.Delay)} late"),
        TimelineEventKind.NetworkDrop => Format($" for {Units.FormatDuration(e.For)}, {e.Share:0.##%} of the charge points"),
        _ => ": every charge point reboots",
    };

    /// <summary>The arrival as (time → charge points started) rows: one for all at once, the end for a rate, each stage's end for a ramp.</summary>
    internal static IEnumerable<string> ArrivalCurve(FleetPlan plan)
    {
        var arrival = plan.Arrival;
        switch (arrival.Kind)
        {
            case ArrivalKind.Rate:
                var end = TimeSpan.FromSeconds(Math.Ceiling(plan.TotalCount / arrival.RatePerSecond));
                yield return Format($"{arrival.RatePerSecond:0.###}/s: {Sparkline(plan)}  all {plan.TotalCount:N0} started by {Units.FormatDuration(end)}");
                break;
            case ArrivalKind.Ramp:
                yield return Format($"stages: {Sparkline(plan)}");
                var at = TimeSpan.Zero;
                var from = 0;
                foreach (var stage in arrival.Stages)
                {
                    yield return Format($"  {Units.FormatDuration(at),6} → {Units.FormatDuration(at + stage.Duration),-6} {from,7:N0} → {stage.Target:N0}");
                    at += stage.Duration;
                    from = stage.Target;
                }

                break;
            default:
                yield return Format($"all at once: {plan.TotalCount:N0} at 0s");
                break;
        }
    }

    /// <summary>Charge points started at <paramref name="at"/> as the arrival plans it.</summary>
    internal static double ConnectedAt(FleetPlan plan, TimeSpan at)
    {
        var arrival = plan.Arrival;
        switch (arrival.Kind)
        {
            case ArrivalKind.Rate:
                return Math.Min(plan.TotalCount, Math.Floor(arrival.RatePerSecond * at.TotalSeconds) + 1);
            case ArrivalKind.Ramp:
                var start = TimeSpan.Zero;
                var from = 0.0;
                foreach (var stage in arrival.Stages)
                {
                    if (at < start + stage.Duration)
                    {
                        return from + ((stage.Target - from) * (at - start).TotalSeconds / stage.Duration.TotalSeconds);
                    }

                    start += stage.Duration;
                    from = stage.Target;
                }

                return from;
            default:
                return plan.TotalCount;
        }
    }

    /// <summary>The arrival over the run's duration in 24 block characters, as a glance at the curve.</summary>
    private static string Sparkline(FleetPlan plan)
    {
        const string Blocks = " ▁▂▃▄▅▆▇█";
        const int Width = 24;
        var chars = new char[Width];
        for (var i = 0; i < Width; i++)
        {
            var share = plan.TotalCount == 0 ? 0 : ConnectedAt(plan, plan.Duration * ((i + 1.0) / Width)) / plan.TotalCount;
            chars[i] = Blocks[(int)Math.Round(Math.Clamp(share, 0, 1) * (Blocks.Length - 1))];
        }

        return "[" + new string(chars) + "]";
    }
}
