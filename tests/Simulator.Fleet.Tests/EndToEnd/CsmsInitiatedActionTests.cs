using System.Globalization;
using System.Text.Json;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.LocalAuthListManagement;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Reservation;
using Simulator.Ocpp.V16.SmartCharging;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Fleet.Tests.EndToEnd;

/// <summary>Every CSMS-initiated action, sent by the real CSMS to a live charge-point actor: the reply and the follow-ups.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class CsmsInitiatedActionTests : IAsyncLifetime
{
    private FleetHarness? _h;
    private string _id = "";

    private FleetHarness H => _h!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_h is not null)
        {
            await _h.DisposeAsync();
        }
    }

    private async Task BootAsync(BehaviourPlan? behaviour = null, IReadOnlyDictionary<string, string>? configuration = null, int heartbeatInterval = 300)
    {
        _h = await FleetHarness.StartAsync(
            Plans.OneType("ACT-{000}", behaviour: behaviour, configuration: configuration),
            new CsmsOptions { HeartbeatInterval = heartbeatInterval });
        _id = await H.StartBootedAsync();
    }

    private async Task<TResponse> CallAsync<TResponse>(IOcppRequest request) where TResponse : IOcppResponse
    {
        var outcome = await H.Csms.CallAsync(_id, request);
        Assert.True(outcome.IsAnswered, $"{outcome.Action}: {outcome.Status} {outcome.ErrorCode} {outcome.Description}");
        return Assert.IsType<TResponse>(outcome.Response);
    }

    private ConnectorState? Status(int connectorId) => H.Snapshot(_id).Connectors.FirstOrDefault(c => c.ConnectorId == connectorId);

    private Task StatusBecomesAsync(int connectorId, ChargePointStatus status)
        => Await.ConditionAsync(() => Status(connectorId)?.Status == status, $"connector {connectorId} reported {status} (now {Status(connectorId)?.Status})");

    private IReadOnlyList<TapFrame> Calls(string action) => H.Wire.CallsFromChargePoint(_id, action);

    private static JsonElement? StopWith(IReadOnlyList<TapFrame> stops, int transactionId)
        => stops.Select(s => (JsonElement?)s.Payload).FirstOrDefault(p => p!.Value.GetProperty("transactionId").GetInt32() == transactionId);

    /// <summary>Plugged in (see <see cref="Plans.PluggedWaitingForRemoteStart"/>); RemoteStartTransaction starts a transaction.</summary>
    private async Task<int> RemoteStartAsync(int connectorId = 1)
    {
        await StatusBecomesAsync(connectorId, ChargePointStatus.Preparing);
        // The driver's blocked tag is refused first, so it cannot interfere with the remote start.
        await Await.ConditionAsync(() => Calls("Authorize").Any(a => a.Payload.GetProperty("idTag").GetString() == Plans.BlockedTag), "the driver's blocked tag was tried");

        var reply = await CallAsync<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { ConnectorId = connectorId, IdTag = "E2E-REMOTE" });
        Assert.Equal(RemoteStartStopStatus.Accepted, reply.Status);

        await Await.ConditionAsync(() => H.Snapshot(_id).ActiveTransactions.Any(t => t.ConnectorId == connectorId), "StartTransaction recorded by the CSMS");
        var transaction = H.Snapshot(_id).ActiveTransactions.Single(t => t.ConnectorId == connectorId);
        Assert.Equal("E2E-REMOTE", transaction.IdTag);
        Assert.Equal(1, H.Csms.Ledger.CountsFor(_id).StartsDelivered);
        await StatusBecomesAsync(connectorId, ChargePointStatus.Charging);
        await Await.ConditionAsync(
            () => Calls("MeterValues").Any(m => m.Payload.TryGetProperty("transactionId", out var tx) && tx.GetInt32() == transaction.TransactionId),
            "MeterValues carrying the transactionId");
        return transaction.TransactionId;
    }

    [Fact]
    public async Task RemoteStart_then_RemoteStop_start_and_stop_a_transaction_with_reason_Remote()
    {
        await BootAsync(Plans.PluggedWaitingForRemoteStart);
        var transactionId = await RemoteStartAsync();

        var stop = await CallAsync<RemoteStopTransactionResponse>(new RemoteStopTransactionRequest { TransactionId = transactionId });
        Assert.Equal(RemoteStartStopStatus.Accepted, stop.Status);
        await Await.ConditionAsync(() => StopWith(Calls("StopTransaction"), transactionId) is not null, "StopTransaction");
        Assert.Equal("Remote", StopWith(Calls("StopTransaction"), transactionId)!.Value.GetProperty("reason").GetString());
        await Await.ConditionAsync(() => H.Snapshot(_id).ActiveTransactions.Count == 0, "the CSMS closed the transaction");
        Assert.Equal(1, H.Csms.Ledger.CountsFor(_id).StopsDelivered);

        var unknown = await CallAsync<RemoteStopTransactionResponse>(new RemoteStopTransactionRequest { TransactionId = transactionId + 1000 });
        Assert.Equal(RemoteStartStopStatus.Rejected, unknown.Status);
    }

    [Theory]
    [InlineData(ResetType.Soft, "SoftReset")]
    [InlineData(ResetType.Hard, "HardReset")]
    public async Task Reset_stops_the_transaction_closes_the_socket_reconnects_and_boots_again(ResetType type, string reason)
    {
        await BootAsync(Plans.PluggedWaitingForRemoteStart);
        var transactionId = await RemoteStartAsync();
        var sessionsBefore = H.Wire.Sessions(_id);

        var reply = await CallAsync<ResetResponse>(new ResetRequest { Type = type });
        Assert.Equal(ResetStatus.Accepted, reply.Status);

        await Await.ConditionAsync(() => Calls("BootNotification").Count >= 2, "a second BootNotification after the reset");
        Assert.True(H.Wire.Sessions(_id) > sessionsBefore, "the reset closed the socket and the charge point reconnected");
        Assert.Contains(H.Journal.Events, e => e.Kind == ConnectionEventKind.Disconnected);
        await Await.ConditionAsync(() => StopWith(Calls("StopTransaction"), transactionId) is not null, "StopTransaction for the running transaction");
        Assert.Equal(reason, StopWith(Calls("StopTransaction"), transactionId)!.Value.GetProperty("reason").GetString());
        await Await.ConditionAsync(() => H.Snapshot(_id).ActiveTransactions.Count == 0 && H.Snapshot(_id).Booted, "booted again, no transaction open");
    }

    [Fact]
    public async Task ChangeConfiguration_HeartbeatInterval_is_accepted_and_changes_the_heartbeat_cadence()
    {
        await BootAsync(heartbeatInterval: 300);
        await Task.Delay(1500);
        Assert.Empty(Calls("Heartbeat"));

        var reply = await CallAsync<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = "HeartbeatInterval", Value = "1" });
        Assert.Equal(ConfigurationStatus.Accepted, reply.Status);

        await Await.ConditionAsync(() => Calls("Heartbeat").Count >= 4, TimeSpan.FromSeconds(10), "heartbeats at the new 1 s interval");
        Cadence.AssertNear([.. Calls("Heartbeat").Select(f => f.At)], TimeSpan.FromSeconds(1));

        var read = await CallAsync<GetConfigurationResponse>(new GetConfigurationRequest { Key = ["HeartbeatInterval"] });
        Assert.Equal("1", Assert.Single(read.ConfigurationKey!).Value);
    }

    [Fact]
    public async Task GetConfiguration_reports_an_unknown_key_as_unknownKey()
    {
        await BootAsync();
        var reply = await CallAsync<GetConfigurationResponse>(new GetConfigurationRequest { Key = ["NoSuchKeyAnywhere", "MeterValueSampleInterval"] });
        Assert.Equal(["NoSuchKeyAnywhere"], reply.UnknownKey!);
        Assert.Equal("1", Assert.Single(reply.ConfigurationKey!).Value);
    }

    [Fact]
    public async Task ChangeAvailability_Inoperative_makes_the_connector_Unavailable_and_Operative_brings_it_back()
    {
        await BootAsync();
        var reply = await CallAsync<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { ConnectorId = 1, Type = AvailabilityType.Inoperative });
        Assert.Equal(AvailabilityStatus.Accepted, reply.Status);
        await StatusBecomesAsync(1, ChargePointStatus.Unavailable);
        Assert.Equal(ChargePointStatus.Available, Status(2)!.Status);

        reply = await CallAsync<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { ConnectorId = 1, Type = AvailabilityType.Operative });
        Assert.Equal(AvailabilityStatus.Accepted, reply.Status);
        await StatusBecomesAsync(1, ChargePointStatus.Available);
    }

    [Fact]
    public async Task UnlockConnector_unlocks_and_ends_a_running_transaction_with_reason_UnlockCommand()
    {
        await BootAsync(Plans.PluggedWaitingForRemoteStart);
        var transactionId = await RemoteStartAsync();
        var reply = await CallAsync<UnlockConnectorResponse>(new UnlockConnectorRequest { ConnectorId = 1 });
        Assert.Equal(UnlockStatus.Unlocked, reply.Status);
        await Await.ConditionAsync(() => StopWith(Calls("StopTransaction"), transactionId) is not null, "StopTransaction after unlock");
        Assert.Equal("UnlockCommand", StopWith(Calls("StopTransaction"), transactionId)!.Value.GetProperty("reason").GetString());

        var missing = await CallAsync<UnlockConnectorResponse>(new UnlockConnectorRequest { ConnectorId = 9 });
        Assert.Equal(UnlockStatus.NotSupported, missing.Status);
    }

    [Fact]
    public async Task ReserveNow_reserves_the_connector_and_CancelReservation_frees_it()
    {
        await BootAsync();
        var reserve = await CallAsync<ReserveNowResponse>(new ReserveNowRequest { ConnectorId = 1, ExpiryDate = DateTimeOffset.UtcNow.AddMinutes(10), IdTag = "E2E-RES", ReservationId = 42 });
        Assert.Equal(ReservationStatus.Accepted, reserve.Status);
        await StatusBecomesAsync(1, ChargePointStatus.Reserved);

        var cancel = await CallAsync<CancelReservationResponse>(new CancelReservationRequest { ReservationId = 42 });
        Assert.Equal(CancelReservationStatus.Accepted, cancel.Status);
        await StatusBecomesAsync(1, ChargePointStatus.Available);

        var again = await CallAsync<CancelReservationResponse>(new CancelReservationRequest { ReservationId = 42 });
        Assert.Equal(CancelReservationStatus.Rejected, again.Status);
    }

    [Theory]
    [InlineData(MessageTrigger.BootNotification, "BootNotification")]
    [InlineData(MessageTrigger.DiagnosticsStatusNotification, "DiagnosticsStatusNotification")]
    [InlineData(MessageTrigger.FirmwareStatusNotification, "FirmwareStatusNotification")]
    [InlineData(MessageTrigger.Heartbeat, "Heartbeat")]
    [InlineData(MessageTrigger.MeterValues, "MeterValues")]
    [InlineData(MessageTrigger.StatusNotification, "StatusNotification")]
    public async Task TriggerMessage_is_accepted_and_the_triggered_message_arrives(MessageTrigger trigger, string action)
    {
        await BootAsync();
        var before = Calls(action).Count;
        var reply = await CallAsync<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = trigger, ConnectorId = trigger is MessageTrigger.MeterValues or MessageTrigger.StatusNotification ? 1 : null });
        Assert.Equal(TriggerMessageStatus.Accepted, reply.Status);
        await Await.ConditionAsync(() => Calls(action).Count > before, $"the triggered {action}");
        if (trigger is MessageTrigger.MeterValues or MessageTrigger.StatusNotification)
        {
            Assert.Equal(1, Calls(action)[^1].Payload.GetProperty("connectorId").GetInt32());
        }
    }

    [Fact]
    public async Task SetChargingProfile_with_a_low_limit_caps_the_power_in_MeterValues_and_shows_in_GetCompositeSchedule()
    {
        await BootAsync(Plans.PluggedWaitingForRemoteStart);
        var transactionId = await RemoteStartAsync();
        // Unlimited, the EV takes far more than the limit below (a test that could not tell them apart would prove nothing).
        await Await.ConditionAsync(() => PowerSamples(transactionId).Any(p => p.Watts > 5_000), "power above 5 kW before the profile");

        const decimal limitW = 2_000;
        var profile = new ChargingProfile
        {
            ChargingProfileId = 7,
            StackLevel = 1,
            ChargingProfilePurpose = ChargingProfilePurpose.TxProfile,
            ChargingProfileKind = ChargingProfileKind.Absolute,
            TransactionId = transactionId,
            ChargingSchedule = new ChargingSchedule
            {
                StartSchedule = DateTimeOffset.UtcNow.AddMinutes(-1),
                ChargingRateUnit = ChargingRateUnit.W,
                ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = limitW }],
            },
        };
        var set = await CallAsync<SetChargingProfileResponse>(new SetChargingProfileRequest { ConnectorId = 1, CsChargingProfiles = profile });
        Assert.Equal(ChargingProfileStatus.Accepted, set.Status);
        var setAt = DateTimeOffset.UtcNow;

        await Await.ConditionAsync(() => PowerSamples(transactionId).Count(p => p.At > setAt.AddSeconds(1)) >= 3, "three samples after the profile");
        Assert.All(PowerSamples(transactionId).Where(p => p.At > setAt.AddSeconds(1)), p => Assert.True(p.Watts <= (double)limitW * 1.01, $"{p.Watts} W at {p.At:O} exceeds the {limitW} W limit"));

        var composite = await CallAsync<GetCompositeScheduleResponse>(new GetCompositeScheduleRequest { ConnectorId = 1, Duration = 600, ChargingRateUnit = ChargingRateUnit.W });
        Assert.Equal(GetCompositeScheduleStatus.Accepted, composite.Status);
        Assert.NotNull(composite.ChargingSchedule);
        Assert.All(composite.ChargingSchedule!.ChargingSchedulePeriod, p => Assert.True(p.Limit <= limitW, $"composite period limit {p.Limit}"));
    }

    /// <summary>Power.Active.Import samples (in W) of the transaction's MeterValues, by sample time, as the CSMS received them.</summary>
    private List<(DateTimeOffset At, double Watts)> PowerSamples(int transactionId)
    {
        var samples = new List<(DateTimeOffset, double)>();
        foreach (var frame in Calls("MeterValues"))
        {
            if (!frame.Payload.TryGetProperty("transactionId", out var tx) || tx.GetInt32() != transactionId)
            {
                continue;
            }
            foreach (var value in frame.Payload.GetProperty("meterValue").EnumerateArray())
            {
                var at = value.GetProperty("timestamp").GetDateTimeOffset();
                foreach (var sampled in value.GetProperty("sampledValue").EnumerateArray())
                {
                    if (sampled.TryGetProperty("measurand", out var m) && m.GetString() == "Power.Active.Import" && !sampled.TryGetProperty("phase", out _))
                    {
                        var number = double.Parse(sampled.GetProperty("value").GetString()!, CultureInfo.InvariantCulture);
                        var unit = sampled.TryGetProperty("unit", out var u) ? u.GetString() : "W";
                        samples.Add((at, unit == "kW" ? number * 1000 : number));
                    }
                }
            }
        }
        return samples;
    }

    [Fact]
    public async Task ClearCache_SendLocalList_GetLocalListVersion_and_DataTransfer_answer_as_the_spec_says()
    {
        await BootAsync();
        Assert.Equal(ClearCacheStatus.Accepted, (await CallAsync<ClearCacheResponse>(new ClearCacheRequest())).Status);

        var send = await CallAsync<SendLocalListResponse>(new SendLocalListRequest
        {
            ListVersion = 5,
            UpdateType = UpdateType.Full,
            LocalAuthorizationList = [new AuthorizationData { IdTag = "E2E-LOCAL", IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } }],
        });
        Assert.Equal(UpdateStatus.Accepted, send.Status);
        Assert.Equal(5, (await CallAsync<GetLocalListVersionResponse>(new GetLocalListVersionRequest())).ListVersion);

        var echo = await CallAsync<DataTransferResponse>(new DataTransferRequest { VendorId = "FleetSim", MessageId = "Echo", Data = "e2e-data" });
        Assert.Equal(DataTransferStatus.Accepted, echo.Status);
        Assert.Equal("e2e-data", echo.Data);
        Assert.Equal(DataTransferStatus.UnknownMessageId, (await CallAsync<DataTransferResponse>(new DataTransferRequest { VendorId = "FleetSim", MessageId = "NoSuchMessage" })).Status);
        Assert.Equal(DataTransferStatus.UnknownVendorId, (await CallAsync<DataTransferResponse>(new DataTransferRequest { VendorId = "SomebodyElse" })).Status);
    }

    [Fact]
    public async Task GetDiagnostics_uploads_the_file_over_HTTP_PUT_and_notifies_Uploading_then_Uploaded()
    {
        await using var files = await FileServer.StartAsync();
        await BootAsync();
        var reply = await CallAsync<GetDiagnosticsResponse>(new GetDiagnosticsRequest { Location = new Uri(files.BaseUrl, "upload/").ToString() });
        Assert.False(string.IsNullOrEmpty(reply.FileName));

        await Await.ConditionAsync(() => files.Uploads.ContainsKey(reply.FileName!), $"the file {reply.FileName} arrives at the HTTP endpoint");
        Assert.NotEmpty(files.Uploads[reply.FileName!]);
        await Await.ConditionAsync(() => DiagnosticsStatuses().Contains("Uploaded"), "DiagnosticsStatusNotification Uploaded");
        Assert.Equal(["Uploading", "Uploaded"], DiagnosticsStatuses());
        Assert.Equal("Uploaded", H.Snapshot(_id).DiagnosticsStatus);
    }

    private List<string> DiagnosticsStatuses() => [.. Calls("DiagnosticsStatusNotification").Select(f => f.Payload.GetProperty("status").GetString()!)];

    [Fact]
    public async Task UpdateFirmware_downloads_installs_reports_every_step_and_boots_again()
    {
        await using var files = await FileServer.StartAsync();
        await BootAsync();
        await CallAsync<UpdateFirmwareResponse>(new UpdateFirmwareRequest { Location = new Uri(files.BaseUrl, "firmware.bin").ToString(), RetrieveDate = DateTimeOffset.UtcNow });

        await Await.ConditionAsync(() => Calls("BootNotification").Count >= 2, TimeSpan.FromSeconds(40), "a new BootNotification after the firmware was installed");
        var statuses = Calls("FirmwareStatusNotification").Select(f => f.Payload.GetProperty("status").GetString()).ToList();
        Assert.Equal(["Downloading", "Downloaded", "Installing", "Installed"], statuses);
        Assert.Equal(1, files.Downloads);
        var installed = Calls("FirmwareStatusNotification")[^1].At;
        Assert.True(Calls("BootNotification")[^1].At > installed, "the reboot follows the Installed notification");
    }
}
