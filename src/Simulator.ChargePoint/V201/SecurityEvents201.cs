namespace Simulator.ChargePoint.V201;

/// <summary>The security events of OCPP 2.0.1 part 2 appendix 1 (the 2.0.1 spellings) and which of them are critical (A04.FR.02: guaranteed delivery).</summary>
public static class SecurityEvents201
{
    public const string FirmwareUpdated = nameof(FirmwareUpdated);
    public const string FailedToAuthenticateAtCsms = nameof(FailedToAuthenticateAtCsms);
    public const string CsmsFailedToAuthenticate = nameof(CsmsFailedToAuthenticate);
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
    public const string InvalidCsmsCertificate = nameof(InvalidCsmsCertificate);
    public const string InvalidChargingStationCertificate = nameof(InvalidChargingStationCertificate);
    public const string InvalidTLSVersion = nameof(InvalidTLSVersion);
    public const string InvalidTLSCipherSuite = nameof(InvalidTLSCipherSuite);
    public const string MaintenanceLoginAccessed = nameof(MaintenanceLoginAccessed);
    public const string MaintenanceLoginFailed = nameof(MaintenanceLoginFailed);

    private static readonly HashSet<string> Critical = new(StringComparer.Ordinal)
    {
        FirmwareUpdated, SettingSystemTime, StartupOfTheDevice, ResetOrReboot, SecurityLogWasCleared, ReconfigurationOfSecurityParameters,
        MemoryExhaustion, TamperDetectionActivated, MaintenanceLoginAccessed, MaintenanceLoginFailed,
    };

    /// <summary>The "Improved security for OCPP 1.6-J" names the connection layer reports, in their 2.0.1 spelling.</summary>
    private static readonly Dictionary<string, string> FromEd3Names = new(StringComparer.Ordinal)
    {
        [Security.SecurityEventTypes.FailedToAuthenticationAtCentralSystem] = FailedToAuthenticateAtCsms,
        [Security.SecurityEventTypes.CentralSystemFailedToAuthentication] = CsmsFailedToAuthenticate,
        [Security.SecurityEventTypes.InvalidCentralSystemCertificate] = InvalidCsmsCertificate,
        [Security.SecurityEventTypes.InvalidChargePointCertificate] = InvalidChargingStationCertificate,
    };

    public static bool IsCritical(string type) => type is not null && Critical.Contains(type);

    /// <summary>The 2.0.1 name of an event given in the 1.6 security whitepaper's or the 2.0.1 spelling.</summary>
    public static string FromEd3(string type) => type is not null && FromEd3Names.TryGetValue(type, out var name) ? name : type ?? "";
}
