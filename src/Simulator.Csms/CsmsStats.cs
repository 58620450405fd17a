namespace Simulator.Csms;

public sealed record HandshakeRefusals(long NotWebSocket, long NoSubprotocol, long MissingId, long BadCredentials, long BadClientCertificate, long Http503, long InvalidId = 0, long WrongPath = 0);

/// <summary>TLS handshakes that failed, by cause (profiles 2 and 3).</summary>
public sealed record TlsRefusals(long TimedOut, long ClientCertificateRejected, long PeerClosed, long NotTls, long Failed);

/// <summary>What peers did wrong on open connections, and how the CSMS answered.</summary>
public sealed record ProtocolViolations(
    long InvalidUtf8Closed1007,
    long ProtocolErrorsClosed1002,
    long MessagesTooBigClosed1009,
    long MessageTimeoutsClosed1008,
    long PingTimeouts,
    long BinaryMessages,
    long CallsBeforeBootRefused,
    long CallsBeforeBootAccepted);

/// <summary>Accepts that failed because the process was out of file descriptors (EMFILE/ENFILE), and how often that began.</summary>
public sealed record AcceptFailures(long Episodes, long FailedAccepts);

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
    LedgerCounts Ledger,
    TlsRefusals? TlsRefused = null,
    ProtocolViolations? Violations = null,
    AcceptFailures? AcceptFailures = null,
    long HandlerFailures = 0,
    TransactionEventCounts? LedgerOcpp201 = null,
    ConnectionsByVersion? ConnectionsAcceptedByVersion = null);

/// <summary>Connections accepted, by the OCPP version their subprotocol negotiated.</summary>
public sealed record ConnectionsByVersion(long Ocpp16, long Ocpp201);

/// <summary>Counters of the CSMS, updated lock-free.</summary>
public sealed class CsmsStats
{
    private long _accepted, _replaced, _notWs, _noProtocol, _missingId, _badCredentials, _badCertificate, _invalidId, _wrongPath;
    private long _received, _sent, _answered, _errors, _timeouts, _invalid, _lost, _rejected, _ignored, _handlerFailures;
    private long _tlsTimeout, _tlsCertificate, _tlsClosed, _tlsNotTls, _tlsFailed;
    private long _utf8, _protocol, _tooBig, _messageTimeout, _pingTimeout, _binary, _preBootRefused, _preBootAccepted;
    private long _episodes, _failedAccepts;
    private long _accepted16, _accepted201;

    internal void Accepted(string version)
    {
        Interlocked.Increment(ref _accepted);
        Interlocked.Increment(ref version == "2.0.1" ? ref _accepted201 : ref _accepted16);
    }
    internal void Replaced() => Interlocked.Increment(ref _replaced);
    internal void RefusedNotWebSocket() => Interlocked.Increment(ref _notWs);
    internal void RefusedNoSubprotocol() => Interlocked.Increment(ref _noProtocol);
    internal void RefusedMissingId() => Interlocked.Increment(ref _missingId);
    internal void RefusedInvalidId() => Interlocked.Increment(ref _invalidId);
    internal void RefusedWrongPath() => Interlocked.Increment(ref _wrongPath);
    internal void RefusedCredentials() => Interlocked.Increment(ref _badCredentials);
    internal void RefusedCertificate() => Interlocked.Increment(ref _badCertificate);
    internal void CallReceived() => Interlocked.Increment(ref _received);
    internal void CallsSent() => Interlocked.Increment(ref _sent);
    internal void FrameRejected() => Interlocked.Increment(ref _rejected);
    internal void FrameIgnored() => Interlocked.Increment(ref _ignored);
    internal void HandlerFailed() => Interlocked.Increment(ref _handlerFailures);
    internal void TlsTimedOut() => Interlocked.Increment(ref _tlsTimeout);
    internal void TlsClientCertificateRejected() => Interlocked.Increment(ref _tlsCertificate);
    internal void TlsPeerClosed() => Interlocked.Increment(ref _tlsClosed);
    internal void TlsNotTls() => Interlocked.Increment(ref _tlsNotTls);
    internal void TlsFailed() => Interlocked.Increment(ref _tlsFailed);
    internal void ClosedInvalidUtf8() => Interlocked.Increment(ref _utf8);
    internal void ClosedProtocolError() => Interlocked.Increment(ref _protocol);
    internal void ClosedTooBig() => Interlocked.Increment(ref _tooBig);
    internal void ClosedMessageTimeout() => Interlocked.Increment(ref _messageTimeout);
    internal void PingTimedOut() => Interlocked.Increment(ref _pingTimeout);
    internal void BinaryMessage() => Interlocked.Increment(ref _binary);
    internal void CallBeforeBoot(bool refused) => Interlocked.Increment(ref refused ? ref _preBootRefused : ref _preBootAccepted);
    internal void DescriptorEpisode() => Interlocked.Increment(ref _episodes);
    internal void AcceptFailed() => Interlocked.Increment(ref _failedAccepts);

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

    internal CsmsStatsSnapshot Snapshot(int open, FaultCounts faults, LedgerCounts ledger, TransactionEventCounts ledger201) => new(
        open, Read(ref _accepted), Read(ref _replaced),
        new HandshakeRefusals(Read(ref _notWs), Read(ref _noProtocol), Read(ref _missingId), Read(ref _badCredentials), Read(ref _badCertificate), faults.ConnectionsRefusedHttp503,
            Read(ref _invalidId), Read(ref _wrongPath)),
        Read(ref _received), Read(ref _sent), Read(ref _answered), Read(ref _errors), Read(ref _timeouts), Read(ref _invalid), Read(ref _lost),
        Read(ref _rejected), Read(ref _ignored), faults, ledger,
        new TlsRefusals(Read(ref _tlsTimeout), Read(ref _tlsCertificate), Read(ref _tlsClosed), Read(ref _tlsNotTls), Read(ref _tlsFailed)),
        new ProtocolViolations(Read(ref _utf8), Read(ref _protocol), Read(ref _tooBig), Read(ref _messageTimeout), Read(ref _pingTimeout), Read(ref _binary),
            Read(ref _preBootRefused), Read(ref _preBootAccepted)),
        new AcceptFailures(Read(ref _episodes), Read(ref _failedAccepts)),
        Read(ref _handlerFailures),
        ledger201,
        new ConnectionsByVersion(Read(ref _accepted16), Read(ref _accepted201)));

    private static long Read(ref long field) => Interlocked.Read(ref field);
}
