using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Rpc;
using Simulator.Ocpp.V201;
using Xunit.Abstractions;

namespace Simulator.Ocpp.Tests.V201;

/// <summary>
/// Random and mutated 2.0.1 frames into an <see cref="RpcEndpoint"/> built on <see cref="Ocpp201.Messages"/>, on the side
/// that receives them. The contract: the endpoint never throws; every frame that is not a CALLRESULT or CALLERROR (a CALL,
/// a message of an unknown type, or one whose type cannot be read) is either delivered or answered with exactly one
/// CALLERROR, spelt the 2.0.1 way, for its id, or for "-1" when its id cannot be read or is not a valid id; a CALLRESULT or
/// CALLERROR is never answered; everything the endpoint sends is a well-formed frame.
/// </summary>
public class FuzzTests201(ITestOutputHelper output)
{
    private const int Iterations = 40_000;

    private static readonly HashSet<string> Spellings201 = [.. Enum.GetValues<OcppErrorCode>().Select(c => c.ToString())];

    private sealed record Seed(string Action, MessageTypeId? Type, byte[] Frame);

    private static List<Seed> Seeds()
    {
        var seeds = new List<Seed>();
        foreach (var (action, _, payload) in SampleTests201.AllRequests())
        {
            seeds.Add(new Seed(action, MessageTypeId.Call, OcppCodec.EncodeCall($"c-{action}", Ocpp201.Messages.Find(action)!, payload)));
        }
        foreach (var (action, _, payload) in SampleTests201.AllResponses())
        {
            // The id of the call the endpoint under test has in flight (its first).
            seeds.Add(new Seed(action, MessageTypeId.CallResult, OcppCodec.EncodeCallResult("1", Ocpp201.Messages.Find(action)!, payload)));
        }
        foreach (var code in Enum.GetValues<OcppErrorCode>())
        {
            seeds.Add(new Seed("Heartbeat", MessageTypeId.CallError, OcppCodec.EncodeCallError(Ocpp201.Messages.Errors, "1", code, "details \u00e9\n")));
        }
        // OCPP 2.1's SEND (6) and CALLRESULTERROR (5) reach 2.0.1 stations in mixed networks.
        seeds.Add(new Seed("Heartbeat", null, Encoding.UTF8.GetBytes("[6,\"s-1\",\"NotifyPeriodicEventStream\",{\"id\":1,\"pending\":0,\"basetime\":\"2026-11-24T10:00:00Z\",\"data\":[]}]")));
        seeds.Add(new Seed("Heartbeat", null, Encoding.UTF8.GetBytes("[5,\"1\",\"InternalError\",\"\",{}]")));
        return seeds;
    }

    [Fact]
    public void Mutated_frames_never_throw_and_every_broken_call_is_answered_the_2_0_1_way()
    {
        var random = new Random(20261205);
        var seeds = Seeds();
        var time = new FakeTimeProvider(Samples201.Now);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var answered = new Dictionary<string, int>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < Iterations && failures.Count < 5; i++)
        {
            var seed = seeds[random.Next(seeds.Count)];
            var (kind, frame) = FuzzTests.Mutate(random, seed.Frame);
            try
            {
                var outcome = Run(seed, frame, time, random, answered);
                outcomes[$"{kind}: {outcome}"] = outcomes.GetValueOrDefault($"{kind}: {outcome}") + 1;
            }
#pragma warning disable CA1031 // the point of the test is to catch anything that escapes
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures.Add($"{kind} of {seed.Action}/{seed.Type}: {ex.GetType().Name}: {ex.Message}\n  text: {Encoding.UTF8.GetString(frame)}\n{ex.StackTrace}");
            }
        }

        output.WriteLine($"{Iterations} frames in {watch.Elapsed.TotalSeconds:F1} s");
        foreach (var (outcome, count) in outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,7} {outcome}");
        }
        foreach (var (code, count) in answered.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,7} answered {code}");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        // The mutations must reach every kind of answer, and the decoder on both of its paths.
        foreach (var code in new[] { "FormatViolation", "OccurrenceConstraintViolation", "PropertyConstraintViolation", "TypeConstraintViolation", "RpcFrameworkError", "MessageTypeNotSupported", "NotImplemented" })
        {
            Assert.True(answered.ContainsKey(code), $"no broken CALL was answered with {code}");
        }
        Assert.Contains(outcomes, o => o.Key.EndsWith("delivered", StringComparison.Ordinal) && o.Key.StartsWith("value", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.Key.EndsWith("answered", StringComparison.Ordinal) && o.Key.StartsWith("value", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.Key.EndsWith("invalid response", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.Key.EndsWith("response accepted", StringComparison.Ordinal));
    }

    /// <summary>Feeds one frame to a fresh endpoint on the side that receives the seed, and checks the contract.</summary>
    private static string Run(Seed seed, byte[] frame, TimeProvider time, Random random, Dictionary<string, int> answered)
    {
        var action = Ocpp201.Messages.Find(seed.Action)!;
        RpcEndpoint endpoint;
        if (seed.Type == MessageTypeId.Call)
        {
            var toStation = action.Direction.HasFlag(ActionDirection.CsmsToChargePoint);
            var toCsms = action.Direction.HasFlag(ActionDirection.ChargePointToCsms);
            endpoint = new RpcEndpoint(Ocpp201.Messages, toStation && (!toCsms || random.Next(2) == 0) ? RpcRole.ChargePoint : RpcRole.Csms, time, TimeSpan.FromSeconds(30));
        }
        else
        {
            // A result or error answers a call of ours: the endpoint sends the seed's action first, so its call "1" is in flight.
            var sender = action.Direction.HasFlag(ActionDirection.ChargePointToCsms) ? RpcRole.ChargePoint : RpcRole.Csms;
            endpoint = new RpcEndpoint(Ocpp201.Messages, sender, time, TimeSpan.FromSeconds(30));
            endpoint.Call(Samples201.Requests[action.Name]);
            Assert.Equal("1", endpoint.InFlight!.UniqueId);
            Drain(endpoint);
        }

        var head = Head(frame);
        var result = endpoint.Receive(frame);
        var sent = Drain(endpoint);
        var errors = new List<OcppFrame>();
        foreach (var bytes in sent)
        {
            Assert.True(FrameParser.TryParse(bytes, out var parsed, out var error), $"the endpoint sent a broken frame: {error?.Description}");
            Assert.Equal(MessageTypeId.CallError, parsed.Type);
            Assert.True(Spellings201.Contains(parsed.ErrorCode!), $"'{parsed.ErrorCode}' is not a 2.0.1 error code");
            Assert.NotEqual("ProtocolError", parsed.ErrorCode);
            errors.Add(parsed);
        }

        var mustAnswer = head.Type is not ((int)MessageTypeId.CallResult or (int)MessageTypeId.CallError);
        switch (result)
        {
            case CallReceived call:
                Assert.Equal((int)MessageTypeId.Call, head.Type);
                Assert.Empty(errors);
                endpoint.Reply(call, Samples201.Responses[call.Action.Name]);
                Assert.True(FrameParser.TryParse(Drain(endpoint).Single(), out var reply, out _) && reply.Type == MessageTypeId.CallResult && reply.UniqueId == call.UniqueId);
                return "delivered";
            case FrameRejected rejected when rejected.Answered:
                Assert.True(mustAnswer, "answered a CALLRESULT or CALLERROR");
                var answer = Assert.Single(errors);
                Assert.Equal(head.Id, answer.UniqueId);
                Assert.Equal(Ocpp201.Messages.Errors.ToWire(rejected.Code), answer.ErrorCode);
                answered[answer.ErrorCode!] = answered.GetValueOrDefault(answer.ErrorCode!) + 1;
                return "answered";
            case FrameRejected:
                Assert.False(mustAnswer, $"a frame of type {head.Type?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(unreadable)"} was not answered");
                Assert.Empty(errors);
                return "refused unanswered";
            case CallFailed { Failure: CallFailure.InvalidResponse } failed:
                Assert.Empty(errors);
                Assert.NotNull(failed.ErrorCode);
                return "invalid response";
            case CallAnswered:
                Assert.Empty(errors);
                return "response accepted";
            default:
                Assert.Empty(errors);
                return result.GetType().Name;
        }
    }

    /// <summary>
    /// The message type as a peer would read it from the start of the frame (null when it cannot), and the id its CALLERROR
    /// carries: the frame's own when it is a valid id (1 to 36 characters), else "-1" (OCPP-J 2.0.1 part 4: the id of a message
    /// whose id cannot be read).
    /// </summary>
    private static (int? Type, string Id) Head(byte[] frame)
    {
        int? type = null;
        try
        {
            var reader = new Utf8JsonReader(frame);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var number))
            {
                return (null, "-1");
            }
            type = number;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return (type, "-1");
            }
            var id = reader.GetString()!;
            return (type, id.Length is > 0 and <= OcppFrame.MaxUniqueIdLength ? id : "-1");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return (type, "-1");
        }
    }

    private static List<byte[]> Drain(RpcEndpoint endpoint)
    {
        var frames = new List<byte[]>();
        while (endpoint.TryTakeOutgoing(out var frame))
        {
            frames.Add(frame);
        }
        return frames;
    }
}
