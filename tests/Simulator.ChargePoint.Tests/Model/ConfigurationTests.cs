using Simulator.ChargePoint.V16.Configuration;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

public class ConfigurationTests
{
    [Theory]
    [InlineData(K.HeartbeatInterval, "60", ConfigurationStatus.Accepted)]
    [InlineData(K.HeartbeatInterval, "-1", ConfigurationStatus.Rejected)]
    [InlineData(K.HeartbeatInterval, "abc", ConfigurationStatus.Rejected)]
    [InlineData(K.NumberOfConnectors, "4", ConfigurationStatus.Rejected)]
    [InlineData(K.LocalPreAuthorize, "yes", ConfigurationStatus.Rejected)]
    [InlineData(K.LocalPreAuthorize, "true", ConfigurationStatus.Accepted)]
    [InlineData(K.MeterValuesSampledData, "Energy.Active.Import.Register,SoC,Current.Import", ConfigurationStatus.Accepted)]
    [InlineData(K.MeterValuesSampledData, "Energy.Active.Import.Register,Bogus", ConfigurationStatus.Rejected)]
    [InlineData(K.ConnectorPhaseRotation, "0.RST,1.RTS,2.Unknown", ConfigurationStatus.RebootRequired)]
    [InlineData(K.ConnectorPhaseRotation, "1.XYZ", ConfigurationStatus.Rejected)]
    [InlineData(K.LightIntensity, "101", ConfigurationStatus.Rejected)]
    [InlineData("NoSuchKey", "1", ConfigurationStatus.NotSupported)]
    [InlineData(K.AuthorizationKey, "0123456789abcdef0123456789abcdef", ConfigurationStatus.Accepted)]
    [InlineData(K.AuthorizationKey, "short", ConfigurationStatus.Rejected)]
    public void ChangeConfiguration_outcomes(string key, string value, ConfigurationStatus expected)
    {
        var h = new Harness().Boot();
        Assert.Equal(expected, h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = key, Value = value }).Status);
        h.DrainSignals();
        if (expected is ConfigurationStatus.Accepted or ConfigurationStatus.RebootRequired)
        {
            Assert.Equal(value, h.Model.Configuration.Get(key));
            // A write-only key (a secret) never travels in a signal: the actor reads it from the configuration.
            Assert.Contains(new ConfigurationChanged(key, key == K.AuthorizationKey ? "***" : value), h.Signals);
        }
        else
        {
            Assert.NotEqual(value, h.Model.Configuration.Get(key));
        }
        // At security profile 0 the key is not used: changing it does not cost a reconnect.
        h.Run(TimeSpan.FromSeconds(10));
        Assert.Empty(h.SignalsOf<ReconnectRequested>());
    }

    [Fact]
    public void GetConfiguration_lists_unknown_keys_and_never_reveals_the_AuthorizationKey()
    {
        var h = new Harness(new() { [K.AuthorizationKey] = "00112233445566778899aabbccddeeff" }).Boot();
        var all = h.Reply<GetConfigurationResponse>(new GetConfigurationRequest());
        Assert.DoesNotContain(all.ConfigurationKey!, k => k.Key == K.AuthorizationKey);
        Assert.DoesNotContain(all.ConfigurationKey!, k => k.Value == "00112233445566778899aabbccddeeff");
        Assert.Contains(all.ConfigurationKey!, k => k is { Key: K.NumberOfConnectors, Readonly: true, Value: "2" });
        Assert.Contains(all.ConfigurationKey!, k => k is { Key: K.HeartbeatInterval, Readonly: false });
        Assert.Null(all.UnknownKey);

        var some = h.Reply<GetConfigurationResponse>(new GetConfigurationRequest { Key = [K.HeartbeatInterval, "Nope", K.AuthorizationKey] });
        Assert.Equal([K.HeartbeatInterval], some.ConfigurationKey!.Select(k => k.Key));
        Assert.Equal(["Nope", K.AuthorizationKey], some.UnknownKey);
    }

    [Fact]
    public void Charge_points_of_one_shape_share_their_starting_values_but_not_their_changes()
    {
        var overrides = new Dictionary<string, string> { [K.MeterValuesSampledData] = "Energy.Active.Import.Register,Current.Import" };
        var first = new ConfigurationStore(2, overrides);
        var second = new ConfigurationStore(2, new Dictionary<string, string>(overrides));
        Assert.Same(first.GetMeasurands(K.MeterValuesSampledData), second.GetMeasurands(K.MeterValuesSampledData));

        Assert.Equal(ConfigurationStatus.Accepted, first.Change(K.HeartbeatInterval, "17"));
        Assert.Equal(ConfigurationStatus.Accepted, first.Change(K.MeterValuesSampledData, "Voltage"));

        Assert.Equal(17, first.GetInt(K.HeartbeatInterval));
        Assert.Equal([Measurand.Voltage], first.GetMeasurands(K.MeterValuesSampledData));
        Assert.Equal(300, second.GetInt(K.HeartbeatInterval));
        Assert.Equal([Measurand.EnergyActiveImportRegister, Measurand.CurrentImport], second.GetMeasurands(K.MeterValuesSampledData));
        Assert.Equal(300, new ConfigurationStore(2, overrides).GetInt(K.HeartbeatInterval));
    }

    [Fact]
    public void A_change_to_the_shared_value_keeps_no_own_copy_and_a_change_back_returns_to_the_shared_value()
    {
        var overrides = new Dictionary<string, string> { [K.MeterValuesSampledData] = "Energy.Active.Import.Register,Current.Import" };
        var store = new ConfigurationStore(2, overrides);
        var other = new ConfigurationStore(2, new Dictionary<string, string>(overrides));

        Assert.Equal(ConfigurationStatus.Accepted, store.Change(K.MeterValuesSampledData, "Energy.Active.Import.Register,Current.Import"));
        Assert.Same(other.GetMeasurands(K.MeterValuesSampledData), store.GetMeasurands(K.MeterValuesSampledData));

        Assert.Equal(ConfigurationStatus.Accepted, store.Change(K.MeterValuesSampledData, "Voltage"));
        Assert.Equal([Measurand.Voltage], store.GetMeasurands(K.MeterValuesSampledData));
        Assert.Equal(ConfigurationStatus.Accepted, store.Change(K.HeartbeatInterval, "45"));
        Assert.Equal(45, store.GetInt(K.HeartbeatInterval));

        Assert.Equal(ConfigurationStatus.Accepted, store.Change(K.MeterValuesSampledData, "Energy.Active.Import.Register,Current.Import"));
        Assert.Equal(ConfigurationStatus.Accepted, store.Change(K.HeartbeatInterval, other.Get(K.HeartbeatInterval)!));
        Assert.Same(other.GetMeasurands(K.MeterValuesSampledData), store.GetMeasurands(K.MeterValuesSampledData));
        Assert.Equal(other.GetInt(K.HeartbeatInterval), store.GetInt(K.HeartbeatInterval));
        Assert.Equal(ConfigurationStatus.Rejected, store.Change(K.HeartbeatInterval, "-1"));   // validation still comes first
    }

    [Fact]
    public void Every_1_6_key_of_the_supported_profiles_is_known()
    {
        var store = new ConfigurationStore(2);
        string[] expected =
        [
            "AllowOfflineTxForUnknownId", "AuthorizationCacheEnabled", "AuthorizeRemoteTxRequests", "BlinkRepeat", "ClockAlignedDataInterval",
            "ConnectionTimeOut", "ConnectorPhaseRotation", "ConnectorPhaseRotationMaxLength", "GetConfigurationMaxKeys", "HeartbeatInterval",
            "LightIntensity", "LocalAuthorizeOffline", "LocalPreAuthorize", "MaxEnergyOnInvalidId", "MeterValuesAlignedData",
            "MeterValuesAlignedDataMaxLength", "MeterValuesSampledData", "MeterValuesSampledDataMaxLength", "MeterValueSampleInterval",
            "MinimumStatusDuration", "NumberOfConnectors", "ResetRetries", "StopTransactionOnEVSideDisconnect", "StopTransactionOnInvalidId",
            "StopTxnAlignedData", "StopTxnAlignedDataMaxLength", "StopTxnSampledData", "StopTxnSampledDataMaxLength", "SupportedFeatureProfiles",
            "SupportedFeatureProfilesMaxLength", "TransactionMessageAttempts", "TransactionMessageRetryInterval", "UnlockConnectorOnEVSideDisconnect",
            "WebSocketPingInterval", "LocalAuthListEnabled", "LocalAuthListMaxLength", "SendLocalListMaxLength", "ReserveConnectorZeroSupported",
            "ChargeProfileMaxStackLevel", "ChargingScheduleAllowedChargingRateUnit", "ChargingScheduleMaxPeriods", "ConnectorSwitch3to1PhaseSupported",
            "MaxChargingProfilesInstalled",
        ];
        Assert.All(expected, k => Assert.True(store.IsKnown(k), k));
        Assert.Equal("Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger", store.Get(K.SupportedFeatureProfiles));
    }

    [Theory]
    [InlineData("NoSuchKey", "1", "NoSuchKey")]
    [InlineData(K.HeartbeatInterval, "-5", "at least 0")]
    [InlineData(K.MeterValuesSampledData, "Energy.Active.Import.Register,Nope", "'Nope' is not a measurand")]
    [InlineData(K.NumberOfConnectors, "7", "contradicts")]
    public void Invalid_overrides_throw_an_ArgumentException_naming_the_key_and_the_problem(string key, string value, string fragment)
    {
        var error = Assert.Throws<ArgumentException>(() => new Harness(new() { [key] = value }));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_may_set_read_only_keys_and_a_removed_profile_is_not_supported()
    {
        var h = new Harness(new() { [K.SupportedFeatureProfiles] = "Core,SmartCharging", [K.LocalAuthListMaxLength] = "5" }).Boot();
        Assert.Equal(5, h.Model.Configuration.GetInt(K.LocalAuthListMaxLength));
        var reply = h.Model.HandleCall(new Simulator.Ocpp.V16.Reservation.ReserveNowRequest { ConnectorId = 1, ExpiryDate = h.CsmsNow.AddHours(1), IdTag = "T", ReservationId = 1 });
        Assert.Equal(Simulator.Ocpp.Framing.OcppErrorCode.NotSupported, reply.ErrorCode);
    }

    [Fact]
    public void MeterValueSampleInterval_change_takes_effect_on_the_running_transaction()
    {
        var h = new Harness(new() { [K.MeterValueSampleInterval] = "0" }).Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "T");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(10));
        Assert.Empty(h.SentOf<MeterValuesRequest>());
        h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.MeterValueSampleInterval, Value = "30" });
        h.Run(TimeSpan.FromSeconds(90));
        Assert.Equal(3, h.SentOf<MeterValuesRequest>().Count());
    }

    [Fact]
    public void Clock_aligned_data_is_sent_on_midnight_based_boundaries_with_context_Sample_Clock()
    {
        var h = new Harness(new() { [K.ClockAlignedDataInterval] = "900", [K.MeterValueSampleInterval] = "0" }).Boot();
        h.Clock.Advance(TimeSpan.FromSeconds(100));   // 10:01:40
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "T");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(30));
        var aligned = h.SentOf<MeterValuesRequest>().Where(m => m.ConnectorId == 1).ToList();
        Assert.Equal([Harness.Start.AddMinutes(15), Harness.Start.AddMinutes(30)], aligned.Select(m => m.MeterValue[0].Timestamp));
        Assert.All(aligned, m => Assert.Equal(ReadingContext.SampleClock, m.MeterValue[0].SampledValue[0].Context));
        Assert.All(aligned, m => Assert.Equal(100, m.TransactionId));
        // Connector 2 has no transaction: its aligned values go out without transactionId, not as transaction messages.
        Assert.Equal(2, h.Sent.Count(m => m.Request is MeterValuesRequest { ConnectorId: 2, TransactionId: null } && !m.IsTransactionMessage));
    }
}
