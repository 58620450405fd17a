using Simulator.ChargePoint.V16;
using Microsoft.Extensions.Time.Testing;
using Simulator.ChargePoint.Metering;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Tests.Model;

/// <summary>A model on a fake clock plus a scripted CSMS that answers what the model sends.</summary>
internal sealed class Harness
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    public static readonly EvSpec Ev = new(60_000, 0.2, 11_000, 40_000);

    public Harness(Dictionary<string, string>? config = null, int connectors = 2, Func<ChargePointOptions, ChargePointOptions>? tweak = null)
    {
        Clock = new FakeTimeProvider(Start);
        var options = new ChargePointOptions
        {
            ChargeBoxId = "CP-1",
            Connectors = connectors,
            ConfigurationOverrides = config ?? [],
        };
        Model = new ChargePointModel(tweak is null ? options : tweak(options), Clock, new Random(7));
    }

    public FakeTimeProvider Clock { get; }
    public ChargePointModel Model { get; }

    /// <summary>Every message answered so far (in send order) and every signal taken.</summary>
    public List<OutboundMessage> Sent { get; } = [];
    public List<ChargePointSignal> Signals { get; } = [];

    /// <summary>CSMS time offset the scripted CSMS reports in currentTime.</summary>
    public TimeSpan CsmsSkew { get; set; }
    public int NextTransactionId { get; set; } = 100;
    public Func<string, IdTagInfo> IdTagInfoFor { get; set; } = _ => new IdTagInfo { Status = AuthorizationStatus.Accepted };

    /// <summary>Answers to override per message; return null to use the default answer.</summary>
    public Func<OutboundMessage, IOcppResponse?>? Override { get; set; }

    public DateTimeOffset CsmsNow => Clock.GetUtcNow() + CsmsSkew;

    public Harness Boot()
    {
        Model.OnConnected();
        Pump();
        Assert.True(Model.IsBooted);
        return this;
    }

    /// <summary>Takes everything the model wants to send and answers it (and what that produces), until quiet.</summary>
    public List<OutboundMessage> Pump()
    {
        var batch = new List<OutboundMessage>();
        while (Model.TryTakeOutbound(out var message))
        {
            batch.Add(message);
            Sent.Add(message);
            Model.OnAnswered(message, Override?.Invoke(message) ?? DefaultAnswer(message));
        }
        DrainSignals();
        return batch;
    }

    /// <summary>Takes what the model wants to send without answering.</summary>
    public List<OutboundMessage> Take()
    {
        var batch = new List<OutboundMessage>();
        while (Model.TryTakeOutbound(out var message))
        {
            batch.Add(message);
        }
        DrainSignals();
        return batch;
    }

    public void DrainSignals()
    {
        while (Model.TryTakeSignal(out var signal))
        {
            Signals.Add(signal);
        }
    }

    /// <summary>Moves the clock forward, calling Advance at every due time as the actor's timer would.</summary>
    public void Run(TimeSpan span, bool pump = true)
    {
        var target = Clock.GetUtcNow() + span;
        while (Model.NextDueAt is { } due && due <= target)
        {
            if (due > Clock.GetUtcNow())
            {
                Clock.SetUtcNow(due);
            }
            Model.Advance();
            if (pump)
            {
                Pump();
            }
            else
            {
                DrainSignals();
            }
            // After Advance nothing may be due at the current instant, or the actor's timer would spin.
            Assert.True(Model.NextDueAt is not { } again || again > Clock.GetUtcNow(), $"NextDueAt {Model.NextDueAt} is not after {Clock.GetUtcNow()}");
        }
        Clock.SetUtcNow(target);
        Model.Advance();
        if (pump)
        {
            Pump();
        }
        else
        {
            DrainSignals();
        }
    }

    public IOcppResponse DefaultAnswer(OutboundMessage message) => message.Request switch
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

    public IEnumerable<T> SentOf<T>() => Sent.Select(m => m.Request).OfType<T>();

    public IEnumerable<T> SignalsOf<T>() => Signals.OfType<T>();

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
