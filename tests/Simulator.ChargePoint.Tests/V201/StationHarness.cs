using Simulator.ChargePoint.V201;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Authorization;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.FirmwareManagement;
using Simulator.Ocpp.V201.MeterValues;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;

namespace Simulator.ChargePoint.Tests.V201;

/// <summary>A 2.0.1 station on a fake clock plus a scripted CSMS that answers what it sends; every message sent is checked against the official schema.</summary>
internal sealed class StationHarness : HarnessBase<StationModel, StationHarness>
{
    public StationHarness(Dictionary<string, string>? config = null, int evses = 2, Func<ChargePointOptions, ChargePointOptions>? tweak = null)
        : this(OptionsFor(config, evses, tweak))
    {
    }

    private StationHarness(ChargePointOptions options)
        : base(clock => (StationModel)ChargingStations.Create("2.0.1", options, clock, new Random(7)))
    {
        Options = options;
    }

    public ChargePointOptions Options { get; }

    public Func<IdToken, IdTokenInfo> IdTokenInfoFor { get; set; } = _ => new IdTokenInfo { Status = AuthorizationStatus.Accepted };

    private static ChargePointOptions OptionsFor(Dictionary<string, string>? config, int evses, Func<ChargePointOptions, ChargePointOptions>? tweak)
    {
        var options = new ChargePointOptions { ChargeBoxId = "CS-1", Connectors = evses, ConfigurationOverrides = config ?? [] };
        return tweak?.Invoke(options) ?? options;
    }

    protected override void Check(OutboundMessage message) => AssertValid(message.Request);

    public T Call<T>(IOcppRequest request) where T : IOcppResponse
    {
        var reply = Model.HandleCall(request);
        Assert.True(reply.Response is not null, $"{request.GetType().Name} got CALLERROR {reply.ErrorCode}: {reply.ErrorDescription}");
        Assert.True(Ocpp201.Messages.Of(request).ResponseType == reply.Response!.GetType());
        AssertValid(reply.Response);
        return (T)reply.Response;
    }

    public override IOcppResponse DefaultAnswer(OutboundMessage message) => message.Request switch
    {
        BootNotificationRequest => new BootNotificationResponse { Status = RegistrationStatus.Accepted, CurrentTime = Clock.GetUtcNow(), Interval = 300 },
        HeartbeatRequest => new HeartbeatResponse { CurrentTime = Clock.GetUtcNow() },
        AuthorizeRequest a => new AuthorizeResponse { IdTokenInfo = IdTokenInfoFor(a.IdToken) },
        TransactionEventRequest t => new TransactionEventResponse { IdTokenInfo = t.IdToken is { } token ? IdTokenInfoFor(token) : null },
        MeterValuesRequest => new MeterValuesResponse(),
        StatusNotificationRequest => new StatusNotificationResponse(),
        NotifyReportRequest => new NotifyReportResponse(),
        FirmwareStatusNotificationRequest => new FirmwareStatusNotificationResponse(),
        LogStatusNotificationRequest => new LogStatusNotificationResponse(),
        Simulator.Ocpp.V201.Security.SecurityEventNotificationRequest => new Simulator.Ocpp.V201.Security.SecurityEventNotificationResponse(),
        Simulator.Ocpp.V201.Security.SignCertificateRequest => new Simulator.Ocpp.V201.Security.SignCertificateResponse { Status = GenericStatus.Accepted },
        NotifyCustomerInformationRequest => new NotifyCustomerInformationResponse(),
        Simulator.Ocpp.V201.SmartCharging.ReportChargingProfilesRequest => new Simulator.Ocpp.V201.SmartCharging.ReportChargingProfilesResponse(),
        Simulator.Ocpp.V201.SmartCharging.NotifyChargingLimitRequest => new Simulator.Ocpp.V201.SmartCharging.NotifyChargingLimitResponse(),
        Simulator.Ocpp.V201.SmartCharging.ClearedChargingLimitRequest => new Simulator.Ocpp.V201.SmartCharging.ClearedChargingLimitResponse(),
        Simulator.Ocpp.V201.Reservation.ReservationStatusUpdateRequest => new Simulator.Ocpp.V201.Reservation.ReservationStatusUpdateResponse(),
        Simulator.Ocpp.V201.DisplayMessage.NotifyDisplayMessagesRequest => new Simulator.Ocpp.V201.DisplayMessage.NotifyDisplayMessagesResponse(),
        NotifyMonitoringReportRequest => new NotifyMonitoringReportResponse(),
        NotifyEventRequest => new NotifyEventResponse(),
        _ => throw new InvalidOperationException($"no default answer for {message.Request.GetType().Name}"),
    };

    /// <summary>The message as sent is valid against the official OCA 2.0.1 schema and survives a round trip through our codec's validation.</summary>
    public static void AssertValid(IOcppValidatable message)
    {
        var info = Ocpp201.Messages.TypeInfo(message.GetType());
        var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, info);
        var action = Ocpp201.Messages.Actions.Single(a => a.RequestType == message.GetType() || a.ResponseType == message.GetType());
        var results = Simulator.Ocpp.Tests.OfficialSchemas.Ocpp201.Evaluate(action.Name, action.RequestType == message.GetType(), bytes);
        Assert.True(results.IsValid, $"{message.GetType().Name} breaks the official schema: {Simulator.Ocpp.Tests.OfficialSchemas.Describe(results)}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        Assert.True(Simulator.Ocpp.OcppCodec.TryDecode(bytes, info, out _, out var violation),
            $"{message.GetType().Name} is invalid: {violation}: {System.Text.Encoding.UTF8.GetString(bytes)}");
    }

    public List<TransactionEventRequest> Events(string? transactionId = null) =>
        [.. SentOf<TransactionEventRequest>().Where(e => transactionId is null || e.TransactionInfo.TransactionId == transactionId)];

    public static Component Comp(string name, int? evse = null) => new() { Name = name, Evse = evse is { } id ? new Evse { Id = id } : null };

    public static Variable Var(string name, string? instance = null) => new() { Name = name, Instance = instance };
}
