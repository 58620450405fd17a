using Microsoft.Extensions.Time.Testing;
using Simulator.ChargePoint.Metering;
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

/// <summary>A 2.0.1 station on a fake clock plus a scripted CSMS that answers what it sends.</summary>
internal sealed class StationHarness
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    public static readonly EvSpec Ev = new(60_000, 0.2, 11_000, 40_000);

    public StationHarness(Dictionary<string, string>? config = null, int evses = 2)
    {
        Clock = new FakeTimeProvider(Start);
        Options = new ChargePointOptions { ChargeBoxId = "CS-1", Connectors = evses, ConfigurationOverrides = config ?? [] };
        Model = (StationModel)ChargingStations.Create("2.0.1", Options, Clock, new Random(7));
    }

    public FakeTimeProvider Clock { get; }
    public ChargePointOptions Options { get; }
    public StationModel Model { get; }
    public List<OutboundMessage> Sent { get; } = [];
    public List<ChargePointSignal> Signals { get; } = [];

    public Func<IdToken, IdTokenInfo> IdTokenInfoFor { get; set; } = _ => new IdTokenInfo { Status = AuthorizationStatus.Accepted };

    /// <summary>Answers to override per message; return null to use the default answer.</summary>
    public Func<OutboundMessage, IOcppResponse?>? Override { get; set; }

    public StationHarness Boot()
    {
        Model.OnConnected();
        Pump();
        Assert.True(Model.IsBooted);
        return this;
    }

    public List<OutboundMessage> Pump()
    {
        var batch = new List<OutboundMessage>();
        while (Model.TryTakeOutbound(out var message))
        {
            batch.Add(message);
            Sent.Add(message);
            AssertValid(message.Request);
            Model.OnAnswered(message, Override?.Invoke(message) ?? DefaultAnswer(message));
        }
        DrainSignals();
        return batch;
    }

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

    public T Call<T>(IOcppRequest request) where T : IOcppResponse
    {
        var reply = Model.HandleCall(request);
        Assert.True(reply.Response is not null, $"{request.GetType().Name} got CALLERROR {reply.ErrorCode}: {reply.ErrorDescription}");
        Assert.True(Ocpp201.Messages.Of(request).ResponseType == reply.Response!.GetType());
        AssertValid(reply.Response);
        return (T)reply.Response;
    }

    public IOcppResponse DefaultAnswer(OutboundMessage message) => message.Request switch
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

    public IEnumerable<T> SentOf<T>() => Sent.Select(m => m.Request).OfType<T>();

    public IEnumerable<T> SignalsOf<T>() => Signals.OfType<T>();

    public List<TransactionEventRequest> Events(string? transactionId = null) =>
        [.. SentOf<TransactionEventRequest>().Where(e => transactionId is null || e.TransactionInfo.TransactionId == transactionId)];

    public static Component Comp(string name, int? evse = null) => new() { Name = name, Evse = evse is { } id ? new Evse { Id = id } : null };

    public static Variable Var(string name, string? instance = null) => new() { Name = name, Instance = instance };
}
