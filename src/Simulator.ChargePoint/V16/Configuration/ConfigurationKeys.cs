namespace Simulator.ChargePoint.V16.Configuration;

/// <summary>The names of the configuration keys the model knows (OCPP 1.6 ed2 §9 plus the security whitepaper's AuthorizationKey).</summary>
public static class ConfigurationKeys
{
    // Core (§9.1)
    public const string AllowOfflineTxForUnknownId = nameof(AllowOfflineTxForUnknownId);
    public const string AuthorizationCacheEnabled = nameof(AuthorizationCacheEnabled);
    public const string AuthorizeRemoteTxRequests = nameof(AuthorizeRemoteTxRequests);
    public const string BlinkRepeat = nameof(BlinkRepeat);
    public const string ClockAlignedDataInterval = nameof(ClockAlignedDataInterval);
    public const string ConnectionTimeOut = nameof(ConnectionTimeOut);
    public const string ConnectorPhaseRotation = nameof(ConnectorPhaseRotation);
    public const string ConnectorPhaseRotationMaxLength = nameof(ConnectorPhaseRotationMaxLength);
    public const string GetConfigurationMaxKeys = nameof(GetConfigurationMaxKeys);
    public const string HeartbeatInterval = nameof(HeartbeatInterval);
    public const string LightIntensity = nameof(LightIntensity);
    public const string LocalAuthorizeOffline = nameof(LocalAuthorizeOffline);
    public const string LocalPreAuthorize = nameof(LocalPreAuthorize);
    public const string MaxEnergyOnInvalidId = nameof(MaxEnergyOnInvalidId);
    public const string MeterValuesAlignedData = nameof(MeterValuesAlignedData);
    public const string MeterValuesAlignedDataMaxLength = nameof(MeterValuesAlignedDataMaxLength);
    public const string MeterValuesSampledData = nameof(MeterValuesSampledData);
    public const string MeterValuesSampledDataMaxLength = nameof(MeterValuesSampledDataMaxLength);
    public const string MeterValueSampleInterval = nameof(MeterValueSampleInterval);
    public const string MinimumStatusDuration = nameof(MinimumStatusDuration);
    public const string NumberOfConnectors = nameof(NumberOfConnectors);
    public const string ResetRetries = nameof(ResetRetries);
    public const string StopTransactionOnEVSideDisconnect = nameof(StopTransactionOnEVSideDisconnect);
    public const string StopTransactionOnInvalidId = nameof(StopTransactionOnInvalidId);
    public const string StopTxnAlignedData = nameof(StopTxnAlignedData);
    public const string StopTxnAlignedDataMaxLength = nameof(StopTxnAlignedDataMaxLength);
    public const string StopTxnSampledData = nameof(StopTxnSampledData);
    public const string StopTxnSampledDataMaxLength = nameof(StopTxnSampledDataMaxLength);
    public const string SupportedFeatureProfiles = nameof(SupportedFeatureProfiles);
    public const string SupportedFeatureProfilesMaxLength = nameof(SupportedFeatureProfilesMaxLength);
    public const string SupportedFileTransferProtocols = nameof(SupportedFileTransferProtocols);
    public const string TransactionMessageAttempts = nameof(TransactionMessageAttempts);
    public const string TransactionMessageRetryInterval = nameof(TransactionMessageRetryInterval);
    public const string UnlockConnectorOnEVSideDisconnect = nameof(UnlockConnectorOnEVSideDisconnect);
    public const string WebSocketPingInterval = nameof(WebSocketPingInterval);

    // LocalAuthListManagement (§9.2)
    public const string LocalAuthListEnabled = nameof(LocalAuthListEnabled);
    public const string LocalAuthListMaxLength = nameof(LocalAuthListMaxLength);
    public const string SendLocalListMaxLength = nameof(SendLocalListMaxLength);

    // Reservation (§9.3)
    public const string ReserveConnectorZeroSupported = nameof(ReserveConnectorZeroSupported);

    // SmartCharging (§9.4)
    public const string ChargeProfileMaxStackLevel = nameof(ChargeProfileMaxStackLevel);
    public const string ChargingScheduleAllowedChargingRateUnit = nameof(ChargingScheduleAllowedChargingRateUnit);
    public const string ChargingScheduleMaxPeriods = nameof(ChargingScheduleMaxPeriods);
    public const string ConnectorSwitch3to1PhaseSupported = nameof(ConnectorSwitch3to1PhaseSupported);
    public const string MaxChargingProfilesInstalled = nameof(MaxChargingProfilesInstalled);

    // Security whitepaper (edition 3, §7). AuthorizationKey is write-only: never revealed by GetConfiguration.
    public const string AdditionalRootCertificateCheck = nameof(AdditionalRootCertificateCheck);
    public const string AuthorizationKey = nameof(AuthorizationKey);
    public const string CertificateSignedMaxChainSize = nameof(CertificateSignedMaxChainSize);
    public const string CertificateStoreMaxLength = nameof(CertificateStoreMaxLength);
    public const string CpoName = nameof(CpoName);
    public const string SecurityProfile = nameof(SecurityProfile);
}
