using Microsoft.Extensions.Time.Testing;
using Simulator.ChargePoint.Metering;
using Simulator.Ocpp.Messages;

namespace Simulator.ChargePoint.Tests;

/// <summary>The instant every harness's clock starts at and the EV the tests plug in.</summary>
internal abstract class HarnessBase
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    public static readonly EvSpec Ev = new(60_000, 0.2, 11_000, 40_000);
}

/// <summary>
/// A station model of either version on a fake clock plus a scripted CSMS that answers what it sends: the clock, driving the model as
/// the actor would (take, answer, advance at every due time) and collecting what it sent and signalled. The version's harness adds its
/// default answers and helpers.
/// </summary>
internal abstract class HarnessBase<TModel, THarness> : HarnessBase
    where TModel : IChargingStation
    where THarness : HarnessBase<TModel, THarness>
{
    protected HarnessBase(Func<FakeTimeProvider, TModel> create)
    {
        Clock = new FakeTimeProvider(Start);
        Model = create(Clock);
    }

    public FakeTimeProvider Clock { get; }
    public TModel Model { get; }

    /// <summary>Every message answered so far (in send order) and every signal taken.</summary>
    public List<OutboundMessage> Sent { get; } = [];
    public List<ChargePointSignal> Signals { get; } = [];

    /// <summary>The transaction messages the model announced (<see cref="IChargingStation.TryTakeProduced"/>), in order.</summary>
    public List<TransactionMessageProduced> Produced { get; } = [];

    /// <summary>Answers to override per message; return null to use the default answer.</summary>
    public Func<OutboundMessage, IOcppResponse?>? Override { get; set; }

    public THarness Boot()
    {
        Model.OnConnected();
        Pump();
        Assert.True(Model.IsBooted);
        return (THarness)this;
    }

    /// <summary>Takes everything the model wants to send and answers it (and what that produces), until quiet.</summary>
    public List<OutboundMessage> Pump()
    {
        var batch = new List<OutboundMessage>();
        while (Model.TryTakeOutbound(out var message))
        {
            batch.Add(message);
            Sent.Add(message);
            Check(message);
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
        while (Model.TryTakeProduced(out var produced))
        {
            Produced.Add(produced);
        }
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
            PumpOrDrain(pump);
            // After Advance nothing may be due at the current instant, or the actor's timer would spin.
            Assert.True(Model.NextDueAt is not { } again || again > Clock.GetUtcNow(), $"NextDueAt {Model.NextDueAt} is not after {Clock.GetUtcNow()}");
        }
        Clock.SetUtcNow(target);
        Model.Advance();
        PumpOrDrain(pump);
    }

    /// <summary>The scripted CSMS's answer to what the model sent.</summary>
    public abstract IOcppResponse DefaultAnswer(OutboundMessage message);

    public IEnumerable<T> SentOf<T>() => Sent.Select(m => m.Request).OfType<T>();

    public IEnumerable<T> SignalsOf<T>() => Signals.OfType<T>();

    /// <summary>Checks a message as it is sent (before it is answered).</summary>
    protected virtual void Check(OutboundMessage message)
    {
    }

    private void PumpOrDrain(bool pump)
    {
        if (pump)
        {
            Pump();
        }
        else
        {
            DrainSignals();
        }
    }
}
