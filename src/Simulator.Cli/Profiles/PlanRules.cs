using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Simulator.Fleet.Plan;

namespace Simulator.Cli.Profiles;

/// <summary>
/// Rules a plan must follow whether it comes from YAML or from command-line overrides. Each check returns the
/// message for the user (what is expected) or null when the value is fine; the caller says where it was.
/// </summary>
internal static class PlanRules
{
    public const string EmbeddedWord = "embedded";

    public static readonly IReadOnlyList<(string Word, TimelineEventKind Value)> EventWords =
    [
        ("csms-restart", TimelineEventKind.CsmsRestart),
        ("csms-blackhole", TimelineEventKind.CsmsBlackhole),
        ("csms-slow", TimelineEventKind.CsmsSlow),
        ("network-drop", TimelineEventKind.NetworkDrop),
        ("reboot-all", TimelineEventKind.RebootAll),
    ];

    public static string EventWord(TimelineEventKind kind) => EventWords.First(e => e.Value == kind).Word;

    /// <summary>Events done to the embedded CSMS; they need <c>target.url: embedded</c>.</summary>
    public static bool IsCsmsEvent(TimelineEventKind kind)
        => kind is TimelineEventKind.CsmsRestart or TimelineEventKind.CsmsBlackhole or TimelineEventKind.CsmsSlow;

    /// <summary><c>embedded</c> (null URL) or an absolute ws:// or wss:// URL.</summary>
    public static string? CheckTargetUrl(string text, out Uri? url)
    {
        url = null;
        if (text == EmbeddedWord)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
        {
            return $"'{text}' is not a URL; expected 'embedded' or a ws:// or wss:// URL such as ws://localhost:8180/ocpp";
        }

        if (parsed.Scheme != "ws" && parsed.Scheme != "wss")
        {
            return $"'{text}' uses {parsed.Scheme}://; expected 'embedded' or a ws:// or wss:// URL";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "the URL must not carry a user name or password; use security.authorizationKey";
        }

        url = parsed;
        return null;
    }

    /// <summary>Whether a security profile can be used against this URL (null: the embedded CSMS, which serves all).</summary>
    public static string? CheckSecurityAgainstUrl(SecurityPlan security, Uri? url)
        => url is not null && security.Profile >= 2 && url.Scheme != "wss"
            ? string.Create(CultureInfo.InvariantCulture, $"security profile {security.Profile} needs TLS; the target URL must start with wss://")
            : null;

    /// <summary>An authorization key is 16 to 20 bytes written as 32 to 40 hex digits. The message never repeats the key.</summary>
    public static string? CheckAuthorizationKey(string key)
    {
        if (!key.All(char.IsAsciiHexDigit))
        {
            return "must be written in hex digits only (0-9, a-f): 32 to 40 of them for 16 to 20 bytes";
        }

        return key.Length is < 32 or > 40 || key.Length % 2 != 0
            ? string.Create(CultureInfo.InvariantCulture, $"must be 16 to 20 bytes, i.e. an even number of 32 to 40 hex digits; it has {key.Length} digits")
            : null;
    }

    /// <summary>A loopback IPv4 address in 127.0.0.0/8, written as four numbers.</summary>
    public static string? CheckSourceAddress(string text)
    {
        if (text.Split('.').Length != 4 || !IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return $"'{text}' is not an IPv4 address; expected a loopback address such as 127.0.0.2";
        }

        return address.GetAddressBytes()[0] != 127
            ? $"'{text}' is not a loopback address; expected one in 127.0.0.0/8 (e.g. 127.0.0.2)"
            : null;
    }

    /// <summary>An id pattern has exactly one <c>{0…0}</c> placeholder and only characters that are safe in a URL path.</summary>
    public static string? CheckIdPattern(string pattern)
    {
        var placeholders = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '{')
            {
                var end = pattern.IndexOf('}', i);
                if (end < 0 || end == i + 1 || pattern.AsSpan(i + 1, end - i - 1).ContainsAnyExcept('0'))
                {
                    return $"'{pattern}' has a '{{' that is not a {{0…0}} placeholder; write the number as zeros in braces, e.g. CP-{{0000}}";
                }

                placeholders++;
                i = end;
            }
            else if (c == '}')
            {
                return $"'{pattern}' has a '}}' without a matching '{{'";
            }
            else if (char.IsWhiteSpace(c) || c is '/' or '?' or '#' or '%' or '\\')
            {
                return $"'{pattern}' contains '{c}', which cannot be part of a charge point id in a URL; use letters, digits, '-', '_' or '.'";
            }
        }

        return placeholders switch
        {
            0 => $"'{pattern}' has no number placeholder; expected exactly one {{0…0}}, e.g. CP-{{0000}}",
            1 => null,
            _ => string.Create(CultureInfo.InvariantCulture, $"'{pattern}' has {placeholders} number placeholders; expected exactly one {{0…0}}"),
        };
    }

    /// <summary>Pairs of types whose ids collide, with one id they both give.</summary>
    public static IReadOnlyList<(int First, int Second, string Example)> FindDuplicateIds(IReadOnlyList<ChargePointTypePlan> types)
    {
        var found = new List<(int, int, string)>();
        if (types.Count < 2)
        {
            return found;
        }

        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var reported = new HashSet<(int, int)>();
        for (var t = 0; t < types.Count; t++)
        {
            var type = types[t];
            for (var n = 0; n < type.Count; n++)
            {
                var id = FleetCatalog.FormatId(type.IdPattern, type.FirstNumber + n);
                if (owner.TryGetValue(id, out var other))
                {
                    if (other != t && reported.Add((other, t)))
                    {
                        found.Add((other, t, id));
                    }
                }
                else
                {
                    owner[id] = t;
                }
            }
        }

        return found;
    }

    /// <summary>Whether the types are numbered one after the other (each starts where the previous one ended).</summary>
    public static bool IsConsecutivelyNumbered(IReadOnlyList<ChargePointTypePlan> types)
    {
        for (var i = 1; i < types.Count; i++)
        {
            if (types[i].FirstNumber != types[i - 1].FirstNumber + types[i - 1].Count)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Splits <paramref name="total"/> in proportion to <paramref name="weights"/> so the parts sum exactly to it
    /// (largest remainder; ties go to the earlier entry).
    /// </summary>
    public static int[] Apportion(IReadOnlyList<double> weights, int total)
    {
        var sum = weights.Sum();
        var parts = new int[weights.Count];
        var remainders = new (double Remainder, int Index)[weights.Count];
        var given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = sum > 0 ? weights[i] / sum * total : 0;
            parts[i] = (int)Math.Floor(exact);
            given += parts[i];
            remainders[i] = (exact - parts[i], i);
        }

        foreach (var (_, index) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Index).Take(total - given))
        {
            parts[index]++;
        }

        return parts;
    }
}
