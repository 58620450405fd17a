namespace Simulator.Cli.Profiles;

/// <summary>The kind of value an OCPP 1.6 configuration key holds (all values travel as strings).</summary>
internal enum ConfigurationValueKind
{
    Integer,
    Boolean,
    /// <summary>Free text or a comma-separated list.</summary>
    Text,
}

/// <summary>
/// The standard configuration keys of OCPP 1.6 (chapter 9: Core, Local Auth List Management, Reservation,
/// Smart Charging) and of the OCPP 1.6 Security Whitepaper. Firmware Management defines no keys of its own.
/// </summary>
internal static class OcppConfigurationKeys
{
    public static IReadOnlyDictionary<string, ConfigurationValueKind> Known { get; } = new Dictionary<string, ConfigurationValueKind>(StringComparer.Ordinal)
    {
        // Core
        ["AllowOfflineTxForUnknownId"] = ConfigurationValueKind.Boolean,
        ["AuthorizationCacheEnabled"] = ConfigurationValueKind.Boolean,
        ["AuthorizeRemoteTxRequests"] = ConfigurationValueKind.Boolean,
        ["BlinkRepeat"] = ConfigurationValueKind.Integer,
        ["ClockAlignedDataInterval"] = ConfigurationValueKind.Integer,
        ["ConnectionTimeOut"] = ConfigurationValueKind.Integer,
        ["ConnectorPhaseRotation"] = ConfigurationValueKind.Text,
        ["ConnectorPhaseRotationMaxLength"] = ConfigurationValueKind.Integer,
        ["GetConfigurationMaxKeys"] = ConfigurationValueKind.Integer,
        ["HeartbeatInterval"] = ConfigurationValueKind.Integer,
        ["LightIntensity"] = ConfigurationValueKind.Integer,
        ["LocalAuthorizeOffline"] = ConfigurationValueKind.Boolean,
        ["LocalPreAuthorize"] = ConfigurationValueKind.Boolean,
        ["MaxEnergyOnInvalidId"] = ConfigurationValueKind.Integer,
        ["MeterValuesAlignedData"] = ConfigurationValueKind.Text,
        ["MeterValuesAlignedDataMaxLength"] = ConfigurationValueKind.Integer,
        ["MeterValuesSampledData"] = ConfigurationValueKind.Text,
        ["MeterValuesSampledDataMaxLength"] = ConfigurationValueKind.Integer,
        ["MeterValueSampleInterval"] = ConfigurationValueKind.Integer,
        ["MinimumStatusDuration"] = ConfigurationValueKind.Integer,
        ["NumberOfConnectors"] = ConfigurationValueKind.Integer,
        ["ResetRetries"] = ConfigurationValueKind.Integer,
        ["StopTransactionOnEVSideDisconnect"] = ConfigurationValueKind.Boolean,
        ["StopTransactionOnInvalidId"] = ConfigurationValueKind.Boolean,
        ["StopTxnAlignedData"] = ConfigurationValueKind.Text,
        ["StopTxnAlignedDataMaxLength"] = ConfigurationValueKind.Integer,
        ["StopTxnSampledData"] = ConfigurationValueKind.Text,
        ["StopTxnSampledDataMaxLength"] = ConfigurationValueKind.Integer,
        ["SupportedFeatureProfiles"] = ConfigurationValueKind.Text,
        ["SupportedFeatureProfilesMaxLength"] = ConfigurationValueKind.Integer,
        ["TransactionMessageAttempts"] = ConfigurationValueKind.Integer,
        ["TransactionMessageRetryInterval"] = ConfigurationValueKind.Integer,
        ["UnlockConnectorOnEVSideDisconnect"] = ConfigurationValueKind.Boolean,
        ["WebSocketPingInterval"] = ConfigurationValueKind.Integer,

        // Local Auth List Management
        ["LocalAuthListEnabled"] = ConfigurationValueKind.Boolean,
        ["LocalAuthListMaxLength"] = ConfigurationValueKind.Integer,
        ["SendLocalListMaxLength"] = ConfigurationValueKind.Integer,

        // Reservation
        ["ReserveConnectorZeroSupported"] = ConfigurationValueKind.Boolean,

        // Smart Charging
        ["ChargeProfileMaxStackLevel"] = ConfigurationValueKind.Integer,
        ["ChargingScheduleAllowedChargingRateUnit"] = ConfigurationValueKind.Text,
        ["ChargingScheduleMaxPeriods"] = ConfigurationValueKind.Integer,
        ["ConnectorSwitch3to1PhaseSupported"] = ConfigurationValueKind.Boolean,
        ["MaxChargingProfilesInstalled"] = ConfigurationValueKind.Integer,

        // Security Whitepaper (edition 2)
        ["AdditionalRootCertificateCheck"] = ConfigurationValueKind.Boolean,
        ["AuthorizationKey"] = ConfigurationValueKind.Text,
        ["CertificateSignedMaxChainSize"] = ConfigurationValueKind.Integer,
        ["CertificateStoreMaxLength"] = ConfigurationValueKind.Integer,
        ["CpoName"] = ConfigurationValueKind.Text,
        ["SecurityProfile"] = ConfigurationValueKind.Integer,
    };
}
