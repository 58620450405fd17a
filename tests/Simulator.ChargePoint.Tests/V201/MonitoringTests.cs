using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Types;
using static Simulator.ChargePoint.Tests.HarnessBase;
using static Simulator.ChargePoint.Tests.V201.StationHarness;

namespace Simulator.ChargePoint.Tests.V201;

public sealed class MonitoringTests
{
    private static SetMonitoringData Data(string component, int? evse, string variable, MonitorKind type, decimal value, int severity = 5, int? id = null, bool? transaction = null) => new()
    {
        Id = id,
        Component = Comp(component, evse),
        Variable = Var(variable),
        Type = type,
        Value = value,
        Severity = severity,
        Transaction = transaction,
    };

    private static List<SetMonitoringResult> Set(StationHarness h, params SetMonitoringData[] data) =>
        [.. h.Call<SetVariableMonitoringResponse>(new SetVariableMonitoringRequest { SetMonitoringData = data }).SetMonitoringResult];

    private static List<EventData> Events(StationHarness h) => [.. h.SentOf<NotifyEventRequest>().SelectMany(n => n.EventData)];

    [Fact]
    public void SetVariableMonitoring_answers_per_entry_and_never_monitors_the_password()
    {
        var h = new StationHarness().Boot();
        var results = Set(h,
            Data("EVSE", 1, "Power", MonitorKind.UpperThreshold, 5_000),
            Data("NoSuchCtrlr", null, "Power", MonitorKind.Delta, 1),
            Data("EVSE", 1, "NoSuchVariable", MonitorKind.Delta, 1),
            Data("SecurityCtrlr", null, "BasicAuthPassword", MonitorKind.Delta, 0),
            Data("EVSE", 1, "AvailabilityState", MonitorKind.UpperThreshold, 1),   // a threshold on text
            Data("TxCtrlr", null, "TxStartPoint", MonitorKind.Delta, 0),           // not supportsMonitoring
            Data("EVSE", 1, "Power", MonitorKind.UpperThreshold, 50_000),          // above the variable's maxLimit
            Data("EVSE", 1, "Power", MonitorKind.UpperThreshold, 5_000),           // the first one again
            Data("EVSE", 1, "Power", MonitorKind.Periodic, 0),
            Data("EVSE", 1, "Power", MonitorKind.Delta, 1, id: 999));
        Assert.Equal(
            [SetMonitoringStatus.Accepted, SetMonitoringStatus.UnknownComponent, SetMonitoringStatus.UnknownVariable, SetMonitoringStatus.UnsupportedMonitorType,
             SetMonitoringStatus.UnsupportedMonitorType, SetMonitoringStatus.UnsupportedMonitorType, SetMonitoringStatus.Rejected, SetMonitoringStatus.Duplicate,
             SetMonitoringStatus.Rejected, SetMonitoringStatus.Rejected],
            results.Select(r => r.Status));
        var id = results[0].Id!.Value;
        Assert.Contains(id, h.Model.MonitorIds);

        // Replacing by id keeps the id; clearing answers per id.
        Assert.Equal(id, Set(h, Data("EVSE", 1, "Power", MonitorKind.UpperThreshold, 6_000, id: id)).Single().Id);
        var cleared = h.Call<ClearVariableMonitoringResponse>(new ClearVariableMonitoringRequest { Id = [id, 4242] }).ClearMonitoringResult;
        Assert.Equal([(id, ClearMonitoringStatus.Accepted), (4242, ClearMonitoringStatus.NotFound)], cleared.Select(c => (c.Id, c.Status)));

        var tooMany = h.Model.HandleCall(new SetVariableMonitoringRequest { SetMonitoringData = [.. Enumerable.Range(0, 21).Select(_ => Data("EVSE", 1, "Power", MonitorKind.Delta, 1))] });
        Assert.Equal(OcppErrorCode.OccurrenceConstraintViolation, tooMany.ErrorCode);
    }

    [Fact]
    public void A_threshold_on_the_live_EVSE_power_trips_when_charging_starts_and_clears_when_it_stops()
    {
        var h = new StationHarness().Boot();
        var id = Set(h, Data("EVSE", 1, "Power", MonitorKind.UpperThreshold, 5_000, severity: 3)).Single().Id!.Value;
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        var tx = h.Model.TransactionIdOf(1);
        var trip = Assert.Single(Events(h));
        Assert.Equal((id, EventTrigger.Alerting, EventNotification.CustomMonitor), (trip.VariableMonitoringId, trip.Trigger, trip.EventNotificationType));
        Assert.Equal("11000", trip.ActualValue);
        Assert.Null(trip.Cleared);
        Assert.Equal(tx, trip.TransactionId);
        Assert.Equal(("EVSE", 1, "Power"), (trip.Component.Name, trip.Component.Evse!.Id, trip.Variable.Name));

        h.Run(TimeSpan.FromMinutes(5));
        Assert.Single(Events(h));   // still above: no new event
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        var clear = Events(h)[^1];
        Assert.True(clear.Cleared);
        Assert.Equal("0", clear.ActualValue);
        Assert.True(clear.EventId > trip.EventId);
    }

    [Fact]
    public void A_delta_monitor_reports_a_SetVariables_change_and_the_monitoring_level_filters_by_severity()
    {
        var h = new StationHarness().Boot();
        Set(h, Data("OCPPCommCtrlr", null, "HeartbeatInterval", MonitorKind.Delta, 100, severity: 6));
        SetVariablesResponse Heartbeat(string value) => h.Call<SetVariablesResponse>(new SetVariablesRequest
        {
            SetVariableData = [new SetVariableData { Component = Comp("OCPPCommCtrlr"), Variable = Var("HeartbeatInterval"), AttributeValue = value }],
        });
        Heartbeat("350");   // 50 from 300: below the delta
        h.Pump();
        Assert.Empty(Events(h));
        Heartbeat("450");
        h.Pump();
        var delta = Assert.Single(Events(h));
        Assert.Equal((EventTrigger.Delta, "450"), (delta.Trigger, delta.ActualValue));

        Assert.Equal(GenericStatus.Accepted, h.Call<SetMonitoringLevelResponse>(new SetMonitoringLevelRequest { Severity = 5 }).Status);
        Heartbeat("900");
        h.Pump();
        Assert.Single(Events(h));   // severity 6 is above level 5: not reported
        Assert.Equal(GenericStatus.Rejected, h.Call<SetMonitoringLevelResponse>(new SetMonitoringLevelRequest { Severity = 10 }).Status);
        Assert.Equal("5", h.Call<GetVariablesResponse>(new GetVariablesRequest
        {
            GetVariableData = [new GetVariableData { Component = Comp("MonitoringCtrlr"), Variable = Var("ActiveMonitoringLevel") }],
        }).GetVariableResult.Single().AttributeValue);
    }

    [Fact]
    public void Events_raised_offline_are_queued_up_to_OfflineQueuingSeverity_and_sent_in_order_after_the_reconnect_the_rest_dropped()
    {
        var h = new StationHarness(new() { ["MonitoringCtrlr.OfflineQueuingSeverity"] = "3" }).Boot();
        var severe = Set(h, Data("EVSE", 1, "AvailabilityState", MonitorKind.Delta, 0, severity: 3)).Single().Id!.Value;
        var mild = Set(h, Data("EVSE", 1, "AvailabilityState", MonitorKind.Delta, 0, severity: 4)).Single().Id!.Value;
        Assert.Equal("3", h.Call<GetVariablesResponse>(new GetVariablesRequest
        {
            GetVariableData = [new GetVariableData { Component = Comp("MonitoringCtrlr"), Variable = Var("OfflineQueuingSeverity") }],
        }).GetVariableResult.Single().AttributeValue);

        h.Model.OnDisconnected();
        var pluggedAt = h.Model.CsmsNow;
        Assert.True(h.Model.PlugIn(1, Ev));
        h.Run(TimeSpan.FromSeconds(30));
        h.Model.Unplug(1);
        h.Run(TimeSpan.FromSeconds(30));
        Assert.Empty(Events(h));

        h.Model.OnConnected();
        h.Pump();
        var queued = Events(h);
        Assert.Equal([(severe, "Occupied"), (severe, "Available")], queued.Select(e => (e.VariableMonitoringId, e.ActualValue)));
        Assert.Equal([pluggedAt, pluggedAt.AddSeconds(30)], queued.Select(e => e.Timestamp));   // when they happened, not when they went
        Assert.True(queued[0].EventId < queued[1].EventId);

        // Sent once; online, both monitors report again.
        h.Model.OnDisconnected();
        h.Model.OnConnected();
        h.Pump();
        Assert.Equal(2, Events(h).Count);
        Assert.True(h.Model.PlugIn(1, Ev));
        h.Pump();
        Assert.Equal([severe, mild], Events(h).Skip(2).Select(e => e.VariableMonitoringId).Order());
    }

    [Fact]
    public void Periodic_monitors_report_on_their_interval_and_clock_aligned_ones_on_the_clock()
    {
        var h = new StationHarness().Boot();
        h.Clock.Advance(TimeSpan.FromSeconds(20));   // 10:00:20: clock-aligned reports fall on whole minutes
        Set(h, Data("EVSE", 1, "Power", MonitorKind.Periodic, 90), Data("EVSE", 2, "Power", MonitorKind.PeriodicClockAligned, 60));
        h.Run(TimeSpan.FromMinutes(5));
        var periodic = Events(h).Where(e => e.Component.Evse!.Id == 1).ToList();
        var aligned = Events(h).Where(e => e.Component.Evse!.Id == 2).ToList();
        Assert.Equal(3, periodic.Count);   // 90, 180, 270 s
        Assert.All(periodic, e => Assert.Equal(EventTrigger.Periodic, e.Trigger));
        Assert.Equal(5, aligned.Count);   // 10:01 ... 10:05
        Assert.All(aligned, e => Assert.Equal(0, e.Timestamp.Second));
    }

    [Fact]
    public void A_transaction_monitor_only_counts_during_a_transaction()
    {
        var h = new StationHarness().Boot();
        Set(h, Data("EVSE", 1, "Power", MonitorKind.Periodic, 60, transaction: true));
        h.Run(TimeSpan.FromMinutes(3));
        Assert.Empty(Events(h));
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(3));
        Assert.Equal(3, Events(h).Count);
        Assert.All(Events(h), e => Assert.NotNull(e.TransactionId));
    }

    [Fact]
    public void Monitoring_base_switches_the_preconfigured_monitors_and_the_report_lists_them_in_parts()
    {
        var h = new StationHarness(new() { ["DeviceDataCtrlr.ItemsPerMessage.GetReport"] = "1" }).Boot();
        var custom = Set(h, Data("EVSE", 1, "Power", MonitorKind.UpperThreshold, 9_000)).Single().Id!.Value;
        h.Sent.Clear();
        Assert.Equal(GenericDeviceModelStatus.Accepted, h.Call<GetMonitoringReportResponse>(new GetMonitoringReportRequest { RequestId = 3 }).Status);
        h.Pump();
        Assert.Equal([custom], h.SentOf<NotifyMonitoringReportRequest>().SelectMany(r => r.Monitor!).SelectMany(m => m.VariableMonitoring).Select(m => m.Id));

        // Shipped off: the station's own AvailabilityState monitors report state changes once switched on.
        Assert.Equal(GenericDeviceModelStatus.Accepted, h.Call<SetMonitoringBaseResponse>(new SetMonitoringBaseRequest { MonitoringBase = MonitoringBase.All }).Status);
        h.Sent.Clear();
        h.Call<GetMonitoringReportResponse>(new GetMonitoringReportRequest { RequestId = 4, MonitoringCriteria = [MonitoringCriterion.DeltaMonitoring] });
        h.Pump();
        var parts = h.SentOf<NotifyMonitoringReportRequest>().ToList();
        Assert.Equal(2, parts.Count);   // one EVSE's AvailabilityState per part
        Assert.Equal([0, 1], parts.Select(p => p.SeqNo));
        Assert.Equal([true, null], parts.Select(p => p.Tbc));
        Assert.All(parts, p => Assert.Equal("AvailabilityState", p.Monitor!.Single().Variable.Name));
        h.Model.PlugIn(2, Ev);
        h.Pump();
        var change = Assert.Single(Events(h));
        Assert.Equal((EventNotification.PreconfiguredMonitor, "Occupied", 2), (change.EventNotificationType, change.ActualValue, change.Component.Evse!.Id));

        Assert.Equal(GenericDeviceModelStatus.Accepted, h.Call<SetMonitoringBaseResponse>(new SetMonitoringBaseRequest { MonitoringBase = MonitoringBase.HardWiredOnly }).Status);
        Assert.Empty(h.Model.MonitorIds);
        Assert.Equal(GenericDeviceModelStatus.EmptyResultSet, h.Call<GetMonitoringReportResponse>(new GetMonitoringReportRequest { RequestId = 5 }).Status);
        h.Model.Unplug(2);
        h.Pump();
        Assert.Single(Events(h));

        Assert.Equal(GenericDeviceModelStatus.Accepted, h.Call<SetMonitoringBaseResponse>(new SetMonitoringBaseRequest { MonitoringBase = MonitoringBase.FactoryDefault }).Status);
        Assert.Equal(2, h.Model.MonitorIds.Count);
    }
}
