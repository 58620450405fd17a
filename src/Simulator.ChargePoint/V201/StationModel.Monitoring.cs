using System.Globalization;
using Simulator.ChargePoint.V201.DeviceModel;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.Types;
using C = Simulator.ChargePoint.V201.DeviceModel.Components;
using V = Simulator.ChargePoint.V201.DeviceModel.Variables;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// N: variable monitoring (N02–N08). A monitor watches one variable that <c>supportsMonitoring</c>: UpperThreshold / LowerThreshold trip
/// when the value goes above / below the monitor's value and clear when it comes back; Delta reports a change of at least the value (any
/// change for a non-numeric variable); Periodic reports every value seconds, PeriodicClockAligned at multiples of it from midnight.
/// Values are checked whenever the station's state settles (after every CSMS call, driver action and timer), so a SetVariables change or
/// the live EVSE Power trips them at once. Events go as NotifyEvent when their severity is at most ActiveMonitoringLevel. While the
/// station is offline, those of severity at most OfflineQueuingSeverity wait (in order, up to <see cref="MaxOfflineEvents"/> messages)
/// and go once it is online again, each kept until the CSMS answered it; the others are dropped.
/// The station ships with pre-configured monitors (EVSE AvailabilityState, Delta, severity 8) switched off, as after SetMonitoringBase
/// HardWiredOnly, so a fleet sends no NotifyEvent until a CSMS asks for it; SetMonitoringBase All / FactoryDefault switch them on.
/// WriteOnly variables (BasicAuthPassword) cannot be monitored: their value would go out in an event.
/// </summary>
public sealed partial class StationModel
{
    private const int MaxMonitors = 100;
    private const int PreconfiguredSeverity = 8;

    /// <summary>NotifyEvents kept while offline; when more come, the oldest is dropped.</summary>
    private const int MaxOfflineEvents = 100;

    private readonly List<Monitor> monitors = [];
    private bool preconfiguredActive;
    private bool preconfiguredInstalled;
    private int nextMonitorId;
    private int nextEventId = 1;

    /// <summary>The NotifyEvents raised while offline and not yet answered, oldest first (made with the first).</summary>
    private OfflineEvents? offlineEvents;

    private sealed class OfflineEvents
    {
        public List<NotifyEventRequest> Waiting { get; } = [];

        /// <summary>How many of the first <see cref="Waiting"/> went out and await their answer.</summary>
        public int Sent { get; set; }
    }

    private sealed class Monitor(int id, ComponentKey component, VariableKey variable, MonitorKind kind, decimal value, int severity, bool transaction, EventNotification origin)
    {
        public int Id { get; } = id;
        public ComponentKey Component { get; } = component;
        public VariableKey Variable { get; } = variable;
        public MonitorKind Kind { get; } = kind;
        public decimal Value { get; } = value;
        public int Severity { get; } = severity;
        public bool Transaction { get; } = transaction;
        public EventNotification Origin { get; } = origin;

        /// <summary>Threshold: tripped now. Delta: the value last reported (or seen when set).</summary>
        public bool Tripped { get; set; }
        public string? Reference { get; set; }

        /// <summary>Periodic: when it reports next (CSMS time).</summary>
        public DateTimeOffset? NextReportAt { get; set; }
    }

    /// <summary>The monitor ids in force (custom and active pre-configured).</summary>
    public IReadOnlyList<int> MonitorIds => [.. ActiveMonitors.Select(m => m.Id)];

    private IEnumerable<Monitor> ActiveMonitors => monitors.Where(m => m.Origin != EventNotification.PreconfiguredMonitor || preconfiguredActive);

    /// <summary>The station's pre-configured monitors as shipped (ids 1..EVSE count; made when first switched on, to keep idle stations small).</summary>
    private void InstallPreconfiguredMonitors()
    {
        monitors.RemoveAll(m => m.Origin == EventNotification.PreconfiguredMonitor);
        for (var id = 1; id <= EvseCount; id++)
        {
            monitors.Add(new Monitor(id, C.Evse(id), V.AvailabilityState, MonitorKind.Delta, 1, PreconfiguredSeverity, false, EventNotification.PreconfiguredMonitor));
        }
        preconfiguredInstalled = true;
    }

    private int NewMonitorId() => nextMonitorId = Math.Max(nextMonitorId, EvseCount) + 1;

    /// <summary>The monitoring requests of block N; null for the rest of the block (GetLog, CustomerInformation).</summary>
    private InboundReply? Monitoring(IOcppRequest request) => request switch
    {
        SetVariableMonitoringRequest r => r.SetMonitoringData.Count > Device.GetInt(C.MonitoringCtrlr, V.ItemsPerMessage("SetVariableMonitoring"))
            ? InboundReply.Error(OcppErrorCode.OccurrenceConstraintViolation, $"at most {Device.GetInt(C.MonitoringCtrlr, V.ItemsPerMessage("SetVariableMonitoring"))} setMonitoringData per request (MonitoringCtrlr.ItemsPerMessage)")
            : Ok(new SetVariableMonitoringResponse { SetMonitoringResult = [.. r.SetMonitoringData.Select(SetMonitor)] }),
        ClearVariableMonitoringRequest r => r.Id.Count > Device.GetInt(C.MonitoringCtrlr, V.ItemsPerMessage("ClearVariableMonitoring"))
            ? InboundReply.Error(OcppErrorCode.OccurrenceConstraintViolation, $"at most {Device.GetInt(C.MonitoringCtrlr, V.ItemsPerMessage("ClearVariableMonitoring"))} ids per request (MonitoringCtrlr.ItemsPerMessage)")
            : Ok(new ClearVariableMonitoringResponse { ClearMonitoringResult = [.. r.Id.Select(ClearMonitor)] }),
        SetMonitoringBaseRequest r => Ok(SetMonitoringBase(r)),
        SetMonitoringLevelRequest r => Ok(SetMonitoringLevel(r)),
        GetMonitoringReportRequest r => Ok(GetMonitoringReport(r)),
        _ => null,
    };

    /// <summary>N04: one SetMonitoringData.</summary>
    private SetMonitoringResult SetMonitor(SetMonitoringData data)
    {
        SetMonitoringResult Result(SetMonitoringStatus status, int? id = null, string? reason = null) => new()
        {
            Id = id ?? data.Id,
            Status = status,
            StatusInfo = reason is null ? null : new StatusInfo { ReasonCode = reason },
            Type = data.Type,
            Severity = data.Severity,
            Component = data.Component,
            Variable = data.Variable,
        };
        var component = ComponentKey.Of(data.Component);
        var variable = VariableKey.Of(data.Variable);
        if (!Device.GetBool(C.MonitoringCtrlr, V.Enabled))
        {
            return Result(SetMonitoringStatus.Rejected, reason: "Disabled");
        }
        if (!Device.HasComponent(component))
        {
            return Result(SetMonitoringStatus.UnknownComponent);
        }
        if (Device.Find(component, variable) is not { } definition)
        {
            return Result(SetMonitoringStatus.UnknownVariable);
        }
        var numeric = definition.DataType is DataKind.Integer or DataKind.Decimal;
        if (!definition.SupportsMonitoring || definition.Mutability == Mutability.WriteOnly
            || (!numeric && data.Type is MonitorKind.UpperThreshold or MonitorKind.LowerThreshold))
        {
            return Result(SetMonitoringStatus.UnsupportedMonitorType);
        }
        if (data.Severity is < 0 or > 9)
        {
            return Result(SetMonitoringStatus.Rejected, reason: "InvalidSeverity");
        }
        if (data.Type is MonitorKind.UpperThreshold or MonitorKind.LowerThreshold
            && (definition.MinLimit is { } min && data.Value < min || definition.MaxLimit is { } max && data.Value > max))
        {
            return Result(SetMonitoringStatus.Rejected, reason: "ValueOutOfRange");
        }
        if (data.Type is MonitorKind.Delta && data.Value < 0 || data.Type is MonitorKind.Periodic or MonitorKind.PeriodicClockAligned && data.Value < 1)
        {
            return Result(SetMonitoringStatus.Rejected, reason: "InvalidValue");
        }
        Monitor? replaced = null;
        if (data.Id is { } wanted)
        {
            replaced = monitors.FirstOrDefault(m => m.Id == wanted);
            if (replaced is null || replaced.Origin == EventNotification.HardWiredMonitor || replaced.Component != component || replaced.Variable != variable)
            {
                return Result(SetMonitoringStatus.Rejected, reason: replaced is null ? "UnknownMonitorId" : "OtherVariable");
            }
        }
        if (ActiveMonitors.Any(m => m != replaced && m.Component == component && m.Variable == variable && m.Kind == data.Type && m.Severity == data.Severity))
        {
            return Result(SetMonitoringStatus.Duplicate);
        }
        if (replaced is null && monitors.Count >= MaxMonitors)
        {
            return Result(SetMonitoringStatus.Rejected, reason: "TooManyMonitors");
        }
        var id = replaced?.Id ?? NewMonitorId();
        if (replaced is not null)
        {
            monitors.Remove(replaced);
        }
        var monitor = new Monitor(id, component, variable, data.Type, data.Value, data.Severity, data.Transaction ?? false, EventNotification.CustomMonitor)
        {
            Reference = Device.Get(component, variable),
        };
        monitor.NextReportAt = FirstReport(monitor, CsmsNow);
        monitors.Add(monitor);
        return Result(SetMonitoringStatus.Accepted, id);
    }

    /// <summary>N06: hard-wired monitors cannot be cleared.</summary>
    private ClearMonitoringResult ClearMonitor(int id)
    {
        var monitor = monitors.FirstOrDefault(m => m.Id == id);
        if (monitor is null || monitor.Origin == EventNotification.PreconfiguredMonitor && !preconfiguredActive)
        {
            return new() { Id = id, Status = ClearMonitoringStatus.NotFound };
        }
        if (monitor.Origin == EventNotification.HardWiredMonitor)
        {
            return new() { Id = id, Status = ClearMonitoringStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "HardWired" } };
        }
        monitors.Remove(monitor);
        return new() { Id = id, Status = ClearMonitoringStatus.Accepted };
    }

    /// <summary>N03: All switches the pre-configured monitors on; FactoryDefault also drops the custom ones; HardWiredOnly drops both.</summary>
    private SetMonitoringBaseResponse SetMonitoringBase(SetMonitoringBaseRequest request)
    {
        if (!Device.GetBool(C.MonitoringCtrlr, V.Enabled))
        {
            return new() { Status = GenericDeviceModelStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "Disabled" } };
        }
        if (request.MonitoringBase != MonitoringBase.All)
        {
            monitors.RemoveAll(m => m.Origin == EventNotification.CustomMonitor);
        }
        if (request.MonitoringBase == MonitoringBase.FactoryDefault || (request.MonitoringBase == MonitoringBase.All && !preconfiguredInstalled))
        {
            // Pre-configured monitors back as shipped (a cleared one returns).
            InstallPreconfiguredMonitors();
        }
        preconfiguredActive = request.MonitoringBase != MonitoringBase.HardWiredOnly;
        var now = CsmsNow;
        foreach (var monitor in ActiveMonitors)
        {
            monitor.Reference = Device.Get(monitor.Component, monitor.Variable);
            monitor.NextReportAt ??= FirstReport(monitor, now);
        }
        return new() { Status = GenericDeviceModelStatus.Accepted };
    }

    /// <summary>N05: events of a severity number above the level are not reported.</summary>
    private SetMonitoringLevelResponse SetMonitoringLevel(SetMonitoringLevelRequest request)
    {
        if (request.Severity is < 0 or > 9)
        {
            return new() { Status = GenericStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "InvalidSeverity" } };
        }
        Device.SetByStation(C.MonitoringCtrlr, V.ActiveMonitoringLevel, request.Severity.ToString(CultureInfo.InvariantCulture));
        return new() { Status = GenericStatus.Accepted };
    }

    /// <summary>N02: the monitors matching the components/variables and the criteria, in NotifyMonitoringReport parts.</summary>
    private GetMonitoringReportResponse GetMonitoringReport(GetMonitoringReportRequest request)
    {
        bool Wanted(Monitor m) =>
            (request.ComponentVariable is not { Count: > 0 } selection || selection.Any(cv =>
                ComponentKey.Of(cv.Component) == m.Component && (cv.Variable is not { } v || VariableKey.Of(v) == m.Variable)))
            && (request.MonitoringCriteria is not { Count: > 0 } criteria || criteria.Any(c => c switch
            {
                MonitoringCriterion.ThresholdMonitoring => m.Kind is MonitorKind.UpperThreshold or MonitorKind.LowerThreshold,
                MonitoringCriterion.DeltaMonitoring => m.Kind == MonitorKind.Delta,
                _ => m.Kind is MonitorKind.Periodic or MonitorKind.PeriodicClockAligned,
            }));
        var matches = ActiveMonitors.Where(Wanted).GroupBy(m => (m.Component, m.Variable)).ToList();
        if (matches.Count == 0)
        {
            return new() { Status = GenericDeviceModelStatus.EmptyResultSet };
        }
        var parts = matches.Chunk(Math.Max(1, Device.GetInt(C.DeviceDataCtrlr, V.ItemsPerMessage("GetReport")))).ToList();
        var generatedAt = CsmsNow;
        for (var i = 0; i < parts.Count; i++)
        {
            Send(new NotifyMonitoringReportRequest
            {
                RequestId = request.RequestId,
                SeqNo = i,
                GeneratedAt = generatedAt,
                Tbc = i < parts.Count - 1 ? true : null,
                Monitor = [.. parts[i].Select(g => new MonitoringData
                {
                    Component = g.Key.Component.ToComponent(),
                    Variable = g.Key.Variable.ToVariable(),
                    VariableMonitoring = [.. g.Select(m => new VariableMonitoring { Id = m.Id, Transaction = m.Transaction, Value = m.Value, Type = m.Kind, Severity = m.Severity })],
                })],
            }, requested: true);
        }
        return new() { Status = GenericDeviceModelStatus.Accepted };
    }

    // ───────────────────────── evaluation ─────────────────────────

    private static DateTimeOffset? FirstReport(Monitor monitor, DateTimeOffset now) => monitor.Kind switch
    {
        MonitorKind.Periodic => now + TimeSpan.FromSeconds((double)monitor.Value),
        MonitorKind.PeriodicClockAligned => NextAligned(now, monitor.Value),
        _ => null,
    };

    private static DateTimeOffset NextAligned(DateTimeOffset after, decimal seconds)
    {
        var midnight = new DateTimeOffset(after.UtcDateTime.Date, TimeSpan.Zero);
        var step = TimeSpan.FromSeconds((double)seconds);
        var passed = (after - midnight).Ticks / step.Ticks;
        return midnight + (step * (passed + 1));
    }

    /// <summary>Whether a monitor counts now: a transaction monitor only while a transaction runs on its EVSE (any EVSE for a station-wide one).</summary>
    private bool InScope(Monitor monitor) =>
        !monitor.Transaction || (monitor.Component.EvseId is { } evse && IsEvse(evse) ? evses[evse].Transaction is not null : Evses.Any(e => e.Transaction is not null));

    /// <summary>Checks the threshold and delta monitors against the values now; the trips go in one NotifyEvent.</summary>
    private void CheckMonitors()
    {
        if (monitors.Count == 0 || !Device.GetBool(C.MonitoringCtrlr, V.Enabled))
        {
            return;
        }
        var events = new List<EventData>();
        foreach (var monitor in ActiveMonitors)
        {
            if (monitor.Kind is MonitorKind.Periodic or MonitorKind.PeriodicClockAligned)
            {
                continue;
            }
            var value = Device.Get(monitor.Component, monitor.Variable);
            if (!InScope(monitor))
            {
                monitor.Reference = value;
                continue;
            }
            var number = decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : (decimal?)null;
            switch (monitor.Kind)
            {
                case MonitorKind.UpperThreshold or MonitorKind.LowerThreshold when number is { } x:
                    var over = monitor.Kind == MonitorKind.UpperThreshold ? x > monitor.Value : x < monitor.Value;
                    if (over != monitor.Tripped)
                    {
                        monitor.Tripped = over;
                        events.Add(Event(monitor, EventTrigger.Alerting, value, cleared: !over));
                    }
                    break;
                case MonitorKind.Delta:
                    var changed = number is { } now && decimal.TryParse(monitor.Reference, NumberStyles.Float, CultureInfo.InvariantCulture, out var before)
                        ? Math.Abs(now - before) >= monitor.Value && now != before
                        : value != monitor.Reference;
                    if (changed)
                    {
                        monitor.Reference = value;
                        events.Add(Event(monitor, EventTrigger.Delta, value));
                    }
                    break;
            }
        }
        Report(events);
    }

    /// <summary>Periodic monitors whose time came report their value.</summary>
    private void AdvanceMonitoring()
    {
        if (monitors.Count == 0)
        {
            return;
        }
        var now = CsmsNow;
        var events = new List<EventData>();
        foreach (var monitor in ActiveMonitors)
        {
            if (monitor.NextReportAt is not { } due || due > now)
            {
                continue;
            }
            monitor.NextReportAt = monitor.Kind == MonitorKind.PeriodicClockAligned ? NextAligned(now, monitor.Value)
                : due + TimeSpan.FromSeconds((double)monitor.Value) is var next && next > now ? next : now + TimeSpan.FromSeconds((double)monitor.Value);
            if (InScope(monitor) && Device.GetBool(C.MonitoringCtrlr, V.Enabled))
            {
                events.Add(Event(monitor, EventTrigger.Periodic, Device.Get(monitor.Component, monitor.Variable)));
            }
        }
        Report(events);
    }

    private DateTimeOffset? NextMonitorReport()
    {
        if (monitors.Count == 0)
        {
            return null;
        }
        DateTimeOffset? next = null;
        foreach (var monitor in ActiveMonitors)
        {
            if (monitor.NextReportAt is { } at && (next is null || at < next))
            {
                next = at;
            }
        }
        return next - csmsOffset;
    }

    private EventData Event(Monitor monitor, EventTrigger trigger, string value, bool? cleared = null) => new()
    {
        EventId = nextEventId++,
        Timestamp = CsmsNow,
        Trigger = trigger,
        ActualValue = value.Length > 2500 ? value[..2500] : value,
        Cleared = cleared == true ? true : null,
        TransactionId = monitor.Component.EvseId is { } evse && IsEvse(evse) ? evses[evse].Transaction?.Id : null,
        Component = monitor.Component.ToComponent(),
        Variable = monitor.Variable.ToVariable(),
        VariableMonitoringId = monitor.Id,
        EventNotificationType = monitor.Origin,
        TechInfo = monitor.Severity.ToString(CultureInfo.InvariantCulture) is var severity ? $"{monitor.Kind} {monitor.Value.ToString(CultureInfo.InvariantCulture)}, severity {severity}" : null,
    };

    /// <summary>
    /// N07: the events the monitoring level lets through go in one NotifyEvent, after those that waited for the connection. Offline,
    /// those of severity at most OfflineQueuingSeverity wait; the rest is dropped.
    /// </summary>
    private void Report(List<EventData> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        int? SeverityOf(EventData e) => monitors.FirstOrDefault(m => m.Id == e.VariableMonitoringId)?.Severity;
        var level = Device.GetInt(C.MonitoringCtrlr, V.ActiveMonitoringLevel);
        var reported = events.Where(e => SeverityOf(e) <= level).ToList();
        if (reported.Count == 0)
        {
            return;
        }
        if (IsOnline)
        {
            FlushOfflineEvents();
            Send(new NotifyEventRequest { GeneratedAt = CsmsNow, SeqNo = 0, EventData = reported });
            return;
        }
        var queueLevel = Device.GetInt(C.MonitoringCtrlr, V.OfflineQueuingSeverity);
        var kept = reported.Where(e => SeverityOf(e) <= queueLevel).ToList();
        if (kept.Count == 0)
        {
            return;
        }
        var queue = offlineEvents ??= new();
        if (queue.Waiting.Count - queue.Sent >= MaxOfflineEvents)
        {
            queue.Waiting.RemoveAt(queue.Sent);   // the oldest not yet out
        }
        queue.Waiting.Add(new NotifyEventRequest { GeneratedAt = CsmsNow, SeqNo = 0, EventData = kept });
    }

    /// <summary>Once online, the events that waited go, oldest first (from Settle, and before any new one).</summary>
    private void FlushOfflineEvents()
    {
        if (offlineEvents is not { } queue || !IsOnline)
        {
            return;
        }
        for (; queue.Sent < queue.Waiting.Count; queue.Sent++)
        {
            Send(queue.Waiting[queue.Sent]);
        }
    }

    /// <summary>A waiting NotifyEvent the CSMS answered, or refused (not sent again: it would be refused again), is done.</summary>
    private void OfflineEventDone(NotifyEventRequest request, OutboundFailure? failure = null)
    {
        if (offlineEvents is not { } queue || failure is OutboundFailure.ConnectionLost)
        {
            return;
        }
        var index = queue.Waiting.FindIndex(r => ReferenceEquals(r, request));
        if (index < 0)
        {
            return;
        }
        queue.Waiting.RemoveAt(index);
        queue.Sent -= index < queue.Sent ? 1 : 0;
        if (queue.Waiting.Count == 0)
        {
            offlineEvents = null;
        }
    }

    /// <summary>The connection is gone: what was out and not answered goes again after the reconnect; a reboot forgets them all.</summary>
    private void OfflineEventsConnectionLost(bool rebooted)
    {
        if (offlineEvents is { } queue)
        {
            queue.Sent = 0;
            offlineEvents = rebooted ? null : queue;
        }
    }
}
