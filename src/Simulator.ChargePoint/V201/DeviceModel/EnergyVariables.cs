using System.Globalization;
using Simulator.Ocpp.V201.Provisioning;

namespace Simulator.ChargePoint.V201.DeviceModel;

/// <summary>The controller variables of blocks H (ReservationCtrlr), I (TariffCostCtrlr), K (SmartChargingCtrlr), N monitoring (MonitoringCtrlr) and O (DisplayMessageCtrlr).</summary>
internal static class EnergyVariables
{
    /// <summary>At most this many charging profiles (SmartChargingCtrlr.Entries[ChargingProfiles] maxLimit).</summary>
    public const int MaxChargingProfiles = 20;

    /// <summary>At most this many display messages (DisplayMessageCtrlr.DisplayMessages maxLimit).</summary>
    public const int MaxDisplayMessages = 20;

    public static void AddTo(DeviceModelCatalog catalog, ChargePointOptions options)
    {
        static VariableDefinition V(ComponentKey component, VariableKey variable, DataKind type, string value, Mutability mutability = Mutability.ReadWrite) => new()
        {
            Component = component,
            Variable = variable,
            DataType = type,
            DefaultValue = value,
            Mutability = mutability,
        };
        const Mutability RO = Mutability.ReadOnly;

        var rc = Components.ReservationCtrlr;
        catalog.Add(V(rc, Variables.Available, DataKind.Boolean, "true", RO));
        catalog.Add(V(rc, Variables.Enabled, DataKind.Boolean, "true"));
        catalog.Add(V(rc, Variables.NonEvseSpecific, DataKind.Boolean, "true"));

        var sc = Components.SmartChargingCtrlr;
        catalog.Add(V(sc, Variables.Available, DataKind.Boolean, "true", RO));
        catalog.Add(V(sc, Variables.Enabled, DataKind.Boolean, "true"));
        catalog.Add(V(sc, Variables.RateUnit, DataKind.MemberList, "A,W", RO) with { ValuesList = "A,W" });
        catalog.Add(V(sc, Variables.PeriodsPerSchedule, DataKind.Integer, "24", RO) with { MinLimit = 1 });
        catalog.Add(V(sc, Variables.ProfileStackLevel, DataKind.Integer, "10", RO) with { MinLimit = 0 });
        catalog.Add(V(sc, Variables.ChargingProfileEntries, DataKind.Integer, "", RO) with
        {
            MaxLimit = MaxChargingProfiles, Persistent = false, Live = v => v.ChargingProfileEntries.ToString(CultureInfo.InvariantCulture),
        });
        catalog.Add(V(sc, Variables.LimitChangeSignificance, DataKind.Decimal, "0.1") with { MinLimit = 0, MaxLimit = 1 });
        catalog.Add(V(sc, Variables.ExternalControlSignalsEnabled, DataKind.Boolean, "true"));

        var display = Components.DisplayMessageCtrlr;
        catalog.Add(V(display, Variables.Available, DataKind.Boolean, "true", RO));
        catalog.Add(V(display, Variables.Enabled, DataKind.Boolean, "true"));
        catalog.Add(V(display, Variables.DisplayMessages, DataKind.Integer, "", RO) with
        {
            MaxLimit = MaxDisplayMessages, Persistent = false, Live = v => v.DisplayMessageCount.ToString(CultureInfo.InvariantCulture),
        });
        catalog.Add(V(display, Variables.SupportedFormats, DataKind.MemberList, "ASCII,UTF8,URI", RO) with { ValuesList = "ASCII,HTML,URI,UTF8" });
        catalog.Add(V(display, Variables.SupportedPriorities, DataKind.MemberList, "AlwaysFront,InFront,NormalCycle", RO) with { ValuesList = "AlwaysFront,InFront,NormalCycle" });
        catalog.Add(V(display, Variables.PersonalMessageSize, DataKind.Integer, "255", RO));

        var tariff = Components.TariffCostCtrlr;
        catalog.Add(V(tariff, Variables.Available with { Instance = "Cost" }, DataKind.Boolean, "true", RO));
        catalog.Add(V(tariff, Variables.Enabled with { Instance = "Cost" }, DataKind.Boolean, "true"));
        catalog.Add(V(tariff, Variables.Currency, DataKind.String, "EUR") with { MaxLimit = 3 });

        var mc = Components.MonitoringCtrlr;
        catalog.Add(V(mc, Variables.Available, DataKind.Boolean, "true", RO));
        catalog.Add(V(mc, Variables.Enabled, DataKind.Boolean, "true"));
        catalog.Add(V(mc, Variables.ActiveMonitoringLevel, DataKind.Integer, "9") with { MinLimit = 0, MaxLimit = 9 });
        // Events of severity 0-2 (Danger, Hardware Failure, System Failure) wait for the connection; lighter ones are live only.
        catalog.Add(V(mc, Variables.OfflineQueuingSeverity, DataKind.Integer, "2") with { MinLimit = 0, MaxLimit = 9 });
        foreach (var request in new[] { "SetVariableMonitoring", "ClearVariableMonitoring" })
        {
            catalog.Add(V(mc, Variables.ItemsPerMessage(request), DataKind.Integer, "20", RO) with { MinLimit = 1 });
            catalog.Add(V(mc, Variables.BytesPerMessage(request), DataKind.Integer, "65000", RO) with { MinLimit = 1000 });
        }
        _ = options;
    }
}
