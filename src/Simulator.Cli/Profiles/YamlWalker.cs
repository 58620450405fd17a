using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Simulator.Cli.Profiles;

/// <summary>
/// Reads typed values out of YAML nodes and records a <see cref="ProfileError"/> (with the node's line and
/// column) for every value that does not fit. Every reader returns null on a problem so the caller can go on
/// and find the next one.
/// </summary>
internal sealed class YamlWalker(string file)
{
    private readonly List<ProfileError> _errors = [];

    public string File { get; } = file;

    public IReadOnlyList<ProfileError> Errors => _errors;

    public void Error(Mark at, string path, string message)
        => _errors.Add(new ProfileError(File, (int)at.Line, (int)at.Column, path, message));

    public void Error(YamlNode at, string path, string message) => Error(at.Start, path, message);

    /// <summary>Opens a mapping and reports every key not in <paramref name="knownKeys"/>.</summary>
    public MappingReader? Mapping(YamlNode? node, string path, params string[] knownKeys)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            Error(node, path, $"expected a mapping of {string.Join(", ", knownKeys)}, got {Describe(node)}");
            return null;
        }

        return new MappingReader(this, map, path, knownKeys);
    }

    public YamlSequenceNode? Sequence(YamlNode? node, string path, string whatItems)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode seq)
        {
            Error(node, path, $"expected a list of {whatItems}, got {Describe(node)}");
            return null;
        }

        return seq;
    }

    /// <summary>A non-empty scalar's text.</summary>
    public string? Text(YamlNode? node, string path, string expected = "a text")
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Error(node, path, $"expected {expected}, got {Describe(node)}");
            return null;
        }

        var value = scalar.Value ?? "";
        if (IsNullScalar(scalar) || value.Trim().Length == 0)
        {
            Error(node, path, $"expected {expected}, got nothing");
            return null;
        }

        return value;
    }

    public int? Integer(YamlNode? node, string path, int min, int max)
    {
        var text = Text(node, path, "a whole number");
        if (text is null)
        {
            return null;
        }

        if (!Units.TryParseInteger(text, out var value))
        {
            Error(node!, path, $"'{text}' is not a whole number; expected one from {Show(min)} to {Show(max)}");
            return null;
        }

        if (value < min || value > max)
        {
            Error(node!, path, $"{Show(value)} is out of range; expected {Show(min)} to {Show(max)}");
            return null;
        }

        return (int)value;
    }

    public double? Number(YamlNode? node, string path, double min, double max)
    {
        var text = Text(node, path, "a number");
        if (text is null)
        {
            return null;
        }

        if (!Units.TryParsePlainNumber(text, out var value))
        {
            Error(node!, path, $"'{text}' is not a number");
            return null;
        }

        return InRange(node!, path, value, min, max, Show);
    }

    public bool? Boolean(YamlNode? node, string path)
    {
        var text = Text(node, path, "true or false");
        switch (text)
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                Error(node!, path, $"'{text}' is not true or false");
                return null;
        }
    }

    public TimeSpan? Duration(YamlNode? node, string path, bool allowZero = false)
    {
        var text = Text(node, path, "a duration such as 500ms, 30s, 10m, 1h or 1h30m");
        if (text is null)
        {
            return null;
        }

        if (!Units.TryParseDuration(text, out var value, out var error))
        {
            Error(node!, path, error);
            return null;
        }

        if (value == TimeSpan.Zero && !allowZero)
        {
            Error(node!, path, "must be longer than zero");
            return null;
        }

        return value;
    }

    public double? Power(YamlNode? node, string path)
    {
        var text = Text(node, path, "a power such as 22kW or 11000W");
        if (text is null)
        {
            return null;
        }

        if (!Units.TryParsePower(text, out var watts, out var error))
        {
            Error(node!, path, error);
            return null;
        }

        return InRange(node!, path, watts, 1, 10_000_000, w => Show(w) + "W");
    }

    public double? Energy(YamlNode? node, string path)
    {
        var text = Text(node, path, "an energy such as 60kWh or 500Wh");
        if (text is null)
        {
            return null;
        }

        if (!Units.TryParseEnergy(text, out var wh, out var error))
        {
            Error(node!, path, error);
            return null;
        }

        return InRange(node!, path, wh, 0, 10_000_000, w => Show(w) + "Wh");
    }

    /// <summary>A share in 0..1, written <c>0.05</c> or <c>5%</c>.</summary>
    public double? Share(YamlNode? node, string path, bool allowZero)
    {
        var text = Text(node, path, "a share such as 0.05 or 5%");
        if (text is null)
        {
            return null;
        }

        if (!Units.TryParseShare(text, out var share, out var error))
        {
            Error(node!, path, error);
            return null;
        }

        if (share < 0 || share > 1 || (!allowZero && share == 0))
        {
            Error(node!, path, $"'{text}' is out of range; expected a share {(allowZero ? "from 0" : "above 0")} up to 1 (100%)");
            return null;
        }

        return share;
    }

    /// <summary>One of a fixed set of words; a typo gets a suggestion.</summary>
    public T? Choice<T>(YamlNode? node, string path, IReadOnlyList<(string Word, T Value)> options)
        where T : struct
    {
        var words = options.Select(o => o.Word).ToArray();
        var text = Text(node, path, "one of " + string.Join(", ", words));
        if (text is null)
        {
            return null;
        }

        foreach (var (word, value) in options)
        {
            if (word == text)
            {
                return value;
            }
        }

        Error(node!, path, $"'{text}' is not one of {string.Join(", ", words)}{Suggest(text, words)}");
        return null;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNullScalar(s) => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an alias",
    };

    /// <summary>" (did you mean 'x'?)" when a candidate is close to what was written, else "".</summary>
    public static string Suggest(string written, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = EditDistance(written.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }

        var allowed = Math.Max(1, Math.Min(3, written.Length / 3));
        return best is not null && bestDistance <= allowed ? $" (did you mean '{best}'?)" : "";
    }

    private static bool IsNullScalar(YamlScalarNode scalar)
        => scalar.Style == YamlDotNet.Core.ScalarStyle.Plain
           && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private double? InRange(YamlNode node, string path, double value, double min, double max, Func<double, string> show)
    {
        if (value < min || value > max)
        {
            Error(node, path, $"{show(value)} is out of range; expected {show(min)} to {show(max)}");
            return null;
        }

        return value;
    }

    private static string Show(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

/// <summary>A mapping being read: known keys only, lookups by key, "required" checks at the mapping's line.</summary>
internal sealed class MappingReader
{
    private readonly YamlWalker _walker;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    public MappingReader(YamlWalker walker, YamlMappingNode node, string path, IReadOnlyList<string> knownKeys)
    {
        _walker = walker;
        Node = node;
        PathPrefix = path;
        foreach (var (keyNode, value) in node.Children)
        {
            if (keyNode is not YamlScalarNode key || key.Value is null)
            {
                walker.Error(keyNode, path, "keys must be plain words");
                continue;
            }

            if (!knownKeys.Contains(key.Value))
            {
                walker.Error(keyNode, At(key.Value),
                    $"unknown key{YamlWalker.Suggest(key.Value, knownKeys)}; expected one of {string.Join(", ", knownKeys)}");
                continue;
            }

            _entries[key.Value] = (key, value);
        }
    }

    public YamlMappingNode Node { get; }

    public string PathPrefix { get; }

    /// <summary>The keys present (known ones only), in file order.</summary>
    public IEnumerable<string> Keys => _entries.Keys;

    public string At(string key) => PathPrefix.Length == 0 ? key : $"{PathPrefix}.{key}";

    public bool Has(string key) => _entries.ContainsKey(key);

    public YamlNode? Get(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value : null;

    public YamlScalarNode? KeyNode(string key) => _entries.TryGetValue(key, out var entry) ? entry.Key : null;

    /// <summary>The value, or an error at this mapping's line saying the field is missing.</summary>
    public YamlNode? Require(string key, string what)
    {
        var value = Get(key);
        if (value is null)
        {
            _walker.Error(Node, At(key), $"required field is missing; expected {what}");
        }

        return value;
    }
}
