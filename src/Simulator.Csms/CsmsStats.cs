namespace Simulator.Csms;

public sealed record HandshakeRefusals(long NotWebSocket, long NoSubprotocol, long MissingId, long BadCredentials, long BadClientCertificate, long Http503);

public sealed record CsmsStatsSnapshot(
    int ConnectionsOpen,
    long ConnectionsAccepted,
    long ConnectionsReplaced,
    HandshakeRefusals Refused,
    long CallsReceived,
    long CallsSent,
    long CallsAnswered,
    long CallErrorsReceived,
    long CallTimeouts,
    long InvalidResponses,
    long CallsLostWithConnection,
    long FramesRejected,
    long FramesIgnored,
    FaultCounts Faults,
    LedgerCounts Ledger);

/// <summary>Counters of the CSMS, updated lock-free.</summary>
public sealed class CsmsStats
{
    private long _accepted, _replaced, _notWs, _noProtocol, _missingId, _badCredentials, _badCertificate;
    private long _received, _sent, _answered, _errors, _timeouts, _invalid, _lost, _rejected, _ignored;

    internal void Accepted() => Interlocked.Increment(ref _accepted);
    internal void Replaced() => Interlocked.Increment(ref _replaced);
    internal void RefusedNotWebSocket() => Interlocked.Increment(ref _notWs);
    internal void RefusedNoSubprotocol() => Interlocked.Increment(ref _noProtocol);
    internal void RefusedMissingId() => Interlocked.Increment(ref _missingId);
    internal void RefusedCredentials() => Interlocked.Increment(ref _badCredentials);
    internal void RefusedCertificate() => Interlocked.Increment(ref _badCertificate);
    internal void CallReceived() => Interlocked.Increment(ref _received);
    internal void CallsSent() => Interlocked.Increment(ref _sent);
    internal void FrameRejected() => Interlocked.Increment(ref _rejected);
    internal void FrameIgnored() => Interlocked.Increment(ref _ignored);

    internal void CallCompleted(CallStatus status)
    {
        switch (status)
        {
            case CallStatus.Answered: Interlocked.Increment(ref _answered); break;
            case CallStatus.CallError: Interlocked.Increment(ref _errors); break;
            case CallStatus.Timeout: Interlocked.Increment(ref _timeouts); break;
            case CallStatus.InvalidResponse: Interlocked.Increment(ref _invalid); break;
            default: Interlocked.Increment(ref _lost); break;
        }
    }

    internal CsmsStatsSnapshot Snapshot(int open, FaultCounts faults, LedgerCounts ledger) => new(
        open, Read(ref _accepted), Read(ref _replaced),
        new HandshakeRefusals(Read(ref _notWs), Read(ref _noProtocol), Read(ref _missingId), Read(ref _badCredentials), Read(ref _badCertificate), faults.ConnectionsRefusedHttp503),
        Read(ref _received), Read(ref _sent), Read(ref _answered), Read(ref _errors), Read(ref _timeouts), Read(ref _invalid), Read(ref _lost),
        Read(ref _rejected), Read(ref _ignored), faults, ledger);

    private static long Read(ref long field) => Interlocked.Read(ref field);
}
