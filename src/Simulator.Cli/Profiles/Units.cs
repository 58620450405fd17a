using System.Globalization;

namespace Simulator.Cli.Profiles;

/// <summary>
/// Parsers for the quantities a profile writes with units. Each returns either a value or a message saying
/// what was expected; none of them throws.
/// </summary>
internal static class Units
{
    private static readonly (string Unit, double Seconds)[] DurationUnits =
    [
        ("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1),
    ];

    /// <summary>Parses <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>1h</c>, <c>1h30m</c>, <c>1.5s</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = "";
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "expected a duration such as 500ms, 30s, 10m, 1h or 1h30m, got nothing";
            return false;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            error = $"'{text}' has no unit; write e.g. {s}s (units: ms, s, m, h)";
            return false;
        }

        double totalSeconds = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                error = $"'{text}' is not a duration; expected e.g. 500ms, 30s, 10m, 1h or 1h30m";
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            var unit = s[unitStart..i];
            var match = Array.FindIndex(DurationUnits, u => u.Unit == unit);
            if (match < 0)
            {
                error = unit.Length == 0
                    ? $"'{text}' has a number without a unit; units are ms, s, m, h (e.g. 1h30m)"
                    : $"'{text}' has unknown unit '{unit}'; units are ms, s, m, h";
                return false;
            }

            totalSeconds += number * DurationUnits[match].Seconds;
        }

        value = TimeSpan.FromSeconds(totalSeconds);
        return true;
    }

    /// <summary>Parses power: <c>22kW</c>, <c>11000W</c>, <c>0.35MW</c>; the result is in watts.</summary>
    public static bool TryParsePower(string text, out double watts, out string error)
        => TryParseScaled(text, [("MW", 1e6), ("kW", 1e3), ("W", 1)], "a power such as 22kW or 11000W", out watts, out error);

    /// <summary>Parses energy: <c>60kWh</c>, <c>500Wh</c>, <c>1MWh</c>; the result is in watt-hours.</summary>
    public static bool TryParseEnergy(string text, out double wattHours, out string error)
        => TryParseScaled(text, [("MWh", 1e6), ("kWh", 1e3), ("Wh", 1)], "an energy such as 60kWh or 500Wh", out wattHours, out error);

    /// <summary>Parses a size: <c>4MiB</c>, <c>512KiB</c>, <c>65536B</c> (also kB, MB, GB, GiB); the result is in bytes.</summary>
    public static bool TryParseSize(string text, out double bytes, out string error)
        => TryParseScaled(text, [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3), ("B", 1)],
            "a size such as 4MiB, 512KiB or 65536B", out bytes, out error);

    /// <summary>Parses a share: <c>0.05</c> or <c>5%</c>; the result is a fraction (not checked against 0..1 here).</summary>
    public static bool TryParseShare(string text, out double share, out string error)
    {
        share = 0;
        error = "";
        var s = text.Trim();
        var percent = s.EndsWith('%');
        var number = percent ? s[..^1].TrimEnd() : s;
        if (!TryParsePlainNumber(number, out var value))
        {
            error = $"'{text}' is not a share; expected a fraction such as 0.05 or a percentage such as 5%";
            return false;
        }

        share = percent ? value / 100 : value;
        return true;
    }

    /// <summary>A plain decimal number (no exponent, no thousands separators except <c>_</c>).</summary>
    public static bool TryParsePlainNumber(string text, out double value)
        => double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
               CultureInfo.InvariantCulture, out value)
           && double.IsFinite(value);

    /// <summary>A plain integer; <c>10_000</c> is accepted for readability.</summary>
    public static bool TryParseInteger(string text, out long value)
        => long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>Writes a duration the way a profile would (<c>1h30m</c>, <c>500ms</c>).</summary>
    public static string FormatDuration(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var parts = new List<string>();
        if (value.Hours + (value.Days * 24) > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{(value.Days * 24) + value.Hours}h"));
        }

        if (value.Minutes > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Minutes}m"));
        }

        if (value.Seconds > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Seconds}s"));
        }

        if (value.Milliseconds > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{value.Milliseconds}ms"));
        }

        return string.Concat(parts);
    }

    private static bool TryParseScaled(string text, (string Unit, double Factor)[] units, string expected, out double value, out string error)
    {
        value = 0;
        error = "";
        var s = text.Trim();
        foreach (var (unit, factor) in units)
        {
            if (s.Length > unit.Length && s.EndsWith(unit, StringComparison.OrdinalIgnoreCase)
                && TryParsePlainNumber(s[..^unit.Length].TrimEnd(), out var number))
            {
                value = number * factor;
                return true;
            }
        }

        error = TryParsePlainNumber(s, out _)
            ? $"'{text}' has no unit; expected {expected}"
            : $"'{text}' is not {expected}";
        return false;
    }
}
