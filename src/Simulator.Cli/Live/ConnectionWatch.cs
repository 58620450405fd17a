using System.Globalization;
using Simulator.Fleet.Plan;
using Simulator.Fleet.Running;
using Simulator.Metrics;

namespace Simulator.Cli.Live;

/// <summary>
/// What the live view says about connecting: attempts per second by result since the previous look, and a warning when
/// nothing connects (no charge point connected and no attempt succeeded for <see cref="NothingConnectsAfter"/> while attempts
/// failed) or when more than <see cref="DownShare"/> of the fleet is not connected while attempts fail. Planned ramps and the
/// end of a run do not warn: charge points that have not arrived yet or have stopped make no failing attempts. Neither does
/// an outage the profile's timeline causes on purpose (a CSMS restart, a network drop): a look that overlaps one says so
/// instead of guessing at a cause.
/// </summary>
internal sealed class ConnectionWatch(int fleetSize, IReadOnlyList<PlannedOutage>? planned = null)
{
    public static readonly TimeSpan NothingConnectsAfter = TimeSpan.FromSeconds(5);
    public const double DownShare = 0.10;

    private Dictionary<string, long> _previous = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _failedSinceUp = new(StringComparer.Ordinal);
    private TimeSpan _previousAt;
    private TimeSpan _lastUpAt;

    /// <summary>Looks at the cumulative <paramref name="attempts"/> by result and the charge points connected now.</summary>
    public ConnectionLook Observe(IReadOnlyDictionary<string, long> attempts, long connected, TimeSpan elapsed)
    {
        var since = _previousAt;
        var seconds = Math.Max(0.001, (elapsed - _previousAt).TotalSeconds);
        var interval = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (result, total) in attempts)
        {
            var delta = total - _previous.GetValueOrDefault(result);
            if (delta > 0)
            {
                interval[result] = delta;
            }
        }
        _previous = new Dictionary<string, long>(attempts, StringComparer.Ordinal);
        _previousAt = elapsed;

        var failed = interval.Where(kv => kv.Key != ConnectResults.Ok).ToList();
        if (connected > 0 || interval.ContainsKey(ConnectResults.Ok))
        {
            // Something is (or was just) up: "nothing connects" counts from here, with the failures after it.
            _lastUpAt = elapsed;
            _failedSinceUp.Clear();
        }
        else
        {
            foreach (var (result, n) in failed)
            {
                _failedSinceUp[result] = _failedSinceUp.GetValueOrDefault(result) + n;
            }
        }

        var rates = interval
            .OrderBy(kv => kv.Key == ConnectResults.Ok ? 0 : 1).ThenByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new AttemptRate(kv.Key, kv.Value / seconds))
            .ToList();
        var outage = planned?.FirstOrDefault(o => o.From <= elapsed && since <= o.Until);
        return new ConnectionLook(rates, Warning(connected, elapsed, failed, outage));
    }

    private string? Warning(long connected, TimeSpan elapsed, List<KeyValuePair<string, long>> failedNow, PlannedOutage? outage)
    {
        var inv = CultureInfo.InvariantCulture;
        // During a planned outage: what happens, without "WARNING" and without a guess at the cause (the timeline is the cause).
        string Lead() => outage is { } o ? string.Create(inv, $"as planned, the timeline's {o.Name} ({o.From:mm\\:ss}-{o.Until:mm\\:ss}): ") : "WARNING: ";
        string Cause(string result) => outage is null ? Hint(result) : "";
        if (connected == 0 && _failedSinceUp.Count > 0 && elapsed - _lastUpAt >= NothingConnectsAfter)
        {
            var causes = _failedSinceUp.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
            return string.Create(inv, $"{Lead()}nothing connected for {(elapsed - _lastUpAt).TotalSeconds:0}s; {causes.Sum(kv => kv.Value)} attempts failed ({List(causes)}){Cause(causes[0].Key)}");
        }

        var down = fleetSize - connected;
        if (failedNow.Count > 0 && fleetSize > 0 && down > DownShare * fleetSize)
        {
            var causes = failedNow.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
            return string.Create(inv, $"{Lead()}{down} of {fleetSize} charge points ({100.0 * down / fleetSize:0.#}%) not connected while attempts fail ({List(causes)}){Cause(causes[0].Key)}");
        }

        return null;
    }

    private static string List(IEnumerable<KeyValuePair<string, long>> causes) =>
        string.Join(", ", causes.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value}")));

    /// <summary>What the most frequent cause most likely means.</summary>
    internal static string Hint(string result) => result switch
    {
        ConnectResults.Refused => ": nothing listens at the target's address and port",
        ConnectResults.Timeout => ": no answer within the connect timeout (wrong host, a firewall, an overloaded CSMS?)",
        "dns" => ": the target's host name does not resolve",
        "unreachable" => ": no route to the target's host",
        "closed" => ": the server closes the connection without answering the WebSocket upgrade",
        "tls_expected" => ": the port speaks TLS; use wss://",
        "tls_not_offered" => ": the port does not speak TLS; use ws:// or the TLS port",
        "tls_client_certificate" => ": the CSMS refuses the client certificate (or its absence)",
        "tls_certificate" or "tls_no_certificate" => ": the CSMS's certificate is not trusted (--ca-cert)",
        "tls_hostname" => ": the CSMS's certificate is for another host name",
        "http_401" or "http_403" => ": the CSMS refuses the credentials or the charge point id (AuthorizationKey, password encoding)",
        "http_404" => ": no OCPP endpoint at that path; check the target URL",
        "subprotocol_rejected" => ": the CSMS does not accept the OCPP version offered at this URL",
        _ => "",
    };
}

/// <summary>A span of the run (from its start) in which the profile's timeline keeps charge points from connecting on purpose.</summary>
internal sealed record PlannedOutage(string Name, TimeSpan From, TimeSpan Until)
{
    /// <summary>The timeline's events that refuse, swallow or cut connections, for as long as they last.</summary>
    public static IReadOnlyList<PlannedOutage> Of(FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return [.. plan.Timeline
            .Where(e => e.Kind is TimelineEventKind.CsmsRestart or TimelineEventKind.CsmsBlackhole or TimelineEventKind.NetworkDrop)
            .Select(e => new PlannedOutage(StormAnalyzer.EventName(e.Kind), e.At, e.At + e.For))];
    }
}

/// <summary>Connection attempts of one result per second.</summary>
internal readonly record struct AttemptRate(string Result, double PerSecond);

/// <summary>One look: attempt rates by result (ok first) and the warning, if any.</summary>
internal sealed record ConnectionLook(IReadOnlyList<AttemptRate> Rates, string? Warning)
{
    /// <summary>"ok 2/s, refused 12/s", or "none" when no attempt ended in the interval.</summary>
    public string RatesText => Rates.Count == 0
        ? "none"
        : string.Join(", ", Rates.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Result} {r.PerSecond:0.#}/s")));
}
