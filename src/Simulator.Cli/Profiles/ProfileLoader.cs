using System.Globalization;
using Simulator.Fleet.Plan;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Simulator.Cli.Profiles;

/// <summary>
/// Loads a load profile (YAML, format in <c>profiles/README.md</c>) into a validated <see cref="FleetPlan"/>,
/// reporting every problem with its file, line, column and field; and applies command-line overrides.
/// </summary>
internal static class ProfileLoader
{
    public const string CommandLine = "command line";

    /// <summary>Reads and validates the profile at <paramref name="path"/>; errors name the path as given.</summary>
    public static ProfileLoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ProfileLoadResult.Failed([new ProfileError(path, 0, 0, "", $"cannot read the profile: {ex.Message}")]);
        }

        return LoadText(text, path);
    }

    /// <summary>Validates profile text; <paramref name="fileName"/> is only used in error messages.</summary>
    public static ProfileLoadResult LoadText(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        var walker = new YamlWalker(fileName);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            walker.Error(ex.Start, "", "is not valid YAML: " + SyntaxMessage(ex));
            return ProfileLoadResult.Failed(walker.Errors);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18.1 throws this from its scanner on some unclosed flow collections, without a position.
            return ProfileLoadResult.Failed([new ProfileError(fileName, 1, 1, "",
                "is not valid YAML: the parser stopped without saying where; look for an unclosed [ or { or quote")]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return ProfileLoadResult.Failed([new ProfileError(fileName, 1, 1, "", "the profile is empty; expected a mapping with name, duration, target, fleet, ...")]);
        }

        if (stream.Documents.Count > 1)
        {
            walker.Error(stream.Documents[1].RootNode, "", "holds more than one YAML document; a profile is one document");
        }

        var plan = new ProfileReader(walker).Read(stream.Documents[0].RootNode);
        if (walker.Errors.Count > 0 || plan is null)
        {
            var ordered = walker.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();
            return ProfileLoadResult.Failed(ordered);
        }

        return ProfileLoadResult.Ok(plan);
    }

    /// <summary>
    /// Applies the values given on the command line, which win over the profile's, and checks the result again.
    /// <c>--count</c> scales the types in proportion (summing exactly to N) and the ramp stages with them.
    /// </summary>
    public static ProfileLoadResult ApplyOverrides(FleetPlan plan, ProfileOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(overrides);
        var errors = new List<ProfileError>();
        void Fail(string option, string message) => errors.Add(new ProfileError(CommandLine, 0, 0, option, message));

        var result = plan;
        if (overrides.Target is { } targetText)
        {
            var problem = PlanRules.CheckTargetUrl(targetText, out var url);
            if (problem is not null)
            {
                Fail("--target", problem);
            }
            else
            {
                // One address replaces the profile's (all of target.urls).
                result = result with { Target = result.Target with { Url = url, Urls = [] } };
            }
        }

        if (overrides.Duration is { } durationText)
        {
            if (!Units.TryParseDuration(durationText, out var duration, out var problem))
            {
                Fail("--duration", problem);
            }
            else if (duration <= TimeSpan.Zero)
            {
                Fail("--duration", "must be longer than zero");
            }
            else
            {
                result = result with { Duration = duration };
            }
        }

        if (overrides.Count is { } count)
        {
            result = ScaleFleet(result, count, Fail);
        }

        if (overrides.IdPattern is { } pattern)
        {
            if (result.Types.Count != 1)
            {
                Fail("--id-pattern", string.Create(CultureInfo.InvariantCulture,
                    $"can only be used when the fleet has one type; this profile has {result.Types.Count} ({string.Join(", ", result.Types.Select(t => t.Name))}): set idPattern per type in the profile"));
            }
            else if (PlanRules.CheckIdPattern(pattern) is { } problem)
            {
                Fail("--id-pattern", problem);
            }
            else
            {
                result = result with { Types = [result.Types[0] with { IdPattern = pattern }] };
            }
        }

        if (overrides.HasSecurity)
        {
            result = ApplySecurity(result, overrides, Fail);
        }

        if (errors.Count == 0)
        {
            CheckAfterOverrides(result, overrides, Fail);
        }

        return errors.Count > 0 ? ProfileLoadResult.Failed(errors) : ProfileLoadResult.Ok(result);
    }

    /// <summary>The security options win over the target's security and every type's; checked like the profile's fields. No message quotes the key.</summary>
    private static FleetPlan ApplySecurity(FleetPlan plan, ProfileOverrides overrides, Action<string, string> fail)
    {
        var before = fail;
        var failed = false;
        void Fail(string option, string message)
        {
            failed = true;
            before(option, message);
        }

        if (overrides.SecurityProfile is { } profile && profile is < 0 or > 3)
        {
            Fail("--security-profile", string.Create(CultureInfo.InvariantCulture, $"{profile} is not 0, 1, 2 or 3"));
        }

        if (overrides.AuthorizationKey is { } key && PlanRules.CheckAuthorizationKey(key) is { } keyProblem)
        {
            Fail("--authorization-key", keyProblem);
        }

        foreach (var (option, pattern) in new[] { ("--client-cert", overrides.ClientCertificate), ("--client-key", overrides.ClientKey) })
        {
            if (pattern is not null && !pattern.Contains("{id}", StringComparison.Ordinal))
            {
                Fail(option, $"'{pattern}' must contain {{id}}, which becomes each charge point's id (e.g. certs/{{id}}.pem)");
            }
        }

        if ((overrides.ClientCertificate is null) != (overrides.ClientKey is null))
        {
            Fail(overrides.ClientCertificate is null ? "--client-cert" : "--client-key", "--client-cert and --client-key go together; give both or neither");
        }

        if (overrides.CaCertificate is { } ca && !File.Exists(ca))
        {
            Fail("--ca-cert", $"'{ca}' does not exist");
        }

        BasicAuthPasswordEncoding? encoding = null;
        if (overrides.PasswordEncoding is { } encodingText)
        {
            var known = ProfileReader.PasswordEncodings.Where(e => e.Word == encodingText).ToList();
            encoding = known.Count == 1 ? known[0].Encoding : null;
            if (encoding is null)
            {
                Fail("--password-encoding", $"'{encodingText}' is not hex (the AuthorizationKey's hex text is the password) or bytes (the bytes it decodes to)");
            }
        }

        if (overrides.CpoName is { } cpo && (cpo.Length == 0 || cpo.Length > 64))
        {
            Fail("--cpo-name", "must be 1 to 64 characters (it becomes the O of the certificates)");
        }

        if (failed)
        {
            return plan;
        }

        SecurityPlan Apply(SecurityPlan security) => security with
        {
            Profile = overrides.SecurityProfile ?? security.Profile,
            AuthorizationKey = overrides.AuthorizationKey ?? security.AuthorizationKey,
            CaCertificateFile = overrides.CaCertificate ?? security.CaCertificateFile,
            ClientCertificatePattern = overrides.ClientCertificate ?? security.ClientCertificatePattern,
            ClientKeyPattern = overrides.ClientKey ?? security.ClientKeyPattern,
            CpoName = overrides.CpoName ?? security.CpoName,
            PasswordEncoding = encoding ?? security.PasswordEncoding,
        };

        var result = plan with
        {
            Target = plan.Target with { Security = Apply(plan.Target.Security) },
            Types = plan.Types.Select(t => t.Security is null ? t : t with { Security = Apply(t.Security) }).ToList(),
        };
        foreach (var security in result.Types.Select(t => (t.Name, Security: t.Security ?? result.Target.Security)))
        {
            var where = security.Security == result.Target.Security ? "" : $"type '{security.Name}': ";
            if (security.Security.Profile is 1 or 2 && security.Security.AuthorizationKey is null)
            {
                Fail("--authorization-key", string.Create(CultureInfo.InvariantCulture,
                    $"{where}security profile {security.Security.Profile} uses HTTP Basic authentication and needs an authorization key (32 to 40 hex digits)"));
                break;
            }

            if (security.Security.Profile < 3 && security.Security.ClientCertificatePattern is not null && overrides.ClientCertificate is not null)
            {
                Fail("--client-cert", $"{where}client certificates are used by security profile 3 only");
                break;
            }

            if (security.Security.Profile < 2 && overrides.CaCertificate is not null)
            {
                Fail("--ca-cert", $"{where}a CA certificate is used by security profiles 2 and 3 (TLS) only");
                break;
            }
        }

        return result;
    }

    private static FleetPlan ScaleFleet(FleetPlan plan, int count, Action<string, string> fail)
    {
        if (count < plan.Types.Count)
        {
            fail("--count", string.Create(CultureInfo.InvariantCulture,
                $"{count} is too small; the fleet has {plan.Types.Count} types and each needs at least one charge point"));
            return plan;
        }

        var counts = PlanRules.Apportion(plan.Types.Select(t => (double)t.Count).ToList(), count);
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                // Keep every type present: take one from the largest.
                var largest = Array.IndexOf(counts, counts.Max());
                counts[largest]--;
                counts[i] = 1;
            }
        }

        var renumber = PlanRules.IsConsecutivelyNumbered(plan.Types);
        var types = new List<ChargePointTypePlan>(plan.Types.Count);
        var next = plan.Types.Count > 0 ? plan.Types[0].FirstNumber : 1;
        for (var i = 0; i < plan.Types.Count; i++)
        {
            var type = plan.Types[i] with { Count = counts[i] };
            if (renumber)
            {
                type = type with { FirstNumber = next };
                next += counts[i];
            }

            types.Add(type);
        }

        var oldTotal = plan.TotalCount;
        var arrival = plan.Arrival;
        if (arrival.Kind == ArrivalKind.Ramp && oldTotal > 0)
        {
            arrival = arrival with
            {
                Stages = arrival.Stages
                    .Select(s => s with { Target = (int)Math.Min(count, Math.Round((double)s.Target * count / oldTotal, MidpointRounding.AwayFromZero)) })
                    .ToList(),
            };
        }

        return plan with { Types = types, Arrival = arrival };
    }

    private static void CheckAfterOverrides(FleetPlan plan, ProfileOverrides overrides, Action<string, string> fail)
    {
        var targetOption = overrides.Target is not null ? "--target" : "target.url";
        foreach (var e in plan.Timeline)
        {
            if (PlanRules.IsCsmsEvent(e.Kind) && !plan.Target.IsEmbedded)
            {
                fail(targetOption, $"the timeline has a {PlanRules.EventWord(e.Kind)} event, which needs the embedded CSMS; use --target embedded or remove the event");
                break;
            }
        }

        foreach (var e in plan.Timeline)
        {
            if (e.At >= plan.Duration)
            {
                fail(overrides.Duration is not null ? "--duration" : "duration",
                    $"{Units.FormatDuration(plan.Duration)} ends before the {PlanRules.EventWord(e.Kind)} event at {Units.FormatDuration(e.At)}; the run must last past every timeline event");
                break;
            }
        }

        var rampLength = plan.Arrival.Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);
        if (rampLength > plan.Duration)
        {
            fail(overrides.Duration is not null ? "--duration" : "duration",
                $"{Units.FormatDuration(plan.Duration)} is shorter than the arrival stages ({Units.FormatDuration(rampLength)})");
        }

        if (PlanRules.CheckSecurityAgainstUrl(plan.Target.Security, plan.Target.Url) is { } problem)
        {
            fail(targetOption, problem);
        }

        foreach (var type in plan.Types)
        {
            if (type.Security is not null && PlanRules.CheckSecurityAgainstUrl(type.Security, plan.Target.Url) is { } typeProblem)
            {
                fail(targetOption, $"type '{type.Name}': {typeProblem}");
            }
        }

        foreach (var (first, second, example) in PlanRules.FindDuplicateIds(plan.Types))
        {
            fail(overrides.IdPattern is not null ? "--id-pattern" : "--count",
                $"types '{plan.Types[first].Name}' and '{plan.Types[second].Name}' would both give id '{example}'");
        }
    }

    private static string SyntaxMessage(YamlException ex)
    {
        // YamlDotNet prefixes the message with "(Line: x, Col: y, Idx: z) - (...): "; the location is already in the error.
        var message = ex.Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && marker > 0 ? message[(marker + 3)..] : message;
    }
}

/// <summary>Values given on the command line that win over the profile's. Null: keep the profile's value.</summary>
internal sealed record ProfileOverrides
{
    /// <summary><c>--target</c>: a ws:// or wss:// URL, or <c>embedded</c>.</summary>
    public string? Target { get; init; }

    /// <summary><c>--count</c>: total charge points; types keep their proportions.</summary>
    public int? Count { get; init; }

    /// <summary><c>--id-pattern</c>: only for a fleet of one type.</summary>
    public string? IdPattern { get; init; }

    /// <summary><c>--duration</c>: e.g. <c>10m</c>.</summary>
    public string? Duration { get; init; }

    /// <summary><c>--security-profile</c>: 0 to 3.</summary>
    public int? SecurityProfile { get; init; }

    /// <summary><c>--authorization-key</c>: 32 to 40 hex digits. A secret: never echoed.</summary>
    public string? AuthorizationKey { get; init; }

    /// <summary><c>--ca-cert</c>: PEM file of the CentralSystemRootCertificate(s).</summary>
    public string? CaCertificate { get; init; }

    /// <summary><c>--client-cert</c> / <c>--client-key</c>: PEM file patterns with {id}.</summary>
    public string? ClientCertificate { get; init; }

    public string? ClientKey { get; init; }

    /// <summary><c>--cpo-name</c>: O of the charge point certificates.</summary>
    public string? CpoName { get; init; }

    /// <summary><c>--password-encoding</c>: <c>hex</c> or <c>bytes</c>, as the profile's <c>passwordEncoding</c>.</summary>
    public string? PasswordEncoding { get; init; }

    /// <summary>A printout without the key.</summary>
    public override string ToString() =>
        $"ProfileOverrides {{ Target = {Target}, Count = {Count}, IdPattern = {IdPattern}, Duration = {Duration}, SecurityProfile = {SecurityProfile}, " +
        $"AuthorizationKey = {(AuthorizationKey is null ? "none" : "***")}, CaCertificate = {CaCertificate}, ClientCertificate = {ClientCertificate}, ClientKey = {ClientKey}, CpoName = {CpoName}, PasswordEncoding = {PasswordEncoding} }}";

    public bool HasSecurity => SecurityProfile is not null || AuthorizationKey is not null || CaCertificate is not null
        || ClientCertificate is not null || ClientKey is not null || CpoName is not null || PasswordEncoding is not null;
}
