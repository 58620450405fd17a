namespace Simulator.Metrics;

/// <summary>
/// Every instrument name FleetSim exposes. The .NET instrument name is the Prometheus series name: the exporter's bridge
/// publishes it unchanged (verified by the scrape test), and OTLP receivers see the same name.
/// </summary>
public static class MetricNames
{
    public const string MeterName = "FleetSim";

    public const string CallDuration = "fleetsim_ocpp_call_duration_seconds";
    public const string CallIntendedDuration = "fleetsim_ocpp_call_intended_duration_seconds";
    public const string QueueWait = "fleetsim_ocpp_queue_wait_seconds";
    public const string MessagesSent = "fleetsim_ocpp_messages_sent_total";
    public const string MessagesReceived = "fleetsim_ocpp_messages_received_total";
    public const string CallErrors = "fleetsim_ocpp_call_errors_total";
    public const string CallTimeouts = "fleetsim_ocpp_call_timeouts_total";
    public const string WebSocketConnectDuration = "fleetsim_websocket_connect_duration_seconds";
    public const string TlsHandshakeDuration = "fleetsim_tls_handshake_duration_seconds";
    public const string WebSocketUpgradeDuration = "fleetsim_websocket_upgrade_duration_seconds";
    public const string ConnectionAttempts = "fleetsim_connection_attempts_total";
    public const string Connected = "fleetsim_charge_points_connected";
    public const string Booted = "fleetsim_charge_points_booted";
    public const string Reconnects = "fleetsim_reconnects_total";
    public const string OfflineQueueDepth = "fleetsim_offline_queue_depth";
    public const string OfflineQueueOldestAge = "fleetsim_offline_queue_oldest_age_seconds";
    public const string SessionsActive = "fleetsim_sessions_active";
    public const string SessionsStarted = "fleetsim_sessions_started_total";
    public const string SessionsCompleted = "fleetsim_sessions_completed_total";
    public const string EnergyDelivered = "fleetsim_energy_delivered_watt_hours_total";
    public const string SchedulerLag = "fleetsim_scheduler_lag_seconds";
    public const string SecurityEvents = "fleetsim_security_events_total";
    public const string FileTransfers = "fleetsim_file_transfers_total";
    public const string MessagesLost = "fleetsim_ledger_messages_lost";
    public const string MessagesDuplicated = "fleetsim_ledger_messages_duplicated";
    public const string CsmsProtocolViolations = "fleetsim_csms_protocol_violations_total";
    public const string ResponseStatuses = "fleetsim_ocpp_response_status_total";

    /// <summary>Latency buckets (seconds) for every duration histogram: 1 ms to 60 s.</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Buckets for scheduler lag (seconds): timer slack is sub-millisecond, stalls reach seconds.</summary>
    public static IReadOnlyList<double> SchedulerLagBuckets { get; } =
        [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Label names.</summary>
    public static class Labels
    {
        public const string Node = "node";
        public const string Action = "action";
        public const string Direction = "direction";
        public const string Outcome = "outcome";
        public const string Code = "code";
        public const string Result = "result";
        public const string Type = "type";
        public const string Kind = "kind";
        public const string Status = "status";
        /// <summary>The OCPP version of the charge points that made or answered the call ("1.6", "2.0.1"); every per-action series has it.</summary>
        public const string OcppVersion = "ocpp_version";
    }
}
