using Simulator.Ocpp.Messages;

namespace Simulator.ChargePoint.Station;

/// <summary>
/// The version-neutral core of a charging station's traffic with its CSMS, shared by the 1.6 and the 2.0.1 model: the connection,
/// the registration and heartbeat (<see cref="BootCycle"/>), the <see cref="Outbox"/> of other messages, the offline
/// <see cref="TransactionMessageQueue"/>, the messages that await an answer, and the signals for whoever drives the station. The
/// version (message types, what a transaction message is and how it is completed when it goes) comes in as <see cref="IStationProtocol"/>.
/// Sans I/O and single-threaded like the models; instants are of the injected clock.
/// </summary>
internal sealed class StationCore(IStationProtocol protocol, TimeProvider clock)
{
    private readonly Dictionary<long, SentMessage> sent = [];
    private readonly Queue<ChargePointSignal> signals = new();
    private Queue<TransactionMessageProduced>? produced;   // on the first transaction message: most stations of an idle fleet never make one
    private long nextSequence;
    private long savedFingerprint = long.MinValue;

    private BootCycle boot = new();

    public Outbox Outbox { get; } = new();

    public TransactionMessageQueue Queue { get; } = new();

    public bool IsConnected { get; private set; }

    /// <summary>The registration and its schedules (a reference to the core's own, so calls change it in place).</summary>
    public ref BootCycle Boot => ref boot;

    public bool IsOnline => IsConnected && Boot.IsAccepted;

    /// <summary>Triggered and requested messages may go: connected, and the registration Accepted or Pending.</summary>
    public bool MayAnswerTrigger => IsConnected && (Boot.IsAccepted || Boot.IsPending);

    /// <summary>The creation order of the last message queued (saved over a power cut).</summary>
    public long LastOrder { get; set; }

    /// <summary>Non-transaction messages wait to go or for their answer.</summary>
    public bool HasOutstandingMessages
    {
        get
        {
            if (Outbox.Count > 0)
            {
                return true;
            }
            foreach (var context in sent.Values)
            {
                if (context.Kind != SentKind.TransactionMessage)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>The injected clock's time (the station's local clock).</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>What every station model needs of its arguments: all present, a ChargeBoxId, 1 to 100 connectors (<paramref name="connectorsAre"/> says what they are).</summary>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static void CheckArguments(ChargePointOptions options, TimeProvider clock, Random random, string connectorsAre)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(random);
        if (string.IsNullOrWhiteSpace(options.ChargeBoxId))
        {
            throw new ArgumentException("ChargeBoxId must not be empty.", nameof(options));
        }
        if (options.Connectors is < 1 or > 100)
        {
            throw new ArgumentException($"Connectors = {options.Connectors}: {connectorsAre}.", nameof(options));
        }
    }

    /// <summary>
    /// The next instant after <paramref name="csmsNow"/> on the clock-aligned grid (midnight + k × <paramref name="intervalSeconds"/>,
    /// CSMS time; the grid restarts at midnight), or null when the interval is off.
    /// </summary>
    public static DateTimeOffset? NextAligned(DateTimeOffset csmsNow, int intervalSeconds)
    {
        if (intervalSeconds <= 0)
        {
            return null;
        }
        var midnight = new DateTimeOffset(csmsNow.UtcDateTime.Date, TimeSpan.Zero);
        var elapsed = (csmsNow - midnight).TotalSeconds;
        var next = midnight + TimeSpan.FromSeconds((Math.Floor(elapsed / intervalSeconds) + 1) * intervalSeconds);
        return next > midnight.AddDays(1) ? midnight.AddDays(1) : next;
    }

    // ───────────────────────── connection ─────────────────────────

    /// <summary>The socket is open: boot if this power cycle has not been accepted yet (or BootOnReconnect), else resume the heartbeat.</summary>
    public void Connected()
    {
        IsConnected = true;
        if (Boot.Connected(protocol.Options.BootOnReconnect))
        {
            QueueBoot();
        }
        else
        {
            ScheduleHeartbeat();
        }
        protocol.Settle();
    }

    /// <summary>The socket closed: non-transaction messages are dropped, transaction messages stay queued (no attempt spent), heartbeats stop.</summary>
    public void Disconnected()
    {
        IsConnected = false;
        Boot.Disconnected();
        DropTraffic();
    }

    /// <summary>The station reboots: as <see cref="Disconnected"/>, and the next connection boots again.</summary>
    public void PowerLost()
    {
        IsConnected = false;
        Boot.PowerLost();
        DropTraffic();
    }

    private void DropTraffic()
    {
        Outbox.Clear();
        sent.Clear();
        Queue.ConnectionLost();
    }

    // ───────────────────────── boot and heartbeat ─────────────────────────

    /// <summary>Queues a BootNotification unless one waits or is in flight.</summary>
    public void QueueBoot()
    {
        if (!IsConnected || Boot.InFlight || Outbox.HoldsBoot)
        {
            return;
        }
        Boot.BootQueued();
        Outbox.Add(++LastOrder, new OutboundMessage(protocol.BootNotification(), false, Now, null, 1), OutboxFlags.Boot);
    }

    /// <summary>The BootNotification's answer; true when Accepted (the model then stores the interval and calls <see cref="ScheduleHeartbeat"/>).</summary>
    public bool BootAnswered(Registration status, int intervalSeconds) =>
        Boot.Answered(status, intervalSeconds, Now, protocol.Options.BootRetryInterval);

    /// <summary>The next heartbeat one interval from now, or <paramref name="fraction"/> of it (the first after boot may come early).</summary>
    public void ScheduleHeartbeat(double fraction = 1)
    {
        var interval = protocol.HeartbeatIntervalSeconds;
        Boot.ScheduleHeartbeat(Now, interval, TimeSpan.FromSeconds(interval * fraction), IsOnline);
    }

    /// <summary>Boot retries and heartbeats that are due.</summary>
    public void Advance()
    {
        var now = Now;
        if (IsConnected && Boot.BootDue(now))
        {
            QueueBoot();
        }
        if (IsOnline && Boot.TakeHeartbeat(now, protocol.HeartbeatIntervalSeconds, out var beat))
        {
            Send(protocol.Heartbeat(), beat, OutboxFlags.None);
        }
    }

    /// <summary>The earliest boot retry, heartbeat or transaction-message retry.</summary>
    public DateTimeOffset? NextDueAt()
    {
        var boot = Boot.NextDueAt(IsConnected);
        var retry = IsOnline ? Queue.NextRetryAt(Now) : null;
        return retry is { } r && (boot is null || r < boot) ? r : boot;
    }

    // ───────────────────────── outbound ─────────────────────────

    /// <summary>
    /// Queues a non-transaction message, dropped unless it may go now: online, or a BootNotification while connected, or asked for
    /// (<see cref="OutboxFlags.AskedFor"/>) while <see cref="MayAnswerTrigger"/>. A triggered message that still waits to go or for its
    /// answer is not queued again: a CSMS triggering faster than messages go gets that one, and the queue does not grow with every trigger.
    /// </summary>
    public void Send(IOcppRequest request, DateTimeOffset? scheduledFor, OutboxFlags flags)
    {
        if (!IsConnected || !(Boot.IsAccepted || (flags & OutboxFlags.Boot) != 0 || ((flags & OutboxFlags.AskedFor) != 0 && MayAnswerTrigger)))
        {
            return;
        }
        if ((flags & OutboxFlags.Triggered) != 0 && (Outbox.Holds(request, protocol.SameTrigger) || AwaitsAnswerTo(request)))
        {
            return;
        }
        Outbox.Add(++LastOrder, new OutboundMessage(request, false, Now, scheduledFor, 1), flags);
    }

    /// <summary>Queues a transaction message at the end of the offline queue.</summary>
    public void Enqueue(TransactionMessageKind kind, int connectorId, long localRef, IOcppRequest request, DateTimeOffset? scheduledFor) =>
        Queue.Add(new QueuedTransactionMessage(kind, connectorId, localRef, request, Now, scheduledFor) { Order = ++LastOrder });

    private bool AwaitsAnswerTo(IOcppRequest request)
    {
        foreach (var context in sent.Values)
        {
            if (context.Trigger is { } waiting && protocol.SameTrigger(waiting, request))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The next message to send now: the outbox's next (<see cref="Outbox.TryTake"/>) unless an older transaction message is ready; then
    /// (online) the queue's head, one at a time, not before its retry time.
    /// </summary>
    public bool TryTakeOutbound(out OutboundMessage message)
    {
        var now = Now;
        if (IsConnected && Outbox.Count > 0)
        {
            var transactionFirst = IsOnline && Queue.TryPeekReady(now, out var ready) && ready.Order < Outbox.FirstOrder;
            if (!transactionFirst && Outbox.TryTake(Boot.Registration, out var candidate, out var flags))
            {
                message = candidate with { Sequence = ++nextSequence };
                sent[message.Sequence] = new SentMessage((flags & OutboxFlags.Boot) != 0 ? SentKind.Boot : SentKind.Other,
                    (flags & OutboxFlags.AskedFor) != 0 ? candidate.Request : null, protocol.ContextFor(candidate.Request));
                return true;
            }
        }
        while (IsOnline && Queue.TryPeekReady(now, out var head))
        {
            if (protocol.PrepareTransactionMessage(head, out var whyNot) is not { } request)
            {
                Queue.Remove(head);
                Signal(new TransactionMessageAbandoned(head.Kind, head.ConnectorId, head.LocalRef, head.FailedAttempts, whyNot ?? "it cannot be sent"));
                continue;
            }
            head.InFlightSequence = ++nextSequence;
            message = new OutboundMessage(request, true, head.CreatedAt, head.ScheduledFor, head.FailedAttempts + 1) { Sequence = head.InFlightSequence.Value };
            sent[message.Sequence] = new SentMessage(SentKind.TransactionMessage, null, null);
            return true;
        }
        message = null!;
        return false;
    }

    /// <summary>The CSMS answered a message handed out (ignored when not awaited: answered, failed or lost before). An answer of the wrong type is a failure.</summary>
    public void Answered(OutboundMessage message, IOcppResponse response)
    {
        if (message is null || response is null || !sent.Remove(message.Sequence, out var context))
        {
            return;
        }
        var expected = protocol.Messages.Contains(message.Request) ? protocol.Messages.Of(message.Request).ResponseType : null;
        if (expected != response.GetType())
        {
            Fail(message, context, new OutboundFailure.InvalidResponse($"expected {expected?.Name}, got {response.GetType().Name}"));
        }
        else if (context.Kind == SentKind.TransactionMessage)
        {
            if (Queue.InFlight(message.Sequence) is { } entry)
            {
                Queue.Remove(entry);
                protocol.TransactionMessageAnswered(entry, message.Request, response);
            }
        }
        else if (context.Kind == SentKind.Boot)
        {
            protocol.BootAnswered(response);
        }
        else
        {
            protocol.Answered(message.Request, response, context.Context);
        }
        protocol.Settle();
    }

    /// <summary>A message handed out got no usable answer (ignored when not awaited).</summary>
    public void Failed(OutboundMessage message, OutboundFailure failure)
    {
        if (message is null || failure is null || !sent.Remove(message.Sequence, out var context))
        {
            return;
        }
        Fail(message, context, failure);
        protocol.Settle();
    }

    private void Fail(OutboundMessage message, SentMessage context, OutboundFailure failure)
    {
        var connectionLost = failure is OutboundFailure.ConnectionLost;
        if (context.Kind == SentKind.TransactionMessage)
        {
            if (Queue.InFlight(message.Sequence) is not { } entry)
            {
                return;
            }
            var attempts = protocol.TransactionMessageAttempts;
            if (Queue.Failed(entry, message.Sequence, !connectionLost, attempts, protocol.TransactionMessageAttemptInterval, Now))
            {
                Signal(new TransactionMessageAbandoned(entry.Kind, entry.ConnectorId, entry.LocalRef, entry.FailedAttempts, $"{attempts} attempts failed, the last with {failure}"));
            }
        }
        else if (context.Kind == SentKind.Boot)
        {
            Boot.BootFailed(!connectionLost && IsConnected && !Boot.IsAccepted ? Now + protocol.Options.BootRetryInterval : null);
        }
        else
        {
            protocol.Failed(message.Request, failure, context.Context);
        }
    }

    // ───────────────────────── non-volatile memory ─────────────────────────

    /// <summary>
    /// What changed in the non-volatile state since the last call (the first call: everything), or null when nothing did. The memory
    /// part comes whenever a message was queued or the fingerprint changed (so saved registers follow the meter-value cadence), and
    /// with <paramref name="startAnswerChangesMemory"/> (1.6: the answer brought a transaction id) when a StartTransaction left; the
    /// queue comes as appended and removed entries. A turn that only removed delivered messages leaves the saved memory as it was.
    /// </summary>
    public ChargePointStateChanges? TakeStateChanges(bool startAnswerChangesMemory)
    {
        Queue.TakeChanges(out var appended, out var removed, out var startLeft);
        var fingerprint = protocol.MemoryFingerprint();
        if (appended is null && removed is null && fingerprint == savedFingerprint)
        {
            return null;
        }
        var memory = appended is not null || (startLeft && startAnswerChangesMemory) || fingerprint != savedFingerprint ? protocol.CaptureMemory() : null;
        savedFingerprint = fingerprint;
        return new ChargePointStateChanges(memory, appended ?? [], removed ?? []);
    }

    /// <summary>Restores only a fresh station: not connected, nothing queued, no transaction (<paramref name="transactionsRunning"/>).</summary>
    /// <exception cref="InvalidOperationException">The station is not fresh.</exception>
    public void EnsureRestorable(ChargePointPersistentState state, bool transactionsRunning)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (IsConnected || Queue.Count > 0 || transactionsRunning)
        {
            throw new InvalidOperationException("Restore a fresh model, before it connects.");
        }
    }

    /// <summary>Puts the saved queue back in order (as saved already) and continues the creation order after it.</summary>
    public void RestoreQueue(ChargePointPersistentState state)
    {
        LastOrder = Math.Max(state.Memory.NextOrder, state.Queue.Select(q => q.Order).DefaultIfEmpty(0).Max());
        foreach (var saved in state.Queue.OrderBy(q => q.Order))
        {
            Queue.AddSaved(new QueuedTransactionMessage(saved.Kind, saved.ConnectorId, saved.LocalRef, saved.Request, saved.CreatedAt, null)
            {
                Order = saved.Order,
                FailedAttempts = saved.FailedAttempts,
            });
        }
    }

    /// <summary>The whole non-volatile state now (for tests and tools; a store is fed by <see cref="TakeStateChanges"/>).</summary>
    public ChargePointPersistentState CaptureState() => new(protocol.CaptureMemory(), [.. Queue.Select(e => e.ToState())]);

    // ───────────────────────── signals ─────────────────────────

    public void Signal(ChargePointSignal signal) => signals.Enqueue(signal);

    public bool TryTakeSignal(out ChargePointSignal signal) => signals.TryDequeue(out signal!);

    // Room for one: the driver drains them after every call, so more wait only in a burst (a restore, a long offline spell).
    public void Produced(in TransactionMessageProduced message) => (produced ??= new(1)).Enqueue(message);

    public bool TryTakeProduced(out TransactionMessageProduced message)
    {
        if (produced is null)
        {
            message = default;
            return false;
        }
        return produced.TryDequeue(out message);
    }

    /// <summary>
    /// A message handed out and not answered yet. <c>Trigger</c>: the request, when it was asked for (see <see cref="IStationProtocol.SameTrigger"/>).
    /// A transaction message's entry is found again by its hand-out (<see cref="TransactionMessageQueue.InFlight"/>) rather than
    /// kept here: this dictionary lives as long as the station, and a fresh entry stored in it would make the next gen0
    /// collection scan its card.
    /// </summary>
    private readonly record struct SentMessage(SentKind Kind, IOcppRequest? Trigger, object? Context);

    private enum SentKind : byte
    {
        Other,
        Boot,
        TransactionMessage,
    }
}
