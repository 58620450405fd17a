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
/// that receives them. The contract: the endpoint never throws; every frame that starts as a CALL (or a message of an
/// unknown type) with a readable id is either delivered or answered with exactly one CALLERROR for that id, spelt the
/// 2.0.1 way; a CALLRESULT or CALLERROR is never answered; everything the endpoint sends is a well-formed frame.
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
            // An empty id is echoed as the peer sent it (as ocpp-rpc does), though it is not a valid id to send.
            var echoed = head.Id == "" ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("[4,\"\",", "[4,\"-\",", StringComparison.Ordinal)) : bytes;
            Assert.True(FrameParser.TryParse(echoed, out var parsed, out var error), $"the endpoint sent a broken frame: {error?.Description}");
            parsed = parsed with { UniqueId = head.Id == "" ? "" : parsed.UniqueId };
            Assert.Equal(MessageTypeId.CallError, parsed.Type);
            Assert.True(Spellings201.Contains(parsed.ErrorCode!), $"'{parsed.ErrorCode}' is not a 2.0.1 error code");
            Assert.NotEqual("ProtocolError", parsed.ErrorCode);
            errors.Add(parsed);
        }

        var mustAnswer = head.Id is not null && (head.Type == (int)MessageTypeId.Call || head.Type is < 2 or > 4);
        switch (result)
        {
            case CallReceived call:
                Assert.Equal((int)MessageTypeId.Call, head.Type);
                Assert.Empty(errors);
                endpoint.Reply(call, Samples201.Responses[call.Action.Name]);
                Assert.True(FrameParser.TryParse(Drain(endpoint).Single(), out var reply, out _) && reply.Type == MessageTypeId.CallResult && reply.UniqueId == call.UniqueId);
                return "delivered";
            case FrameRejected rejected when rejected.Answered:
                Assert.True(mustAnswer, "answered a frame that is not a CALL with a readable id");
                var answer = Assert.Single(errors);
                Assert.Equal(head.Id, answer.UniqueId);
                Assert.Equal(Ocpp201.Messages.Errors.ToWire(rejected.Code), answer.ErrorCode);
                answered[answer.ErrorCode!] = answered.GetValueOrDefault(answer.ErrorCode!) + 1;
                return "answered";
            case FrameRejected:
                Assert.False(mustAnswer, $"a CALL with the readable id '{head.Id}' was not answered");
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

    /// <summary>The message type and unique id as a peer would read them from the start of the frame, when it can.</summary>
    private static (int? Type, string? Id) Head(byte[] frame)
    {
        try
        {
            var reader = new Utf8JsonReader(frame);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var type))
            {
                return (null, null);
            }
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                return (type, null);
            }
            // An id too long is answered cut to the longest allowed, so that the peer can still match it.
            var id = reader.GetString()!;
            return (type, id.Length <= OcppFrame.MaxUniqueIdLength ? id : id[..OcppFrame.MaxUniqueIdLength]);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return (null, null);
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
