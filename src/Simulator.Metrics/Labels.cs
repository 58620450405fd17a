namespace Simulator.Metrics;

/// <summary>Message directions as they appear in labels and reports.</summary>
public static class Directions
{
    public const string CpToCsms = "cp_to_csms";
    public const string CsmsToCp = "csms_to_cp";

    public static bool IsValid(string direction) => direction is CpToCsms or CsmsToCp;
}

/// <summary>How an OCPP CALL ended.</summary>
public enum CallOutcome
{
    Ok,
    CallError,
    Timeout,
}

/// <summary>Label values for <see cref="CallOutcome"/>.</summary>
public static class Outcomes
{
    public const string Ok = "ok";
    public const string CallError = "callerror";
    public const string Timeout = "timeout";

    public static string ToLabel(this CallOutcome outcome) => outcome switch
    {
        CallOutcome.Ok => Ok,
        CallOutcome.CallError => CallError,
        CallOutcome.Timeout => Timeout,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown call outcome"),
    };
}

/// <summary>
/// Results of a connection attempt (the <c>result</c> label of <c>fleetsim_connection_attempts_total</c>).
/// The set is closed so that the label stays low-cardinality.
/// </summary>
public static class ConnectResults
{
    public const string Ok = "ok";
    public const string Refused = "refused";
    public const string TlsFailure = "tls_failure";
    public const string Timeout = "timeout";
    public const string Other = "other";

    private static readonly string[] HttpLabels = CreateHttpLabels();

    /// <summary>The label for a refused WebSocket upgrade answered with an HTTP status, e.g. <c>http_401</c>.</summary>
    public static string Http(int status) =>
        status is >= 100 and <= 599 ? HttpLabels[status - 100] : Other;

    /// <summary>TLS failures by cause, as the transport names them (tls_certificate, tls_hostname, tls_version, tls_cipher, tls_client_certificate, tls_expected: ws:// to a TLS port, tls_not_offered: wss:// to a plain port, ...).</summary>
    private static readonly HashSet<string> TlsCauses = new(StringComparer.Ordinal)
    {
        "tls_certificate", "tls_hostname", "tls_no_certificate", "tls_version", "tls_cipher", "tls_handshake", "tls_client_certificate",
        "tls_expected", "tls_not_offered", "tls_other",
    };

    /// <summary>Other failures the transport tells apart (its <c>ConnectFailure.Cause</c>).</summary>
    private static readonly HashSet<string> OtherCauses = new(StringComparer.Ordinal) { "dns", "unreachable", "closed", "network_error", "subprotocol_rejected", "protocol_violation" };

    /// <summary>The label for a failed TLS handshake by cause (the transport's <c>ConnectFailure.Cause</c>); unknown causes count as <see cref="TlsFailure"/>.</summary>
    public static string Tls(string cause) => cause is not null && TlsCauses.Contains(cause) ? cause : TlsFailure;

    /// <summary>The label for another failure by the transport's cause (dns, unreachable, closed, network_error, subprotocol_rejected, protocol_violation); unknown ones are <see cref="Other"/>.</summary>
    public static string Cause(string cause) => cause is not null && OtherCauses.Contains(cause) ? cause : Other;

    /// <summary>True for one of the constants above, a TLS cause or an <c>http_NNN</c> label.</summary>
    public static bool IsValid(string result) =>
        result is Ok or Refused or TlsFailure or Timeout or Other
        || TlsCauses.Contains(result)
        || OtherCauses.Contains(result)
        || (result.Length == 8 && result.StartsWith("http_", StringComparison.Ordinal)
            && int.TryParse(result.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s)
            && s is >= 100 and <= 599);

    private static string[] CreateHttpLabels()
    {
        var labels = new string[500];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http_{i + 100}");
        }

        return labels;
    }
}

/// <summary>Exit codes of a FleetSim run, as k6 defines them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int ThresholdFailed = 99;
    public const int InvalidArguments = 104;
    public const int Aborted = 105;
    public const int InternalError = 107;
}

/// <summary>File transfer directions as they appear in labels and reports.</summary>
public static class FileTransferDirections
{
    public const string Upload = "upload";
    public const string Download = "download";

    /// <summary>The outcome label of a transfer that succeeded (failures carry their cause).</summary>
    public const string Ok = "ok";
}
