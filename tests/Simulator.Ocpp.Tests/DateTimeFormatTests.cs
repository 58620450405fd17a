using Simulator.Ocpp.V16;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Reservation;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Ocpp.Tests;

/// <summary>
/// Every date-time FleetSim writes is UTC, ends in Z and has exactly three fractional digits (OCPP 2.0.1 requires it; some
/// 1.6 parsers reject seven digits or +00:00). Checked on the frames the codec really writes; reading stays RFC 3339.
/// </summary>
public partial class DateTimeFormatTests
{
    /// <summary>19:38:15.6681234 at +02:00, i.e. 17:38:15.668 UTC: seven digits and an offset, the worst case for the writer.</summary>
    private static readonly DateTimeOffset Awkward = new DateTimeOffset(2026, 12, 4, 19, 38, 15, TimeSpan.FromHours(2)).AddTicks(6_681_234);

    private const string Expected = "2026-12-04T17:38:15.668Z";

    [GeneratedRegex("""^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$""")]
    private static partial Regex WireFormat();

    public static TheoryData<string, string> Frames()
    {
        var meterValue = new MeterValue { Timestamp = Awkward, SampledValue = [new SampledValue { Value = "1" }] };
        var accepted = new IdTagInfo { Status = AuthorizationStatus.Accepted, ExpiryDate = Awkward };
        return new TheoryData<string, string>
        {
            { "MeterValues.req (hand-written converter)", Text(OcppCodec.EncodeCall("1", Ocpp16.Messages.Of<MeterValuesRequest>(), new MeterValuesRequest { ConnectorId = 1, MeterValue = [meterValue, meterValue] })) },
            { "BootNotification.conf (the CSMS's answer)", Text(OcppCodec.EncodeCallResult("2", Ocpp16.Messages.Of<BootNotificationRequest>(), new BootNotificationResponse { Status = RegistrationStatus.Accepted, CurrentTime = Awkward, Interval = 300 })) },
            { "Heartbeat.conf (the CSMS's answer)", Text(OcppCodec.EncodeCallResult("3", Ocpp16.Messages.Of<HeartbeatRequest>(), new HeartbeatResponse { CurrentTime = Awkward })) },
            { "StartTransaction.req", Text(OcppCodec.EncodeCall("4", Ocpp16.Messages.Of<StartTransactionRequest>(), new StartTransactionRequest { ConnectorId = 1, IdTag = "T", MeterStart = 0, Timestamp = Awkward })) },
            { "StartTransaction.conf (nullable expiryDate)", Text(OcppCodec.EncodeCallResult("5", Ocpp16.Messages.Of<StartTransactionRequest>(), new StartTransactionResponse { IdTagInfo = accepted, TransactionId = 9 })) },
            { "StopTransaction.req with transactionData", Text(OcppCodec.EncodeCall("6", Ocpp16.Messages.Of<StopTransactionRequest>(), new StopTransactionRequest { MeterStop = 5, Timestamp = Awkward, TransactionId = 9, TransactionData = [meterValue] })) },
            { "StatusNotification.req", Text(OcppCodec.EncodeCall("7", Ocpp16.Messages.Of<StatusNotificationRequest>(), new StatusNotificationRequest { ConnectorId = 1, Status = ChargePointStatus.Available, ErrorCode = ChargePointErrorCode.NoError, Timestamp = Awkward })) },
            { "ReserveNow.req (the CSMS's call)", Text(OcppCodec.EncodeCall("8", Ocpp16.Messages.Of<ReserveNowRequest>(), new ReserveNowRequest { ConnectorId = 1, ExpiryDate = Awkward, IdTag = "T", ReservationId = 1 })) },
            { "SecurityEventNotification.req", Text(OcppCodec.EncodeCall("9", Ocpp16.Messages.Of<SecurityEventNotificationRequest>(), new SecurityEventNotificationRequest { Type = "StartupOfTheDevice", Timestamp = Awkward })) },
        };
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Written_date_times_are_UTC_with_Z_and_milliseconds(string what, string frame)
    {
        var dates = DateStrings(JsonDocument.Parse(frame).RootElement).ToList();
        Assert.True(dates.Count > 0, $"{what}: no date-time in {frame}");
        Assert.All(dates, d =>
        {
            Assert.Matches(WireFormat(), d);
            Assert.Equal(Expected, d);
        });
    }

    [Fact]
    public void Finer_digits_are_cut_not_rounded_and_every_field_has_its_width()
    {
        Assert.Equal("2026-12-31T23:59:59.999Z", OcppDateTimeConverter.ToWire(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999)));
        Assert.Equal("0001-01-01T00:00:00.000Z", OcppDateTimeConverter.ToWire(DateTimeOffset.MinValue));
        Assert.Equal("2026-01-02T03:04:05.006Z", OcppDateTimeConverter.ToWire(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("2026-12-04T17:38:15.668Z")]
    [InlineData("2026-12-04T17:38:15Z")]
    [InlineData("2026-12-04T17:38:15.6681234Z")]
    [InlineData("2026-12-04T19:38:15.668+02:00")]
    [InlineData("2026-12-04T17:38:15.668+00:00")]
    [InlineData("2026-12-04t17:38:15.668z")]
    public void Reading_accepts_any_RFC_3339_date_time(string text)
    {
        var payload = Encoding.UTF8.GetBytes($$"""{"currentTime":"{{text}}"}""");
        Assert.True(OcppCodec.TryDecode<HeartbeatResponse>(payload, Ocpp16.Messages, out var response, out var violation), violation?.ToString());
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 17, 38, 15, TimeSpan.Zero), response!.CurrentTime.ToUniversalTime().AddTicks(-(response.CurrentTime.Ticks % TimeSpan.TicksPerSecond)));
    }

    [Theory]
    [InlineData("2026-02-30T10:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("2026-12-04 17:38:15Z")]
    public void Reading_still_refuses_what_is_not_a_date_time(string text)
    {
        var payload = Encoding.UTF8.GetBytes($$"""{"currentTime":"{{text}}"}""");
        Assert.False(OcppCodec.TryDecode<HeartbeatResponse>(payload, Ocpp16.Messages, out _, out var violation));
        Assert.Equal("currentTime", violation!.Field);
    }

    [Fact]
    public void A_lower_case_date_time_beside_a_real_error_is_not_blamed_for_it()
    {
        var payload = Encoding.UTF8.GetBytes("""{"status":"Accepted","currentTime":"2026-12-04t17:38:15z","interval":"300"}""");
        Assert.False(OcppCodec.TryDecode<BootNotificationResponse>(payload, Ocpp16.Messages, out _, out var violation));
        Assert.Equal("interval", violation!.Field);
    }

    private static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);

    private static IEnumerable<string> DateStrings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => DateStrings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(DateStrings),
        JsonValueKind.String when element.GetString() is { Length: >= 10 } s && char.IsAsciiDigit(s[0]) && s[4] == '-' => [element.GetString()!],
        _ => [],
    };
}
