using System.Text;
using Microsoft.Extensions.Time.Testing;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Rpc;
using Simulator.Ocpp.V16;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Transactions;

namespace Simulator.Ocpp.Tests.V201;

/// <summary>The RPC rules that differ in 2.0.1, through an endpoint built on <see cref="Ocpp201.Messages"/>.</summary>
public class RpcEndpointTests201
{
    private readonly FakeTimeProvider _time = new(Samples201.Now);

    private RpcEndpoint Endpoint(OcppMessageSet set, RpcRole role) => new(set, role, _time, TimeSpan.FromSeconds(30));

    private static string Answer(RpcEndpoint endpoint)
    {
        Assert.True(endpoint.TryTakeOutgoing(out var frame));
        Assert.False(endpoint.TryTakeOutgoing(out _));
        return Encoding.UTF8.GetString(frame);
    }

    [Fact]
    public void A_valid_call_is_delivered_as_its_2_0_1_type()
    {
        var station = Endpoint(Ocpp201.Messages, RpcRole.ChargePoint);
        var received = Assert.IsType<CallReceived>(station.Receive("""[2,"g-1","GetTransactionStatus",{"transactionId":"tx-1"}]"""u8.ToArray()));
        Assert.Equal("tx-1", Assert.IsType<GetTransactionStatusRequest>(received.Request).TransactionId);
        Assert.Equal("Transactions", received.Action.Group);

        station.Reply(received, new GetTransactionStatusResponse { OngoingIndicator = true, MessagesInQueue = false });
        Assert.Equal("""[3,"g-1",{"ongoingIndicator":true,"messagesInQueue":false}]""", Answer(station));
    }

    [Fact]
    public void A_broken_call_is_answered_with_the_2_0_1_spelling()
    {
        var station = Endpoint(Ocpp201.Messages, RpcRole.ChargePoint);
        var rejected = Assert.IsType<FrameRejected>(station.Receive("""[2,"r-1","Reset",{"type":"Hard"}]"""u8.ToArray()));
        Assert.True(rejected.Answered);
        Assert.StartsWith("""[4,"r-1","FormatViolation","Reset: type: """, Answer(station), StringComparison.Ordinal);

        station.Receive("""[2,"r-2","RequestStartTransaction",{"idToken":{"idToken":"A","type":"Local"}}]"""u8.ToArray());
        Assert.StartsWith("""[4,"r-2","OccurrenceConstraintViolation","RequestStartTransaction: remoteStartId""", Answer(station), StringComparison.Ordinal);

        station.Receive("""[2,"r-3","Reset"]"""u8.ToArray());
        Assert.StartsWith("""[4,"r-3","FormatViolation",""", Answer(station), StringComparison.Ordinal);

        station.Receive("""[2,"r-4","Reset",{}"""u8.ToArray());
        Assert.StartsWith("""[4,"r-4","RpcFrameworkError",""", Answer(station), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_message_type_is_answered_in_2_0_1_and_dropped_in_1_6()
    {
        var frame = """[6,"s-1","NotifyPeriodicEventStream",{"id":1,"pending":0,"basetime":"2026-11-24T10:00:00Z","data":[]}]"""u8.ToArray();

        var station201 = Endpoint(Ocpp201.Messages, RpcRole.ChargePoint);
        var rejected = Assert.IsType<FrameRejected>(station201.Receive(frame));
        Assert.True(rejected.Answered);
        Assert.Equal(OcppErrorCode.MessageTypeNotSupported, rejected.Code);
        Assert.StartsWith("""[4,"s-1","MessageTypeNotSupported",""", Answer(station201), StringComparison.Ordinal);

        var station16 = Endpoint(Ocpp16.Messages, RpcRole.ChargePoint);
        Assert.False(Assert.IsType<FrameRejected>(station16.Receive(frame)).Answered);
        Assert.False(station16.TryTakeOutgoing(out _));

        // Without a readable id the answer carries "-1"; 1.6 answers no unknown message type.
        Assert.True(Assert.IsType<FrameRejected>(station201.Receive("[6,7]"u8.ToArray())).Answered);
        Assert.StartsWith("""[4,"-1","MessageTypeNotSupported",""", Answer(station201), StringComparison.Ordinal);
        Assert.False(Assert.IsType<FrameRejected>(station16.Receive("[6,7]"u8.ToArray())).Answered);
        Assert.False(station16.TryTakeOutgoing(out _));
    }

    [Fact]
    public void A_call_whose_message_id_cannot_be_read_or_is_not_valid_is_answered_with_the_id_minus_1()
    {
        var station = Endpoint(Ocpp201.Messages, RpcRole.ChargePoint);
        foreach (var frame in new[] { """[2,"","Reset",{"type":"Immediate"}]""", $$"""[2,"{{new string('m', 37)}}","Reset",{"type":"Immediate"}]""", """[2,{},"Reset",{}]""", "not json", "[]" })
        {
            var rejected = Assert.IsType<FrameRejected>(station.Receive(Encoding.UTF8.GetBytes(frame)));
            Assert.True(rejected.Answered, frame);
            Assert.StartsWith("""[4,"-1","RpcFrameworkError",""", Answer(station), StringComparison.Ordinal);
        }

        // A valid id of 36 characters is still answered with itself, and a CALLRESULT with a bad id is never answered.
        var id36 = new string('v', 36);
        station.Receive(Encoding.UTF8.GetBytes($$"""[2,"{{id36}}","Reset",{"type":"Hard"}]"""));
        Assert.StartsWith($$"""[4,"{{id36}}","FormatViolation",""", Answer(station), StringComparison.Ordinal);
        Assert.False(Assert.IsType<FrameRejected>(station.Receive("""[3,"",{}]"""u8.ToArray())).Answered);
        Assert.False(station.TryTakeOutgoing(out _));
    }

    [Fact]
    public void Each_side_refuses_the_calls_only_the_other_side_receives()
    {
        var station = Endpoint(Ocpp201.Messages, RpcRole.ChargePoint);
        station.Receive("""[2,"b-1","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"m","vendorName":"v"}}]"""u8.ToArray());
        Assert.StartsWith("""[4,"b-1","NotSupported",""", Answer(station), StringComparison.Ordinal);

        var csms = Endpoint(Ocpp201.Messages, RpcRole.Csms);
        csms.Receive("""[2,"s-1","RequestStartTransaction",{"idToken":{"idToken":"A","type":"Local"},"remoteStartId":1}]"""u8.ToArray());
        Assert.StartsWith("""[4,"s-1","NotSupported",""", Answer(csms), StringComparison.Ordinal);

        csms.Receive("""[2,"x-1","StartTransaction",{"connectorId":1,"idTag":"A","meterStart":0,"timestamp":"2026-11-24T10:00:00Z"}]"""u8.ToArray());
        Assert.StartsWith("""[4,"x-1","NotImplemented","unknown action """, Answer(csms), StringComparison.Ordinal);

        Assert.IsType<CallReceived>(csms.Receive("""[2,"d-1","DataTransfer",{"vendorId":"com.acme","data":null}]"""u8.ToArray()));
        Assert.IsType<CallReceived>(station.Receive("""[2,"d-2","DataTransfer",{"vendorId":"com.acme","data":[1,{"a":null}]}]"""u8.ToArray()));
    }

    [Fact]
    public void A_station_call_is_answered_with_its_2_0_1_response()
    {
        var station = Endpoint(Ocpp201.Messages, RpcRole.ChargePoint);
        var call = station.Call(new StatusNotificationRequest { Timestamp = Samples201.Now, ConnectorStatus = ConnectorStatus.Available, EvseId = 1, ConnectorId = 1 });
        Assert.Equal(
            $$"""[2,"{{call.UniqueId}}","StatusNotification",{"timestamp":"2026-11-24T10:15:30.250Z","connectorStatus":"Available","evseId":1,"connectorId":1}]""",
            Answer(station));
        var answered = Assert.IsType<CallAnswered>(station.Receive(Encoding.UTF8.GetBytes($$"""[3,"{{call.UniqueId}}",{}]""")));
        Assert.IsType<StatusNotificationResponse>(answered.Response);

        var boot = station.Call(Samples201.Requests["BootNotification"]);
        Answer(station);
        var failed = Assert.IsType<CallFailed>(station.Receive(Encoding.UTF8.GetBytes($$"""[3,"{{boot.UniqueId}}",{"currentTime":"2026-11-24T10:00:00Z","interval":300,"status":"Accepted","retryAfter":10}]""")));
        Assert.Equal(CallFailure.InvalidResponse, failed.Failure);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, failed.ErrorCode);
    }
}
