using System.Text.Json;
using System.Text.Json.Nodes;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Tests.V201;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.Types;
using Ocpp16 = Simulator.Ocpp.V16;

namespace Simulator.Csms.Tests.V201;

/// <summary>The control API's one action route serves both versions, through the message set of the charge point's connection.</summary>
public sealed class ControlApiTests201(Station201Fixture fixture) : IClassFixture<Station201Fixture>
{
    public static TheoryData<string> CsmsActions => [.. Support201.CsmsInitiated];

    private static string Body(IOcppRequest request) => JsonSerializer.Serialize(request, Ocpp201.Messages.Of(request).RequestInfo);

    private static JsonNode? Node(IOcppResponse response, string action)
        => JsonSerializer.SerializeToNode(response, Ocpp201.Messages.Find(action)!.ResponseInfo);

    [Theory]
    [MemberData(nameof(CsmsActions))]
    public async Task Every_CSMS_initiated_201_call_is_sent_and_its_answer_returned(string action)
    {
        var request = Samples201.Requests[action];
        var (status, body) = await fixture.Csms.ControlAsync(HttpMethod.Post, $"chargepoints/{Station201Fixture.StationId}/actions/{action}", Body(request));
        Assert.True(status == 200, body.GetRawText());
        Assert.Equal(("Answered", action), (body.GetProperty("outcome").GetString(), body.GetProperty("action").GetString()));
        // The answer comes back as the station gave it, and the station got the request as it was posted.
        Assert.True(JsonNode.DeepEquals(Node(Samples201.Responses[action], action), JsonNode.Parse(body.GetProperty("payload").GetRawText())), body.GetRawText());
        var received = fixture.Received[action];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Body(request)), JsonNode.Parse(Body(received))));
    }

    [Fact]
    public async Task A_body_that_breaks_the_201_schema_is_400_with_the_201_spelling_and_a_16_only_action_is_404()
    {
        var before = fixture.Received.Count;
        var (missing, body) = await fixture.Csms.ControlAsync(HttpMethod.Post, $"chargepoints/{Station201Fixture.StationId}/actions/RequestStartTransaction", """{"remoteStartId":1}""");
        Assert.Equal(400, missing);
        Assert.Equal("OccurrenceConstraintViolation", body.GetProperty("code").GetString());
        var (badType, typeBody) = await fixture.Csms.ControlAsync(HttpMethod.Post, $"chargepoints/{Station201Fixture.StationId}/actions/GetVariables", """{"getVariableData":"all"}""");
        Assert.Equal(400, badType);
        Assert.Equal("TypeConstraintViolation", typeBody.GetProperty("code").GetString());
        var (v16Only, v16Body) = await fixture.Csms.ControlAsync(HttpMethod.Post, $"chargepoints/{Station201Fixture.StationId}/actions/RemoteStartTransaction", """{"idTag":"T"}""");
        Assert.Equal(404, v16Only);
        Assert.Contains("2.0.1", v16Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        var (wrongWay, _) = await fixture.Csms.ControlAsync(HttpMethod.Post, $"chargepoints/{Station201Fixture.StationId}/actions/TransactionEvent", "{}");
        Assert.Equal(400, wrongWay);
        Assert.Equal(before, fixture.Received.Count);
    }

    [Fact]
    public async Task Fan_out_sends_each_charge_point_its_own_versions_form_and_says_which_version_lacks_the_action()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1", request => request switch
        {
            TriggerMessageRequest => new TriggerMessageResponse { Status = TriggerMessageStatus.Accepted },
            RequestStartTransactionRequest => new RequestStartTransactionResponse { Status = RequestStartStopStatus.Accepted, TransactionId = "TX-9" },
            _ => null,
        });
        await using var chargePoint = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", handler: request => request switch
        {
            Ocpp16.RemoteTrigger.TriggerMessageRequest => new Ocpp16.RemoteTrigger.TriggerMessageResponse { Status = Ocpp16.Types.TriggerMessageStatus.Accepted },
            _ => null,
        });
        // TriggerMessage {"requestedMessage":"Heartbeat"} is a request in both versions: each gets its own version's type.
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "actions/TriggerMessage", """{"requestedMessage":"Heartbeat"}""");
        Assert.Equal(200, status);
        Assert.Equal(2, body.GetProperty("count").GetInt32());
        var results = body.GetProperty("results");
        Assert.Equal("Answered", results.GetProperty("CS-1").GetProperty("outcome").GetString());
        Assert.Equal("Answered", results.GetProperty("CP-1").GetProperty("outcome").GetString());
        Assert.IsType<TriggerMessageRequest>(Assert.Single(station.Received));
        Assert.IsType<Ocpp16.RemoteTrigger.TriggerMessageRequest>(Assert.Single(chargePoint.Received));

        // RequestStartTransaction exists in 2.0.1 only.
        var (startStatus, start) = await csms.ControlAsync(HttpMethod.Post, "actions/RequestStartTransaction", """{"remoteStartId":4,"idToken":{"idToken":"T-1","type":"Central"}}""");
        Assert.Equal(200, startStatus);
        Assert.Equal("TX-9", start.GetProperty("results").GetProperty("CS-1").GetProperty("payload").GetProperty("transactionId").GetString());
        Assert.Equal("NotInVersion", start.GetProperty("results").GetProperty("CP-1").GetProperty("outcome").GetString());
        Assert.Single(chargePoint.Received);
        var remote = Assert.IsType<RequestStartTransactionRequest>(station.Received.Last());
        Assert.Equal((4, "T-1", IdTokenKind.Central), (remote.RemoteStartId, remote.IdToken.Token, remote.IdToken.Type));
    }

    [Fact]
    public async Task A_201_CALLERROR_comes_back_with_its_201_code_and_an_unknown_station_is_404()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1", _ => new ErrorAnswer(Simulator.Ocpp.Framing.OcppErrorCode.FormatViolation, "no"));
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "chargepoints/CS-1/actions/GetBaseReport", """{"requestId":1,"reportBase":"FullInventory"}""");
        Assert.Equal(200, status);
        Assert.Equal(("CallError", "FormatViolation"), (body.GetProperty("outcome").GetString(), body.GetProperty("errorCode").GetString()));
        var (unknown, unknownBody) = await csms.ControlAsync(HttpMethod.Post, "chargepoints/CS-404/actions/GetBaseReport", """{"requestId":1,"reportBase":"FullInventory"}""");
        Assert.Equal(404, unknown);
        Assert.Equal("NotConnected", unknownBody.GetProperty("outcome").GetString());
        var (wrongBody, _) = await csms.ControlAsync(HttpMethod.Post, "chargepoints/CS-404/actions/GetBaseReport", """{"requestId":"x"}""");
        Assert.Equal(400, wrongBody);
    }

    [Fact]
    public async Task The_CSMS_API_refuses_to_send_a_16_request_to_a_201_station()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1", _ => new ResetResponse { Status = ResetStatus.Accepted });
        var outcome = await csms.CallAsync("CS-1", new Ocpp16.Core.ResetRequest { Type = Ocpp16.Types.ResetType.Soft });
        Assert.Equal((CallStatus.NotInVersion, "Reset"), (outcome.Status, outcome.Action));
        Assert.Empty(station.Received);
        var reset = await csms.CallAsync("CS-1", new ResetRequest { Type = ResetKind.Immediate });
        Assert.Equal(ResetStatus.Accepted, Assert.IsType<ResetResponse>(reset.Response).Status);
    }
}
