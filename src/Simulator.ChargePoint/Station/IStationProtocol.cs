using Simulator.Ocpp;
using Simulator.Ocpp.Messages;

namespace Simulator.ChargePoint.Station;

/// <summary>What the version-neutral <see cref="StationCore"/> asks of the OCPP version's model (1.6 or 2.0.1).</summary>
internal interface IStationProtocol
{
    OcppMessageSet Messages { get; }

    ChargePointOptions Options { get; }

    /// <summary>The heartbeat interval in seconds now (≤ 0: none).</summary>
    int HeartbeatIntervalSeconds { get; }

    /// <summary>How often a transaction message is tried before it is dropped (1.6 TransactionMessageAttempts, 2.0.1 MessageAttempts).</summary>
    int TransactionMessageAttempts { get; }

    /// <summary>Seconds between tries, times the failed attempts (1.6 TransactionMessageRetryInterval, 2.0.1 MessageAttemptInterval).</summary>
    int TransactionMessageAttemptInterval { get; }

    IOcppRequest BootNotification();

    IOcppRequest Heartbeat();

    /// <summary>A triggered <paramref name="request"/> would repeat <paramref name="queued"/> (same message, same connector).</summary>
    bool SameTrigger(IOcppRequest queued, IOcppRequest request);

    /// <summary>What the model wants back with the answer or failure of this non-transaction message (1.6: the authorization an Authorize is for).</summary>
    object? ContextFor(IOcppRequest request);

    /// <summary>The request to send for the queue's head, or null (with the reason) when it can never go; it is then dropped.</summary>
    IOcppRequest? PrepareTransactionMessage(QueuedTransactionMessage entry, out string? whyNot);

    /// <summary>A BootNotification was answered: the model learns the CSMS time, calls <see cref="StationCore.BootAnswered"/> and, when Accepted, starts its cadences.</summary>
    void BootAnswered(IOcppResponse response);

    /// <summary>A non-transaction message other than BootNotification was answered.</summary>
    void Answered(IOcppRequest request, IOcppResponse response, object? context);

    void TransactionMessageAnswered(QueuedTransactionMessage entry, IOcppRequest request, IOcppResponse response);

    /// <summary>A non-transaction message other than BootNotification got no usable answer.</summary>
    void Failed(IOcppRequest request, OutboundFailure failure, object? context);

    /// <summary>The small non-volatile state now (counters, registers, open transactions).</summary>
    ChargePointMemory CaptureMemory();

    /// <summary>Changes whenever the open transactions (or other parts of <see cref="CaptureMemory"/> not driven by the queue) change.</summary>
    long MemoryFingerprint();

    /// <summary>Brings the model's derived state up to date after the core changed it (connected, an answer, a failure).</summary>
    void Settle();
}
