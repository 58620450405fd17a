using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Messages.Core;
using Simulator.Ocpp.Messages.Types;

namespace Simulator.Csms.Tests;

public sealed class ControlApiTests
{
    private static IOcppResponse? Answer(IOcppRequest request) => request switch
    {
        GetConfigurationRequest => new GetConfigurationResponse
        {
            ConfigurationKey = [new KeyValue { Key = "HeartbeatInterval", Readonly = false, Value = "300" }],
            UnknownKey = ["Nope"],
        },
        RemoteStartTransactionRequest r => new RemoteStartTransactionResponse { Status = r.IdTag == "OK" ? RemoteStartStopStatus.Accepted : RemoteStartStopStatus.Rejected },
        ResetRequest => new ResetResponse { Status = ResetStatus.Accepted },
        UnlockConnectorRequest => new ErrorAnswer(Simulator.Ocpp.Framing.OcppErrorCode.NotSupported, "no locks here"),
        _ => null,
    };

    [Fact]
    public async Task GetConfiguration_through_the_control_api_reaches_the_charge_point_and_its_answer_comes_back()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", handler: Answer);
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "chargepoints/CP-1/actions/GetConfiguration", """{"key":["HeartbeatInterval","Nope"]}""");
        Assert.Equal(200, status);
        Assert.Equal("Answered", body.GetProperty("outcome").GetString());
        var payload = body.GetProperty("payload");
        Assert.Equal("300", payload.GetProperty("configurationKey")[0].GetProperty("value").GetString());
        Assert.Equal("Nope", payload.GetProperty("unknownKey")[0].GetString());
        var sent = Assert.IsType<GetConfigurationRequest>(Assert.Single(cp.Received));
        Assert.Equal(["HeartbeatInterval", "Nope"], sent.Key);
    }

    [Fact]
    public async Task RemoteStartTransaction_round_trip_and_the_chargepoints_listing()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", handler: Answer);
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "chargepoints/CP-1/actions/RemoteStartTransaction", """{"connectorId":1,"idTag":"OK"}""");
        Assert.Equal(200, status);
        Assert.Equal("Accepted", body.GetProperty("payload").GetProperty("status").GetString());
        var (listStatus, list) = await csms.ControlAsync(HttpMethod.Get, "chargepoints");
        Assert.Equal(200, listStatus);
        Assert.Equal(1, list.GetProperty("connected").GetInt32());
        Assert.Equal("CP-1", list.GetProperty("chargePoints")[0].GetProperty("chargeBoxId").GetString());
    }

    [Fact]
    public async Task A_payload_that_breaks_the_schema_is_refused_without_reaching_the_charge_point()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", handler: Answer);
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "chargepoints/CP-1/actions/RemoteStartTransaction", """{"connectorId":1}""");
        Assert.Equal(400, status);
        Assert.Equal("OccurenceConstraintViolation", body.GetProperty("code").GetString());
        var (unknown, _) = await csms.ControlAsync(HttpMethod.Post, "chargepoints/CP-1/actions/Bogus", "{}");
        Assert.Equal(404, unknown);
        var (wrongWay, _) = await csms.ControlAsync(HttpMethod.Post, "chargepoints/CP-1/actions/Heartbeat", "{}");
        Assert.Equal(400, wrongWay);
        Assert.Empty(cp.Received);
    }

    [Fact]
    public async Task A_CALLERROR_comes_back_as_such_and_an_unknown_charge_point_is_404()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", handler: Answer);
        var (errorStatus, error) = await csms.ControlAsync(HttpMethod.Post, "chargepoints/CP-1/actions/UnlockConnector", """{"connectorId":1}""");
        Assert.Equal(200, errorStatus);
        Assert.Equal("CallError", error.GetProperty("outcome").GetString());
        Assert.Equal("NotSupported", error.GetProperty("errorCode").GetString());
        Assert.Equal("no locks here", error.GetProperty("errorDescription").GetString());
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "chargepoints/CP-404/actions/Reset", """{"type":"Soft"}""");
        Assert.Equal(404, status);
        Assert.Equal("NotConnected", body.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Fan_out_reaches_every_connected_charge_point()
    {
        await using var csms = await Support.StartAsync();
        await using var a = await TestChargePoint.ConnectAsync(csms.Url, "CP-A", handler: Answer);
        await using var b = await TestChargePoint.ConnectAsync(csms.Url, "CP-B", handler: Answer);
        await using var c = await TestChargePoint.ConnectAsync(csms.Url, "CP-C", handler: Answer);
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "actions/Reset", """{"type":"Soft"}""");
        Assert.Equal(200, status);
        Assert.Equal(3, body.GetProperty("count").GetInt32());
        foreach (var id in new[] { "CP-A", "CP-B", "CP-C" })
        {
            var result = body.GetProperty("results").GetProperty(id);
            Assert.Equal("Answered", result.GetProperty("outcome").GetString());
            Assert.Equal("Accepted", result.GetProperty("payload").GetProperty("status").GetString());
        }
        Assert.All(new[] { a, b, c }, cp => Assert.IsType<ResetRequest>(Assert.Single(cp.Received)));

        var inProcess = await csms.CallAllAsync(id => new RemoteStartTransactionRequest { IdTag = id == "CP-B" ? "OK" : "NO" });
        Assert.Equal(RemoteStartStopStatus.Accepted, ((RemoteStartTransactionResponse)inProcess["CP-B"].Response!).Status);
        Assert.Equal(RemoteStartStopStatus.Rejected, ((RemoteStartTransactionResponse)inProcess["CP-A"].Response!).Status);
    }

    [Fact]
    public async Task A_call_the_charge_point_never_answers_times_out_and_the_next_one_goes_through()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { CallTimeout = TimeSpan.FromMilliseconds(500), TimeoutSweepInterval = TimeSpan.FromMilliseconds(50) });
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", handler: Answer);
        var silent = await csms.CallAsync("CP-1", new ClearCacheRequest());
        Assert.Equal(CallStatus.Timeout, silent.Status);
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "chargepoints/CP-1/actions/ClearCache", "{}");
        Assert.Equal(504, status);
        Assert.Equal("Timeout", body.GetProperty("outcome").GetString());
        var reset = await csms.CallAsync("CP-1", new ResetRequest { Type = ResetType.Hard });
        Assert.Equal(CallStatus.Answered, reset.Status);
        Assert.Equal(2, csms.GetStats().CallTimeouts);
    }

    [Fact]
    public async Task Stats_ledger_and_faults_routes_answer()
    {
        await using var csms = await Support.StartAsync();
        var (stats, statsBody) = await csms.ControlAsync(HttpMethod.Get, "stats");
        Assert.Equal(200, stats);
        Assert.Equal(0, statsBody.GetProperty("connectionsOpen").GetInt32());
        var (ledger, _) = await csms.ControlAsync(HttpMethod.Get, "ledger");
        Assert.Equal(200, ledger);
        var (faults, _) = await csms.ControlAsync(HttpMethod.Get, "faults");
        Assert.Equal(200, faults);
        var (bad, badBody) = await csms.ControlAsync(HttpMethod.Post, "faults/drop", """{"mode":"explode"}""");
        Assert.Equal(400, bad);
        Assert.Contains("Close", badBody.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
