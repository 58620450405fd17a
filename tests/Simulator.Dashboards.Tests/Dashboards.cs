using System.Text.Json;
using System.Text.RegularExpressions;

namespace Simulator.Dashboards.Tests;

/// <summary>One query of one panel of one dashboard.</summary>
internal sealed record PanelQuery(string Dashboard, string Panel, string RefId, string Expr)
{
    public override string ToString() => $"{Dashboard} / \"{Panel}\" / {RefId}: {Expr}";
}

/// <summary>The dashboard JSON files in dashboards/ and their queries.</summary>
internal static partial class Dashboards
{
    /// <summary>What Grafana would put in for the template variables when evaluating a panel.</summary>
    public static readonly IReadOnlyDictionary<string, string> Substitutions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["$__rate_interval"] = "30s",
        ["$__interval"] = "15s",
        ["$__range"] = "5m",
        ["${node}"] = ".*",
        ["$node"] = ".*",
        ["${action}"] = ".*",
        ["$action"] = ".*",
    };

    public static IReadOnlyList<string> Files() =>
        Directory.GetFiles(Repo.Dashboards, "*.json").Order(StringComparer.Ordinal).ToList();

    public static JsonDocument Load(string file) => JsonDocument.Parse(File.ReadAllText(file));

    public static IReadOnlyList<PanelQuery> Queries()
    {
        var queries = new List<PanelQuery>();
        foreach (var file in Files())
        {
            using var doc = Load(file);
            foreach (var panel in Panels(doc.RootElement))
            {
                var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
                if (!panel.TryGetProperty("targets", out var targets))
                {
                    continue;
                }
                foreach (var target in targets.EnumerateArray())
                {
                    var expr = target.GetProperty("expr").GetString()!;
                    queries.Add(new PanelQuery(Path.GetFileName(file), title, target.GetProperty("refId").GetString()!, expr));
                }
            }
        }
        return queries;
    }

    /// <summary>Every panel, including those inside collapsed rows.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray())
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>The expression with Grafana's variables replaced; fails on a variable it does not know.</summary>
    public static string Substitute(string expr)
    {
        foreach (var (variable, value) in Substitutions.OrderByDescending(s => s.Key.Length))
        {
            expr = expr.Replace(variable, value, StringComparison.Ordinal);
        }
        var left = VariablePattern().Match(expr);
        Assert.False(left.Success, $"unknown template variable {left.Value} in {expr}");
        return expr;
    }

    /// <summary>The FleetSim series names an expression uses (histogram suffixes removed).</summary>
    public static IReadOnlySet<string> MetricsIn(string expr) =>
        MetricPattern().Matches(expr).Select(m => HistogramSuffix().Replace(m.Value, "")).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"\bfleetsim_[a-z0-9_]+")]
    private static partial Regex MetricPattern();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
