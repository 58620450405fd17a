using Microsoft.Extensions.Time.Testing;
using Simulator.ChargePoint.Station;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using static Simulator.ChargePoint.Tests.Station.Samples;

namespace Simulator.ChargePoint.Tests.Station;

/// <summary>The core through a minimal 1.6-shaped protocol: what it sends when, and what it reports back to the model.</summary>
public class StationCoreTests
{
    private sealed class Protocol : IStationProtocol
    {
        public OcppMessageSet Messages => Ocpp16.Messages;
        public ChargePointOptions Options { get; init; } = new() { ChargeBoxId = "CP-1", Connectors = 1, BootRetryInterval = TimeSpan.FromSeconds(45) };
        public int HeartbeatIntervalSeconds { get; set; } = 100;
        public int TransactionMessageAttempts { get; set; } = 2;
        public int TransactionMessageAttemptInterval { get; set; } = 10;
        public Func<QueuedTransactionMessage, IOcppRequest?> Prepare { get; set; } = e => e.Request;
        public List<IOcppResponse> Answered { get; } = [];
        public List<QueuedTransactionMessage> TransactionsAnswered { get; } = [];
        public List<(IOcppRequest Request, OutboundFailure Failure)> Failed { get; } = [];
        public int Settled { get; private set; }
        public StationCore Core { get; set; } = null!;

        public IOcppRequest BootNotification() => new BootNotificationRequest { ChargePointVendor = "V", ChargePointModel = "M" };
        public IOcppRequest Heartbeat() => new HeartbeatRequest();

        public bool SameTrigger(IOcppRequest queued, IOcppRequest request) => (queued, request) switch
        {
            (StatusNotificationRequest a, StatusNotificationRequest b) => a.ConnectorId == b.ConnectorId,
            _ => queued.GetType() == request.GetType(),
        };

        public object? ContextFor(IOcppRequest request) => request is HeartbeatRequest ? "context" : null;

        public IOcppRequest? PrepareTransactionMessage(QueuedTransactionMessage entry, out string? whyNot)
        {
            whyNot = "no id";
            return Prepare(entry);
        }

        public void BootAnswered(IOcppResponse response)
        {
            var boot = (BootNotificationResponse)response;
            if (Core.BootAnswered((Registration)boot.Status, boot.Interval))
            {
                Core.ScheduleHeartbeat();
            }
        }

        void IStationProtocol.Answered(IOcppRequest request, IOcppResponse response, object? context) => Answered.Add(response);
        public void TransactionMessageAnswered(QueuedTransactionMessage entry, IOcppRequest request, IOcppResponse response) => TransactionsAnswered.Add(entry);
        void IStationProtocol.Failed(IOcppRequest request, OutboundFailure failure, object? context) => Failed.Add((request, failure));
        public ChargePointMemory CaptureMemory() => new(0, Core.LastOrder, T0, [], [], []);
        public long MemoryFingerprint() => 0;
        public void Settle() => Settled++;
    }

    private static (StationCore Core, Protocol Protocol, FakeTimeProvider Clock) Create()
    {
        var clock = new FakeTimeProvider(T0);
        var protocol = new Protocol();
        protocol.Core = new StationCore(protocol, clock);
        return (protocol.Core, protocol, clock);
    }

    private static BootNotificationResponse BootAnswer(RegistrationStatus status, int interval = 100) => new() { Status = status, CurrentTime = T0, Interval = interval };

    private static OutboundMessage Take(StationCore core)
    {
        Assert.True(core.TryTakeOutbound(out var message));
        return message;
    }

    private static (StationCore, Protocol, FakeTimeProvider) Booted()
    {
        var (core, protocol, clock) = Create();
        core.Connected();
        core.Answered(Take(core), BootAnswer(RegistrationStatus.Accepted));
        return (core, protocol, clock);
    }

    [Fact]
    public void Connecting_boots_and_an_accepted_boot_starts_the_heartbeat_that_Advance_sends_on_time()
    {
        var (core, protocol, clock) = Create();
        core.Send(new HeartbeatRequest(), null, OutboxFlags.None);   // not connected: dropped
        core.Connected();
        Assert.Equal(1, protocol.Settled);
        var boot = Take(core);
        Assert.IsType<BootNotificationRequest>(boot.Request);
        Assert.False(core.TryTakeOutbound(out _));
        core.QueueBoot();   // one in flight already
        Assert.False(core.TryTakeOutbound(out _));

        core.Answered(boot, BootAnswer(RegistrationStatus.Accepted));
        Assert.True(core.IsOnline);
        Assert.Equal(T0.AddSeconds(100), core.NextDueAt());
        clock.Advance(TimeSpan.FromSeconds(100));
        core.Advance();
        var beat = Take(core);
        Assert.IsType<HeartbeatRequest>(beat.Request);
        Assert.Equal(T0.AddSeconds(100), beat.ScheduledFor);
        Assert.Equal(T0.AddSeconds(200), core.NextDueAt());
    }

    [Fact]
    public void A_failed_boot_retries_after_BootRetryInterval_but_not_after_a_lost_connection()
    {
        var (core, _, clock) = Create();
        core.Connected();
        core.Failed(Take(core), OutboundFailure.Timeout.Instance);
        Assert.Equal(T0.AddSeconds(45), core.NextDueAt());
        clock.Advance(TimeSpan.FromSeconds(45));
        core.Advance();
        var again = Take(core);
        Assert.IsType<BootNotificationRequest>(again.Request);

        core.Failed(again, OutboundFailure.ConnectionLost.Instance);
        Assert.Null(core.NextDueAt());
    }

    [Fact]
    public void While_Pending_only_asked_for_messages_go_and_a_repeated_trigger_is_not_queued_while_one_waits_or_is_in_flight()
    {
        var (core, _, _) = Create();
        core.Connected();
        core.Answered(Take(core), BootAnswer(RegistrationStatus.Pending, 60));
        Assert.True(core.MayAnswerTrigger);

        core.Send(new HeartbeatRequest(), null, OutboxFlags.None);   // own message while Pending: dropped
        core.Send(Status(1), null, OutboxFlags.Triggered);
        core.Send(Status(1), null, OutboxFlags.Triggered);   // waits already
        core.Send(Status(2), null, OutboxFlags.Triggered);
        var first = Take(core);
        Assert.Equal(1, Assert.IsType<StatusNotificationRequest>(first.Request).ConnectorId);
        core.Send(Status(1), null, OutboxFlags.Triggered);   // in flight, not answered yet
        Assert.Equal(2, Assert.IsType<StatusNotificationRequest>(Take(core).Request).ConnectorId);
        Assert.False(core.TryTakeOutbound(out _));

        core.Answered(first, new StatusNotificationResponse());
        core.Send(Status(1), null, OutboxFlags.Triggered);   // answered: a new trigger goes again
        Assert.Equal(1, Assert.IsType<StatusNotificationRequest>(Take(core).Request).ConnectorId);
    }

    [Fact]
    public void An_older_ready_transaction_message_goes_before_newer_messages_and_one_at_a_time()
    {
        var (core, protocol, _) = Booted();
        core.Enqueue(TransactionMessageKind.StartTransaction, 1, 1, Start(), null);
        core.Send(Status(1), null, OutboxFlags.None);
        core.Enqueue(TransactionMessageKind.StopTransaction, 1, 1, new StopTransactionRequest { MeterStop = 5, Timestamp = T0, TransactionId = 0 }, null);

        var start = Take(core);
        Assert.True(start.IsTransactionMessage);
        Assert.Equal(1, start.Attempt);
        Assert.IsType<StatusNotificationRequest>(Take(core).Request);
        Assert.False(core.TryTakeOutbound(out _));   // the stop waits for the start's answer
        Assert.Equal(2, core.Queue.Count);

        core.Answered(start, new StartTransactionResponse { TransactionId = 9, IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } });
        Assert.Single(protocol.TransactionsAnswered);
        Assert.IsType<StopTransactionRequest>(Take(core).Request);
    }

    [Fact]
    public void Failures_spend_attempts_then_the_message_is_abandoned_with_a_signal_and_a_lost_connection_spends_none()
    {
        var (core, _, clock) = Booted();
        core.Enqueue(TransactionMessageKind.StartTransaction, 1, 1, Start(), null);

        core.Failed(Take(core), OutboundFailure.ConnectionLost.Instance);
        var again = Take(core);
        Assert.Equal(1, again.Attempt);   // no attempt spent

        core.Answered(again, new HeartbeatResponse { CurrentTime = T0 });   // the wrong answer is a failed attempt
        Assert.False(core.TryTakeOutbound(out _));
        Assert.Equal(T0.AddSeconds(10), core.NextDueAt());
        clock.Advance(TimeSpan.FromSeconds(10));
        var second = Take(core);
        Assert.Equal(2, second.Attempt);
        core.Failed(second, new OutboundFailure.CallError(OcppErrorCode.InternalError));

        Assert.Empty(core.Queue);
        Assert.True(core.TryTakeSignal(out var signal));
        var abandoned = Assert.IsType<TransactionMessageAbandoned>(signal);
        Assert.Equal(2, abandoned.Attempts);
        Assert.Contains("2 attempts failed", abandoned.Reason);
    }

    [Fact]
    public void A_transaction_message_that_can_never_go_is_dropped_with_the_reason_and_the_next_one_goes()
    {
        var (core, protocol, _) = Booted();
        protocol.Prepare = e => e.Request is StopTransactionRequest ? null : e.Request;
        core.Enqueue(TransactionMessageKind.StopTransaction, 1, 1, new StopTransactionRequest { MeterStop = 5, Timestamp = T0, TransactionId = 0 }, null);
        core.Enqueue(TransactionMessageKind.StartTransaction, 1, 2, Start(), null);

        Assert.IsType<StartTransactionRequest>(Take(core).Request);
        Assert.True(core.TryTakeSignal(out var signal));
        Assert.Equal("no id", Assert.IsType<TransactionMessageAbandoned>(signal).Reason);
    }

    [Fact]
    public void Disconnecting_drops_other_messages_keeps_the_queue_and_ignores_late_answers()
    {
        var (core, protocol, _) = Booted();
        core.Send(new HeartbeatRequest(), null, OutboxFlags.None);
        core.Enqueue(TransactionMessageKind.StartTransaction, 1, 1, Start(), null);
        var start = Take(core);
        var beat = Take(core);
        core.Send(Status(1), null, OutboxFlags.None);
        Assert.True(core.HasOutstandingMessages);

        core.Disconnected();
        Assert.False(core.HasOutstandingMessages);
        Assert.Single(core.Queue);
        var settled = protocol.Settled;
        core.Answered(beat, new HeartbeatResponse { CurrentTime = T0 });
        core.Failed(start, OutboundFailure.Timeout.Instance);
        Assert.Empty(protocol.Answered);
        Assert.Equal(settled, protocol.Settled);   // not awaited: nothing happened

        core.Connected();   // accepted before: no boot, the queue resumes
        var resent = Take(core);
        Assert.IsType<StartTransactionRequest>(resent.Request);
        Assert.Equal(1, resent.Attempt);
    }

    [Fact]
    public void Answers_reach_the_model_with_their_context_and_failures_other_than_boot_are_reported()
    {
        var (core, protocol, _) = Booted();
        core.Send(new HeartbeatRequest(), null, OutboxFlags.None);
        core.Send(Status(1), null, OutboxFlags.None);
        core.Answered(Take(core), new HeartbeatResponse { CurrentTime = T0 });
        core.Failed(Take(core), OutboundFailure.Timeout.Instance);
        Assert.IsType<HeartbeatResponse>(Assert.Single(protocol.Answered));
        Assert.IsType<StatusNotificationRequest>(Assert.Single(protocol.Failed).Request);
    }

    [Fact]
    public void TakeStateChanges_brings_the_memory_with_queued_messages_and_only_the_removal_after_delivery()
    {
        var (core, _, _) = Booted();
        Assert.NotNull(core.TakeStateChanges(false)!.Memory);   // the first call: everything
        Assert.Null(core.TakeStateChanges(false));

        core.Enqueue(TransactionMessageKind.StartTransaction, 1, 1, Start(), null);
        var changes = core.TakeStateChanges(false)!;
        Assert.NotNull(changes.Memory);
        Assert.Single(changes.Appended);

        core.Answered(Take(core), new StartTransactionResponse { TransactionId = 9, IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } });
        var withoutIds = core.TakeStateChanges(false)!;
        Assert.Null(withoutIds.Memory);
        Assert.Single(withoutIds.Removed);

        var (core16, _, _) = Booted();
        core16.TakeStateChanges(true);
        core16.Enqueue(TransactionMessageKind.StartTransaction, 1, 1, Start(), null);
        core16.TakeStateChanges(true);
        core16.Answered(Take(core16), new StartTransactionResponse { TransactionId = 9, IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } });
        Assert.NotNull(core16.TakeStateChanges(true)!.Memory);   // the answer brought an id the memory keeps
    }

    [Fact]
    public void The_clock_aligned_grid_counts_from_midnight_and_restarts_there()
    {
        Assert.Equal(T0.AddMinutes(15), StationCore.NextAligned(T0, 900));
        Assert.Equal(T0.AddMinutes(15), StationCore.NextAligned(T0.AddMinutes(1), 900));
        Assert.Equal(T0.AddHours(4), StationCore.NextAligned(T0, 7 * 3600));   // 00:00, 07:00, 14:00, 21:00
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), StationCore.NextAligned(T0.AddHours(12), 7 * 3600));   // after 21:00: midnight, not 04:00
        Assert.Null(StationCore.NextAligned(T0, 0));
    }
}
