using Simulator.Ocpp.V16;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Rpc;

namespace Simulator.Ocpp.Tests.Rpc;

public class RpcEndpointTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private RpcEndpoint ChargePoint() => new(Ocpp16.Messages, RpcRole.ChargePoint, _time, TimeSpan.FromSeconds(30));

    private static HeartbeatRequest Heartbeat => new();

    private static string[] Drain(RpcEndpoint endpoint)
    {
        var frames = new List<string>();
        while (endpoint.TryTakeOutgoing(out var frame))
        {
            frames.Add(Encoding.UTF8.GetString(frame));
        }
        return [.. frames];
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string HeartbeatResult(string id) => $$"""[3,"{{id}}",{"currentTime":"2026-01-01T00:00:00Z"}]""";

    [Fact]
    public void Only_one_call_is_in_flight_and_the_next_goes_when_the_first_is_answered()
    {
        var endpoint = ChargePoint();
        var first = endpoint.Call(Heartbeat);
        var second = endpoint.Call(Heartbeat);

        var sent = Drain(endpoint);
        Assert.Single(sent);
        Assert.StartsWith($"""[2,"{first.UniqueId}","Heartbeat",""", sent[0], StringComparison.Ordinal);
        Assert.Equal(2, endpoint.Pending);

        _time.Advance(TimeSpan.FromMilliseconds(40));
        var answered = Assert.IsType<CallAnswered>(endpoint.Receive(Utf8(HeartbeatResult(first.UniqueId))));
        Assert.Same(first, answered.Call);
        Assert.Equal(TimeSpan.FromMilliseconds(40), answered.RoundTrip);

        var next = Drain(endpoint);
        Assert.Single(next);
        Assert.Contains($"\"{second.UniqueId}\"", next[0], StringComparison.Ordinal);
        Assert.NotEqual(first.UniqueId, second.UniqueId);
    }

    [Fact]
    public void Rented_frames_hold_exactly_the_frame_and_either_way_of_taking_keeps_the_order()
    {
        var endpoint = ChargePoint();
        var call = endpoint.Call(new DataTransferRequest { VendorId = "v", Data = new string('d', 100_000) });
        endpoint.ReplyError("in-1", OcppErrorCode.NotImplemented, "no");
        endpoint.ReplyError("in-2", OcppErrorCode.NotSupported, "nor this");

        Assert.True(endpoint.TryTakeOutgoingRented(out var rented));
        Assert.Equal($$"""[2,"{{call.UniqueId}}","DataTransfer",{"vendorId":"v","data":"{{new string('d', 100_000)}}"}]""", Encoding.UTF8.GetString(rented));
        System.Buffers.ArrayPool<byte>.Shared.Return(rented.Array!);
        Assert.True(endpoint.TryTakeOutgoing(out var copied));
        Assert.Equal("""[4,"in-1","NotImplemented","no",{}]""", Encoding.UTF8.GetString(copied));
        Assert.Equal(copied.Length, copied.AsSpan().LastIndexOf((byte)']') + 1);
        Assert.True(endpoint.TryTakeOutgoingRented(out var last));
        Assert.Equal("""[4,"in-2","NotSupported","nor this",{}]""", Encoding.UTF8.GetString(last));
        System.Buffers.ArrayPool<byte>.Shared.Return(last.Array!);
        Assert.False(endpoint.TryTakeOutgoingRented(out _));
        Assert.False(endpoint.TryTakeOutgoing(out _));
    }

    [Fact]
    public void Queue_wait_and_latency_from_the_intended_time_are_measured_apart_from_the_round_trip()
    {
        var endpoint = ChargePoint();
        var blocker = endpoint.Call(Heartbeat);
        var intended = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(5));
        var queued = endpoint.Call(Heartbeat, intendedAt: intended);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        endpoint.Receive(Utf8(HeartbeatResult(blocker.UniqueId)));
        _time.Advance(TimeSpan.FromMilliseconds(20));

        var answered = Assert.IsType<CallAnswered>(endpoint.Receive(Utf8(HeartbeatResult(queued.UniqueId))));

        Assert.Equal(TimeSpan.FromMilliseconds(20), answered.RoundTrip);
        Assert.Equal(TimeSpan.FromMilliseconds(100), answered.QueueWait);
        Assert.Equal(TimeSpan.FromMilliseconds(125), answered.SinceIntended);
    }

    [Fact]
    public void The_round_trip_ends_when_the_answer_was_read_not_when_its_owner_got_to_it()
    {
        var endpoint = ChargePoint();
        var intended = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(3));
        var answeredCall = endpoint.Call(Heartbeat, intendedAt: intended);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        var resultReadAt = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(30));   // the answer waits for its owner (a busy actor, a GC pause)

        var answered = Assert.IsType<CallAnswered>(endpoint.Receive(Utf8(HeartbeatResult(answeredCall.UniqueId)), resultReadAt));

        Assert.Equal(TimeSpan.FromMilliseconds(50), answered.RoundTrip);
        Assert.Equal(TimeSpan.FromMilliseconds(53), answered.SinceIntended);

        var failedCall = endpoint.Call(Heartbeat);
        _time.Advance(TimeSpan.FromMilliseconds(7));
        var errorReadAt = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(30));
        var failed = Assert.IsType<CallFailed>(endpoint.Receive(Utf8($$"""[4,"{{failedCall.UniqueId}}","InternalError","busy",{}]"""), errorReadAt));
        Assert.Equal(TimeSpan.FromMilliseconds(7), failed.Elapsed);

        var unstamped = endpoint.Call(Heartbeat);
        _time.Advance(TimeSpan.FromMilliseconds(11));
        Assert.Equal(TimeSpan.FromMilliseconds(11), Assert.IsType<CallAnswered>(endpoint.Receive(Utf8(HeartbeatResult(unstamped.UniqueId)))).RoundTrip);
    }

    [Fact]
    public void A_call_times_out_and_its_late_answer_is_ignored_not_thrown()
    {
        var endpoint = ChargePoint();
        var call = endpoint.Call(Heartbeat);
        Drain(endpoint);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(endpoint.CheckTimeout());

        _time.Advance(TimeSpan.FromSeconds(1));
        var failed = endpoint.CheckTimeout();

        Assert.NotNull(failed);
        Assert.Equal(CallFailure.Timeout, failed.Failure);
        Assert.Same(call, failed.Call);
        var late = Assert.IsType<FrameIgnored>(endpoint.Receive(Utf8(HeartbeatResult(call.UniqueId))));
        Assert.Equal(call.UniqueId, late.UniqueId);
        Assert.True(late.Late);   // a late answer, not an unknown id
        Assert.Equal(0, endpoint.Pending);
    }

    [Fact]
    public void A_result_with_an_unknown_id_is_ignored_and_the_call_stays_in_flight()
    {
        var endpoint = ChargePoint();
        var call = endpoint.Call(Heartbeat);

        Assert.False(Assert.IsType<FrameIgnored>(endpoint.Receive(Utf8(HeartbeatResult("nobody")))).Late);

        Assert.Same(call, endpoint.InFlight);
    }

    [Theory]
    [InlineData("01")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1.0")]
    [InlineData("11")]
    public void A_result_matches_only_the_exact_id_not_the_same_number_written_otherwise(string otherwise)
    {
        var endpoint = ChargePoint();
        var call = endpoint.Call(Heartbeat);
        Assert.Contains("[2,\"1\",", Assert.Single(Drain(endpoint)), StringComparison.Ordinal);

        Assert.IsType<FrameIgnored>(endpoint.Receive(Utf8(HeartbeatResult(otherwise))));
        Assert.Same(call, endpoint.InFlight);

        Assert.Same(call, Assert.IsType<CallAnswered>(endpoint.Receive(Utf8(HeartbeatResult("1")))).Call);
        Assert.Equal("1", call.UniqueId);
    }

    [Fact]
    public void A_callerror_fails_the_call_with_its_code_accepting_the_errata_spelling()
    {
        var endpoint = ChargePoint();
        var call = endpoint.Call(Heartbeat);

        var failed = Assert.IsType<CallFailed>(endpoint.Receive(Utf8($$"""[4,"{{call.UniqueId}}","OccurrenceConstraintViolation","missing",{}]""")));

        Assert.Equal(CallFailure.CallError, failed.Failure);
        Assert.Equal(OcppErrorCode.OccurrenceConstraintViolation, failed.ErrorCode);
    }

    [Fact]
    public void A_response_that_breaks_its_schema_fails_the_call_as_invalid()
    {
        var endpoint = ChargePoint();
        var call = endpoint.Call(Heartbeat);

        var failed = Assert.IsType<CallFailed>(endpoint.Receive(Utf8($$"""[3,"{{call.UniqueId}}",{"currentTime":12}]""")));

        Assert.Equal(CallFailure.InvalidResponse, failed.Failure);
        Assert.Contains("currentTime", failed.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_call_without_an_intended_time_has_none_and_its_latency_since_intended_counts_from_its_queueing()
    {
        var endpoint = ChargePoint();
        var blocker = endpoint.Call(Heartbeat);
        var unintended = endpoint.Call(Heartbeat);
        var atZero = endpoint.Call(Heartbeat, intendedAt: 0);
        Assert.Null(blocker.IntendedAt);
        Assert.Null(unintended.IntendedAt);
        Assert.Equal(0, atZero.IntendedAt);

        _time.Advance(TimeSpan.FromMilliseconds(10));
        endpoint.Receive(Utf8(HeartbeatResult(blocker.UniqueId)));
        _time.Advance(TimeSpan.FromMilliseconds(5));
        var answered = Assert.IsType<CallAnswered>(endpoint.Receive(Utf8(HeartbeatResult(unintended.UniqueId))));
        Assert.Equal(TimeSpan.FromMilliseconds(15), answered.SinceIntended);
        Assert.Equal(TimeSpan.FromMilliseconds(5), answered.RoundTrip);
    }

    [Fact]
    public void An_inbound_call_is_decoded_and_answered_with_the_same_id()
    {
        var endpoint = ChargePoint();

        var received = Assert.IsType<CallReceived>(endpoint.Receive(Utf8("""[2,"abc","Reset",{"type":"Soft"}]""")));
        endpoint.Reply(received, new ResetResponse { Status = ResetStatus.Accepted });

        Assert.Equal(ResetType.Soft, Assert.IsType<ResetRequest>(received.Request).Type);
        Assert.Equal("""[3,"abc",{"status":"Accepted"}]""", Assert.Single(Drain(endpoint)));
    }

    [Theory]
    [InlineData("""[2,"a1","Reset",{}]""", "OccurenceConstraintViolation", "type", RejectReason.InvalidPayload)]
    [InlineData("""[2,"a2","Reset",{"type":"Sideways"}]""", "FormationViolation", "type", RejectReason.InvalidPayload)]
    [InlineData("""[2,"a3","Reset",{"type":5}]""", "TypeConstraintViolation", "type", RejectReason.InvalidPayload)]
    [InlineData("""[2,"a4","Reset",{"type":"Soft","extra":1}]""", "PropertyConstraintViolation", "extra", RejectReason.InvalidPayload)]
    [InlineData("""[2,"a5","FlyToTheMoon",{}]""", "NotImplemented", "FlyToTheMoon", RejectReason.UnknownAction)]
    [InlineData("""[2,"a6","BootNotification",{"chargePointVendor":"v","chargePointModel":"m"}]""", "NotSupported", "BootNotification", RejectReason.ActionNotAccepted)]
    public void A_broken_inbound_call_gets_the_callerror_the_protocol_core_chose(string frame, string code, string mentioned, RejectReason reason)
    {
        var endpoint = ChargePoint();

        var rejected = Assert.IsType<FrameRejected>(endpoint.Receive(Utf8(frame)));

        Assert.True(rejected.Answered);
        Assert.Equal(reason, rejected.Reason);
        Assert.Contains(rejected.Action!, frame, StringComparison.Ordinal);
        var reply = Assert.Single(Drain(endpoint));
        Assert.StartsWith($"""[4,"{frame[4..6]}","{code}",""", reply, StringComparison.Ordinal);
        Assert.Contains(mentioned, reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[2,"","Heartbeat",{}]""")]
    [InlineData("""[2,"0123456789abcdef0123456789abcdef01234","Heartbeat",{}]""")]
    [InlineData("""[2,5,"Heartbeat",{}]""")]
    [InlineData("""[2]""")]
    [InlineData("""[2,"\ud800x","Heartbeat",{}]""")]
    [InlineData("hello")]
    [InlineData("""{"an":"object"}""")]
    [InlineData("""["2","a","Heartbeat",{}]""")]
    public void A_call_whose_unique_id_cannot_be_used_is_answered_with_the_id_minus_1(string frame)
    {
        var endpoint = ChargePoint();

        var rejected = Assert.IsType<FrameRejected>(endpoint.Receive(Utf8(frame)));

        Assert.Equal(RejectReason.NotOcppJ, rejected.Reason);
        Assert.True(rejected.Answered);
        var reply = Assert.Single(Drain(endpoint));
        Assert.StartsWith("""[4,"-1","ProtocolError",""", reply, StringComparison.Ordinal);
        Assert.True(FrameParser.TryParse(Utf8(reply), out _, out _), "the answer is itself a valid frame");
    }

    [Theory]
    [InlineData("""[3,"",{}]""")]
    [InlineData("""[3,"0123456789abcdef0123456789abcdef01234",{}]""")]
    [InlineData("""[4,"","GenericError","",{}]""")]
    [InlineData("""[4,7,"GenericError","",{}]""")]
    [InlineData("""[7,"","Heartbeat",{}]""")]
    public void A_result_error_or_unknown_message_type_with_a_bad_id_is_not_answered_in_1_6(string frame)
    {
        var endpoint = ChargePoint();

        var rejected = Assert.IsType<FrameRejected>(endpoint.Receive(Utf8(frame)));

        Assert.False(rejected.Answered);
        Assert.Empty(Drain(endpoint));
    }

    [Fact]
    public void Reset_hands_back_the_call_in_flight_and_the_waiting_ones_oldest_first()
    {
        var endpoint = ChargePoint();
        var calls = Enumerable.Range(0, 3).Select(i => endpoint.Call(new StatusNotificationRequest
        {
            ConnectorId = i,
            ErrorCode = ChargePointErrorCode.NoError,
            Status = ChargePointStatus.Available,
        }, tag: i)).ToList();

        var abandoned = endpoint.Reset();

        Assert.Equal([0, 1, 2], abandoned.Select(c => (int)c.Tag!));
        Assert.Equal(0, endpoint.Pending);
        Assert.Empty(Drain(endpoint));
        Assert.Null(endpoint.Deadline);
    }
}
