using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

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
        // 2 s: the answered Reset must come back within the same timeout, and a busy machine may take more than half a second.
        await using var csms = await Support.StartAsync(new CsmsOptions { CallTimeout = TimeSpan.FromSeconds(2), TimeoutSweepInterval = TimeSpan.FromMilliseconds(50) });
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

/// <summary>The control API's guard: token, Host, content type, no CORS; and every control field typed and bounded.</summary>
public sealed class ControlApiGuardTests
{
    private static readonly string[] NoFaultsActive = [];

    private static Action<HttpRequestMessage> Token(string? token) => request =>
    {
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
    };

    private static async Task AssertNoFaultActiveAsync(CsmsServer csms)
    {
        var (_, faults) = await csms.ControlAsync(HttpMethod.Get, "faults");
        Assert.Equal(NoFaultsActive, faults.GetProperty("active").EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task Without_the_token_or_with_a_wrong_one_every_route_is_401_and_nothing_happens()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { SecurityProfile = 0 });
        using var foreignCa = CertificateAuthority.Create("Anybody's CA");
        var wrong = csms.ControlToken![..^1] + (csms.ControlToken[^1] == 'A' ? 'B' : 'A');
        foreach (var token in new[] { null, wrong, "", csms.ControlToken + "x" })
        {
            var (blackhole, body, response) = await csms.ControlRawAsync(HttpMethod.Post, "faults/blackhole", """{"seconds":30}""", Token(token));
            Assert.Equal(401, blackhole);
            Assert.Contains("bearer token", body.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            var pem = System.Text.Json.JsonSerializer.Serialize(foreignCa.CertificatePem);
            var (issuer, _, _) = await csms.ControlRawAsync(HttpMethod.Post, "security/client-issuers", $$"""{"certificatePem":{{pem}}}""", Token(token));
            Assert.Equal(401, issuer);
            var (read, _, _) = await csms.ControlRawAsync(HttpMethod.Get, "chargepoints", null, Token(token));
            Assert.Equal(401, read);
        }
        var (basic, _, _) = await csms.ControlRawAsync(HttpMethod.Get, "stats", null, r => r.Headers.Authorization = new("Basic", csms.ControlToken));
        Assert.Equal(401, basic);
        Assert.Empty(csms.ExtraClientIssuers);
        Assert.Equal(0, csms.Faults.Counts.CallsBlackholed);
        await AssertNoFaultActiveAsync(csms);
        var (ok, _) = await csms.ControlAsync(HttpMethod.Get, "chargepoints");
        Assert.Equal(200, ok);
    }

    [Fact]
    public async Task Two_servers_have_different_random_tokens_and_a_given_token_is_used_as_given()
    {
        await using var a = await Support.StartAsync();
        await using var b = await Support.StartAsync();
        Assert.NotEqual(a.ControlToken, b.ControlToken);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", a.ControlToken!);
        var (other, _, _) = await a.ControlRawAsync(HttpMethod.Get, "stats", null, Token(b.ControlToken));
        Assert.Equal(401, other);

        const string given = "a-given-token-of-some-length";
        await using var c = await Support.StartAsync(new CsmsOptions { ControlToken = given });
        Assert.Equal(given, c.ControlToken);
        var (status, _, _) = await c.ControlRawAsync(HttpMethod.Get, "stats", null, Token(given));
        Assert.Equal(200, status);
        Assert.Throws<ArgumentException>(() => new CsmsServer(new CsmsOptions { ControlToken = "short" }));
        Assert.Throws<ArgumentException>(() => new CsmsServer(new CsmsOptions { ControlToken = "has a space in it, long enough" }));
    }

    [Fact]
    public async Task A_text_plain_or_form_body_is_415_and_reaches_nobody()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1", handler: _ => new Simulator.Ocpp.V16.Core.ResetResponse { Status = ResetStatus.Accepted });
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1" })
        {
            var (blackhole, body, _) = await csms.ControlRawAsync(HttpMethod.Post, "faults/blackhole", """{"seconds":30}""", request =>
            {
                Token(csms.ControlToken)(request);
                request.Content!.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
            });
            Assert.Equal(415, blackhole);
            Assert.Contains("application/json", body.GetProperty("error").GetString(), StringComparison.Ordinal);
            var (action, _, _) = await csms.ControlRawAsync(HttpMethod.Post, "chargepoints/CP-1/actions/Reset", """{"type":"Hard"}""", request =>
            {
                Token(csms.ControlToken)(request);
                request.Content!.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
            });
            Assert.Equal(415, action);
        }
        var (noType, _, _) = await csms.ControlRawAsync(HttpMethod.Post, "actions/Reset", null, Token(csms.ControlToken));
        Assert.Equal(415, noType);
        Assert.Empty(cp.Received);
        await AssertNoFaultActiveAsync(csms);
        var (withCharset, _, _) = await csms.ControlRawAsync(HttpMethod.Post, "chargepoints/CP-1/actions/Reset", """{"type":"Hard"}""", request =>
        {
            Token(csms.ControlToken)(request);
            request.Content!.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        });
        Assert.Equal(200, withCharset);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:{port}")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:1")]
    [InlineData("127.0.0.2:{port}")]
    [InlineData("localhost.evil.example:{port}")]
    public async Task A_foreign_Host_is_421_even_with_the_token(string host)
    {
        await using var csms = await Support.StartAsync();
        var (status, body, _) = await csms.ControlRawAsync(HttpMethod.Post, "faults/blackhole", """{"seconds":30}""", request =>
        {
            Token(csms.ControlToken)(request);
            request.Headers.Host = host.Replace("{port}", csms.ControlPort!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        });
        Assert.Equal(421, status);
        Assert.Contains("is not this control API", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        await AssertNoFaultActiveAsync(csms);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("[::1]")]
    public async Task The_loopback_names_of_the_bound_port_are_served(string name)
    {
        await using var csms = await Support.StartAsync();
        var (status, _, _) = await csms.ControlRawAsync(HttpMethod.Get, "stats", null, request =>
        {
            Token(csms.ControlToken)(request);
            request.Headers.Host = $"{name}:{csms.ControlPort}";
        });
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task No_answer_carries_a_CORS_header_and_a_preflight_allows_nothing()
    {
        await using var csms = await Support.StartAsync();
        var answers = new List<HttpResponseMessage>();
        void Cross(HttpRequestMessage request)
        {
            request.Headers.Add("Origin", "http://evil.example");
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        }
        answers.Add((await csms.ControlRawAsync(HttpMethod.Options, "faults/blackhole", null, Cross)).Response);
        answers.Add((await csms.ControlRawAsync(HttpMethod.Options, "faults/blackhole", null, r => { Cross(r); Token(csms.ControlToken)(r); })).Response);
        answers.Add((await csms.ControlRawAsync(HttpMethod.Get, "stats", null, r => { Cross(r); Token(csms.ControlToken)(r); })).Response);
        answers.Add((await csms.ControlRawAsync(HttpMethod.Get, "stats", null, Cross)).Response);
        answers.Add((await csms.ControlRawAsync(HttpMethod.Post, "faults/blackhole", "{}", r => { Cross(r); Token(csms.ControlToken)(r); })).Response);
        Assert.Equal([405, 405, 200, 401, 400], answers.Select(a => (int)a.StatusCode));
        foreach (var answer in answers)
        {
            var headers = answer.Headers.Concat(answer.Content.Headers).Select(h => h.Key);
            Assert.DoesNotContain(headers, h => h.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
            answer.Dispose();
        }
    }

    [Theory]
    [InlineData("faults/refuse", """{"mode":"tcp","seconds":1e20}""", "seconds")]
    [InlineData("faults/refuse", """{"mode":"http503","seconds":0}""", "seconds")]
    [InlineData("faults/refuse", """{"mode":"http503","seconds":-5}""", "seconds")]
    [InlineData("faults/refuse", """{"mode":"http503","seconds":86401}""", "seconds")]
    [InlineData("faults/delay", """{"minMs":0,"maxMs":10,"seconds":1e20}""", "seconds")]
    [InlineData("faults/delay", """{"minMs":-1,"maxMs":10,"seconds":5}""", "minMs")]
    [InlineData("faults/delay", """{"minMs":0,"maxMs":1e20,"seconds":5}""", "maxMs")]
    [InlineData("faults/delay", """{"minMs":20,"maxMs":10,"seconds":5}""", "maxMs")]
    [InlineData("faults/errors", """{"fraction":0.5,"seconds":1e20}""", "seconds")]
    [InlineData("faults/errors", """{"fraction":1.5,"seconds":5}""", "fraction")]
    [InlineData("faults/errors", """{"fraction":-0.1,"seconds":5}""", "fraction")]
    [InlineData("faults/boot", """{"mode":"reject","retryInterval":86401,"seconds":5}""", "retryInterval")]
    [InlineData("faults/boot", """{"mode":"reject","retryInterval":-1,"seconds":5}""", "retryInterval")]
    [InlineData("faults/boot", """{"mode":"pending","retryInterval":10,"seconds":1e20}""", "seconds")]
    [InlineData("faults/blackhole", """{"seconds":1e20}""", "seconds")]
    [InlineData("faults/blackhole", """{"seconds":0.0000001}""", "seconds")]
    [InlineData("faults/blackhole", """{"seconds":1e400}""", "seconds")]
    [InlineData("boot", """{"status":"Pending","retryInterval":-1}""", "retryInterval")]
    [InlineData("boot", """{"status":"Pending","retryInterval":100000}""", "retryInterval")]
    [InlineData("ledger/reconcile", """[{"chargeBoxId":"CP-1","kind":"Start","connectorId":-1,"timestamp":"2026-01-01T00:00:00Z"}]""", "[0].connectorId")]
    [InlineData("ledger/reconcile", """[{"chargeBoxId":"CP-1","kind":"Start","connectorId":1001,"timestamp":"2026-01-01T00:00:00Z"}]""", "[0].connectorId")]
    [InlineData("ledger/reconcile", """[{"chargeBoxId":"CP-1","kind":"Start","connectorId":1,"meterStart":-1,"timestamp":"2026-01-01T00:00:00Z"}]""", "[0].meterStart")]
    public async Task A_number_out_of_range_is_400_naming_the_field_and_the_range(string route, string json, string field)
    {
        await using var csms = await Support.StartAsync();
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, route, json);
        Assert.Equal(400, status);
        Assert.True(field == body.GetProperty("field").GetString(), body.ToString());
        var error = body.GetProperty("error").GetString()!;
        Assert.StartsWith(field + ":", error, StringComparison.Ordinal);
        Assert.Matches(@"must be between -?[\d.]+ and [\d.]+", error);
        await AssertNoFaultActiveAsync(csms);
    }

    [Theory]
    [InlineData("faults/errors", """{"fraction":0.5,"seconds":5,"seed":1e20}""", "seed")]
    [InlineData("faults/errors", """{"fraction":0.5,"seconds":5,"seed":2147483648}""", "seed")]
    [InlineData("faults/boot", """{"mode":"reject","retryInterval":1e20,"seconds":5}""", "retryInterval")]
    [InlineData("faults/boot", """{"mode":"reject","retryInterval":1.5,"seconds":5}""", "retryInterval")]
    [InlineData("faults/blackhole", """{"seconds":"5"}""", "seconds")]
    [InlineData("faults/blackhole", """{"seconds":null}""", "seconds")]
    [InlineData("faults/drop", """{"mode":null}""", "mode")]
    [InlineData("idtags/mode", """{"allowListOnly":"yes"}""", "allowListOnly")]
    [InlineData("ledger/reconcile", """[{"chargeBoxId":null,"kind":"Start","connectorId":1,"timestamp":"2026-01-01T00:00:00Z"}]""", "[0].chargeBoxId")]
    [InlineData("ledger/reconcile", """[{"chargeBoxId":"CP-1","kind":"Start","connectorId":1,"timestamp":"yesterday"}]""", "[0].timestamp")]
    public async Task A_value_of_the_wrong_type_or_null_is_400_naming_the_field(string route, string json, string field)
    {
        await using var csms = await Support.StartAsync();
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, route, json);
        Assert.Equal(400, status);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.True(body.GetProperty("error").GetString()!.Contains("bad JSON body at line 1, byte ", StringComparison.Ordinal), body.ToString());
        await AssertNoFaultActiveAsync(csms);
    }

    [Fact]
    public async Task An_idTag_over_20_characters_and_a_null_chargeBoxId_are_400()
    {
        await using var csms = await Support.StartAsync();
        var tag21 = new string('T', 21);
        var (put, putBody) = await csms.ControlAsync(HttpMethod.Put, $"idtags/{tag21}", """{"status":"Blocked"}""");
        Assert.Equal(400, put);
        Assert.Equal("idTag", putBody.GetProperty("field").GetString());
        Assert.Contains("1 to 20 characters; it has 21", putBody.GetProperty("error").GetString(), StringComparison.Ordinal);
        var (parent, parentBody) = await csms.ControlAsync(HttpMethod.Put, "idtags/TAG-1", $$"""{"status":"Accepted","parentIdTag":"{{tag21}}"}""");
        Assert.Equal(400, parent);
        Assert.Equal("parentIdTag", parentBody.GetProperty("field").GetString());
        var (delete, _) = await csms.ControlAsync(HttpMethod.Delete, $"idtags/{tag21}");
        Assert.Equal(400, delete);
        var (reconcileTag, reconcileTagBody) = await csms.ControlAsync(HttpMethod.Post, "ledger/reconcile",
            $$"""[{"chargeBoxId":"CP-1","kind":"Start","connectorId":1,"idTag":"{{tag21}}","timestamp":"2026-01-01T00:00:00Z"}]""");
        Assert.Equal(400, reconcileTag);
        Assert.Equal("[0].idTag", reconcileTagBody.GetProperty("field").GetString());
        var (nullId, nullIdBody) = await csms.ControlAsync(HttpMethod.Post, "ledger/reconcile", """[{"chargeBoxId":null,"kind":"Stop","connectorId":1,"timestamp":"2026-01-01T00:00:00Z"}]""");
        Assert.Equal(400, nullId);
        Assert.Equal("[0].chargeBoxId", nullIdBody.GetProperty("field").GetString());
        var (nullItem, nullItemBody) = await csms.ControlAsync(HttpMethod.Post, "ledger/reconcile", "[null]");
        Assert.Equal(400, nullItem);
        Assert.Equal("[0]", nullItemBody.GetProperty("field").GetString());
        Assert.Empty(csms.IdTags.Snapshot());

        var (ok, _) = await csms.ControlAsync(HttpMethod.Put, $"idtags/{new string('T', 20)}", """{"status":"Blocked"}""");
        Assert.Equal(200, ok);
    }

    [Fact]
    public async Task Malformed_JSON_is_400_naming_the_position_and_unknown_missing_or_repeated_fields_are_400()
    {
        await using var csms = await Support.StartAsync();
        var (broken, brokenBody) = await csms.ControlAsync(HttpMethod.Post, "faults/blackhole", "{\n  \"seconds\": 5,,\n}");
        Assert.Equal(400, broken);
        Assert.StartsWith("bad JSON body at line 2, byte ", brokenBody.GetProperty("error").GetString(), StringComparison.Ordinal);
        var (unknown, unknownBody) = await csms.ControlAsync(HttpMethod.Post, "faults/blackhole", """{"seconds":5,"forever":true}""");
        Assert.Equal(400, unknown);
        Assert.Contains("'forever'", unknownBody.GetProperty("error").GetString(), StringComparison.Ordinal);
        var (missing, missingBody) = await csms.ControlAsync(HttpMethod.Post, "faults/refuse", """{"mode":"tcp"}""");
        Assert.Equal(400, missing);
        Assert.Contains("'seconds'", missingBody.GetProperty("error").GetString(), StringComparison.Ordinal);
        var (repeated, _) = await csms.ControlAsync(HttpMethod.Post, "faults/blackhole", """{"seconds":5,"seconds":80000}""");
        Assert.Equal(400, repeated);
        var (empty, _) = await csms.ControlAsync(HttpMethod.Post, "faults/blackhole", "");
        Assert.Equal(400, empty);
        var (nullBody, _) = await csms.ControlAsync(HttpMethod.Post, "faults/blackhole", "null");
        Assert.Equal(400, nullBody);
        var (code, codeBody) = await csms.ControlAsync(HttpMethod.Post, "faults/errors", """{"fraction":0.5,"seconds":5,"code":"Oops"}""");
        Assert.Equal(400, code);
        Assert.Equal("code", codeBody.GetProperty("field").GetString());
        await AssertNoFaultActiveAsync(csms);

        var (good, goodBody) = await csms.ControlAsync(HttpMethod.Post, "faults/blackhole", """{"Seconds":86400}""");
        Assert.Equal(200, good);
        Assert.True(goodBody.GetProperty("active").TryGetProperty("blackHoleUntil", out _));
    }
}
