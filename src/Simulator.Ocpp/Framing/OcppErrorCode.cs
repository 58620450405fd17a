namespace Simulator.Ocpp.Framing;

/// <summary>The CALLERROR codes of OCPP-J 1.6.</summary>
public enum OcppErrorCode
{
    NotImplemented,
    NotSupported,
    InternalError,
    ProtocolError,
    SecurityError,
    FormationViolation,
    PropertyConstraintViolation,
    OccurenceConstraintViolation,
    TypeConstraintViolation,
    GenericError,
}

public static class OcppErrorCodes
{
    /// <summary>The 1.6 spelling we send. On input we also accept the errata/2.0.1 spellings other stacks send.</summary>
    public static string ToWire(this OcppErrorCode code) => code.ToString();

    public static bool TryParse(string? text, out OcppErrorCode code)
    {
        switch (text)
        {
            case "OccurrenceConstraintViolation":
                code = OcppErrorCode.OccurenceConstraintViolation;
                return true;
            case "FormatViolation":
                code = OcppErrorCode.FormationViolation;
                return true;
            case null:
                code = default;
                return false;
            default:
                return Enum.TryParse(text, ignoreCase: false, out code) && Enum.IsDefined(code) && !int.TryParse(text, out _);
        }
    }
}
