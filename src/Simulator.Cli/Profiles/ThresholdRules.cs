using Simulator.ChargePoint;
using Simulator.Metrics;
using Simulator.Ocpp;

namespace Simulator.Cli.Profiles;

/// <summary>
/// What a threshold expression must be besides parsing (the grammar is the metrics project's): an action it names is an
/// OCPP action, sent in the direction it names. A typo in an action name would otherwise pass unnoticed until the end of
/// the run ("no calls of BootNotifcation").
/// </summary>
internal static class ThresholdRules
{
    /// <summary>Every action name the charge points send or answer in any OCPP version, and who sends it.</summary>
    private static readonly IReadOnlyList<(string Name, ActionDirection Direction)> Actions =
    [
        .. ChargingStations.MessageSets.SelectMany(set => set.Actions)
            .GroupBy(a => a.Name, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Aggregate((ActionDirection)0, (direction, a) => direction | a.Direction))),
    ];

    public static IEnumerable<string> KnownActions => Actions.Select(a => a.Name);

    /// <summary>The problem with <paramref name="expression"/> (naming it), or null when it is a threshold FleetSim can judge.</summary>
    public static string? Check(string expression) => Check(expression, out _);

    /// <summary>As <see cref="Check(string)"/>, with the threshold parsed (null when the expression does not parse).</summary>
    public static string? Check(string expression, out Threshold? parsed)
    {
        ArgumentNullException.ThrowIfNull(expression);
        parsed = null;
        Threshold threshold;
        try
        {
            threshold = Threshold.Parse(expression);
        }
        catch (ThresholdParseException ex)
        {
            return $"'{expression}': {ex.Problem}";
        }
        parsed = threshold;

        if (threshold.OcppVersion is { } version && !ChargingStations.Versions.Contains(version))
        {
            return $"'{expression}': ocpp_version={version} is not an OCPP version the simulator speaks; expected {string.Join(" or ", ChargingStations.Versions)}";
        }

        if (threshold.Action is not { } action)
        {
            return null;
        }

        var known = Actions.Where(a => a.Name == action).ToList();
        if (known.Count == 0)
        {
            var close = CloseMatches(action);
            return close.Count > 0
                ? $"'{expression}': unknown action '{action}'; close matches: {string.Join(", ", close)}"
                : $"'{expression}': unknown action '{action}'; expected an OCPP action: {string.Join(", ", KnownActions.Order(StringComparer.Ordinal))}";
        }

        var direction = threshold.Direction switch
        {
            Directions.CpToCsms => ActionDirection.ChargePointToCsms,
            Directions.CsmsToCp => ActionDirection.CsmsToChargePoint,
            _ => known[0].Direction,
        };
        return (known[0].Direction & direction) == 0
            ? $"'{expression}': {action} is sent {(known[0].Direction == ActionDirection.ChargePointToCsms ? $"by the charge point only ({Directions.CpToCsms})" : $"by the CSMS only ({Directions.CsmsToCp})")}; leave the direction out or name that one"
            : null;
    }

    /// <summary>Up to three actions close to <paramref name="written"/>: a few letters off, or one name inside the other (case aside).</summary>
    internal static IReadOnlyList<string> CloseMatches(string written)
    {
        var upper = written.ToUpperInvariant();
        var allowed = Math.Max(2, Math.Min(4, written.Length / 3));
        return KnownActions
            .Select(name => (Name: name, Distance: YamlWalker.EditDistance(upper, name.ToUpperInvariant())))
            .Where(c => c.Distance <= allowed
                || (upper.Length >= 4 && (c.Name.Contains(written, StringComparison.OrdinalIgnoreCase) || written.Contains(c.Name, StringComparison.OrdinalIgnoreCase))))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(c => c.Name)
            .ToList();
    }
}
