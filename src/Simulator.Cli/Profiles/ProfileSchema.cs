using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Simulator.Cli.Profiles;

/// <summary>
/// The JSON Schema of a profile (<c>profiles/profile.schema.json</c>), for editors that complete and check YAML against one
/// (<c># yaml-language-server: $schema=./profile.schema.json</c>). The keys of every mapping, the words of every choice and
/// the parameters of every policy and event come from <see cref="ProfileReader.Definitions"/>, as the reader takes them; this
/// class adds what the reader's code knows only as it reads: each field's kind of value and a line of description. A key the
/// reader takes without a description here (or the other way round) stops the generator: the two cannot drift apart.
/// </summary>
internal static class ProfileSchema
{
    public const string FileName = "profile.schema.json";

    private const string Number = @"[0-9_]*\.?[0-9_]+";

    /// <summary>Each mapping's fields: the schema of the value and a description (required fields are listed below).</summary>
    private static readonly Dictionary<string, Dictionary<string, Func<JsonObject>>> Fields = new(StringComparer.Ordinal)
    {
        ["root"] = new()
        {
            ["name"] = () => Text("The run's name (reports, metrics)."),
            ["duration"] = () => Duration("How long the run lasts."),
            ["target"] = () => Object("target", "Where the charge points connect."),
            ["csms"] = () => Object("csms", "Settings of the embedded CSMS; only with target.url: embedded."),
            ["fleetSize"] = () => Integer(1, 10_000_000, "Total charge points when types give a share; with counts it may be left out."),
            ["fleet"] = () => List(Object("type", "A charge-point type."), 1, "The charge-point types."),
            ["arrival"] = Arrival,
            ["behaviour"] = Behaviour,
            ["timeline"] = () => List(TimelineEvent(), 0, "Things done to the CSMS or the fleet during the run."),
            ["thresholds"] = () => List(AnyOf(null, Text("A threshold such as \"p99 BootNotification < 500ms\", \"errors < 1%\" or \"connected >= 99%\"."),
                Object("threshold", "A threshold that can stop the run.")), 0, "Pass/fail expressions; a failed one makes the exit code 99."),
            ["drain"] = () => Duration("After the run's duration: sessions stop and the charge points get this long to empty their offline queues before the loss check (default 30s)."),
            ["periodic"] = () => Choice("periodic", "spread (default): each charge point's first heartbeat and sampled meter value at a random point of the interval; lockstep: all a full interval later."),
            ["state"] = () => Text("A new or empty directory where each charge point keeps its offline queue, open transactions and meter registers (fleetsim run --resume DIR)."),
        },
        ["target"] = new()
        {
            ["url"] = () => Pattern(@"^(embedded|wss?://.+)$", "'embedded' (the embedded CSMS, started for the run) or a ws:// or wss:// URL; the charge point id is appended."),
            ["urls"] = () => List(Pattern("^wss?://.+$", "A ws:// or wss:// URL."), 1, "Several addresses of one CSMS (all ws:// or all wss://), instead of url."),
            ["distribution"] = () => Choice("distribution", "Which of urls a charge point connects and reconnects to: in arrival order (roundRobin), drawn from the seed (random) or by a stable hash of its id (byId)."),
            ["security"] = () => Object("security", "OCPP security: profile 0 to 3 and what it needs."),
            ["sourceAddresses"] = () => List(Pattern(@"^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$", "A loopback IPv4 address, e.g. 127.0.0.2."), 0, "Loopback addresses to spread connections over, about 28,000 each."),
            ["maxMessageSize"] = () => Size("Largest message a charge point takes from the CSMS (1KiB to 1GiB; default 4MiB)."),
        },
        ["security"] = new()
        {
            ["profile"] = () => Integer(0, 3, "OCPP security profile: 0 none, 1 Basic auth, 2 TLS + Basic auth, 3 TLS + client certificates."),
            ["authorizationKey"] = () => Pattern("^([0-9a-fA-F]{2}){16,20}$", "The Basic-auth password: 16 to 20 bytes as 32 to 40 hex digits (profiles 1 and 2)."),
            ["passwordEncoding"] = () => Choice("passwordEncoding", "hex: the hex text is the password; bytes: the bytes it decodes to are."),
            ["caCert"] = () => Text("PEM file of the CA to trust (profiles 2 and 3)."),
            ["clientCert"] = () => Pattern(@"\{id\}", "Client certificate PEM file pattern with {id}, e.g. certs/{id}.pem (profile 3; with clientKey)."),
            ["clientKey"] = () => Pattern(@"\{id\}", "Private key PEM file pattern with {id}, e.g. certs/{id}.key (profile 3; with clientCert)."),
            ["cpoName"] = () => Text("CPO name for certificates (default FleetSim)."),
            ["reconnectGrace"] = () => Duration("After a change of AuthorizationKey or SecurityProfile: how long before reconnecting with it (0s to 10m; default 2s)."),
        },
        ["csms"] = new()
        {
            ["heartbeatInterval"] = () => Duration("Interval the CSMS gives in BootNotification responses (default 60s)."),
            ["separateProcess"] = () => Boolean("Run the CSMS in its own process (fleets near the open-files limit)."),
        },
        ["type"] = new()
        {
            ["name"] = () => Text("Unique name of the type."),
            ["count"] = () => Integer(1, 10_000_000, "Number of charge points of this type (or share)."),
            ["share"] = () => Share("Share of fleetSize, e.g. 25% (or count); shares add up to 100%."),
            ["idPattern"] = () => Pattern(@"\{0+\}", "Charge point id with one zero-padded number placeholder: CP-{0000} gives CP-0001, CP-0002, ..."),
            ["firstNumber"] = () => Integer(0, 1_000_000_000, "First number the id pattern gives this type (default: after the previous type)."),
            ["ocppVersion"] = () => new JsonObject
            {
                ["description"] = "The OCPP version this type's charge points speak (default \"1.6\"); a fleet may mix types of several versions.",
                ["enum"] = new JsonArray([.. Simulator.ChargePoint.ChargingStations.Versions.Select(v => (JsonNode)v)]),
            },
            ["vendor"] = () => Text("BootNotification chargePointVendor (at most 20 characters).", 20),
            ["model"] = () => Text("BootNotification chargePointModel (at most 20 characters).", 20),
            ["firmwareVersion"] = () => Text("BootNotification firmwareVersion (at most 50 characters).", 50),
            ["connectors"] = () => Integer(1, 10, "Connectors per charge point (default 2)."),
            ["current"] = () => Choice("current", "ac1 (single-phase AC), ac3 (three-phase AC) or dc."),
            ["maxPower"] = () => Power("Charge point maximum power (default 22kW)."),
            ["ev"] = () => Object("ev", "The EVs that plug in."),
            ["configuration"] = Configuration,
            ["reconnect"] = Reconnect,
            ["bootOnReconnect"] = () => Boolean("Send BootNotification after every reconnect, not only after a reboot."),
            ["security"] = () => Object("security", "This type's security: the target's, with the fields given here replaced."),
        },
        ["ev"] = new()
        {
            ["battery"] = () => Energy("Battery capacity (default 60kWh)."),
            ["arrivalSoc"] = () => Pair(Share("A state of charge, 0 to 1 or a percentage."), "State of charge on arrival, drawn uniformly from [min, max] (default [0.2, 0.6])."),
            ["maxPower"] = () => Power("Most the EV accepts (default 11kW)."),
        },
        ["arrival"] = new()
        {
            ["rate"] = () => Pattern($@"^ *{Number} */ *(s|m|min) *$", "New charge points per second (50/s) or per minute (600/m) until all are up."),
            ["stages"] = () => List(Object("stage", "Over duration, go linearly to target connected charge points."), 1, "k6-style ramp stages."),
        },
        ["stage"] = new()
        {
            ["duration"] = () => Duration("How long the stage lasts (0s is a step)."),
            ["target"] = () => Integer(0, int.MaxValue, "Charge points connected at the stage's end (at most the fleet size)."),
        },
        ["behaviour"] = new()
        {
            ["idle"] = () => AnyOf("Boot, heartbeat and answer the CSMS; nothing else.", Null(), Const(true)),
            ["sessions"] = () => AnyOf("Charging sessions (with the defaults when empty).", Null(), Object("sessions", "Charging sessions.")),
            ["remoteStart"] = () => Object("remoteStart", "The driver of sessions the CSMS starts with RemoteStartTransaction."),
        },
        ["remoteStart"] = new()
        {
            ["plugInAfter"] = () => AnyOf("From the accepted remote start to the plug-in: a duration, a distribution of durations, or never (default {uniform: [1s, 3s]}).",
                Const("never"), Distribution(Duration("A duration."))),
        },
        ["sessions"] = new()
        {
            ["meanTimeBetweenSessions"] = () => Duration("Mean idle time between sessions on a connector; gaps are exponential (default 10m)."),
            ["plugInDuration"] = () => Distribution(Duration("A duration."), "How long an EV stays plugged in (default {uniform: [20m, 60m]})."),
            ["energyNeed"] = () => Distribution(Energy("An energy."), "Energy the EV wants (default {uniform: [5kWh, 30kWh]})."),
            ["idTags"] = () => Object("idTags", "The id tags sessions present."),
            ["faults"] = () => Object("faults", "Connectors going Faulted."),
        },
        ["idTags"] = new()
        {
            ["accepted"] = () => List(Text("An id tag (at most 20 characters).", 20), 1, "Tags presented (default TAG-0001 ... TAG-0004)."),
            ["blocked"] = () => List(Text("An id tag (at most 20 characters).", 20), 0, "Tags the embedded CSMS knows as blocked."),
            ["unknownShare"] = () => Share("Share of sessions presenting a tag nobody knows (default 0)."),
        },
        ["faults"] = new()
        {
            ["perConnectorHour"] = () => NumberIn(0, 3600, "Rate at which a connector goes Faulted (default 0)."),
            ["duration"] = () => Duration("How long a fault lasts (default 2m)."),
        },
        ["threshold"] = new()
        {
            ["threshold"] = () => Text("The expression, e.g. \"errors < 1%\"."),
            ["abortOnFail"] = () => Boolean("Stop the run as soon as the threshold fails."),
            ["delayAbortEval"] = () => Duration("With abortOnFail: start checking the threshold only this long after the start."),
        },
        // distribution, normal and timeline are built by Distribution() and TimelineEvent() from the definitions.
    };

    private static readonly Dictionary<string, string[]> Required = new(StringComparer.Ordinal)
    {
        ["root"] = ["name", "duration", "target", "fleet"],
        ["type"] = ["name", "idPattern"],
        ["stage"] = ["duration", "target"],
        ["threshold"] = ["threshold"],
    };

    /// <summary>Parameters of timeline events and reconnect policies (the reader's definitions say which event takes which).</summary>
    private static readonly Dictionary<string, Func<JsonObject>> Parameters = new(StringComparer.Ordinal)
    {
        ["for"] = () => Duration("How long the refusal, black hole, slowness or network drop lasts (default 10s)."),
        ["refusal"] = () => Choice("refusal", "tcp (refuse TCP connections) or http503 (answer the upgrade with 503); default tcp."),
        ["delay"] = () => Duration("Added delay of the CSMS's answers (default 2s)."),
        ["share"] = () => Share("Share of the charge points whose connection drops (default 100%)."),
        ["waitMinimum"] = () => Duration("Least wait before a reconnect (default 3s)."),
        ["randomRange"] = () => Duration("Random part added to the wait (default 10s)."),
        ["repeatTimes"] = () => Integer(0, 100, "How many times the wait doubles (default 5)."),
        ["base"] = () => Duration("First wait (default 1s)."),
        ["cap"] = () => Duration("Longest wait (default 60s)."),
        ["jitter"] = () => Choice("jitter", "none, full, equal or decorrelated (default full)."),
        ["interval"] = () => Duration("The wait (default 5s)."),
    };

    /// <summary>The schema as written to <c>profiles/profile.schema.json</c> (indented, ending in a newline).</summary>
    public static string Generate()
    {
        var described = Fields.Keys.Concat(["distribution", "normal", "timeline"]).ToHashSet(StringComparer.Ordinal);
        var undescribed = ProfileReader.Definitions.Mappings.Keys.Where(k => !described.Contains(k)).ToList();
        if (undescribed.Count > 0)
        {
            throw new InvalidOperationException($"the profile reader has mappings the schema does not describe: {string.Join(", ", undescribed)}; add them to {nameof(ProfileSchema)}");
        }

        var root = Object("root", null);
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "FleetSim load profile",
            ["description"] = "A FleetSim load profile (profiles/README.md). Generated by 'fleetsim profiles --schema' from the definitions the profile reader uses.",
        };
        foreach (var (key, value) in root.ToList())
        {
            root.Remove(key);
            schema[key] = value;
        }

        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>A mapping the reader reads: its keys in the reader's order, each described; unknown keys are errors there and here.</summary>
    private static JsonObject Object(string mapping, string? description)
    {
        var keys = ProfileReader.Definitions.Mappings[mapping];
        var fields = Fields[mapping];
        var extra = fields.Keys.Except(keys).ToList();
        if (extra.Count > 0)
        {
            throw new InvalidOperationException($"the schema describes {mapping} fields the reader does not take: {string.Join(", ", extra)}");
        }

        var properties = new JsonObject();
        foreach (var key in keys)
        {
            properties[key] = fields.TryGetValue(key, out var field)
                ? field()
                : throw new InvalidOperationException($"the profile reader takes {mapping}.{key}, which the schema does not describe; add it to {nameof(ProfileSchema)}");
        }

        var result = Described(new JsonObject { ["type"] = "object", ["properties"] = properties, ["additionalProperties"] = false }, description);
        if (Required.TryGetValue(mapping, out var required))
        {
            result["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
        }

        switch (mapping)
        {
            case "target":
                result["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("url") }, new JsonObject { ["required"] = new JsonArray("urls") });
                break;
            case "type":
                result["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("count") }, new JsonObject { ["required"] = new JsonArray("share") });
                // configuration's keys are the version's: 1.6 configuration keys, or 2.0.1 device-model variables.
                result["if"] = new JsonObject
                {
                    ["properties"] = new JsonObject { ["ocppVersion"] = new JsonObject { ["const"] = "2.0.1" } },
                    ["required"] = new JsonArray("ocppVersion"),
                };
                result["then"] = new JsonObject { ["properties"] = new JsonObject { ["configuration"] = V201Configuration() } };
                result["else"] = new JsonObject { ["properties"] = new JsonObject { ["configuration"] = V16Configuration() } };
                break;
            case "arrival":
                result["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("rate") }, new JsonObject { ["required"] = new JsonArray("stages") });
                break;
        }

        return result;
    }

    private static JsonObject Arrival() => AnyOf("How the charge points come up (default allAtOnce).",
        Const("allAtOnce"), Object("arrival", "A rate or k6-style stages."));

    private static JsonObject Behaviour() => AnyOf("What the charge points do (default idle).",
        Described(new JsonObject { ["enum"] = new JsonArray("idle", "sessions") }, null), Object("behaviour", "idle or sessions, and the remote-start driver."));

    /// <summary>Standard OCPP 1.6 configuration keys with values of their kind (all written as strings in OCPP).</summary>
    /// <summary>The field as such; which keys it takes depends on ocppVersion (the type's if/then/else: <see cref="V16Configuration"/>, <see cref="V201Configuration"/>).</summary>
    private static JsonObject Configuration() => new()
    {
        ["description"] = "The charge points' settings: OCPP 1.6 configuration keys, or for ocppVersion 2.0.1 device-model overrides. "
            + "AuthorizationKey, SecurityProfile and CpoName are set under security.",
        ["type"] = "object",
    };

    private static JsonObject V16Configuration()
    {
        var properties = new JsonObject();
        foreach (var (key, kind) in OcppConfigurationKeys.Known.Where(k => !ProfileReader.Definitions.ConfigurationKeysSetElsewhere.Contains(k.Key)).OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            properties[key] = kind switch
            {
                ConfigurationValueKind.Integer => AnyOf("A whole number of 0 or more (seconds for an interval).",
                    new JsonObject { ["type"] = "integer", ["minimum"] = 0 }, new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9][0-9_]*$" }),
                ConfigurationValueKind.Boolean => AnyOf("true or false.", new JsonObject { ["type"] = "boolean" }, new JsonObject { ["enum"] = new JsonArray("true", "false") }),
                _ => new JsonObject { ["type"] = new JsonArray("string", "number", "boolean") },
            };
        }

        return new JsonObject
        {
            ["description"] = "OCPP 1.6 configuration keys and their values, e.g. MeterValueSampleInterval: \"30\". AuthorizationKey, SecurityProfile and CpoName are set under security.",
            ["type"] = "object",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
    }

    private static JsonObject V201Configuration() => new()
    {
        ["description"] = "OCPP 2.0.1 device-model overrides keyed Variable (unambiguous, station-level), Component.Variable or "
            + "Component.Variable.Instance, e.g. OCPPCommCtrlr.HeartbeatInterval: 300 or SampledDataCtrlr.TxUpdatedInterval: 60. "
            + "SecurityProfile, AuthorizationKey and CpoName are set under security.",
        ["type"] = "object",
        ["propertyNames"] = new JsonObject
        {
            ["pattern"] = @"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+){0,2}$",
            ["not"] = new JsonObject { ["enum"] = new JsonArray([.. ProfileReader.Definitions.ConfigurationKeysSetElsewhere.Order(StringComparer.Ordinal).Select(k => (JsonNode)k)]) },
        },
        ["additionalProperties"] = new JsonObject { ["type"] = new JsonArray("string", "number", "boolean") },
    };

    /// <summary>One branch per policy, each with its own parameters only (the reader's rule).</summary>
    private static JsonObject Reconnect()
    {
        var branches = ProfileReader.Definitions.ReconnectPolicies.Select(p => (JsonNode)Branch("policy", p.Policy, p.Parameters, ["policy"])).ToArray();
        return new JsonObject
        {
            ["description"] = "How to reconnect after losing the connection (default: the ocpp201 policy). Each policy takes only its own parameters.",
            ["type"] = "object",
            ["required"] = new JsonArray("policy"),
            ["properties"] = new JsonObject { ["policy"] = new JsonObject { ["enum"] = new JsonArray([.. ProfileReader.Definitions.ReconnectPolicies.Select(p => (JsonNode)p.Policy)]) } },
            ["oneOf"] = new JsonArray(branches),
        };
    }

    /// <summary>One branch per event, each with its own parameters only (the reader's rule).</summary>
    private static JsonObject TimelineEvent()
    {
        var keys = ProfileReader.Definitions.Mappings["timeline"];
        var parameters = ProfileReader.Definitions.TimelineEvents.SelectMany(e => e.Parameters).Distinct().ToList();
        var unknown = keys.Except(["at", "event", .. parameters]).Concat(parameters.Except(keys)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"timeline keys and event parameters differ: {string.Join(", ", unknown)}");
        }

        var branches = ProfileReader.Definitions.TimelineEvents.Select(e => (JsonNode)Branch("event", e.Event, e.Parameters, ["at", "event"])).ToArray();
        return new JsonObject
        {
            ["description"] = "{at, event, ...}: at a time from the start, do something to the embedded CSMS (csms-*) or the fleet.",
            ["type"] = "object",
            ["required"] = new JsonArray("at", "event"),
            ["properties"] = new JsonObject
            {
                ["at"] = Duration("When, from the start; before the end of the run."),
                ["event"] = new JsonObject { ["enum"] = new JsonArray([.. ProfileReader.Definitions.TimelineEvents.Select(e => (JsonNode)e.Event)]) },
            },
            ["oneOf"] = new JsonArray(branches),
        };
    }

    private static JsonObject Branch(string discriminator, string word, IReadOnlyList<string> parameters, string[] always)
    {
        var properties = new JsonObject { [discriminator] = Const(word) };
        foreach (var key in always.Where(k => k != discriminator))
        {
            properties[key] = new JsonObject();
        }

        foreach (var parameter in parameters)
        {
            properties[parameter] = Parameters.TryGetValue(parameter, out var field)
                ? field()
                : throw new InvalidOperationException($"the profile reader takes the parameter {parameter} of {word}, which the schema does not describe");
        }

        return new JsonObject { ["properties"] = properties, ["additionalProperties"] = false };
    }

    /// <summary>A plain value, or {uniform: [min, max]}, {normal: {mean, stddev}} or {exponential: mean}, of <paramref name="value"/>.</summary>
    private static JsonObject Distribution(JsonObject value, string? description = null)
    {
        var keys = ProfileReader.Definitions.Mappings["distribution"];
        var normalKeys = ProfileReader.Definitions.Mappings["normal"];
        JsonObject One(string key, JsonNode schema) => new()
        {
            ["type"] = "object",
            ["required"] = new JsonArray(key),
            ["properties"] = new JsonObject { [key] = schema },
            ["additionalProperties"] = false,
        };
        var forms = new List<JsonObject> { value.DeepClone().AsObject() };
        foreach (var key in keys)
        {
            forms.Add(key switch
            {
                "uniform" => One(key, Pair(value, "[min, max] with min <= max.")),
                "normal" => One(key, new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray([.. normalKeys.Select(k => (JsonNode)k)]),
                    ["properties"] = new JsonObject([.. normalKeys.Select(k => KeyValuePair.Create(k, (JsonNode?)value.DeepClone()))]),
                    ["additionalProperties"] = false,
                }),
                "exponential" => One(key, value.DeepClone()),
                _ => throw new InvalidOperationException($"the profile reader takes the distribution {key}, which the schema does not describe"),
            });
        }

        return AnyOf(description ?? "A plain value, {uniform: [min, max]}, {normal: {mean, stddev}} or {exponential: mean}.", [.. forms]);
    }

    private static JsonObject Described(JsonObject schema, string? description)
    {
        if (description is not null)
        {
            var result = new JsonObject { ["description"] = description };
            foreach (var (key, value) in schema.ToList())
            {
                schema.Remove(key);
                result[key] = value;
            }

            return result;
        }

        return schema;
    }

    private static JsonObject AnyOf(string? description, params JsonObject[] schemas)
        => Described(new JsonObject { ["anyOf"] = new JsonArray([.. schemas.Select(s => (JsonNode)s)]) }, description);

    private static JsonObject Const(JsonNode value) => new() { ["const"] = value };

    private static JsonObject Null() => new() { ["type"] = "null" };

    private static JsonObject Text(string description, int? maxLength = null)
    {
        var text = new JsonObject { ["type"] = "string", ["minLength"] = 1 };
        if (maxLength is { } max)
        {
            text["maxLength"] = max;
        }

        // A plain scalar such as 1.0 is a number to YAML; the reader takes its text.
        return AnyOf(description, text, new JsonObject { ["type"] = "number" });
    }

    private static JsonObject Pattern(string pattern, string description)
        => Described(new JsonObject { ["type"] = "string", ["pattern"] = pattern }, description);

    private static JsonObject Choice(string words, string description)
        => Described(new JsonObject { ["enum"] = new JsonArray([.. ProfileReader.Definitions.Words[words].Select(w => (JsonNode)w)]) }, description);

    private static JsonObject Boolean(string description) => Described(new JsonObject { ["type"] = "boolean" }, description);

    private static JsonObject Integer(int min, int max, string description) => AnyOf(description,
        new JsonObject { ["type"] = "integer", ["minimum"] = min, ["maximum"] = max },
        new JsonObject { ["type"] = "string", ["pattern"] = "^[+-]?[0-9][0-9_]*$" });

    private static JsonObject NumberIn(double min, double max, string description) => AnyOf(description,
        new JsonObject { ["type"] = "number", ["minimum"] = min, ["maximum"] = max },
        new JsonObject { ["type"] = "string", ["pattern"] = $"^[+-]?{Number}$" });

    private static JsonObject Share(string description) => AnyOf(description,
        new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 },
        new JsonObject { ["type"] = "string", ["pattern"] = $"^ *{Number} *%? *$" });

    private static JsonObject Duration(string description)
        => Pattern(@"^ *(([0-9]+\.?[0-9]*|\.[0-9]+)(ms|s|m|h))+ *$", description + " A duration: 500ms, 30s, 10m, 1h, 1h30m.");

    private static JsonObject Power(string description) => Pattern($"^ *{Number} *[kKmM]?[wW] *$", description + " A power: 22kW, 11000W, 0.15MW.");

    private static JsonObject Energy(string description) => Pattern($"^ *{Number} *[kKmM]?[wW][hH] *$", description + " An energy: 60kWh, 500Wh.");

    private static JsonObject Size(string description) => Pattern($"^ *{Number} *([kKmMgG][iI]?[bB]|[bB]) *$", description + " A size: 4MiB, 512KiB, 65536B, 1MB.");

    private static JsonObject List(JsonObject item, int minItems, string description)
    {
        var list = new JsonObject { ["type"] = "array", ["items"] = item };
        if (minItems > 0)
        {
            list["minItems"] = minItems;
        }

        return Described(list, description);
    }

    private static JsonObject Pair(JsonObject item, string description)
        => Described(new JsonObject { ["type"] = "array", ["items"] = item.DeepClone(), ["minItems"] = 2, ["maxItems"] = 2 }, description);
}
