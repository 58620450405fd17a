namespace Simulator.ChargePoint.Security;

/// <summary>
/// Security event names of "Improved security for OCPP 1.6-J", edition 3 (§8). Critical events are pushed with
/// SecurityEventNotification through the guaranteed-delivery queue (A04.FR.01/02); every event is written to the security log (A04.FR.04).
/// </summary>
public static class SecurityEventTypes
{
    public const string FirmwareUpdated = nameof(FirmwareUpdated);
    public const string FailedToAuthenticationAtCentralSystem = nameof(FailedToAuthenticationAtCentralSystem);
    public const string CentralSystemFailedToAuthentication = nameof(CentralSystemFailedToAuthentication);
    public const string SettingSystemTime = nameof(SettingSystemTime);
    public const string StartupOfTheDevice = nameof(StartupOfTheDevice);
    public const string ResetOrReboot = nameof(ResetOrReboot);
    public const string SecurityLogWasCleared = nameof(SecurityLogWasCleared);
    public const string ReconfigurationOfSecurityParameters = nameof(ReconfigurationOfSecurityParameters);
    public const string MemoryExhaustion = nameof(MemoryExhaustion);
    public const string InvalidMessages = nameof(InvalidMessages);
    public const string AttemptedReplayAttacks = nameof(AttemptedReplayAttacks);
    public const string TamperDetectionActivated = nameof(TamperDetectionActivated);
    public const string InvalidFirmwareSignature = nameof(InvalidFirmwareSignature);
    public const string InvalidFirmwareSigningCertificate = nameof(InvalidFirmwareSigningCertificate);
    public const string InvalidCentralSystemCertificate = nameof(InvalidCentralSystemCertificate);
    public const string InvalidChargePointCertificate = nameof(InvalidChargePointCertificate);
    public const string InvalidTLSVersion = nameof(InvalidTLSVersion);
    public const string InvalidTLSCipherSuite = nameof(InvalidTLSCipherSuite);

    private static readonly HashSet<string> Critical = new(StringComparer.Ordinal)
    {
        FirmwareUpdated, SettingSystemTime, StartupOfTheDevice, ResetOrReboot, SecurityLogWasCleared, MemoryExhaustion, TamperDetectionActivated,
    };

    /// <summary>The OCPP 2.0.1 spellings some stacks send for 1.6, mapped to the ed3 names (accepted, never emitted).</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["FailedToAuthenticateAtCsms"] = FailedToAuthenticationAtCentralSystem,
        ["CsmsFailedToAuthenticate"] = CentralSystemFailedToAuthentication,
        ["InvalidCsmsCertificate"] = InvalidCentralSystemCertificate,
        ["InvalidChargingStationCertificate"] = InvalidChargePointCertificate,
    };

    public static bool IsCritical(string type) => type is not null && Critical.Contains(Normalize(type));

    /// <summary>The ed3 name for a type given in either the ed3 or the OCPP 2.0.1 spelling.</summary>
    public static string Normalize(string type) => type is not null && Aliases.TryGetValue(type, out var ed3) ? ed3 : type ?? "";
}
