using Simulator.ChargePoint.V201;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.DataTransfer;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.DisplayMessage;
using Simulator.Ocpp.V201.FirmwareManagement;
using Simulator.Ocpp.V201.Iso15118CertificateManagement;
using Simulator.Ocpp.V201.LocalAuthorizationList;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.Reservation;
using Simulator.Ocpp.V201.Security;
using Simulator.Ocpp.V201.SmartCharging;
using Simulator.Ocpp.V201.TariffAndCost;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using static Simulator.ChargePoint.Tests.HarnessBase;
using static Simulator.ChargePoint.Tests.V201.StationHarness;

namespace Simulator.ChargePoint.Tests.V201;

public sealed class TransactionTests
{
    private static IdToken Token(string value) => new() { Token = value, Type = IdTokenKind.Central };

    [Fact]
    public void Stations_starting_in_the_same_millisecond_name_their_transactions_apart_and_alike_after_a_restart()
    {
        string StartOne(string chargeBoxId)
        {
            var h = new StationHarness(tweak: o => o with { ChargeBoxId = chargeBoxId }).Boot();
            h.Model.PlugIn(1, Ev);
            h.Model.PresentIdTag(1, "TAG1");
            h.Pump();
            return h.Events()[0].TransactionInfo.TransactionId;
        }

        var first = StartOne("CS-A");
        Assert.NotEqual(first, StartOne("CS-B"));
        Assert.Equal(first, StartOne("CS-A"));   // the same station, start time and local reference: the same name
        Assert.InRange(first.Length, 1, 36);
    }

    [Fact]
    public void A_session_is_Started_Updated_Ended_with_gapless_seqNo_trigger_reasons_and_meter_values()
    {
        var h = new StationHarness(new() { ["SampledDataCtrlr.TxUpdatedInterval"] = "60" }).Boot();
        Assert.True(h.Model.PlugIn(1, Ev));
        h.Pump();
        Assert.Empty(h.Events());   // PowerPathClosed: the cable alone starts nothing
        Assert.Equal(ConnectorStatus.Occupied, h.SentOf<StatusNotificationRequest>().Last(s => s.EvseId == 1).ConnectorStatus);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        Assert.Single(h.SentOf<Simulator.Ocpp.V201.Authorization.AuthorizeRequest>());
        h.Run(TimeSpan.FromSeconds(180));
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();

        var events = h.Events();
        var id = events[0].TransactionInfo.TransactionId;
        Assert.All(events, e => Assert.Equal(id, e.TransactionInfo.TransactionId));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.SeqNo));
        Assert.Equal(TransactionEventKind.Started, events[0].EventType);
        Assert.Equal(TriggerReason.Authorized, events[0].TriggerReason);
        Assert.Equal("TAG1", events[0].IdToken!.Token);
        Assert.Equal(1, events[0].Evse!.Id);
        Assert.Equal(ChargingState.Charging, events[0].TransactionInfo.ChargingState);
        Assert.Equal(ReadingContext.TransactionBegin, events[0].MeterValue![0].SampledValue[0].Context);
        var periodic = events.Where(e => e.TriggerReason == TriggerReason.MeterValuePeriodic).ToList();
        Assert.Equal(3, periodic.Count);
        Assert.All(periodic, e => Assert.Equal(TransactionEventKind.Updated, e.EventType));
        Assert.Contains(periodic[0].MeterValue![0].SampledValue, v => v.Measurand == Measurand.PowerActiveImport && v.Value > 0);
        var ended = events[^1];
        Assert.Equal(TransactionEventKind.Ended, ended.EventType);
        Assert.Equal(TriggerReason.StopAuthorized, ended.TriggerReason);
        Assert.Equal(StopReason.Local, ended.TransactionInfo.StoppedReason);
        Assert.All(events, e => Assert.Null(e.Offline));
        var start = events[0].MeterValue![0].SampledValue.Single(v => v.Measurand is null or Measurand.EnergyActiveImportRegister).Value;
        var stop = ended.MeterValue![^1].SampledValue.Single(v => v.Measurand is null or Measurand.EnergyActiveImportRegister).Value;
        Assert.InRange(stop - start, 500m, 600m);   // 11 kW for 3 minutes = 550 Wh
        Assert.Null(h.Model.TransactionIdOf(1));

        var produced = h.Produced.ToList();
        Assert.Equal(events.Select(e => e.SeqNo), produced.Select(p => p.SeqNo!.Value));
        Assert.All(produced, p => Assert.Equal(id, p.TransactionKey));
        Assert.Equal(id, Assert.Single(h.SignalsOf<SessionEnded>().ToList()).TransactionKey);
        h.Model.Unplug(1);
        h.Pump();
        Assert.Equal(ConnectorStatus.Available, h.SentOf<StatusNotificationRequest>().Last(s => s.EvseId == 1).ConnectorStatus);
    }

    [Fact]
    public void TxStartPoint_EVConnected_starts_at_the_cable_and_unplugging_ends_with_EVDisconnected()
    {
        var h = new StationHarness(new() { ["TxStartPoint"] = "EVConnected", ["TxStopPoint"] = "EVConnected" }).Boot();
        h.Model.PlugIn(2, Ev);
        h.Pump();
        var started = Assert.Single(h.Events());
        Assert.Equal((TriggerReason.CablePluggedIn, ChargingState.EVConnected), (started.TriggerReason, started.TransactionInfo.ChargingState));
        Assert.Null(started.IdToken);
        h.Model.PresentIdTag(2, "TAG2");
        h.Pump();
        var authorized = h.Events()[1];
        Assert.Equal((TransactionEventKind.Updated, TriggerReason.Authorized, "TAG2"), (authorized.EventType, authorized.TriggerReason, authorized.IdToken!.Token));
        Assert.Equal(ChargingState.Charging, authorized.TransactionInfo.ChargingState);
        // The stop point is the cable: a stop by token only ends the charging.
        h.Model.PresentIdTag(2, "TAG2");
        h.Pump();
        Assert.Equal((TransactionEventKind.Updated, TriggerReason.StopAuthorized), (h.Events()[^1].EventType, h.Events()[^1].TriggerReason));
        h.Model.Unplug(2);
        h.Pump();
        var ended = h.Events()[^1];
        Assert.Equal((TransactionEventKind.Ended, TriggerReason.EVDeparted, StopReason.Local), (ended.EventType, ended.TriggerReason, ended.TransactionInfo.StoppedReason));
        Assert.Equal([0, 1, 2, 3], h.Events().Select(e => e.SeqNo));
    }

    [Fact]
    public void Remote_start_signals_the_driver_then_Started_carries_the_remoteStartId_and_remote_stop_ends_with_Remote()
    {
        var h = new StationHarness().Boot();
        var response = h.Call<RequestStartTransactionResponse>(new RequestStartTransactionRequest { EvseId = 2, IdToken = Token("REMOTE1"), RemoteStartId = 4711 });
        Assert.Equal(RequestStartStopStatus.Accepted, response.Status);
        h.Pump();
        var awaiting = Assert.Single(h.SignalsOf<RemoteStartAwaitingPlugIn>());
        Assert.Equal((2, "REMOTE1"), (awaiting.ConnectorId, awaiting.IdTag));
        Assert.Empty(h.Events());
        h.Run(TimeSpan.FromSeconds(10));
        Assert.True(h.Model.PlugIn(awaiting.ConnectorId, Ev));
        h.Pump();
        var started = Assert.Single(h.Events());
        Assert.Equal(TransactionEventKind.Started, started.EventType);
        Assert.Equal(4711, started.TransactionInfo.RemoteStartId);
        Assert.Equal("REMOTE1", started.IdToken!.Token);
        var id = h.Model.TransactionIdOf(2)!;

        Assert.Equal(RequestStartStopStatus.Rejected, h.Call<RequestStopTransactionResponse>(new RequestStopTransactionRequest { TransactionId = "nope" }).Status);
        var status = h.Call<GetTransactionStatusResponse>(new GetTransactionStatusRequest { TransactionId = id });
        Assert.Equal((true, false), (status.OngoingIndicator, status.MessagesInQueue));
        Assert.Equal(RequestStartStopStatus.Accepted, h.Call<RequestStopTransactionResponse>(new RequestStopTransactionRequest { TransactionId = id }).Status);
        h.Pump();
        var ended = h.Events()[^1];
        Assert.Equal((TransactionEventKind.Ended, TriggerReason.RemoteStop, StopReason.Remote), (ended.EventType, ended.TriggerReason, ended.TransactionInfo.StoppedReason));
        Assert.Equal(false, h.Call<GetTransactionStatusResponse>(new GetTransactionStatusRequest { TransactionId = id }).OngoingIndicator);
    }

    [Fact]
    public void Remote_start_without_an_EV_lapses_after_EVConnectionTimeOut()
    {
        var h = new StationHarness(new() { ["EVConnectionTimeOut"] = "30" }).Boot();
        h.Call<RequestStartTransactionResponse>(new RequestStartTransactionRequest { IdToken = Token("R"), RemoteStartId = 1 });
        h.Pump();
        var evse = Assert.Single(h.SignalsOf<RemoteStartAwaitingPlugIn>()).ConnectorId;
        h.Run(TimeSpan.FromSeconds(31));
        Assert.Equal(evse, Assert.Single(h.SignalsOf<RemoteStartLapsed>()).ConnectorId);
        h.Model.PlugIn(evse, Ev);
        h.Pump();
        Assert.Empty(h.Events());
    }

    [Fact]
    public void Events_made_offline_carry_the_offline_flag_and_failed_sends_are_retried_per_MessageAttempts()
    {
        var h = new StationHarness(new() { ["OfflineTxForUnknownIdEnabled"] = "true", ["MessageAttemptInterval"] = "10", ["MessageAttempts"] = "3" }).Boot();
        h.Model.OnDisconnected();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "OFF1");
        h.Run(TimeSpan.FromSeconds(61), pump: false);
        Assert.Equal(2, h.Model.OfflineQueueDepth);   // Started + one periodic Updated
        h.Model.OnConnected();
        var failures = 0;
        h.Override = m => m.Request is TransactionEventRequest && failures++ < 2 ? new HeartbeatResponse { CurrentTime = h.Clock.GetUtcNow() } : null;
        h.Pump();
        Assert.Equal(2, h.Model.OfflineQueueDepth);   // the first attempt got a wrong answer: retried after 10 s
        h.Run(TimeSpan.FromSeconds(10));
        Assert.Equal(2, h.Model.OfflineQueueDepth);   // second failure: the next try after 20 s
        h.Run(TimeSpan.FromSeconds(20));
        Assert.Equal(0, h.Model.OfflineQueueDepth);
        var events = h.Events();
        var delivered = events.DistinctBy(e => e.SeqNo).ToList();
        Assert.Equal([0, 1], delivered.Select(e => e.SeqNo));
        Assert.All(delivered, e => Assert.True(e.Offline));
        Assert.Equal(3, h.Sent.Count(m => m.Request is TransactionEventRequest { SeqNo: 0 }));
        Assert.Equal([1, 2, 3], h.Sent.Where(m => m.Request is TransactionEventRequest { SeqNo: 0 }).Select(m => m.Attempt));
    }

    [Fact]
    public void A_message_failing_MessageAttempts_times_is_abandoned()
    {
        var h = new StationHarness(new() { ["MessageAttempts"] = "2", ["MessageAttemptInterval"] = "5" }).Boot();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "T");
        h.Override = m => m.Request is TransactionEventRequest ? new HeartbeatResponse { CurrentTime = h.Clock.GetUtcNow() } : null;
        h.Pump();
        h.Run(TimeSpan.FromSeconds(5));
        var abandoned = Assert.Single(h.SignalsOf<TransactionMessageAbandoned>());
        Assert.Equal((TransactionMessageKind.StartTransaction, 2), (abandoned.Kind, abandoned.Attempts));
    }

    [Fact]
    public void After_a_power_cut_queued_events_survive_and_the_interrupted_transaction_ends_with_PowerLoss_continuing_its_seqNo()
    {
        var h = new StationHarness(new() { ["SampledDataCtrlr.TxUpdatedInterval"] = "30" }).Boot();
        h.Call<Simulator.Ocpp.V201.Provisioning.SetVariablesResponse>(new Simulator.Ocpp.V201.Provisioning.SetVariablesRequest
        {
            SetVariableData =
            [
                new() { Component = Comp("OCPPCommCtrlr"), Variable = Var("HeartbeatInterval"), AttributeValue = "77" },
                new() { Component = Comp("SecurityCtrlr"), Variable = Var("BasicAuthPassword"), AttributeValue = "a-new-secret-password" },
            ],
        });
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG");
        h.Pump();
        h.Run(TimeSpan.FromSeconds(60));   // Started + 2 Updated delivered
        var id = h.Model.TransactionIdOf(1)!;
        h.Model.OnDisconnected();
        h.Run(TimeSpan.FromSeconds(30), pump: false);   // one more Updated, queued offline
        var saved = h.Model.TakeStateChanges()!;
        Assert.Single(saved.Appended);
        var state = new ChargePointPersistentState(saved.Memory!, saved.Appended);
        // The persistent settings the CSMS changed are saved, the write-only password never.
        Assert.Equal("77", Assert.Single(saved.Memory!.Settings!).Value);

        var after = new StationHarness();
        after.Clock.SetUtcNow(h.Clock.GetUtcNow() + TimeSpan.FromMinutes(5));
        after.Model.RestoreAfterPowerLoss(state);
        Assert.Equal(77, after.Model.Device.GetInt(Simulator.ChargePoint.V201.DeviceModel.Components.OCPPCommCtrlr, Simulator.ChargePoint.V201.DeviceModel.Variables.HeartbeatInterval));   // until the next boot's interval
        after.Boot();
        var events = after.Events(id);
        Assert.Equal([3, 4], events.Select(e => e.SeqNo));
        Assert.Equal(TransactionEventKind.Updated, events[0].EventType);
        Assert.True(events[0].Offline);
        var ended = events[1];
        Assert.Equal((TransactionEventKind.Ended, TriggerReason.AbnormalCondition, StopReason.PowerLoss), (ended.EventType, ended.TriggerReason, ended.TransactionInfo.StoppedReason));
        Assert.True(ended.Offline);
        Assert.Null(after.Model.TransactionIdOf(1));
        Assert.Equal(h.Model.CsmsNow, ended.Timestamp);
    }

    [Fact]
    public void PowerCycle_ends_the_transaction_with_PowerLoss_and_boots_with_PowerUp()
    {
        var h = new StationHarness().Boot();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG");
        h.Pump();
        h.Model.PowerCycle();
        h.DrainSignals();
        Assert.Equal(RebootKind.PowerCycle, Assert.Single(h.SignalsOf<RebootRequested>()).Kind);
        h.Model.OnConnected();
        h.Pump();
        Assert.Equal(Simulator.Ocpp.V201.Provisioning.BootReason.PowerUp, h.SentOf<Simulator.Ocpp.V201.Provisioning.BootNotificationRequest>().Last().Reason);
        var ended = h.Events()[^1];
        Assert.Equal((TransactionEventKind.Ended, StopReason.PowerLoss, true), (ended.EventType, ended.TransactionInfo.StoppedReason, ended.Offline));
    }

    [Fact]
    public void ChangeAvailability_of_a_busy_EVSE_is_Scheduled_until_its_transaction_ends()
    {
        var h = new StationHarness().Boot();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG");
        h.Pump();
        Assert.Equal(ChangeAvailabilityStatus.Scheduled, h.Call<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { OperationalStatus = OperationalStatus.Inoperative, Evse = new Evse { Id = 1 } }).Status);
        Assert.Equal(ChangeAvailabilityStatus.Accepted, h.Call<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { OperationalStatus = OperationalStatus.Inoperative, Evse = new Evse { Id = 2, ConnectorId = 1 } }).Status);
        Assert.Equal(ChangeAvailabilityStatus.Rejected, h.Call<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { OperationalStatus = OperationalStatus.Inoperative, Evse = new Evse { Id = 9 } }).Status);
        h.Pump();
        Assert.Equal(ConnectorStatus.Unavailable, h.SentOf<StatusNotificationRequest>().Last(s => s.EvseId == 2).ConnectorStatus);
        h.Model.PresentIdTag(1, "TAG");
        h.Model.Unplug(1);
        h.Pump();
        Assert.Equal(ConnectorStatus.Unavailable, h.SentOf<StatusNotificationRequest>().Last(s => s.EvseId == 1).ConnectorStatus);
        Assert.Equal(RequestStartStopStatus.Rejected, h.Call<RequestStartTransactionResponse>(new RequestStartTransactionRequest { EvseId = 1, IdToken = Token("X"), RemoteStartId = 2 }).Status);
        Assert.Equal(UnlockStatus.UnknownConnector, h.Call<UnlockConnectorResponse>(new UnlockConnectorRequest { EvseId = 1, ConnectorId = 2 }).Status);
    }

    [Fact]
    public void Local_list_full_and_differential_with_version_checks_authorizes_offline()
    {
        var h = new StationHarness().Boot();
        AuthorizationData Entry(string token, AuthorizationStatus? status) => new()
        {
            IdToken = new IdToken { Token = token, Type = IdTokenKind.ISO14443 },
            IdTokenInfo = status is { } s ? new IdTokenInfo { Status = s } : null,
        };
        Assert.Equal(SendLocalListStatus.Accepted, h.Call<SendLocalListResponse>(new SendLocalListRequest { VersionNumber = 3, UpdateType = UpdateKind.Full, LocalAuthorizationList = [Entry("A", AuthorizationStatus.Accepted), Entry("B", AuthorizationStatus.Blocked)] }).Status);
        Assert.Equal(SendLocalListStatus.VersionMismatch, h.Call<SendLocalListResponse>(new SendLocalListRequest { VersionNumber = 3, UpdateType = UpdateKind.Differential, LocalAuthorizationList = [Entry("C", AuthorizationStatus.Accepted)] }).Status);
        Assert.Equal(SendLocalListStatus.Accepted, h.Call<SendLocalListResponse>(new SendLocalListRequest { VersionNumber = 4, UpdateType = UpdateKind.Differential, LocalAuthorizationList = [Entry("C", AuthorizationStatus.Accepted), Entry("A", null)] }).Status);
        Assert.Equal(4, h.Call<GetLocalListVersionResponse>(new GetLocalListVersionRequest()).VersionNumber);
        h.Model.OnDisconnected();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "A");   // removed: unknown offline
        h.Model.PresentIdTag(1, "B");   // blocked
        h.DrainSignals();
        Assert.Equal(2, h.SignalsOf<IdTagRejected>().Count());
        h.Model.PresentIdTag(1, "C");
        h.DrainSignals();
        Assert.NotNull(h.Model.TransactionIdOf(1));
    }

    [Fact]
    public void Every_trigger_gets_a_status_and_the_triggered_message_goes()
    {
        var h = new StationHarness().Boot();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "T");
        h.Pump();
        h.Sent.Clear();
        var statuses = new Dictionary<MessageTrigger, TriggerMessageStatus>();
        foreach (var trigger in Enum.GetValues<MessageTrigger>())
        {
            statuses[trigger] = h.Call<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = trigger, Evse = trigger == MessageTrigger.BootNotification ? null : new Evse { Id = 1 } }).Status;
            h.Pump();
        }
        Assert.Equal(TriggerMessageStatus.Rejected, statuses[MessageTrigger.BootNotification]);
        foreach (var accepted in new[] { MessageTrigger.Heartbeat, MessageTrigger.StatusNotification, MessageTrigger.MeterValues, MessageTrigger.TransactionEvent, MessageTrigger.FirmwareStatusNotification, MessageTrigger.LogStatusNotification })
        {
            Assert.Equal(TriggerMessageStatus.Accepted, statuses[accepted]);
        }
        Assert.Equal(TriggerReason.Trigger, Assert.Single(h.Events()).TriggerReason);
        Assert.Single(h.SentOf<Simulator.Ocpp.V201.MeterValues.MeterValuesRequest>(), m => m.EvseId == 1 && m.MeterValue[0].SampledValue[0].Context == ReadingContext.Trigger);
        Assert.Single(h.SentOf<HeartbeatRequest>());
        Assert.Single(h.SentOf<StatusNotificationRequest>());
    }

    [Fact]
    public void Every_CSMS_action_gets_a_valid_answer_not_a_CALLERROR()
    {
        var h = new StationHarness().Boot();
        var hash = new CertificateHashData { HashAlgorithm = HashAlgorithm.SHA256, IssuerNameHash = "aa", IssuerKeyHash = "bb", SerialNumber = "01" };
        IOcppRequest[] requests =
        [
            new CertificateSignedRequest { CertificateChain = "-----BEGIN CERTIFICATE-----" },
            new ReserveNowRequest { Id = 1, ExpiryDateTime = h.Clock.GetUtcNow().AddHours(1), IdToken = Token("R") },
            new CancelReservationRequest { ReservationId = 1 },
            new CostUpdatedRequest { TotalCost = 1.5m, TransactionId = "x" },
            new SetChargingProfileRequest
            {
                EvseId = 0,
                ChargingProfile = new ChargingProfile
                {
                    Id = 1, StackLevel = 0, ChargingProfilePurpose = ChargingProfilePurpose.TxDefaultProfile, ChargingProfileKind = ChargingProfileKind.Relative,
                    ChargingSchedule = [new ChargingSchedule { Id = 1, ChargingRateUnit = ChargingRateUnit.W, ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = 7000 }] }],
                },
            },
            new SetDisplayMessageRequest { Message = new MessageInfo { Id = 1, Priority = MessagePriority.NormalCycle, Message = new MessageContent { Format = MessageFormat.UTF8, Content = "hi" } } },
            new GetChargingProfilesRequest { RequestId = 1, ChargingProfile = new ChargingProfileCriterion() },
            new ClearChargingProfileRequest(),
            new GetCompositeScheduleRequest { Duration = 60, EvseId = 1 },
            new UpdateFirmwareRequest { RequestId = 1, Firmware = new Firmware { Location = "https://fw.example/f.bin", RetrieveDateTime = h.Clock.GetUtcNow() } },
            new PublishFirmwareRequest { Location = "https://fw.example/f.bin", Checksum = "0123456789abcdef0123456789abcdef", RequestId = 1 },
            new UnpublishFirmwareRequest { Checksum = "0123456789abcdef0123456789abcdef" },
            new GetInstalledCertificateIdsRequest(),
            new DeleteCertificateRequest { CertificateHashData = hash },
            new InstallCertificateRequest { CertificateType = InstallCertificateUse.CSMSRootCertificate, Certificate = "-----BEGIN CERTIFICATE-----" },
            new GetLogRequest { RequestId = 1, LogType = LogKind.DiagnosticsLog, Log = new LogParameters { RemoteLocation = "https://logs.example/" } },
            new CustomerInformationRequest { RequestId = 1, Report = true, Clear = false, IdToken = Token("C") },
            new GetMonitoringReportRequest { RequestId = 1 },
            new SetMonitoringBaseRequest { MonitoringBase = MonitoringBase.All },
            new SetMonitoringLevelRequest { Severity = 5 },
            new ClearVariableMonitoringRequest { Id = [1, 2] },
            new SetVariableMonitoringRequest { SetMonitoringData = [new SetMonitoringData { Value = 1, Type = MonitorKind.Delta, Severity = 5, Component = Comp("OCPPCommCtrlr"), Variable = Var("HeartbeatInterval") }] },
            new GetDisplayMessagesRequest { RequestId = 1 },
            new ClearDisplayMessageRequest { Id = 1 },
            new Simulator.Ocpp.V201.Authorization.ClearCacheRequest(),
            new DataTransferRequest { VendorId = "someone.else" },
            new DataTransferRequest { VendorId = "FleetSim", MessageId = "Echo" },
        ];
        foreach (var request in requests)
        {
            var reply = h.Model.HandleCall(request);
            Assert.True(reply.Response is not null, $"{request.GetType().Name}: {reply.ErrorCode} {reply.ErrorDescription}");
            Assert.Equal(Ocpp201.Messages.Of(request).ResponseType, reply.Response!.GetType());
            AssertValid(reply.Response);
        }
        Assert.Equal(DataTransferStatus.UnknownVendorId, h.Call<DataTransferResponse>(new DataTransferRequest { VendorId = "someone.else" }).Status);
        Assert.Equal(ChargePointErrorKind(h.Model.HandleCall(new Simulator.Ocpp.V201.Provisioning.BootNotificationRequest
        {
            Reason = Simulator.Ocpp.V201.Provisioning.BootReason.PowerUp,
            ChargingStation = new Simulator.Ocpp.V201.Provisioning.ChargingStation { Model = "m", VendorName = "v" },
        })), OcppErrorCode.NotSupported);
        // Whatever the CSMS may send gets an answer of the right type (a default-shaped request of every action, to catch a missing arm).
        foreach (var action in Ocpp201.Messages.Actions.Where(a => a.Direction.HasFlag(Simulator.Ocpp.ActionDirection.CsmsToChargePoint)))
        {
            Assert.Contains(action.RequestType, requests.Select(r => r.GetType()).Concat(OtherwiseCovered));
        }
    }

    /// <summary>CSMS actions the other tests of this folder call.</summary>
    private static readonly Type[] OtherwiseCovered =
    [
        typeof(Simulator.Ocpp.V201.Provisioning.GetBaseReportRequest), typeof(Simulator.Ocpp.V201.Provisioning.GetReportRequest),
        typeof(Simulator.Ocpp.V201.Provisioning.GetVariablesRequest), typeof(Simulator.Ocpp.V201.Provisioning.SetVariablesRequest),
        typeof(Simulator.Ocpp.V201.Provisioning.SetNetworkProfileRequest), typeof(Simulator.Ocpp.V201.Provisioning.ResetRequest),
        typeof(SendLocalListRequest), typeof(GetLocalListVersionRequest), typeof(GetTransactionStatusRequest),
        typeof(RequestStartTransactionRequest), typeof(RequestStopTransactionRequest), typeof(UnlockConnectorRequest), typeof(TriggerMessageRequest),
        typeof(ChangeAvailabilityRequest),
    ];

    private static OcppErrorCode? ChargePointErrorKind(InboundReply reply) => reply.ErrorCode;
}
