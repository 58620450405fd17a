using Simulator.Ocpp.V16;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Simulator.Ocpp.Framing;
using Xunit.Abstractions;

namespace Simulator.Ocpp.Tests;

/// <summary>
/// Random and mutated frames through the parser and the decoder. The contract: a false result with an error (or a true
/// result with a value), never an exception.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 120_000;

    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "false", "0", "-1", "1e999", "-0.0", "0.1", "1.5", "2147483648",
            "\"\\u0000\"", "\"\\ud800\"", "\"\\uZZZZ\"", "\"2026-02-30T10:00:00Z\"", "\"x\"", "//", "/*", "\u00e9", "\ufeff", "NaN", "Infinity",
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC3], [0xE2, 0x82], [0x00], [0x80],
    ];

    private sealed record Seed(string Action, MessageTypeId Type, byte[] Frame);

    private static List<Seed> Seeds()
    {
        var seeds = new List<Seed>();
        var id = 0;
        foreach (var (action, _, payload) in SampleRoundTripTests.AllRequests())
        {
            seeds.Add(new Seed(action, MessageTypeId.Call, OcppCodec.EncodeCall($"c{id++}", Ocpp16.Messages.Find(action)!, payload)));
        }
        foreach (var (action, _, payload) in SampleRoundTripTests.AllResponses())
        {
            seeds.Add(new Seed(action, MessageTypeId.CallResult, OcppCodec.EncodeCallResult($"r{id++}", Ocpp16.Messages.Find(action)!, payload)));
        }
        foreach (var code in Enum.GetValues<OcppErrorCode>())
        {
            seeds.Add(new Seed("", MessageTypeId.CallError, OcppCodec.EncodeCallError(Ocpp16.Messages.Errors, $"e{id++}", code, "details \u00e9\n")));
        }
        return seeds;
    }

    [Fact]
    public void Random_and_mutated_frames_never_throw()
    {
        var random = new Random(20261124);
        var seeds = Seeds();
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < Iterations && failures.Count < 5; i++)
        {
            var seed = seeds[random.Next(seeds.Count)];
            var (kind, frame) = Mutate(random, seed.Frame);
            try
            {
                var outcome = Run(seed, frame);
                outcomes[$"{kind}: {outcome}"] = outcomes.GetValueOrDefault($"{kind}: {outcome}") + 1;
            }
#pragma warning disable CA1031 // the point of the test is to catch anything that escapes
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures.Add($"{kind} of {seed.Action}/{seed.Type}: {ex.GetType().Name}: {ex.Message}\n  frame: {Convert.ToBase64String(frame)}\n  text: {Encoding.UTF8.GetString(frame)}\n{ex.StackTrace}");
            }
        }

        output.WriteLine($"{Iterations} frames in {watch.Elapsed.TotalSeconds:F1} s");
        foreach (var (outcome, count) in outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,7} {outcome}");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        // The mutations must reach the decoder on both its paths, or the fuzzer tests only the parser.
        Assert.Contains(outcomes, o => o.Key.EndsWith("decoded", StringComparison.Ordinal) && o.Key.StartsWith("value", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.Key.EndsWith("violation", StringComparison.Ordinal));
    }

    /// <summary>Parses the frame and decodes its payload when the action is known; checks the result contract.</summary>
    private static string Run(Seed seed, byte[] frame)
    {
        if (!FrameParser.TryParse(frame, out var parsed, out var error))
        {
            Assert.NotNull(error);
            return "frame refused";
        }
        Assert.Null(error);
        Assert.False(string.IsNullOrEmpty(parsed.UniqueId));
        Assert.True(parsed.UniqueId.Length <= OcppFrame.MaxUniqueIdLength);
        var info = parsed.Type switch
        {
            MessageTypeId.Call when Ocpp16.Messages.Find(parsed.Action!) is { } action => action.RequestInfo,
            MessageTypeId.CallResult when seed.Type == MessageTypeId.CallResult => Ocpp16.Messages.Find(seed.Action)!.ResponseInfo,
            _ => null,
        };
        if (info is null)
        {
            return "frame only";
        }
        if (OcppCodec.TryDecode(parsed.Payload, info, out var message, out var violation))
        {
            Assert.NotNull(message);
            Assert.Null(violation);
            return "decoded";
        }
        Assert.Null(message);
        Assert.NotNull(violation);
        return "violation";
    }

    internal static (string Kind, byte[] Frame) Mutate(Random random, byte[] seed)
    {
        switch (random.Next(9))
        {
            case 0:
            {
                var bytes = (byte[])seed.Clone();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    var at = random.Next(bytes.Length);
                    bytes[at] = random.Next(2) == 0 ? (byte)(bytes[at] ^ (1 << random.Next(8))) : (byte)random.Next(256);
                }
                return ("byte flip", bytes);
            }
            case 1:
                return ("truncation", seed[..random.Next(seed.Length)]);
            case 2:
            {
                var token = Tokens[random.Next(Tokens.Length)];
                var at = random.Next(seed.Length + 1);
                return ("insertion", [.. seed[..at], .. token, .. seed[at..]]);
            }
            case 3:
            {
                var at = random.Next(seed.Length);
                var length = random.Next(1, Math.Min(16, seed.Length - at) + 1);
                return ("deletion", [.. seed[..at], .. seed[(at + length)..]]);
            }
            case 4:
            {
                var bytes = new byte[random.Next(64)];
                random.NextBytes(bytes);
                return ("random bytes", bytes);
            }
            case 5:
                return ("random tokens", [.. Enumerable.Range(0, random.Next(1, 12)).SelectMany(_ => Tokens[random.Next(Tokens.Length)])]);
            case 6:
                return ("frame elements", MutateFrameElements(random, seed));
            default:
                return ("value", MutatePayloadValue(random, seed));
        }
    }

    /// <summary>Duplicates, removes, swaps or replaces elements of the frame array.</summary>
    private static byte[] MutateFrameElements(Random random, byte[] seed)
    {
        var frame = JsonNode.Parse(seed)!.AsArray();
        var at = random.Next(frame.Count);
        switch (random.Next(4))
        {
            case 0:
                frame.Insert(at, frame[at]?.DeepClone());
                break;
            case 1:
                frame.RemoveAt(at);
                break;
            case 2:
                var other = random.Next(frame.Count);
                var a = frame[at]?.DeepClone();
                frame[at] = frame[other]?.DeepClone();
                frame[other] = a;
                break;
            default:
                frame[at] = RandomValue(random, 0);
                break;
        }
        return Encoding.UTF8.GetBytes(frame.ToJsonString());
    }

    /// <summary>Puts a random JSON value in place of a random value of the payload, removes one, or adds one.</summary>
    private static byte[] MutatePayloadValue(Random random, byte[] seed)
    {
        var frame = JsonNode.Parse(seed)!.AsArray();
        var payload = frame[^1]!;
        var containers = new List<JsonNode>();
        Collect(payload, containers);
        var target = containers[random.Next(containers.Count)];
        if (target is JsonObject obj)
        {
            var names = obj.Select(p => p.Key).ToList();
            var choice = random.Next(3);
            if (names.Count == 0 || choice == 0)
            {
                obj[names.Count > 0 && random.Next(2) == 0 ? names[random.Next(names.Count)] + "x" : "extra"] = RandomValue(random, 0);
            }
            else if (choice == 1)
            {
                obj.Remove(names[random.Next(names.Count)]);
            }
            else
            {
                obj[names[random.Next(names.Count)]] = RandomValue(random, 0);
            }
        }
        else if (target is JsonArray array)
        {
            if (array.Count == 0 || random.Next(3) == 0)
            {
                array.Add(RandomValue(random, 0));
            }
            else if (random.Next(2) == 0)
            {
                array.RemoveAt(random.Next(array.Count));
            }
            else
            {
                var at = random.Next(array.Count);
                array[at] = random.Next(2) == 0 ? RandomValue(random, 0) : array[random.Next(array.Count)]?.DeepClone();
            }
        }
        return Encoding.UTF8.GetBytes(frame.ToJsonString());
    }

    private static void Collect(JsonNode node, List<JsonNode> containers)
    {
        switch (node)
        {
            case JsonObject obj:
                containers.Add(obj);
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        Collect(child, containers);
                    }
                }
                break;
            case JsonArray array:
                containers.Add(array);
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Collect(child, containers);
                    }
                }
                break;
        }
    }

    private static JsonNode? RandomValue(Random random, int depth)
    {
        switch (random.Next(depth > 3 ? 12 : 15))
        {
            case 0: return null;
            case 1: return JsonValue.Create(random.Next(2) == 0);
            case 2: return JsonValue.Create(random.Next(int.MinValue, int.MaxValue));
            case 3: return JsonValue.Create(random.NextDouble() * Math.Pow(10, random.Next(-10, 30)));
            case 4: return JsonNode.Parse(new[] { "1e400", "-1e400", "9223372036854775808", "0.30000000000000004", "1E+2", "-0", "16.05", "3.0" }[random.Next(8)]);
            case 5: return JsonValue.Create(new string('x', random.Next(0, 12000)));
            case 6: return JsonValue.Create(new[] { "Accepted", "Rejected", "2026-11-24T10:00:00Z", "2026-11-24", "", "SHA256", "Wh", "L1-N", "Sample.Clock", "ftp://x/" }[random.Next(10)]);
            case 7: return JsonValue.Create(new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.Ticks, DateTimeOffset.MaxValue.Ticks), TimeSpan.Zero));
            case 8: return JsonValue.Create(((char)random.Next(0, 0xFFFF)).ToString());
            case 9: return JsonValue.Create(random.NextInt64());
            case 10: return JsonValue.Create((decimal)random.NextDouble() * 100m);
            case 11: return Deep(random.Next(1, 200));
            case 12: return new JsonObject { ["k" + random.Next(3)] = RandomValue(random, depth + 1) };
            case 13: return new JsonArray(RandomValue(random, depth + 1), RandomValue(random, depth + 1));
            default: return new JsonArray();
        }
    }

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["d"] = node };
        }
        return node;
    }

    [Fact]
    public void Deeply_nested_payloads_are_refused_not_thrown()
    {
        var nested = new string('[', 5000) + new string(']', 5000);
        Assert.False(FrameParser.TryParse(Encoding.UTF8.GetBytes($"[2,\"1\",\"DataTransfer\",{{\"vendorId\":\"v\",\"data\":{nested}}}]"), out _, out var error));
        Assert.Equal("ProtocolError", Ocpp16.Messages.Errors.ToWire(error!.Code));

        var payload = Encoding.UTF8.GetBytes($"{{\"vendorId\":\"v\",\"data\":{nested}}}");
        Assert.False(OcppCodec.TryDecode(payload, Ocpp16.Messages.Find("DataTransfer")!.RequestInfo, out _, out var violation));
        Assert.NotNull(violation);
    }

    [Fact]
    public void Invalid_utf8_in_a_payload_property_name_is_a_violation_not_an_exception()
    {
        // Found by the fuzzer: the frame parser and JsonDocument pass broken UTF-8 inside strings through, and the
        // diagnoser threw InvalidOperationException when it read the property name.
        byte[] frame = [.. "[2,\"1\",\"Authorize\",{\"id"u8, 0xFF, .. "ag\":\"A\"}]"u8];
        Assert.True(FrameParser.TryParse(frame, out var parsed, out _));
        Assert.False(OcppCodec.TryDecode(parsed.Payload, Ocpp16.Messages.Find("Authorize")!.RequestInfo, out _, out var violation));
        Assert.Equal(OcppErrorCode.FormatViolation, violation!.Code);
    }
}
