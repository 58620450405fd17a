using System.Globalization;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Types;

namespace Simulator.ChargePoint.V201.DeviceModel;

/// <summary>The controller components of OCPP 2.0.1 part 2 appendix 3 this station implements.</summary>
public static class Components
{
    public static readonly ComponentKey ChargingStation = new("ChargingStation");
    public static readonly ComponentKey OCPPCommCtrlr = new("OCPPCommCtrlr");
    public static readonly ComponentKey SampledDataCtrlr = new("SampledDataCtrlr");
    public static readonly ComponentKey AlignedDataCtrlr = new("AlignedDataCtrlr");
    public static readonly ComponentKey TxCtrlr = new("TxCtrlr");
    public static readonly ComponentKey AuthCtrlr = new("AuthCtrlr");
    public static readonly ComponentKey AuthCacheCtrlr = new("AuthCacheCtrlr");
    public static readonly ComponentKey LocalAuthListCtrlr = new("LocalAuthListCtrlr");
    public static readonly ComponentKey SecurityCtrlr = new("SecurityCtrlr");
    public static readonly ComponentKey DeviceDataCtrlr = new("DeviceDataCtrlr");
    public static readonly ComponentKey ClockCtrlr = new("ClockCtrlr");
    public static readonly ComponentKey ReservationCtrlr = new("ReservationCtrlr");
    public static readonly ComponentKey SmartChargingCtrlr = new("SmartChargingCtrlr");
    public static readonly ComponentKey MonitoringCtrlr = new("MonitoringCtrlr");
    public static readonly ComponentKey DisplayMessageCtrlr = new("DisplayMessageCtrlr");
    public static readonly ComponentKey TariffCostCtrlr = new("TariffCostCtrlr");

    public static ComponentKey Evse(int evseId) => new("EVSE", null, evseId);

    public static ComponentKey Connector(int evseId, int connectorId) => new("Connector", null, evseId, connectorId);
}

/// <summary>Variable names the station's behaviour reads.</summary>
public static class Variables
{
    public static readonly VariableKey HeartbeatInterval = new("HeartbeatInterval");
    public static readonly VariableKey MessageAttempts = new("MessageAttempts", "TransactionEvent");
    public static readonly VariableKey MessageAttemptInterval = new("MessageAttemptInterval", "TransactionEvent");
    public static readonly VariableKey MessageTimeout = new("MessageTimeout", "Default");
    public static readonly VariableKey RetryBackOffWaitMinimum = new("RetryBackOffWaitMinimum");
    public static readonly VariableKey RetryBackOffRandomRange = new("RetryBackOffRandomRange");
    public static readonly VariableKey RetryBackOffRepeatTimes = new("RetryBackOffRepeatTimes");
    public static readonly VariableKey WebSocketPingInterval = new("WebSocketPingInterval");
    public static readonly VariableKey NetworkConfigurationPriority = new("NetworkConfigurationPriority");
    public static readonly VariableKey NetworkProfileConnectionAttempts = new("NetworkProfileConnectionAttempts");
    public static readonly VariableKey OfflineThreshold = new("OfflineThreshold");
    public static readonly VariableKey ResetRetries = new("ResetRetries");
    public static readonly VariableKey UnlockOnEVSideDisconnect = new("UnlockOnEVSideDisconnect");
    public static readonly VariableKey Enabled = new("Enabled");
    public static readonly VariableKey Available = new("Available");
    public static readonly VariableKey AvailabilityState = new("AvailabilityState");
    public static readonly VariableKey TxStartedMeasurands = new("TxStartedMeasurands");
    public static readonly VariableKey TxUpdatedMeasurands = new("TxUpdatedMeasurands");
    public static readonly VariableKey TxEndedMeasurands = new("TxEndedMeasurands");
    public static readonly VariableKey TxUpdatedInterval = new("TxUpdatedInterval");
    public static readonly VariableKey TxEndedInterval = new("TxEndedInterval");
    public static readonly VariableKey Measurands = new("Measurands");
    public static readonly VariableKey Interval = new("Interval");
    public static readonly VariableKey SendDuringIdle = new("SendDuringIdle");
    public static readonly VariableKey EVConnectionTimeOut = new("EVConnectionTimeOut");
    public static readonly VariableKey StopTxOnEVSideDisconnect = new("StopTxOnEVSideDisconnect");
    public static readonly VariableKey StopTxOnInvalidId = new("StopTxOnInvalidId");
    public static readonly VariableKey MaxEnergyOnInvalidId = new("MaxEnergyOnInvalidId");
    public static readonly VariableKey TxStartPoint = new("TxStartPoint");
    public static readonly VariableKey TxStopPoint = new("TxStopPoint");
    public static readonly VariableKey AuthorizeRemoteStart = new("AuthorizeRemoteStart");
    public static readonly VariableKey LocalAuthorizeOffline = new("LocalAuthorizeOffline");
    public static readonly VariableKey LocalPreAuthorize = new("LocalPreAuthorize");
    public static readonly VariableKey OfflineTxForUnknownIdEnabled = new("OfflineTxForUnknownIdEnabled");
    public static readonly VariableKey LifeTime = new("LifeTime");
    public static readonly VariableKey Entries = new("Entries");
    public static readonly VariableKey SecurityProfile = new("SecurityProfile");
    public static readonly VariableKey BasicAuthPassword = new("BasicAuthPassword");
    public static readonly VariableKey OrganizationName = new("OrganizationName");
    public static readonly VariableKey Identity = new("Identity");
    public static readonly VariableKey DateTime = new("DateTime");
    public static readonly VariableKey Power = new("Power");

    // H, I, K, N monitoring, O (their definitions: the blocks' partial files of StationModel).
    public static readonly VariableKey NonEvseSpecific = new("NonEvseSpecific");
    public static readonly VariableKey ProfileStackLevel = new("ProfileStackLevel");
    public static readonly VariableKey RateUnit = new("RateUnit");
    public static readonly VariableKey PeriodsPerSchedule = new("PeriodsPerSchedule");
    public static readonly VariableKey ChargingProfileEntries = new("Entries", "ChargingProfiles");
    public static readonly VariableKey LimitChangeSignificance = new("LimitChangeSignificance");
    public static readonly VariableKey ExternalControlSignalsEnabled = new("ExternalControlSignalsEnabled");
    public static readonly VariableKey ActiveMonitoringLevel = new("ActiveMonitoringLevel");
    public static readonly VariableKey OfflineQueuingSeverity = new("OfflineQueuingSeverity");
    public static readonly VariableKey DisplayMessages = new("DisplayMessages");
    public static readonly VariableKey SupportedFormats = new("SupportedFormats");
    public static readonly VariableKey SupportedPriorities = new("SupportedPriorities");
    public static readonly VariableKey PersonalMessageSize = new("PersonalMessageSize");
    public static readonly VariableKey Currency = new("Currency");

    public static VariableKey ItemsPerMessage(string instance) => new("ItemsPerMessage", instance);

    public static VariableKey BytesPerMessage(string instance) => new("BytesPerMessage", instance);
}

/// <summary>What the standard variables whose value the station computes read from it (evse null: the station).</summary>
public interface IStationState
{
    string AvailabilityState(int? evseId);

    bool IsAvailable(int? evseId);

    DateTimeOffset CsmsNow { get; }

    int LocalListEntries { get; }

    int CacheEntries { get; }

    double PowerW(int evseId);

    /// <summary>K: the charging profiles installed (SmartChargingCtrlr.Entries[ChargingProfiles]).</summary>
    int ChargingProfileEntries { get; }

    /// <summary>O: the display messages stored (DisplayMessageCtrlr.DisplayMessages).</summary>
    int DisplayMessageCount { get; }

    string Identity { get; }

    /// <summary>Installed certificates of every type (SecurityCtrlr.CertificateEntries).</summary>
    int CertificateEntries { get; }
}

/// <summary>The standard components and variables of the station (appendix 3 names), with this simulator's defaults.</summary>
public static class StandardVariables
{
    public const string TxPoints = "ParkingBayOccupancy,EVConnected,Authorized,DataSigned,PowerPathClosed,EnergyTransfer";

    /// <summary>The measurands the meter model can sample.</summary>
    public const string MeasurandList = "Energy.Active.Import.Register,Power.Active.Import,Power.Offered,Current.Import,Current.Offered,Voltage,SoC";

    /// <summary>Aliases the fleet and 1.6-minded profiles use: "SecurityProfile" and "AuthorizationKey" (the fleet's names).</summary>
    public static IReadOnlyDictionary<string, (string Component, string Variable)> Aliases { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["SecurityProfile"] = ("SecurityCtrlr", "SecurityProfile"),
        ["AuthorizationKey"] = ("SecurityCtrlr", "BasicAuthPassword"),
        ["BasicAuthPassword"] = ("SecurityCtrlr", "BasicAuthPassword"),
        ["HeartbeatInterval"] = ("OCPPCommCtrlr", "HeartbeatInterval"),
        ["CpoName"] = ("SecurityCtrlr", "OrganizationName"),
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, Metering.MeterSpec, string, string), DeviceModelCatalog> Catalogs = new();

    /// <summary>The catalog for stations of this shape (EVSE count, meter, vendor, model): one shared, immutable instance per shape.</summary>
    public static DeviceModelCatalog For(ChargePointOptions options) =>
        Catalogs.GetOrAdd((options.Connectors, options.Meter, options.Vendor, options.Model), _ =>
        {
            var catalog = new DeviceModelCatalog();
            AddTo(catalog, options);
            return catalog;
        });

    public static void AddTo(DeviceModelCatalog store, ChargePointOptions options)
    {
        var phases = options.Meter.Phases.ToString(CultureInfo.InvariantCulture);
        VariableDefinition V(ComponentKey component, VariableKey variable, DataKind type, string value, Mutability mutability = Mutability.ReadWrite) => new()
        {
            Component = component,
            Variable = variable,
            DataType = type,
            DefaultValue = value,
            Mutability = mutability,
        };
        void Add(VariableDefinition definition) => store.Add(definition);
        const Mutability RO = Mutability.ReadOnly;
        const string states = "Available,Occupied,Reserved,Unavailable,Faulted";

        var cs = Components.ChargingStation;
        Add(V(cs, Variables.AvailabilityState, DataKind.OptionList, "") with { ValuesList = states, Live = v => v.AvailabilityState(null), Persistent = false, SupportsMonitoring = true, Mutability = RO });
        Add(V(cs, Variables.Available, DataKind.Boolean, "") with { Live = v => Bool(v.IsAvailable(null)), Mutability = RO });
        Add(V(cs, new("Model"), DataKind.String, options.Model, RO) with { Constant = true });
        Add(V(cs, new("VendorName"), DataKind.String, options.Vendor, RO) with { Constant = true });
        Add(V(cs, new("SupplyPhases"), DataKind.Integer, phases, RO) with { Constant = true });
        for (var evse = 1; evse <= options.Connectors; evse++)
        {
            var id = evse;
            var e = Components.Evse(id);
            Add(V(e, Variables.AvailabilityState, DataKind.OptionList, "") with { ValuesList = states, Live = v => v.AvailabilityState(id), Persistent = false, SupportsMonitoring = true, Mutability = RO });
            Add(V(e, Variables.Available, DataKind.Boolean, "") with { Live = v => Bool(v.IsAvailable(id)), Mutability = RO });
            Add(V(e, Variables.Power, DataKind.Decimal, "") with
            {
                Unit = "W", MinLimit = 0, MaxLimit = (decimal)options.Meter.MaxPowerW, Mutability = RO, SupportsMonitoring = true, Persistent = false,
                Live = v => v.PowerW(id).ToString("0.#", CultureInfo.InvariantCulture),
            });
            Add(V(e, new("SupplyPhases"), DataKind.Integer, phases, RO) with { Constant = true });
            var c = Components.Connector(id, 1);
            Add(V(c, Variables.AvailabilityState, DataKind.OptionList, "") with { ValuesList = states, Live = v => v.AvailabilityState(id), Persistent = false, Mutability = RO });
            Add(V(c, Variables.Available, DataKind.Boolean, "") with { Live = v => Bool(v.IsAvailable(id)), Mutability = RO });
            Add(V(c, new("ConnectorType"), DataKind.String, options.Meter.Supply == Metering.SupplyType.DC ? "cCCS2" : "cType2", RO) with { Constant = true });
            Add(V(c, new("SupplyPhases"), DataKind.Integer, phases, RO) with { Constant = true });
        }

        var comm = Components.OCPPCommCtrlr;
        Add(V(comm, Variables.HeartbeatInterval, DataKind.Integer, "300") with { Unit = "s", MinLimit = 0, MaxLimit = 86400, SupportsMonitoring = true });
        Add(V(comm, Variables.MessageAttempts, DataKind.Integer, "3") with { MinLimit = 1, MaxLimit = 100 });
        Add(V(comm, Variables.MessageAttemptInterval, DataKind.Integer, "60") with { Unit = "s", MinLimit = 0, MaxLimit = 86400 });
        Add(V(comm, Variables.MessageTimeout, DataKind.Integer, "30", RO) with { Unit = "s" });
        Add(V(comm, Variables.NetworkConfigurationPriority, DataKind.SequenceList, "0") with { ValuesList = "0,1,2,3", RebootRequired = true });
        Add(V(comm, Variables.NetworkProfileConnectionAttempts, DataKind.Integer, "3") with { MinLimit = 1, MaxLimit = 100 });
        Add(V(comm, Variables.OfflineThreshold, DataKind.Integer, "60") with { Unit = "s", MinLimit = 0 });
        Add(V(comm, Variables.ResetRetries, DataKind.Integer, "2") with { MinLimit = 0, MaxLimit = 10 });
        Add(V(comm, Variables.RetryBackOffRandomRange, DataKind.Integer, "10") with { Unit = "s", MinLimit = 0, MaxLimit = 3600 });
        Add(V(comm, Variables.RetryBackOffRepeatTimes, DataKind.Integer, "5") with { MinLimit = 0, MaxLimit = 100 });
        Add(V(comm, Variables.RetryBackOffWaitMinimum, DataKind.Integer, "5") with { Unit = "s", MinLimit = 0, MaxLimit = 3600 });
        Add(V(comm, Variables.WebSocketPingInterval, DataKind.Integer, "0") with { Unit = "s", MinLimit = 0, MaxLimit = 3600 });
        Add(V(comm, Variables.UnlockOnEVSideDisconnect, DataKind.Boolean, "true"));
        Add(V(comm, new("FileTransferProtocols"), DataKind.MemberList, "HTTP,HTTPS", RO) with { ValuesList = "FTP,FTPS,HTTP,HTTPS,SFTP" });

        var data = Components.DeviceDataCtrlr;
        foreach (var instance in new[] { "GetReport", "GetVariables", "SetVariables" })
        {
            Add(V(data, Variables.ItemsPerMessage(instance), DataKind.Integer, instance == "GetReport" ? "50" : "20", RO) with { MinLimit = 1 });
            Add(V(data, Variables.BytesPerMessage(instance), DataKind.Integer, "65000", RO) with { MinLimit = 1000 });
        }

        var sampled = Components.SampledDataCtrlr;
        Add(V(sampled, Variables.Enabled, DataKind.Boolean, "true"));
        Add(V(sampled, Variables.TxStartedMeasurands, DataKind.MemberList, "Energy.Active.Import.Register") with { ValuesList = MeasurandList });
        Add(V(sampled, Variables.TxUpdatedMeasurands, DataKind.MemberList, "Energy.Active.Import.Register,Power.Active.Import,Current.Import,SoC") with { ValuesList = MeasurandList });
        Add(V(sampled, Variables.TxEndedMeasurands, DataKind.MemberList, "Energy.Active.Import.Register") with { ValuesList = MeasurandList });
        Add(V(sampled, Variables.TxUpdatedInterval, DataKind.Integer, "60") with { Unit = "s", MinLimit = 0, MaxLimit = 86400 });
        Add(V(sampled, Variables.TxEndedInterval, DataKind.Integer, "0") with { Unit = "s", MinLimit = 0, MaxLimit = 86400 });

        var aligned = Components.AlignedDataCtrlr;
        Add(V(aligned, Variables.Enabled, DataKind.Boolean, "true"));
        Add(V(aligned, Variables.Measurands, DataKind.MemberList, "Energy.Active.Import.Register") with { ValuesList = MeasurandList });
        Add(V(aligned, Variables.Interval, DataKind.Integer, "0") with { Unit = "s", MinLimit = 0, MaxLimit = 86400 });
        Add(V(aligned, Variables.TxEndedMeasurands, DataKind.MemberList, "Energy.Active.Import.Register") with { ValuesList = MeasurandList });
        Add(V(aligned, Variables.TxEndedInterval, DataKind.Integer, "0") with { Unit = "s", MinLimit = 0, MaxLimit = 86400 });
        Add(V(aligned, Variables.SendDuringIdle, DataKind.Boolean, "false"));

        var tx = Components.TxCtrlr;
        Add(V(tx, Variables.EVConnectionTimeOut, DataKind.Integer, "60") with { Unit = "s", MinLimit = 0, MaxLimit = 3600 });
        Add(V(tx, Variables.StopTxOnEVSideDisconnect, DataKind.Boolean, "true"));
        Add(V(tx, Variables.StopTxOnInvalidId, DataKind.Boolean, "true"));
        Add(V(tx, Variables.MaxEnergyOnInvalidId, DataKind.Integer, "0") with { Unit = "Wh", MinLimit = 0 });
        Add(V(tx, Variables.TxStartPoint, DataKind.MemberList, "PowerPathClosed") with { ValuesList = TxPoints });
        Add(V(tx, Variables.TxStopPoint, DataKind.MemberList, "EVConnected,Authorized") with { ValuesList = TxPoints });
        Add(V(tx, new("TxBeforeAcceptedEnabled"), DataKind.Boolean, "true", RO));

        var auth = Components.AuthCtrlr;
        Add(V(auth, Variables.Enabled, DataKind.Boolean, "true"));
        Add(V(auth, Variables.AuthorizeRemoteStart, DataKind.Boolean, "false"));
        Add(V(auth, Variables.LocalAuthorizeOffline, DataKind.Boolean, "true"));
        Add(V(auth, Variables.LocalPreAuthorize, DataKind.Boolean, "false"));
        Add(V(auth, Variables.OfflineTxForUnknownIdEnabled, DataKind.Boolean, "false"));

        var cache = Components.AuthCacheCtrlr;
        Add(V(cache, Variables.Enabled, DataKind.Boolean, "true"));
        Add(V(cache, Variables.Available, DataKind.Boolean, "true", RO));
        Add(V(cache, Variables.LifeTime, DataKind.Integer, "86400") with { Unit = "s", MinLimit = 0 });
        Add(V(cache, Variables.Entries, DataKind.Integer, "", RO) with { Live = v => Int(v.CacheEntries), Persistent = false });
        Add(V(cache, new("Policy"), DataKind.OptionList, "LRU", RO) with { ValuesList = "LRU,LFU,FIFO,CUSTOM" });

        var list = Components.LocalAuthListCtrlr;
        Add(V(list, Variables.Enabled, DataKind.Boolean, "true"));
        Add(V(list, Variables.Available, DataKind.Boolean, "true", RO));
        Add(V(list, Variables.Entries, DataKind.Integer, "", RO) with { Live = v => Int(v.LocalListEntries), Persistent = false });
        Add(V(list, Variables.ItemsPerMessage("SendLocalList") with { Instance = null }, DataKind.Integer, "100", RO) with { MinLimit = 1 });
        Add(V(list, Variables.BytesPerMessage("SendLocalList") with { Instance = null }, DataKind.Integer, "65000", RO) with { MinLimit = 1000 });
        Add(V(list, new("Storage"), DataKind.Integer, "10000", RO) with { Unit = "B" });

        var security = Components.SecurityCtrlr;
        Add(V(security, Variables.SecurityProfile, DataKind.Integer, "0", RO) with { MinLimit = 0, MaxLimit = 3 });
        Add(V(security, Variables.BasicAuthPassword, DataKind.String, "", Mutability.WriteOnly) with { MaxLimit = 40 });
        Add(V(security, Variables.OrganizationName, DataKind.String, options.Vendor));
        Add(V(security, Variables.Identity, DataKind.String, "", RO) with { MaxLimit = 48, Live = v => v.Identity });
        // A/M: the installed certificates (maxLimit: how many the station can hold), the CertificateSigned limit, the CSR repeat.
        Add(V(security, new("CertificateEntries"), DataKind.Integer, "", RO) with { MaxLimit = 20, Live = v => Int(v.CertificateEntries), Persistent = false });
        Add(V(security, new("MaxCertificateChainSize"), DataKind.Integer, "10000", RO) with { MaxLimit = 10000 });
        Add(V(security, new("CertSigningWaitMinimum"), DataKind.Integer, "60") with { Unit = "s", MinLimit = 1, MaxLimit = 86400 });
        Add(V(security, new("CertSigningRepeatTimes"), DataKind.Integer, "3") with { MinLimit = 0, MaxLimit = 100 });

        var clockCtrlr = Components.ClockCtrlr;
        Add(V(clockCtrlr, Variables.DateTime, DataKind.DateTime, "", RO) with { Live = v => v.CsmsNow.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), Persistent = false });
        Add(V(clockCtrlr, new("TimeSource"), DataKind.SequenceList, "Heartbeat") with { ValuesList = "Heartbeat,NTP,GPS,RealTimeClock,MobileNetwork,RadioTimeTransmitter" });

        EnergyVariables.AddTo(store, options);
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
