using System.Text;
using Microsoft.Extensions.Logging;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms.Tests.Reliability;

/// <summary>Charge-point ids and upgrade requests a hostile or broken peer sends: refused before the upgrade, with a reason, and never registered.</summary>
public sealed class HandshakeTests
{
    public static TheoryData<string, int, string> Refused => new()
    {
        { "/ocpp/../../etc/passwd", 400, "one path segment" },
        { "/ocpp/a/../../b", 400, "one path segment" },
        { "/ocpp/a%2F..%2F..%2Fb", 400, "'/' is not allowed" },
        { "/ocpp/CP%0D%0AX-Injected:%20yes", 400, "byte 0x0d is not allowed" },
        { "/ocpp/%3Cscript%3Ealert(1)%3C%2Fscript%3E", 400, "'<' is not allowed" },
        { "/ocpp/" + new string('A', 7000), 400, "longer than 48 characters" },
        { "/ocpp/" + new string('A', 49), 400, "longer than 48 characters" },
        { "/ocpp/CP%252F1", 400, "'%' is not allowed" },
        { "/ocpp/CP%zz", 400, "broken percent-encoding" },
        { "/ocpp/CP%01", 400, "byte 0x01 is not allowed" },
        { "/ocpp/CP%7F", 400, "byte 0x7f is not allowed" },
        { "/ocpp/CP%C3%A9", 400, "byte 0xc3 is not allowed" },
        { "/ocpp/..", 400, "'.' or '..'" },
        { "/ocpp/", 400, "last path segment must be the chargeBoxId" },
        { "/ocpp", 400, "last path segment must be the chargeBoxId" },
        { "/CP-1", 404, "charge points connect to /ocpp/<chargeBoxId>" },
        { "/other/CP-1", 404, "charge points connect to /ocpp/<chargeBoxId>" },
        { "/x/ocpp/CP-1", 404, "charge points connect to /ocpp/<chargeBoxId>" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_bad_path_or_id_is_refused_with_a_reason_in_body_header_and_log_and_nothing_is_registered(string target, int status, string reason)
    {
        var log = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
        await using var csms = await Support.StartAsync(new CsmsOptions { ControlPort = null, LoggerFactory = loggerFactory });
        var (got, head, socket) = await RawWebSocket.ConnectAsync(csms.Port, target);
        Assert.Null(socket);
        Assert.Equal(status, got);
        Assert.Contains(reason, RawWebSocket.Body(head), StringComparison.Ordinal);
        Assert.Contains(reason, RawWebSocket.Header(head, "X-Refusal-Reason") ?? "", StringComparison.Ordinal);
        Assert.Contains(log.Lines, l => l.Contains("handshake refused", StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal));
        // What the peer sent is logged quoted and bounded: no raw CR/LF, no 7,000 characters.
        Assert.All(log.Lines, l => Assert.True(l.Length < 600 && !l.Contains('\r') && !l.Contains('\n'), l));
        Assert.Equal(0, csms.Registry.Count);
        Assert.Equal(0, csms.ConnectionCount);
        var refused = csms.GetStats().Refused;
        Assert.Equal(1, refused.InvalidId + refused.WrongPath + refused.MissingId);
    }

    [Theory]
    [InlineData("/ocpp/CP-1", "CP-1")]
    [InlineData("/ocpp/CP%2D1", "CP-1")]
    [InlineData("/ocpp/a*b=c:d+e|f@g.h_i~j", "a*b=c:d+e|f@g.h_i~j")]
    [InlineData("/ocpp/a%2Ab%3Dc%3Ad%2Be%7Cf%40g", "a*b=c:d+e|f@g")]
    [InlineData("/ocpp/CP-1?token=x", "CP-1")]
    public async Task A_good_id_is_the_last_segment_decoded_once(string target, string id)
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { ControlPort = null });
        var (status, head, socket) = await RawWebSocket.ConnectAsync(csms.Port, target);
        Assert.True(status == 101, head);
        await using (socket)
        {
            Assert.True(await Support.EventuallyAsync(() => csms.ConnectedIds.Contains(id)), string.Join(",", csms.ConnectedIds));
        }
    }

    [Fact]
    public async Task A_48_character_id_connects_and_another_path_can_be_configured()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { ControlPort = null, ChargePointPath = "steve/websocket/CentralSystemService" });
        Assert.EndsWith("/steve/websocket/CentralSystemService/", csms.Url.ToString(), StringComparison.Ordinal);
        var id = new string('x', 48);
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, id);
        Assert.Equal(RegistrationStatus.Accepted, (await cp.AskDecodedAsync(new BootNotificationRequest { ChargePointVendor = "A", ChargePointModel = "B" })).Status);
        var (status, _, _) = await RawWebSocket.ConnectAsync(csms.Port, "/ocpp/CP-1");
        Assert.Equal(404, status);
        Assert.Throws<ArgumentException>(() => new CsmsServer(new CsmsOptions { ChargePointPath = "/a/../b/" }));
        Assert.Throws<ArgumentException>(() => new CsmsServer(new CsmsOptions { ChargePointPath = "/a b/" }));
    }

    [Fact]
    public async Task Odd_headers_are_refused_and_the_password_of_a_Basic_header_never_reaches_the_log()
    {
        const string key = "00112233445566778899AABBCCDDEEFF";
        var log = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
        await using var csms = await Support.StartAsync(new CsmsOptions { ControlPort = null, SecurityProfile = 1, SharedAuthorizationKey = key, LoggerFactory = loggerFactory });
        var wrongPassword = "WRONG-" + key;
        var basic = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("CP-1:" + wrongPassword));
        Assert.Equal(401, (await RawWebSocket.ConnectAsync(csms.Port, "/ocpp/CP-1", headers: [basic])).Status);
        Assert.Equal(400, (await RawWebSocket.ConnectAsync(csms.Port, "/ocpp/CP-1", protocol: "ocpp2.1", headers: [basic])).Status);
        Assert.Equal(400, (await RawWebSocket.ConnectAsync(csms.Port, "/ocpp/CP-1", protocol: null, headers: [basic])).Status);
        // A header block bigger than Kestrel takes is refused by Kestrel itself (431), and the CSMS keeps serving.
        Assert.Equal(431, (await RawWebSocket.ConnectAsync(csms.Port, "/ocpp/CP-1", headers: [$"X-Big: {new string('a', 40_000)}"])).Status);
        var good = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("CP-1:" + key));
        var (status, _, socket) = await RawWebSocket.ConnectAsync(csms.Port, "/ocpp/CP-1", headers: [good]);
        Assert.Equal(101, status);
        await using (socket)
        {
            var text = string.Join("\n", log.Lines);
            Assert.Contains("bad-credentials", text, StringComparison.Ordinal);
            Assert.Contains("no-subprotocol", text, StringComparison.Ordinal);
            Assert.DoesNotContain(key, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(wrongPassword, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("CP-1:" + key)), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Refusals_of_one_kind_are_logged_a_few_times_then_counted()
    {
        var log = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
        await using var csms = await Support.StartAsync(new CsmsOptions { ControlPort = null, LoggerFactory = loggerFactory });
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(400, (await RawWebSocket.ConnectAsync(csms.Port, $"/ocpp/bad%3C{i}")).Status);
        }
        Assert.Equal(50, csms.GetStats().Refused.InvalidId);
        Assert.Equal(5, log.Lines.Count(l => l.Contains("handshake refused (invalid-id)", StringComparison.Ordinal)));
    }
}
