using System.Collections.Concurrent;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms;

public sealed record ConnectorState(int ConnectorId, ChargePointStatus Status, ChargePointErrorCode ErrorCode, DateTimeOffset? Timestamp, DateTimeOffset ReceivedAt);

public sealed record ActiveTransaction(int TransactionId, int ConnectorId, string IdTag, int MeterStart, DateTimeOffset StartedAt);

public sealed record SecurityEventRecord(string Type, DateTimeOffset Timestamp, string? TechInfo, DateTimeOffset ReceivedAt);

/// <summary>A consistent copy of one charge point's state.</summary>
public sealed record ChargePointSnapshot(
    string ChargeBoxId,
    bool Connected,
    DateTimeOffset? ConnectedSince,
    int Connections,
    bool Booted,
    string? BootStatus,
    string? Vendor,
    string? Model,
    string? FirmwareVersion,
    DateTimeOffset? LastHeartbeat,
    long MessagesReceived,
    IReadOnlyList<ConnectorState> Connectors,
    IReadOnlyList<ActiveTransaction> ActiveTransactions,
    int SecurityEventCount,
    IReadOnlyList<SecurityEventRecord> RecentSecurityEvents,
    string? DiagnosticsStatus,
    string? FirmwareStatus,
    string? LogStatus,
    string? SignedFirmwareStatus,
    string? LastCertificateSigned,
    string? LastDisconnect)
{
    /// <summary>The OCPP version of the latest connection ("1.6", "2.0.1"), or null before the first.</summary>
    public string? OcppVersion { get; init; }

    /// <summary>What a 2.0.1 station reported beyond the shared fields; null until it reported any (always for a 1.6 charge point).</summary>
    public Ocpp201Snapshot? Ocpp201 { get; init; }
}

/// <summary>One charge point's state; every member is guarded by the instance lock.</summary>
public sealed class ChargePointState(string chargeBoxId)
{
    /// <summary>Security events kept per charge point (the count keeps going).</summary>
    public const int MaxSecurityEventsKept = 200;

    private readonly Lock _lock = new();
    private readonly Dictionary<int, ConnectorState> _connectors = [];
    private readonly Dictionary<int, ActiveTransaction> _transactions = [];
    private readonly Queue<SecurityEventRecord> _events = new();
    private int _eventCount;
    private bool _connected;
    private DateTimeOffset? _connectedSince;
    private int _connections;
    private bool _booted;
    private string? _bootStatus, _vendor, _model, _firmware, _diag, _fw, _log, _signedFw, _certSigned, _lastDisconnect;
    private DateTimeOffset? _lastHeartbeat;
    private long _messages;
    private readonly List<string> _logHistory = [];
    private readonly List<string> _signedFwHistory = [];
    private string? _clientCertificateSerial;
    private string? _version;
    private Ocpp201State? _ocpp201;

    /// <summary>Statuses kept in order (the last 50) for LogStatusNotification and SignedFirmwareStatusNotification, as "status#requestId".</summary>
    public const int MaxStatusHistory = 50;

    public IReadOnlyList<string> LogStatusHistory
    {
        get { lock (_lock) { return [.. _logHistory]; } }
    }

    public IReadOnlyList<string> SignedFirmwareStatusHistory
    {
        get { lock (_lock) { return [.. _signedFwHistory]; } }
    }

    /// <summary>Serial number (hex) of the client certificate of the latest connection (security profile 3).</summary>
    public string? ClientCertificateSerial
    {
        get { lock (_lock) { return _clientCertificateSerial; } }
    }

    public void OnClientCertificate(string? serial) { lock (_lock) { _clientCertificateSerial = serial; } }

    public void OnLogStatus(string status, int? requestId)
    {
        lock (_lock)
        {
            _log = status;
            Keep(_logHistory, requestId is null ? status : $"{status}#{requestId}");
        }
    }

    public void OnSignedFirmwareStatus(string status, int? requestId)
    {
        lock (_lock)
        {
            _signedFw = status;
            Keep(_signedFwHistory, requestId is null ? status : $"{status}#{requestId}");
        }
    }

    private static void Keep(List<string> history, string entry)
    {
        history.Add(entry);
        if (history.Count > MaxStatusHistory)
        {
            history.RemoveAt(0);
        }
    }

    public string ChargeBoxId { get; } = chargeBoxId;

    /// <summary>Whether this CSMS's last answer to the charge point's BootNotification was Accepted.</summary>
    public bool IsBooted
    {
        get { lock (_lock) { return _booted; } }
    }

    /// <summary>This CSMS's last answer to the charge point's BootNotification, or null when it sent none.</summary>
    public string? BootStatus
    {
        get { lock (_lock) { return _bootStatus; } }
    }

    public bool IsConnected
    {
        get { lock (_lock) { return _connected; } }
    }

    public void OnConnected(DateTimeOffset now, string version = "1.6")
    {
        lock (_lock) { _connected = true; _connectedSince = now; _connections++; _version = version; }
    }

    /// <summary>The 2.0.1 part of the state, made when first asked for (a 1.6 charge point never has one).</summary>
    public Ocpp201State Ocpp201
    {
        get { lock (_lock) { return _ocpp201 ??= new Ocpp201State(); } }
    }

    /// <summary>The connection ended; <paramref name="how"/> says who closed it and with which status, or that it was lost.</summary>
    public void OnDisconnected(string how)
    {
        lock (_lock) { _connected = false; _connectedSince = null; _lastDisconnect = how; }
    }

    public void OnMessage()
    {
        lock (_lock) { _messages++; }
    }

    /// <summary>A BootNotification and this CSMS's answer to it ("Accepted", "Pending", "Rejected").</summary>
    public void OnBoot(string vendor, string model, string? firmware, string status)
    {
        lock (_lock)
        {
            _vendor = vendor;
            _model = model;
            _firmware = firmware;
            _bootStatus = status;
            _booted = status == "Accepted";
        }
    }

    public void OnHeartbeat(DateTimeOffset now)
    {
        lock (_lock) { _lastHeartbeat = now; }
    }

    public void OnStatus(ConnectorState state)
    {
        lock (_lock) { _connectors[state.ConnectorId] = state; }
    }

    public ConnectorState? Connector(int connectorId)
    {
        lock (_lock) { return _connectors.GetValueOrDefault(connectorId); }
    }

    public void OnTransactionStarted(ActiveTransaction transaction)
    {
        lock (_lock) { _transactions[transaction.TransactionId] = transaction; }
    }

    public bool OnTransactionStopped(int transactionId)
    {
        lock (_lock) { return _transactions.Remove(transactionId); }
    }

    public void OnSecurityEvent(SecurityEventRecord record)
    {
        lock (_lock)
        {
            _eventCount++;
            _events.Enqueue(record);
            if (_events.Count > MaxSecurityEventsKept)
            {
                _events.Dequeue();
            }
        }
    }

    public void OnDiagnosticsStatus(string status) { lock (_lock) { _diag = status; } }

    public void OnFirmwareStatus(string status) { lock (_lock) { _fw = status; } }

    public void OnCertificateSigned(string outcome) { lock (_lock) { _certSigned = outcome; } }

    public ChargePointSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new ChargePointSnapshot(
                ChargeBoxId, _connected, _connectedSince, _connections, _booted, _bootStatus, _vendor, _model, _firmware, _lastHeartbeat, _messages,
                [.. _connectors.Values.OrderBy(c => c.ConnectorId)],
                [.. _transactions.Values.OrderBy(t => t.TransactionId)],
                _eventCount, [.. _events], _diag, _fw, _log, _signedFw, _certSigned, _lastDisconnect)
            {
                OcppVersion = _version,
                Ocpp201 = _ocpp201?.Snapshot(),
            };
        }
    }
}

/// <summary>Every charge point the CSMS has seen, by chargeBoxId. Thread-safe.</summary>
public sealed class ChargePointRegistry
{
    private readonly ConcurrentDictionary<string, ChargePointState> _states = new(StringComparer.Ordinal);

    public ChargePointState GetOrAdd(string chargeBoxId) => _states.GetOrAdd(chargeBoxId, static id => new ChargePointState(id));

    public ChargePointState? Find(string chargeBoxId) => _states.GetValueOrDefault(chargeBoxId);

    public IReadOnlyList<ChargePointSnapshot> Snapshot() => [.. _states.Values.Select(s => s.Snapshot()).OrderBy(s => s.ChargeBoxId, StringComparer.Ordinal)];

    public int Count => _states.Count;
}
