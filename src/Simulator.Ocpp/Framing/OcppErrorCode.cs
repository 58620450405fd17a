namespace Simulator.Ocpp.Framing;

/// <summary>
/// What went wrong, as the OCPP-J RPC frameworks name it. 1.6 and 2.0.1 share most codes but spell two differently and
/// 2.0.1 has two more; <see cref="OcppErrorDialect"/> spells a code for one version.
/// </summary>
public enum OcppErrorCode
{
    NotImplemented,
    NotSupported,
    InternalError,
    ProtocolError,
    SecurityError,
    /// <summary>1.6: FormationViolation.</summary>
    FormatViolation,
    PropertyConstraintViolation,
    /// <summary>1.6: OccurenceConstraintViolation (sic).</summary>
    OccurrenceConstraintViolation,
    TypeConstraintViolation,
    GenericError,
    /// <summary>2.0.1: a message type number that is not 2, 3 or 4. 1.6 has no such code and answers ProtocolError.</summary>
    MessageTypeNotSupported,
    /// <summary>2.0.1: not a valid RPC frame (no readable id, not an array). 1.6 answers ProtocolError.</summary>
    RpcFrameworkError,
}

/// <summary>How one OCPP version spells the error codes on the wire, and which spellings it understands.</summary>
public sealed class OcppErrorDialect
{
    private readonly Dictionary<OcppErrorCode, string> _spelling;
    private readonly Dictionary<string, OcppErrorCode> _reading;

    private OcppErrorDialect(Dictionary<OcppErrorCode, string> spelling, bool answersUnknownMessageTypes = false)
    {
        _spelling = spelling;
        AnswersUnknownMessageTypes = answersUnknownMessageTypes;
        _reading = new Dictionary<string, OcppErrorCode>(StringComparer.Ordinal);
        foreach (var code in Enum.GetValues<OcppErrorCode>())
        {
            _reading[code.ToString()] = code;
        }
        // Read every version's spelling, whichever this one writes: stacks mix them up.
        _reading["FormationViolation"] = OcppErrorCode.FormatViolation;
        _reading["OccurenceConstraintViolation"] = OcppErrorCode.OccurrenceConstraintViolation;
    }

    /// <summary>OCPP-J 1.6: FormationViolation, OccurenceConstraintViolation; framework errors are ProtocolError.</summary>
    public static OcppErrorDialect Ocpp16 { get; } = new(new()
    {
        [OcppErrorCode.FormatViolation] = "FormationViolation",
        [OcppErrorCode.OccurrenceConstraintViolation] = "OccurenceConstraintViolation",
        [OcppErrorCode.MessageTypeNotSupported] = "ProtocolError",
        [OcppErrorCode.RpcFrameworkError] = "ProtocolError",
    });

    /// <summary>OCPP-J 2.0.1: every code under its own name; a frame of an unknown message type is answered (section 4.4).</summary>
    public static OcppErrorDialect Ocpp201 { get; } = new([], answersUnknownMessageTypes: true);

    /// <summary>
    /// Whether a frame with an unknown message type number and a readable id is answered with a CALLERROR
    /// (MessageTypeNotSupported), as OCPP-J 2.0.1's extension fallback asks; 1.6 defines no answer and drops it.
    /// </summary>
    public bool AnswersUnknownMessageTypes { get; }

    public string ToWire(OcppErrorCode code) => _spelling.TryGetValue(code, out var wire) ? wire : code.ToString();

    public bool TryParse(string? text, out OcppErrorCode code)
    {
        if (text is not null && _reading.TryGetValue(text, out code))
        {
            return true;
        }
        code = default;
        return false;
    }
}
