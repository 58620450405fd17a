using Simulator.ChargePoint.V16;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Tests.Model;

/// <summary>A 1.6 model on a fake clock plus a scripted CSMS that answers what the model sends.</summary>
internal sealed class Harness(Dictionary<string, string>? config = null, int connectors = 2, Func<ChargePointOptions, ChargePointOptions>? tweak = null)
    : HarnessBase<ChargePointModel, Harness>(clock => new ChargePointModel(Options(config, connectors, tweak), clock, new Random(7)))
{
    /// <summary>CSMS time offset the scripted CSMS reports in currentTime.</summary>
    public TimeSpan CsmsSkew { get; set; }
    public int NextTransactionId { get; set; } = 100;
    public Func<string, IdTagInfo> IdTagInfoFor { get; set; } = _ => new IdTagInfo { Status = AuthorizationStatus.Accepted };

    public DateTimeOffset CsmsNow => Clock.GetUtcNow() + CsmsSkew;

    private static ChargePointOptions Options(Dictionary<string, string>? config, int connectors, Func<ChargePointOptions, ChargePointOptions>? tweak)
    {
        var options = new ChargePointOptions
        {
            ChargeBoxId = "CP-1",
            Connectors = connectors,
            ConfigurationOverrides = config ?? [],
        };
        return tweak is null ? options : tweak(options);
    }

    public override IOcppResponse DefaultAnswer(OutboundMessage message) => message.Request switch
    {
        BootNotificationRequest => new BootNotificationResponse { Status = RegistrationStatus.Accepted, CurrentTime = CsmsNow, Interval = 300 },
        HeartbeatRequest => new HeartbeatResponse { CurrentTime = CsmsNow },
        AuthorizeRequest a => new AuthorizeResponse { IdTagInfo = IdTagInfoFor(a.IdTag) },
        StartTransactionRequest s => new StartTransactionResponse { TransactionId = NextTransactionId++, IdTagInfo = IdTagInfoFor(s.IdTag) },
        StopTransactionRequest => new StopTransactionResponse(),
        MeterValuesRequest => new MeterValuesResponse(),
        StatusNotificationRequest => new StatusNotificationResponse(),
        DiagnosticsStatusNotificationRequest => new DiagnosticsStatusNotificationResponse(),
        FirmwareStatusNotificationRequest => new FirmwareStatusNotificationResponse(),
        DataTransferRequest => new DataTransferResponse { Status = DataTransferStatus.Accepted },
        Simulator.Ocpp.V16.Security.SecurityEventNotificationRequest => new Simulator.Ocpp.V16.Security.SecurityEventNotificationResponse(),
        Simulator.Ocpp.V16.Security.SignCertificateRequest => new Simulator.Ocpp.V16.Security.SignCertificateResponse { Status = GenericStatus.Accepted },
        Simulator.Ocpp.V16.Security.LogStatusNotificationRequest => new Simulator.Ocpp.V16.Security.LogStatusNotificationResponse(),
        Simulator.Ocpp.V16.Security.SignedFirmwareStatusNotificationRequest => new Simulator.Ocpp.V16.Security.SignedFirmwareStatusNotificationResponse(),
        _ => throw new InvalidOperationException($"no default answer for {message.Request.GetType().Name}"),
    };

    public IReadOnlyList<(int Connector, ChargePointStatus Status)> Statuses() =>
        SentOf<StatusNotificationRequest>().Select(s => (s.ConnectorId, s.Status)).ToList();

    public IReadOnlyList<ChargePointStatus> StatusesOf(int connectorId) =>
        SentOf<StatusNotificationRequest>().Where(s => s.ConnectorId == connectorId).Select(s => s.Status).ToList();

    public T Reply<T>(IOcppRequest request) where T : IOcppResponse
    {
        var reply = Model.HandleCall(request);
        Assert.Null(reply.ErrorCode);
        return Assert.IsType<T>(reply.Response);
    }

    /// <summary>The CSMS sends TriggerMessage; the charge point's answer.</summary>
    public TriggerMessageStatus Trigger(MessageTrigger what, int? connector = null) =>
        Reply<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = what, ConnectorId = connector }).Status;
}
