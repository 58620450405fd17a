using System.Globalization;
using Simulator.ChargePoint;
using Simulator.Fleet.Plan;
using YamlDotNet.RepresentationModel;

namespace Simulator.Cli.Profiles;

/// <summary>
/// Walks one profile document into a <see cref="FleetPlan"/>. Every problem goes to the walker; where a value is
/// wrong the default is used so that the rest of the file is still checked.
/// </summary>
internal sealed class ProfileReader(YamlWalker walker)
{
    private static readonly string[] RootKeys = ["name", "duration", "target", "csms", "fleetSize", "fleet", "arrival", "behaviour", "timeline", "thresholds", "state", "drain", "periodic"];
    private static readonly string[] TargetKeys = ["url", "urls", "distribution", "security", "sourceAddresses", "maxMessageSize"];
    private static readonly string[] SecurityKeys = ["profile", "authorizationKey", "passwordEncoding", "caCert", "clientCert", "clientKey", "cpoName", "reconnectGrace"];
    private static readonly string[] CsmsKeys = ["heartbeatInterval", "separateProcess"];
    private static readonly string[] TypeKeys =
    [
        "name", "count", "share", "idPattern", "firstNumber", "ocppVersion", "vendor", "model", "firmwareVersion", "connectors", "current",
        "maxPower", "ev", "configuration", "reconnect", "bootOnReconnect", "security",
    ];
    private static readonly string[] EvKeys = ["battery", "arrivalSoc", "maxPower"];
    private static readonly string[] ArrivalKeys = ["rate", "stages"];
    private static readonly string[] StageKeys = ["duration", "target"];
    private static readonly string[] BehaviourKeys = ["idle", "sessions", "remoteStart"];
    private static readonly string[] RemoteStartKeys = ["plugInAfter"];
    private static readonly string[] SessionKeys = ["meanTimeBetweenSessions", "plugInDuration", "energyNeed", "idTags", "faults"];
    private static readonly string[] IdTagKeys = ["accepted", "blocked", "unknownShare"];
    private static readonly string[] FaultKeys = ["perConnectorHour", "duration"];
    private static readonly string[] DistributionKeys = ["uniform", "normal", "exponential"];
    private static readonly string[] NormalKeys = ["mean", "stddev"];
    private static readonly string[] TimelineKeys = ["at", "event", "for", "refusal", "delay", "share"];
    private static readonly string[] ThresholdKeys = ["threshold", "abortOnFail", "delayAbortEval"];

    /// <summary>The words of <c>passwordEncoding</c> (and <c>--password-encoding</c>).</summary>
    internal static readonly IReadOnlyList<(string Word, BasicAuthPasswordEncoding Encoding)> PasswordEncodings =
        [("hex", BasicAuthPasswordEncoding.HexString), ("bytes", BasicAuthPasswordEncoding.DecodedBytes)];

    private static readonly IReadOnlyList<(string, CurrentType)> Currents =
        [("ac1", CurrentType.AC1Phase), ("ac3", CurrentType.AC3Phase), ("dc", CurrentType.DC)];

    private static readonly IReadOnlyList<(string, UrlDistribution)> Distributions =
        [("roundRobin", UrlDistribution.RoundRobin), ("random", UrlDistribution.Random), ("byId", UrlDistribution.ById)];

    private static readonly IReadOnlyList<(string, RefusalMode)> Refusals = [("tcp", RefusalMode.TcpRefuse), ("http503", RefusalMode.Http503)];

    private static readonly IReadOnlyList<(string, JitterKind)> Jitters =
        [("none", JitterKind.None), ("full", JitterKind.Full), ("equal", JitterKind.Equal), ("decorrelated", JitterKind.Decorrelated)];

    private static readonly IReadOnlyList<(string, ReconnectKind)> Policies =
        [("ocpp201", ReconnectKind.Ocpp201), ("exponential", ReconnectKind.Exponential), ("fixed", ReconnectKind.Fixed), ("immediate", ReconnectKind.Immediate)];

    /// <summary>The parameters each reconnect policy reads; a parameter of another policy is an error.</summary>
    private static readonly Dictionary<ReconnectKind, string[]> PolicyParameters = new()
    {
        [ReconnectKind.Ocpp201] = ["waitMinimum", "randomRange", "repeatTimes"],
        [ReconnectKind.Exponential] = ["base", "cap", "jitter"],
        [ReconnectKind.Fixed] = ["interval"],
        [ReconnectKind.Immediate] = [],
    };

    /// <summary>The parameters each timeline event reads; a parameter of another event is an error.</summary>
    private static readonly Dictionary<TimelineEventKind, string[]> EventParameters = new()
    {
        [TimelineEventKind.CsmsRestart] = ["for", "refusal"],
        [TimelineEventKind.CsmsBlackhole] = ["for"],
        [TimelineEventKind.CsmsSlow] = ["for", "delay"],
        [TimelineEventKind.NetworkDrop] = ["for", "share"],
        [TimelineEventKind.RebootAll] = [],
    };

    /// <summary>Configuration keys that the profile sets in one place only: under <c>security</c>.</summary>
    private static readonly Dictionary<string, string> KeysSetElsewhere = new(StringComparer.Ordinal)
    {
        ["AuthorizationKey"] = "security.authorizationKey",
        ["SecurityProfile"] = "security.profile",
        ["CpoName"] = "security.cpoName",
    };

    /// <summary>
    /// What the JSON Schema (<see cref="ProfileSchema"/>) is generated from, as this reader takes it: the keys of every mapping
    /// (by the mapping's name), the words of every choice and the parameters of every reconnect policy and timeline event.
    /// </summary>
    private static readonly (string, bool)[] PeriodicModes = [("spread", false), ("lockstep", true)];

    internal static class Definitions
    {
        public static IReadOnlyDictionary<string, IReadOnlyList<string>> Mappings { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["root"] = RootKeys, ["target"] = TargetKeys, ["security"] = SecurityKeys, ["csms"] = CsmsKeys, ["type"] = TypeKeys, ["ev"] = EvKeys,
            ["arrival"] = ArrivalKeys, ["stage"] = StageKeys, ["behaviour"] = BehaviourKeys, ["remoteStart"] = RemoteStartKeys, ["sessions"] = SessionKeys,
            ["idTags"] = IdTagKeys, ["faults"] = FaultKeys, ["distribution"] = DistributionKeys, ["normal"] = NormalKeys, ["timeline"] = TimelineKeys,
            ["threshold"] = ThresholdKeys,
        };

        public static IReadOnlyDictionary<string, IReadOnlyList<string>> Words { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["passwordEncoding"] = [.. PasswordEncodings.Select(e => e.Word)],
            ["distribution"] = [.. Distributions.Select(d => d.Item1)],
            ["current"] = [.. Currents.Select(c => c.Item1)],
            ["refusal"] = [.. Refusals.Select(r => r.Item1)],
            ["jitter"] = [.. Jitters.Select(j => j.Item1)],
            ["periodic"] = [.. PeriodicModes.Select(m => m.Item1)],
        };

        public static IReadOnlyList<(string Policy, IReadOnlyList<string> Parameters)> ReconnectPolicies { get; } =
            [.. Policies.Select(p => (p.Item1, (IReadOnlyList<string>)PolicyParameters[p.Item2]))];

        public static IReadOnlyList<(string Event, IReadOnlyList<string> Parameters)> TimelineEvents { get; } =
            [.. PlanRules.EventWords.Select(e => (e.Word, (IReadOnlyList<string>)EventParameters[e.Value]))];

        public static IReadOnlyCollection<string> ConfigurationKeysSetElsewhere => KeysSetElsewhere.Keys;
    }

    private readonly YamlWalker _w = walker;
    private TargetPlan? _target;
    private bool _targetUrlValid;

    public FleetPlan? Read(YamlNode root)
    {
        var map = _w.Mapping(root, "", RootKeys);
        if (map is null)
        {
            return null;
        }

        var name = _w.Text(map.Require("name", "the profile's name"), "name");
        var duration = _w.Duration(map.Require("duration", "how long the run lasts, e.g. 10m"), "duration");
        var (target, urlNode) = ReadTarget(map.Require("target", "target with url: embedded or a ws:// URL"));
        var csms = ReadCsms(map, target);
        var fleetSizeNode = map.Get("fleetSize");
        var fleetSize = _w.Integer(fleetSizeNode, "fleetSize", 1, 10_000_000);
        var types = ReadFleet(map.Require("fleet", "a list of charge-point types"), fleetSize, fleetSizeNode, map);
        var total = types.Sum(t => t.Count);
        var arrival = ReadArrival(map.Get("arrival"), total, duration);
        var behaviour = ReadBehaviour(map.Get("behaviour"));
        var timeline = ReadTimeline(map.Get("timeline"), target, urlNode, duration);
        var thresholds = ReadThresholds(map.Get("thresholds"));
        var stateDirectory = map.Get("state") is { } stateNode ? _w.Text(stateNode, "state", "a directory for the charge points' state") : null;
        var drain = _w.Duration(map.Get("drain"), "drain", allowZero: true);
        var lockstep = _w.Choice(map.Get("periodic"), "periodic", PeriodicModes);

        if (name is null || duration is null || target is null)
        {
            return null;
        }

        return new FleetPlan
        {
            Name = name,
            Duration = duration.Value,
            Target = target,
            EmbeddedCsms = csms,
            Types = types,
            Arrival = arrival,
            Behaviour = behaviour,
            Timeline = timeline,
            Thresholds = thresholds,
            StateDirectory = stateDirectory,
            Drain = drain ?? TimeSpan.FromSeconds(30),
            PeriodicLockstep = lockstep ?? false,
        };
    }

    private (TargetPlan? Target, YamlNode? UrlNode) ReadTarget(YamlNode? node)
    {
        var map = _w.Mapping(node, "target", TargetKeys);
        if (map is null)
        {
            return (null, null);
        }

        var (urlNode, urlText, url, urls) = map.Has("urls") ? ReadUrls(map) : ReadUrl(map);
        var distribution = UrlDistribution.RoundRobin;
        if (map.Get("distribution") is { } distributionNode)
        {
            distribution = _w.Choice(distributionNode, "target.distribution", Distributions) ?? distribution;
            if (!map.Has("urls"))
            {
                _w.Error(map.KeyNode("distribution")!, "target.distribution", "spreads the charge points over target.urls; with one url there is nothing to spread");
            }
        }

        var security = map.Get("security") is { } securityNode
            ? ReadSecurity(securityNode, "target.security", new SecurityPlan(), url, urlText is not null)
            : new SecurityPlan();

        var addresses = new List<string>();
        if (_w.Sequence(map.Get("sourceAddresses"), "target.sourceAddresses", "loopback IPv4 addresses") is { } list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                var path = Index("target.sourceAddresses", i);
                var text = _w.Text(list.Children[i], path, "a loopback IPv4 address such as 127.0.0.2");
                if (text is null)
                {
                    continue;
                }

                if (PlanRules.CheckSourceAddress(text) is { } problem)
                {
                    _w.Error(list.Children[i], path, problem);
                }
                else if (addresses.Contains(text))
                {
                    _w.Error(list.Children[i], path, $"'{text}' is listed twice; each source address once");
                }
                else
                {
                    addresses.Add(text);
                }
            }
        }

        var maxMessageBytes = Simulator.Transport.ConnectionSettings.DefaultMaxMessageBytes;
        if (map.Get("maxMessageSize") is { } sizeNode && _w.Text(sizeNode, "target.maxMessageSize", "a size such as 4MiB, 512KiB or 65536B") is { } sizeText)
        {
            if (!Units.TryParseSize(sizeText, out var bytes, out var sizeProblem))
            {
                _w.Error(sizeNode, "target.maxMessageSize", sizeProblem);
            }
            else if (bytes is < 1024 or > 1 << 30 || bytes != Math.Floor(bytes))
            {
                _w.Error(sizeNode, "target.maxMessageSize", $"'{sizeText}' must be a whole number of bytes from 1KiB to 1GiB");
            }
            else
            {
                maxMessageBytes = (int)bytes;
            }
        }

        _target = new TargetPlan { Url = url, Urls = urls, Distribution = distribution, Security = security, SourceAddresses = addresses, MaxMessageBytes = maxMessageBytes };
        _targetUrlValid = urlText is not null;
        return (_target, urlNode);
    }

    private (YamlNode? Node, string? Text, Uri? Url, IReadOnlyList<Uri> Urls) ReadUrl(MappingReader map)
    {
        var urlNode = map.Require("url", "'embedded' or a ws:// or wss:// URL (or urls: a list of them)");
        var urlText = _w.Text(urlNode, "target.url", "'embedded' or a ws:// or wss:// URL");
        Uri? url = null;
        if (urlText is not null && PlanRules.CheckTargetUrl(urlText, out url) is { } urlProblem)
        {
            _w.Error(urlNode!, "target.url", urlProblem);
            urlText = null;
        }

        return (urlNode, urlText, url, []);
    }

    /// <summary><c>urls</c>: several ws:// or wss:// addresses of one CSMS, all of one scheme; the first stands as <c>url</c>.</summary>
    private (YamlNode? Node, string? Text, Uri? Url, IReadOnlyList<Uri> Urls) ReadUrls(MappingReader map)
    {
        if (map.Has("url"))
        {
            _w.Error(map.KeyNode("urls")!, "target.urls", "give url (one address) or urls (several), not both");
            return (null, null, null, []);
        }

        var seq = _w.Sequence(map.Get("urls"), "target.urls", "ws:// or wss:// URLs of one CSMS");
        if (seq is null)
        {
            return (null, null, null, []);
        }

        if (seq.Children.Count == 0)
        {
            _w.Error(seq, "target.urls", "is empty; expected at least one ws:// or wss:// URL");
            return (null, null, null, []);
        }

        var urls = new List<Uri>();
        var valid = true;
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = Index("target.urls", i);
            var text = _w.Text(seq.Children[i], path, "a ws:// or wss:// URL");
            if (text is null)
            {
                valid = false;
            }
            else if (text == PlanRules.EmbeddedWord)
            {
                _w.Error(seq.Children[i], path, "'embedded' is one CSMS of its own; use url: embedded instead of urls");
                valid = false;
            }
            else if (PlanRules.CheckTargetUrl(text, out var url) is { } problem)
            {
                _w.Error(seq.Children[i], path, problem);
                valid = false;
            }
            else if (urls.Contains(url!))
            {
                _w.Error(seq.Children[i], path, $"'{text}' is listed twice; each address once");
                valid = false;
            }
            else if (urls.Count > 0 && url!.Scheme != urls[0].Scheme)
            {
                _w.Error(seq.Children[i], path, $"'{text}' uses {url.Scheme}:// but {Index("target.urls", 0)} uses {urls[0].Scheme}://; the addresses of one target use one scheme");
                valid = false;
            }
            else
            {
                urls.Add(url!);
            }
        }

        return valid ? (seq.Children[0], urls[0].ToString(), urls[0], urls) : (seq.Children[0], null, null, []);
    }

    /// <summary>Reads a security block on top of <paramref name="baseline"/> (the target's, for a type).</summary>
    private SecurityPlan ReadSecurity(YamlNode node, string path, SecurityPlan baseline, Uri? url, bool urlKnown)
    {
        var map = _w.Mapping(node, path, SecurityKeys);
        if (map is null)
        {
            return baseline;
        }

        var result = baseline;
        var valid = true;
        if (map.Get("profile") is { } profileNode)
        {
            var profile = _w.Integer(profileNode, map.At("profile"), 0, 3);
            valid &= profile is not null;
            result = result with { Profile = profile ?? result.Profile };
        }

        if (map.Get("authorizationKey") is { } keyNode)
        {
            // The key is a secret: no message below quotes it.
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                _w.Error(keyNode, map.At("authorizationKey"), "expected 32 to 40 hex digits (16 to 20 bytes)");
                valid = false;
            }
            else if (PlanRules.CheckAuthorizationKey(key) is { } problem)
            {
                _w.Error(keyNode, map.At("authorizationKey"), problem);
                valid = false;
            }
            else
            {
                result = result with { AuthorizationKey = key };
            }
        }

        if (map.Get("passwordEncoding") is { } encodingNode)
        {
            var encoding = _w.Choice(encodingNode, map.At("passwordEncoding"), PasswordEncodings);
            result = result with { PasswordEncoding = encoding ?? result.PasswordEncoding };
        }

        if (map.Get("reconnectGrace") is { } graceNode)
        {
            var grace = _w.Duration(graceNode, map.At("reconnectGrace"), allowZero: true);
            if (grace > TimeSpan.FromMinutes(10))
            {
                _w.Error(graceNode, map.At("reconnectGrace"), "must be at most 10m: the CSMS expects the new settings soon after the change");
                grace = null;
            }

            result = result with { ReconnectGrace = grace ?? result.ReconnectGrace };
        }

        if (map.Get("caCert") is { } caNode)
        {
            result = result with { CaCertificateFile = _w.Text(caNode, map.At("caCert"), "the path of a PEM file") ?? result.CaCertificateFile };
        }

        string? CertPattern(string key)
        {
            var n = map.Get(key);
            var text = _w.Text(n, map.At(key), "a PEM file pattern with {id}, e.g. certs/{id}.pem");
            if (text is not null && !text.Contains("{id}", StringComparison.Ordinal))
            {
                _w.Error(n!, map.At(key), $"'{text}' must contain {{id}}, which becomes each charge point's id (e.g. certs/{{id}}.pem)");
                return null;
            }

            return text;
        }

        var clientCert = CertPattern("clientCert");
        var clientKey = CertPattern("clientKey");
        if (map.Has("clientCert") != map.Has("clientKey"))
        {
            var missing = map.Has("clientCert") ? "clientKey" : "clientCert";
            _w.Error(map.Node, map.At(missing), "clientCert and clientKey go together; give both or neither");
            valid = false;
        }

        result = result with
        {
            ClientCertificatePattern = clientCert ?? result.ClientCertificatePattern,
            ClientKeyPattern = clientKey ?? result.ClientKeyPattern,
        };

        if (map.Get("cpoName") is { } cpoNode)
        {
            result = result with { CpoName = _w.Text(cpoNode, map.At("cpoName"), "the CPO name for certificates") ?? result.CpoName };
        }

        if (!valid)
        {
            return result;
        }

        if (result.Profile is 1 or 2 && result.AuthorizationKey is null)
        {
            _w.Error(map.Node, map.At("authorizationKey"),
                string.Create(CultureInfo.InvariantCulture, $"security profile {result.Profile} uses HTTP Basic authentication and needs authorizationKey (32 to 40 hex digits)"));
        }

        if (result.Profile < 3 && (map.Has("clientCert") || map.Has("clientKey")))
        {
            _w.Error(map.KeyNode("clientCert") ?? map.KeyNode("clientKey")!, map.At(map.Has("clientCert") ? "clientCert" : "clientKey"),
                "client certificates are used by security profile 3 only");
        }

        if (result.Profile < 2 && map.Has("caCert"))
        {
            _w.Error(map.KeyNode("caCert")!, map.At("caCert"), "a CA certificate is used by security profiles 2 and 3 (TLS) only");
        }

        if (urlKnown && PlanRules.CheckSecurityAgainstUrl(result, url) is { } urlProblem)
        {
            _w.Error(map.KeyNode("profile") ?? (YamlNode)map.Node, map.At("profile"), urlProblem);
        }

        return result;
    }

    private EmbeddedCsmsPlan ReadCsms(MappingReader root, TargetPlan? target)
    {
        var map = _w.Mapping(root.Get("csms"), "csms", CsmsKeys);
        if (map is null)
        {
            return new EmbeddedCsmsPlan();
        }

        if (target is { IsEmbedded: false })
        {
            _w.Error(root.KeyNode("csms")!, "csms", "configures the embedded CSMS, but target.url is not 'embedded'; remove it or use url: embedded");
        }

        var plan = new EmbeddedCsmsPlan();
        if (map.Get("heartbeatInterval") is { } hb)
        {
            plan = plan with { HeartbeatInterval = _w.Duration(hb, map.At("heartbeatInterval")) ?? plan.HeartbeatInterval };
        }

        if (map.Get("separateProcess") is { } sp)
        {
            plan = plan with { SeparateProcess = _w.Boolean(sp, map.At("separateProcess")) ?? plan.SeparateProcess };
        }

        return plan;
    }

    private List<ChargePointTypePlan> ReadFleet(YamlNode? node, int? fleetSize, YamlNode? fleetSizeNode, MappingReader root)
    {
        var types = new List<ChargePointTypePlan>();
        var seq = _w.Sequence(node, "fleet", "charge-point types");
        if (seq is null)
        {
            return types;
        }

        if (seq.Children.Count == 0)
        {
            _w.Error(seq, "fleet", "is empty; expected at least one charge-point type");
            return types;
        }

        var read = new List<(ChargePointTypePlan Type, MappingReader Map, int? Count, double? Share, int? FirstNumber)>();
        var yamlIndex = new List<int>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = Index("fleet", i);
            var map = _w.Mapping(seq.Children[i], path, TypeKeys);
            if (map is null)
            {
                continue;
            }

            var entry = ReadType(map);
            if (entry is not null)
            {
                read.Add((entry.Value.Type, map, entry.Value.Count, entry.Value.Share, entry.Value.FirstNumber));
                yamlIndex.Add(i);
            }
        }

        // Names are unique.
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (type, map, _, _, _) in read)
        {
            if (!names.Add(type.Name))
            {
                _w.Error(map.Get("name")!, map.At("name"), $"'{type.Name}' is used by another type; each type needs its own name");
            }
        }

        // Counts, or shares of fleetSize; not both.
        // (A type giving both was reported already.)
        var withCount = read.Count(r => r.Map.Has("count") && !r.Map.Has("share"));
        var withShare = read.Count(r => r.Map.Has("share") && !r.Map.Has("count"));
        int[] counts;
        if (withShare > 0 && withCount > 0)
        {
            _w.Error(seq, "fleet", "some types give count and others share; give every type a count, or every type a share of fleetSize");
            return [];
        }

        if (withShare > 0)
        {
            if (fleetSize is null)
            {
                if (fleetSizeNode is null)
                {
                    _w.Error(root.Node, "fleetSize", "required field is missing; types give a share, so the total number of charge points is needed, e.g. fleetSize: 1000");
                }

                return [];
            }

            if (read.Any(r => r.Share is null))
            {
                return [];
            }

            var sum = read.Sum(r => r.Share!.Value);
            if (Math.Abs(sum - 1) > 1e-6)
            {
                _w.Error(seq, "fleet", string.Create(CultureInfo.InvariantCulture, $"the shares add up to {sum * 100:0.##}%; they must add up to 100%"));
                return [];
            }

            counts = PlanRules.Apportion(read.Select(r => r.Share!.Value).ToList(), fleetSize.Value);
            for (var i = 0; i < counts.Length; i++)
            {
                if (counts[i] == 0)
                {
                    _w.Error(read[i].Map.Get("share")!, read[i].Map.At("share"),
                        string.Create(CultureInfo.InvariantCulture, $"gives no charge points out of fleetSize {fleetSize}; raise the share or the fleetSize"));
                }
            }
        }
        else
        {
            if (read.Any(r => r.Count is null))
            {
                return [];
            }

            counts = read.Select(r => r.Count!.Value).ToArray();
            if (fleetSize is not null && fleetSize.Value != counts.Sum())
            {
                _w.Error(fleetSizeNode!, "fleetSize", string.Create(CultureInfo.InvariantCulture,
                    $"is {fleetSize} but the types' counts add up to {counts.Sum()}; fleetSize is only needed with shares"));
            }
        }

        // Number the types one after the other unless a type says where it starts.
        var next = 1;
        for (var i = 0; i < read.Count; i++)
        {
            var first = read[i].FirstNumber ?? next;
            types.Add(read[i].Type with { Count = counts[i], FirstNumber = first });
            next = first + counts[i];
        }

        foreach (var (first, second, example) in PlanRules.FindDuplicateIds(types))
        {
            var map = read[second].Map;
            _w.Error(map.Get("idPattern")!, map.At("idPattern"),
                $"gives ids that {Index("fleet", yamlIndex[first])} ('{types[first].Name}') also gives, e.g. '{example}'; give each type its own prefix or firstNumber ranges that do not overlap");
        }

        return types;
    }

    private (ChargePointTypePlan Type, int? Count, double? Share, int? FirstNumber)? ReadType(MappingReader map)
    {
        var name = _w.Text(map.Require("name", "the type's name"), map.At("name"));
        int? count = null;
        double? share = null;
        if (map.Has("count") && map.Has("share"))
        {
            _w.Error(map.KeyNode("share")!, map.At("share"), "a type gives count or share, not both");
        }
        else if (map.Has("count"))
        {
            count = _w.Integer(map.Get("count"), map.At("count"), 1, 10_000_000);
        }
        else if (map.Has("share"))
        {
            share = _w.Share(map.Get("share"), map.At("share"), allowZero: false);
        }
        else
        {
            _w.Error(map.Node, map.At("count"), "required field is missing; expected count (a number of charge points) or share (of fleetSize, e.g. 25%)");
        }

        var idPatternNode = map.Require("idPattern", "a pattern with one {0…0} placeholder, e.g. CP-{0000}");
        var idPattern = _w.Text(idPatternNode, map.At("idPattern"), "a pattern with one {0…0} placeholder, e.g. CP-{0000}");
        if (idPattern is not null && PlanRules.CheckIdPattern(idPattern) is { } idProblem)
        {
            _w.Error(idPatternNode!, map.At("idPattern"), idProblem);
            idPattern = null;
        }

        var firstNumber = _w.Integer(map.Get("firstNumber"), map.At("firstNumber"), 0, 1_000_000_000);
        var type = new ChargePointTypePlan { Name = name ?? "", Count = 0, IdPattern = idPattern ?? "" };
        type = type with
        {
            OcppVersion = ReadOcppVersion(map) ?? type.OcppVersion,
            Vendor = BoundedText(map, "vendor", 20) ?? type.Vendor,
            Model = BoundedText(map, "model", 20) ?? type.Model,
            FirmwareVersion = BoundedText(map, "firmwareVersion", 50) ?? type.FirmwareVersion,
            Connectors = _w.Integer(map.Get("connectors"), map.At("connectors"), 1, 10) ?? type.Connectors,
            Current = _w.Choice(map.Get("current"), map.At("current"), Currents) ?? type.Current,
            MaxPowerW = _w.Power(map.Get("maxPower"), map.At("maxPower")) ?? type.MaxPowerW,
            BootOnReconnect = _w.Boolean(map.Get("bootOnReconnect"), map.At("bootOnReconnect")) ?? type.BootOnReconnect,
        };
        type = type with
        {
            Ev = ReadEv(map.Get("ev"), map.At("ev")),
            Configuration = type.OcppVersion == "1.6"
                ? ReadConfiguration(map.Get("configuration"), map.At("configuration"), type.Connectors, map.Has("connectors"))
                : ReadStationSettings(map.Get("configuration"), map.At("configuration"), type),
            Reconnect = ReadReconnect(map.Get("reconnect"), map.At("reconnect")),
        };

        if (map.Get("security") is { } securityNode)
        {
            // A type's security starts from the target's and changes the fields it gives.
            type = type with { Security = ReadSecurity(securityNode, map.At("security"), _target?.Security ?? new SecurityPlan(), _target?.Url, _targetUrlValid) };
        }

        return name is null || idPattern is null ? null : (type, count, share, firstNumber);
    }

    /// <summary><c>ocppVersion</c>: one of the versions the simulator has a station model for.</summary>
    private string? ReadOcppVersion(MappingReader map)
    {
        var node = map.Get("ocppVersion");
        var versions = ChargingStations.Versions;
        var expected = string.Join(" or ", versions.Select(v => $"\"{v}\""));
        if (node is null || _w.Text(node, map.At("ocppVersion"), expected) is not { } version)
        {
            return null;
        }
        if (!versions.Contains(version))
        {
            _w.Error(node, map.At("ocppVersion"), $"'{version}' is not an OCPP version the simulator speaks; expected {expected}{YamlWalker.Suggest(version, versions)}");
            return null;
        }
        return version;
    }

    /// <summary>
    /// <c>configuration</c> of a type whose version is not 1.6 (2.0.1: device-model overrides, keyed <c>Variable</c>,
    /// <c>Component.Variable</c> or <c>Component.Variable.Instance</c>): checked by the station model itself, which names the key.
    /// </summary>
    private Dictionary<string, string> ReadStationSettings(YamlNode? node, string path, ChargePointTypePlan type)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return result;
        }
        if (node is not YamlMappingNode map)
        {
            _w.Error(node, path, $"expected a mapping of OCPP {type.OcppVersion} device-model variables to values, got {YamlWalker.Describe(node)}");
            return result;
        }
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var keyPath = $"{path}.{key}";
            if (KeysSetElsewhere.TryGetValue(key, out var elsewhere))
            {
                _w.Error(keyNode, keyPath, $"is set through {elsewhere}, not configuration");
                continue;
            }
            if (_w.Text(valueNode, keyPath, "a value") is not { } value)
            {
                continue;
            }
            try
            {
                ChargingStations.Create(type.OcppVersion, new ChargePointOptions
                {
                    ChargeBoxId = "profile-check",
                    Connectors = type.Connectors,
                    ConfigurationOverrides = new Dictionary<string, string> { [key] = value },
                }, TimeProvider.System, new Random(0));
                result[key] = value;
            }
            catch (ArgumentException e)
            {
                _w.Error(valueNode, keyPath, $"{e.Message.Replace("Configuration override ", "", StringComparison.Ordinal).TrimEnd('.')} (an OCPP {type.OcppVersion} device-model override)");
            }
        }
        return result;
    }

    private string? BoundedText(MappingReader map, string key, int maxLength)
    {
        var text = _w.Text(map.Get(key), map.At(key));
        if (text is not null && text.Length > maxLength)
        {
            _w.Error(map.Get(key)!, map.At(key), string.Create(CultureInfo.InvariantCulture,
                $"'{text}' is {text.Length} characters; BootNotification allows at most {maxLength}"));
            return null;
        }

        return text;
    }

    private EvPlan ReadEv(YamlNode? node, string path)
    {
        var plan = new EvPlan();
        var map = _w.Mapping(node, path, EvKeys);
        if (map is null)
        {
            return plan;
        }

        plan = plan with
        {
            BatteryCapacityWh = _w.Energy(map.Get("battery"), map.At("battery")) ?? plan.BatteryCapacityWh,
            MaxPowerW = _w.Power(map.Get("maxPower"), map.At("maxPower")) ?? plan.MaxPowerW,
        };

        if (_w.Sequence(map.Get("arrivalSoc"), map.At("arrivalSoc"), "two numbers [min, max] from 0 to 1") is { } soc)
        {
            if (soc.Children.Count != 2)
            {
                _w.Error(soc, map.At("arrivalSoc"), "expected two numbers [min, max] from 0 to 1, e.g. [0.2, 0.6]");
            }
            else
            {
                var min = _w.Share(soc.Children[0], Index(map.At("arrivalSoc"), 0), allowZero: true);
                var max = _w.Share(soc.Children[1], Index(map.At("arrivalSoc"), 1), allowZero: true);
                if (min is not null && max is not null)
                {
                    if (min > max)
                    {
                        _w.Error(soc, map.At("arrivalSoc"), "min is above max; expected [min, max] with min <= max");
                    }
                    else
                    {
                        plan = plan with { ArrivalSocMin = min.Value, ArrivalSocMax = max.Value };
                    }
                }
            }
        }

        return plan;
    }

    private Dictionary<string, string> ReadConfiguration(YamlNode? node, string path, int connectors, bool connectorsGiven)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null)
        {
            return result;
        }

        if (node is not YamlMappingNode map)
        {
            _w.Error(node, path, $"expected a mapping of OCPP configuration keys to values, got {YamlWalker.Describe(node)}");
            return result;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var keyPath = $"{path}.{key}";
            if (KeysSetElsewhere.TryGetValue(key, out var elsewhere))
            {
                _w.Error(keyNode, keyPath, $"is set through {elsewhere}, not configuration");
                continue;
            }

            if (!OcppConfigurationKeys.Known.TryGetValue(key, out var kind))
            {
                _w.Error(keyNode, keyPath, $"'{key}' is not an OCPP 1.6 configuration key{YamlWalker.Suggest(key, OcppConfigurationKeys.Known.Keys)}");
                continue;
            }

            var value = _w.Text(valueNode, keyPath, "a value");
            if (value is null)
            {
                continue;
            }

            var ok = kind switch
            {
                ConfigurationValueKind.Integer => Units.TryParseInteger(value, out var n) && n >= 0,
                ConfigurationValueKind.Boolean => value is "true" or "false",
                _ => true,
            };
            if (!ok)
            {
                _w.Error(valueNode, keyPath, kind == ConfigurationValueKind.Integer
                    ? $"'{value}' is not a whole number of 0 or more (in seconds where the key is an interval)"
                    : $"'{value}' is not true or false");
                continue;
            }

            if (key == "NumberOfConnectors" && connectorsGiven && value != connectors.ToString(CultureInfo.InvariantCulture))
            {
                _w.Error(valueNode, keyPath, string.Create(CultureInfo.InvariantCulture, $"is {value} but the type has connectors: {connectors}; leave it out, it follows connectors"));
                continue;
            }

            result[key] = value;
        }

        return result;
    }

    private ReconnectPlan ReadReconnect(YamlNode? node, string path)
    {
        var allParameters = PolicyParameters.Values.SelectMany(p => p).Prepend("policy").ToArray();
        var map = _w.Mapping(node, path, allParameters);
        if (map is null)
        {
            return ReconnectPlan.Default;
        }

        var kind = _w.Choice(map.Require("policy", "ocpp201, exponential, fixed or immediate"), map.At("policy"), Policies);
        if (kind is null)
        {
            return ReconnectPlan.Default;
        }

        var own = PolicyParameters[kind.Value];
        foreach (var key in map.Keys)
        {
            if (key != "policy" && !own.Contains(key))
            {
                var policyWord = Policies.First(p => p.Item2 == kind.Value).Item1;
                var owner = Policies.First(p => PolicyParameters[p.Item2].Contains(key)).Item1;
                _w.Error(map.KeyNode(key)!, map.At(key), own.Length == 0
                    ? $"belongs to the {owner} policy; the {policyWord} policy takes no parameters"
                    : $"belongs to the {owner} policy; the {policyWord} policy uses {string.Join(", ", own)}");
            }
        }

        var plan = new ReconnectPlan { Kind = kind.Value, Given = true };
        switch (kind.Value)
        {
            case ReconnectKind.Ocpp201:
                plan = plan with
                {
                    WaitMinimum = _w.Duration(map.Get("waitMinimum"), map.At("waitMinimum"), allowZero: true) ?? plan.WaitMinimum,
                    RandomRange = _w.Duration(map.Get("randomRange"), map.At("randomRange"), allowZero: true) ?? plan.RandomRange,
                    RepeatTimes = _w.Integer(map.Get("repeatTimes"), map.At("repeatTimes"), 0, 100) ?? plan.RepeatTimes,
                };
                break;
            case ReconnectKind.Exponential:
                plan = plan with
                {
                    Base = _w.Duration(map.Get("base"), map.At("base")) ?? plan.Base,
                    Cap = _w.Duration(map.Get("cap"), map.At("cap")) ?? plan.Cap,
                    Jitter = _w.Choice(map.Get("jitter"), map.At("jitter"), Jitters) ?? plan.Jitter,
                };
                if (plan.Base > plan.Cap)
                {
                    _w.Error(map.Get("cap") ?? map.Node, map.At("cap"),
                        $"{Units.FormatDuration(plan.Cap)} is below base {Units.FormatDuration(plan.Base)}; cap must be at least base");
                }

                break;
            case ReconnectKind.Fixed:
                plan = plan with { Interval = _w.Duration(map.Get("interval"), map.At("interval")) ?? plan.Interval };
                break;
        }

        return plan;
    }

    private ArrivalPlan ReadArrival(YamlNode? node, int fleetSize, TimeSpan? duration)
    {
        if (node is null)
        {
            return ArrivalPlan.AllAtOnce;
        }

        if (node is YamlScalarNode)
        {
            var word = _w.Text(node, "arrival", "allAtOnce, {rate: N/s} or {stages: [...]}");
            if (word is not null && word != "allAtOnce")
            {
                _w.Error(node, "arrival", $"'{word}' is not allAtOnce; expected allAtOnce, {{rate: N/s}} or {{stages: [...]}}{YamlWalker.Suggest(word, ["allAtOnce"])}");
            }

            return ArrivalPlan.AllAtOnce;
        }

        var map = _w.Mapping(node, "arrival", ArrivalKeys);
        if (map is null)
        {
            return ArrivalPlan.AllAtOnce;
        }

        if (map.Has("rate") == map.Has("stages"))
        {
            _w.Error(map.Node, "arrival", "expected exactly one of rate (e.g. rate: 50/s) or stages (a list of {duration, target})");
            return ArrivalPlan.AllAtOnce;
        }

        if (map.Get("rate") is { } rateNode)
        {
            var text = _w.Text(rateNode, "arrival.rate", "charge points per second, e.g. 50/s");
            if (text is null)
            {
                return ArrivalPlan.AllAtOnce;
            }

            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var per = slash < 0 ? "" : text[(slash + 1)..].Trim();
            var seconds = per switch { "s" => 1.0, "m" or "min" => 60.0, _ => 0 };
            if (slash < 0 || seconds == 0 || !Units.TryParsePlainNumber(text[..slash].Trim(), out var number) || number <= 0)
            {
                _w.Error(rateNode, "arrival.rate", $"'{text}' is not a rate; expected a number of charge points per second above 0, e.g. 50/s (or per minute: 600/m)");
                return ArrivalPlan.AllAtOnce;
            }

            return new ArrivalPlan { Kind = ArrivalKind.Rate, RatePerSecond = number / seconds };
        }

        var stagesNode = _w.Sequence(map.Get("stages"), "arrival.stages", "stages {duration, target}");
        if (stagesNode is null)
        {
            return ArrivalPlan.AllAtOnce;
        }

        if (stagesNode.Children.Count == 0)
        {
            _w.Error(stagesNode, "arrival.stages", "is empty; expected at least one {duration, target}");
            return ArrivalPlan.AllAtOnce;
        }

        var stages = new List<RampStage>();
        for (var i = 0; i < stagesNode.Children.Count; i++)
        {
            var path = Index("arrival.stages", i);
            var stage = _w.Mapping(stagesNode.Children[i], path, StageKeys);
            if (stage is null)
            {
                continue;
            }

            var d = _w.Duration(stage.Require("duration", "how long the stage lasts, e.g. 1m"), stage.At("duration"), allowZero: true);
            var targetNode = stage.Require("target", "the number of charge points connected at the stage's end");
            var target = _w.Integer(targetNode, stage.At("target"), 0, int.MaxValue);
            if (target > fleetSize && fleetSize > 0)
            {
                _w.Error(targetNode!, stage.At("target"), string.Create(CultureInfo.InvariantCulture,
                    $"{target} exceeds the fleet size {fleetSize}; a stage can connect at most every charge point"));
            }
            else if (d is not null && target is not null)
            {
                stages.Add(new RampStage(d.Value, target.Value));
            }
        }

        var total = stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);
        if (duration is not null && total > duration)
        {
            _w.Error(stagesNode, "arrival.stages", $"last {Units.FormatDuration(total)} in all, longer than the run's duration {Units.FormatDuration(duration.Value)}");
        }

        return new ArrivalPlan { Kind = ArrivalKind.Ramp, Stages = stages };
    }

    private BehaviourPlan ReadBehaviour(YamlNode? node)
    {
        if (node is null)
        {
            return BehaviourPlan.Idle;
        }

        if (node is YamlScalarNode)
        {
            var kind = _w.Choice(node, "behaviour", [("idle", BehaviourKind.Idle), ("sessions", BehaviourKind.Sessions)]);
            return kind == BehaviourKind.Sessions ? new BehaviourPlan { Kind = BehaviourKind.Sessions } : BehaviourPlan.Idle;
        }

        var map = _w.Mapping(node, "behaviour", BehaviourKeys);
        if (map is null)
        {
            return BehaviourPlan.Idle;
        }

        var remoteStart = ReadRemoteStart(map.Get("remoteStart"), map.At("remoteStart"));
        if (map.Has("idle") && map.Has("sessions"))
        {
            _w.Error(map.Node, "behaviour", "expected one of idle or sessions, not both");
            return BehaviourPlan.Idle with { RemoteStart = remoteStart };
        }

        if (!map.Has("sessions"))
        {
            if (!map.Has("idle") && !map.Has("remoteStart"))
            {
                _w.Error(map.Node, "behaviour", "expected one of idle or sessions");
            }

            if (map.Get("idle") is { } idle && idle is not YamlScalarNode { Value: null or "" or "~" or "null" or "true" })
            {
                _w.Error(idle, "behaviour.idle", "takes no settings; write behaviour: idle");
            }

            return BehaviourPlan.Idle with { RemoteStart = remoteStart };
        }

        var plan = new BehaviourPlan { Kind = BehaviourKind.Sessions, RemoteStart = remoteStart };
        var sessionsNode = map.Get("sessions")!;
        if (sessionsNode is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return plan;
        }

        var s = _w.Mapping(sessionsNode, "behaviour.sessions", SessionKeys);
        if (s is null)
        {
            return plan;
        }

        plan = plan with
        {
            MeanTimeBetweenSessions = _w.Duration(s.Get("meanTimeBetweenSessions"), s.At("meanTimeBetweenSessions")) ?? plan.MeanTimeBetweenSessions,
            PlugInDuration = ReadDistribution(s.Get("plugInDuration"), s.At("plugInDuration"), "durations", (n, p) => _w.Duration(n, p)?.TotalSeconds) ?? plan.PlugInDuration,
            EnergyNeedWh = ReadDistribution(s.Get("energyNeed"), s.At("energyNeed"), "energies", (n, p) => _w.Energy(n, p)) ?? plan.EnergyNeedWh,
            IdTags = ReadIdTags(s.Get("idTags"), s.At("idTags")),
        };

        if (_w.Mapping(s.Get("faults"), s.At("faults"), FaultKeys) is { } faults)
        {
            plan = plan with
            {
                FaultsPerConnectorHour = _w.Number(faults.Get("perConnectorHour"), faults.At("perConnectorHour"), 0, 3600) ?? plan.FaultsPerConnectorHour,
                FaultDuration = _w.Duration(faults.Get("duration"), faults.At("duration")) ?? plan.FaultDuration,
            };
        }

        return plan;
    }

    /// <summary><c>remoteStart: {plugInAfter: …}</c>: a duration, a distribution of durations, or <c>never</c>.</summary>
    private RemoteStartPlan ReadRemoteStart(YamlNode? node, string path)
    {
        var plan = new RemoteStartPlan();
        var map = _w.Mapping(node, path, RemoteStartKeys);
        if (map?.Get("plugInAfter") is not { } after)
        {
            return plan;
        }

        var at = map.At("plugInAfter");
        if (after is YamlScalarNode { Value: "never" })
        {
            return plan with { PlugInAfter = null };
        }

        if (after is YamlScalarNode { Value: { } text } && !Units.TryParseDuration(text, out _, out var error))
        {
            _w.Error(after, at, $"{error}; or a distribution such as {{uniform: [1s, 3s]}}, or never");
            return plan;
        }

        return plan with { PlugInAfter = ReadDistribution(after, at, "durations", (n, p) => _w.Duration(n, p, allowZero: true)?.TotalSeconds) ?? plan.PlugInAfter };
    }

    /// <summary>A constant, <c>{uniform: [min, max]}</c>, <c>{normal: {mean, stddev}}</c> or <c>{exponential: mean}</c>.</summary>
    private Distribution? ReadDistribution(YamlNode? node, string path, string what, Func<YamlNode?, string, double?> value)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode)
        {
            return value(node, path) is { } constant ? Distribution.Constant(constant) : null;
        }

        var map = _w.Mapping(node, path, DistributionKeys);
        if (map is null)
        {
            return null;
        }

        if (map.Keys.Count() != 1)
        {
            _w.Error(map.Node, path, "expected exactly one of uniform: [min, max], normal: {mean, stddev} or exponential: mean (or a plain value)");
            return null;
        }

        if (map.Get("uniform") is { } uniformNode)
        {
            var seq = _w.Sequence(uniformNode, map.At("uniform"), $"two {what} [min, max]");
            if (seq is null)
            {
                return null;
            }

            if (seq.Children.Count != 2)
            {
                _w.Error(seq, map.At("uniform"), $"expected two {what} [min, max]");
                return null;
            }

            var min = value(seq.Children[0], Index(map.At("uniform"), 0));
            var max = value(seq.Children[1], Index(map.At("uniform"), 1));
            if (min is null || max is null)
            {
                return null;
            }

            if (min > max)
            {
                _w.Error(seq, map.At("uniform"), "min is above max; expected [min, max] with min <= max");
                return null;
            }

            return Distribution.Uniform(min.Value, max.Value);
        }

        if (map.Get("normal") is { } normalNode)
        {
            var normal = _w.Mapping(normalNode, map.At("normal"), NormalKeys);
            if (normal is null)
            {
                return null;
            }

            var mean = value(normal.Require("mean", "the mean"), normal.At("mean"));
            var stddev = value(normal.Require("stddev", "the standard deviation"), normal.At("stddev"));
            return mean is null || stddev is null ? null : Distribution.Normal(mean.Value, stddev.Value);
        }

        var exponentialMean = value(map.Get("exponential"), map.At("exponential"));
        if (exponentialMean is <= 0)
        {
            _w.Error(map.Get("exponential")!, map.At("exponential"), "the mean must be above zero");
            return null;
        }

        return exponentialMean is null ? null : Distribution.Exponential(exponentialMean.Value);
    }

    private IdTagPlan ReadIdTags(YamlNode? node, string path)
    {
        var plan = new IdTagPlan();
        var map = _w.Mapping(node, path, IdTagKeys);
        if (map is null)
        {
            return plan;
        }

        List<string>? Tags(string key)
        {
            var seq = _w.Sequence(map.Get(key), map.At(key), "id tags");
            if (seq is null)
            {
                return null;
            }

            var tags = new List<string>();
            for (var i = 0; i < seq.Children.Count; i++)
            {
                var tag = _w.Text(seq.Children[i], Index(map.At(key), i), "an id tag (up to 20 characters)");
                if (tag is null)
                {
                    continue;
                }

                if (tag.Length > 20)
                {
                    _w.Error(seq.Children[i], Index(map.At(key), i), string.Create(CultureInfo.InvariantCulture, $"'{tag}' is {tag.Length} characters; an OCPP id tag has at most 20"));
                }
                else if (tags.Contains(tag))
                {
                    _w.Error(seq.Children[i], Index(map.At(key), i), $"'{tag}' is listed twice");
                }
                else
                {
                    tags.Add(tag);
                }
            }

            return tags;
        }

        var accepted = Tags("accepted");
        var blocked = Tags("blocked");
        if (accepted is { Count: 0 })
        {
            _w.Error(map.Get("accepted")!, map.At("accepted"), "is empty; sessions need at least one accepted tag");
        }

        foreach (var tag in (accepted ?? plan.Accepted.ToList()).Intersect(blocked ?? []))
        {
            _w.Error(map.Get("blocked")!, map.At("blocked"), $"'{tag}' is both accepted and blocked");
        }

        return plan with
        {
            Accepted = accepted is { Count: > 0 } ? accepted : plan.Accepted,
            Blocked = blocked ?? plan.Blocked,
            UnknownShare = _w.Share(map.Get("unknownShare"), map.At("unknownShare"), allowZero: true) ?? plan.UnknownShare,
        };
    }

    private List<TimelineEvent> ReadTimeline(YamlNode? node, TargetPlan? target, YamlNode? urlNode, TimeSpan? duration)
    {
        var events = new List<TimelineEvent>();
        var seq = _w.Sequence(node, "timeline", "events {at, event, ...}");
        if (seq is null)
        {
            return events;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = Index("timeline", i);
            var map = _w.Mapping(seq.Children[i], path, TimelineKeys);
            if (map is null)
            {
                continue;
            }

            var atNode = map.Require("at", "when the event happens, e.g. 30s");
            var at = _w.Duration(atNode, map.At("at"), allowZero: true);
            var eventNode = map.Require("event", "one of " + string.Join(", ", PlanRules.EventWords.Select(e => e.Word)));
            var kind = _w.Choice(eventNode, map.At("event"), PlanRules.EventWords);
            if (at is not null && duration is not null && at >= duration)
            {
                _w.Error(atNode!, map.At("at"), $"{Units.FormatDuration(at.Value)} is not within the run's duration {Units.FormatDuration(duration.Value)}");
            }

            if (kind is null)
            {
                continue;
            }

            var word = PlanRules.EventWord(kind.Value);
            if (PlanRules.IsCsmsEvent(kind.Value) && target is { IsEmbedded: false })
            {
                _w.Error(eventNode!, map.At("event"),
                    $"{word} acts on the embedded CSMS, but target.url is {((YamlScalarNode?)urlNode)?.Value}; use url: embedded or an event that acts on the fleet (network-drop, reboot-all)");
            }

            var own = EventParameters[kind.Value];
            foreach (var key in map.Keys)
            {
                if (key is not "at" and not "event" && !own.Contains(key))
                {
                    _w.Error(map.KeyNode(key)!, map.At(key), own.Length == 0
                        ? $"does not apply to {word}, which takes no parameters"
                        : $"does not apply to {word}; it uses {string.Join(", ", own)}");
                }
            }

            var e = new TimelineEvent { At = at ?? TimeSpan.Zero, Kind = kind.Value };
            e = e with
            {
                For = (own.Contains("for") ? _w.Duration(map.Get("for"), map.At("for")) : null) ?? e.For,
                Refusal = (own.Contains("refusal") ? _w.Choice(map.Get("refusal"), map.At("refusal"), Refusals) : null) ?? e.Refusal,
                Delay = (own.Contains("delay") ? _w.Duration(map.Get("delay"), map.At("delay")) : null) ?? e.Delay,
                Share = (own.Contains("share") ? _w.Share(map.Get("share"), map.At("share"), allowZero: false) : null) ?? e.Share,
            };
            events.Add(e);
        }

        return events.OrderBy(e => e.At).ToList();
    }

    private List<ThresholdPlan> ReadThresholds(YamlNode? node)
    {
        var result = new List<ThresholdPlan>();
        var seq = _w.Sequence(node, "thresholds", "threshold expressions");
        if (seq is null)
        {
            return result;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = Index("thresholds", i);
            var item = seq.Children[i];
            if (item is YamlMappingNode)
            {
                var map = _w.Mapping(item, path, ThresholdKeys)!;
                var expression = _w.Text(map.Require("threshold", "the expression, e.g. \"p99 BootNotification < 500ms\""), map.At("threshold"), "an expression such as \"errors < 1%\"");
                var abort = _w.Boolean(map.Get("abortOnFail"), map.At("abortOnFail")) ?? false;
                var delay = _w.Duration(map.Get("delayAbortEval"), map.At("delayAbortEval"), allowZero: true);
                if (delay is not null && !abort)
                {
                    _w.Error(map.KeyNode("delayAbortEval")!, map.At("delayAbortEval"), "delays the abortOnFail evaluation, so it needs abortOnFail: true");
                }
                if (expression is not null)
                {
                    if (CheckThreshold(map.Get("threshold")!, map.At("threshold"), expression) is { IsStorm: true } && abort)
                    {
                        _w.Error(map.KeyNode("abortOnFail")!, map.At("abortOnFail"),
                            $"'{expression.Trim()}' judges the storms' figures, which are made when the run is over: abortOnFail could never stop the run on it");
                    }
                    result.Add(new ThresholdPlan(expression.Trim(), abort) { DelayAbortEval = delay ?? TimeSpan.Zero });
                }
            }
            else if (_w.Text(item, path, "an expression such as \"errors < 1%\" or {threshold, abortOnFail}") is { } expression)
            {
                CheckThreshold(item, path, expression);
                result.Add(new ThresholdPlan(expression.Trim()));
            }
        }

        return result;
    }

    /// <summary>Reports what is wrong with the expression at <paramref name="path"/>; the threshold when nothing is.</summary>
    private Simulator.Metrics.Threshold? CheckThreshold(YamlNode node, string path, string expression)
    {
        if (ThresholdRules.Check(expression.Trim(), out var parsed) is { } problem)
        {
            _w.Error(node, path, problem);
            return null;
        }
        return parsed;
    }

    private static string Index(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");
}
