using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Rpc;
using Simulator.Ocpp.Tests.V201;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Authorization;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.DataTransfer;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.Iso15118CertificateManagement;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Security;
using Simulator.Ocpp.V201.SmartCharging;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;

namespace Simulator.Csms.Tests.V201;

/// <summary>The embedded CSMS's answers to station-initiated 2.0.1 messages, checked against the official OCA schemas.</summary>
public sealed class HandlerTests201
{
    public static TheoryData<string> StationActions => [.. Support201.StationInitiated];

    [Theory]
    [MemberData(nameof(StationActions))]
    public async Task Every_station_initiated_message_is_answered_with_a_schema_valid_CALLRESULT(string action)
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1");
        var request = Samples201.Requests[action];
        Support201.AssertValid(request);
        var answered = Assert.IsType<CallAnswered>(await station.CallAsync(request));
        Assert.Equal(action, answered.Call.Action.Name);
        Support201.AssertValid(action, request: false, station.RawResult(answered.Call.UniqueId));
        Assert.Equal(0, csms.GetStats().HandlerFailures);
    }

    [Fact]
    public async Task Boot_is_Accepted_with_the_heartbeat_interval_and_a_boot_fault_answers_Pending_with_its_retry_interval()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { HeartbeatInterval = 120 });
        await using var station = await Support201.ConnectAsync(csms, "CS-1");
        var accepted = await station.AskValidAsync(Support201.Boot());
        Assert.Equal((RegistrationStatus.Accepted, 120), (accepted.Status, accepted.Interval));
        Assert.Null(accepted.StatusInfo);
        var snapshot = csms.Registry.Find("CS-1")!.Snapshot();
        Assert.Equal(("FleetSim", "FS-201", "Accepted", "PowerUp"), (snapshot.Vendor, snapshot.Model, snapshot.BootStatus, snapshot.Ocpp201!.BootReason));

        csms.Faults.HoldBoots(BootFaultMode.Pending, 7, TimeSpan.FromMinutes(1));
        var pending = await station.AskValidAsync(Support201.Boot(BootReason.Watchdog));
        Assert.Equal((RegistrationStatus.Pending, 7), (pending.Status, pending.Interval));
        Assert.NotNull(pending.StatusInfo);
        csms.Faults.Clear();
        csms.SetBootResponse(Simulator.Ocpp.V16.Types.RegistrationStatus.Rejected, 30);
        var rejected = await station.AskValidAsync(Support201.Boot());
        Assert.Equal((RegistrationStatus.Rejected, 30), (rejected.Status, rejected.Interval));
        Assert.False(csms.Registry.Find("CS-1")!.IsBooted);
    }

    [Fact]
    public async Task Heartbeat_gives_the_current_time_and_StatusNotification_is_kept_per_EVSE_connector()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var heartbeat = await station.AskValidAsync(new HeartbeatRequest());
        Assert.InRange(heartbeat.CurrentTime, before, DateTimeOffset.UtcNow.AddSeconds(1));
        await station.AskValidAsync(new StatusNotificationRequest { Timestamp = before, ConnectorStatus = ConnectorStatus.Occupied, EvseId = 2, ConnectorId = 1 });
        var connector = Assert.Single(csms.Registry.Find("CS-1")!.Snapshot().Ocpp201!.Connectors);
        Assert.Equal((2, 1, "Occupied"), (connector.EvseId, connector.ConnectorId, connector.Status));
    }

    [Fact]
    public async Task Authorize_and_TransactionEvent_answer_with_the_id_tag_policy_in_201_terms()
    {
        await using var csms = await Support.StartAsync();
        csms.IdTags.Set("BLOCKED-1", new IdTagEntry(Simulator.Ocpp.V16.Types.AuthorizationStatus.Blocked));
        csms.IdTags.Set("CHILD-1", new IdTagEntry(Simulator.Ocpp.V16.Types.AuthorizationStatus.Accepted, ParentIdTag: "FLEET-7", ExpiryDate: DateTimeOffset.UtcNow.AddDays(1)));
        await using var station = await Support201.ConnectAsync(csms, "CS-1");
        IdToken Token(string value) => new() { Token = value, Type = IdTokenKind.ISO14443 };

        Assert.Equal(AuthorizationStatus.Accepted, (await station.AskValidAsync(new AuthorizeRequest { IdToken = Token("ANY-1") })).IdTokenInfo.Status);
        Assert.Equal(AuthorizationStatus.Blocked, (await station.AskValidAsync(new AuthorizeRequest { IdToken = Token("BLOCKED-1") })).IdTokenInfo.Status);
        var child = (await station.AskValidAsync(new AuthorizeRequest { IdToken = Token("CHILD-1") })).IdTokenInfo;
        Assert.Equal(("FLEET-7", AuthorizationStatus.Accepted), (child.GroupIdToken?.Token, child.Status));
        Assert.NotNull(child.CacheExpiryDateTime);
        csms.IdTags.AllowListOnly = true;
        Assert.Equal(AuthorizationStatus.Invalid, (await station.AskValidAsync(new AuthorizeRequest { IdToken = Token("ANY-2") })).IdTokenInfo.Status);
        // A token that says no authorization applies needs no list entry.
        Assert.Equal(AuthorizationStatus.Accepted, (await station.AskValidAsync(new AuthorizeRequest { IdToken = new IdToken { Token = "", Type = IdTokenKind.NoAuthorization } })).IdTokenInfo.Status);

        var started = await station.AskValidAsync(Events.Started("TX-1", Token("BLOCKED-1")));
        Assert.Equal(AuthorizationStatus.Blocked, started.IdTokenInfo!.Status);
        var updated = await station.AskValidAsync(Events.Updated("TX-1", 1));
        Assert.Null(updated.IdTokenInfo);
        var active = Assert.Single(csms.Registry.Find("CS-1")!.Snapshot().Ocpp201!.ActiveTransactions);
        Assert.Equal(("TX-1", 1, "BLOCKED-1", 1), (active.TransactionId, active.EvseId, active.IdToken, active.LastSeqNo));
        await station.AskValidAsync(Events.Ended("TX-1", 2, StopReason.DeAuthorized));
        Assert.Empty(csms.Registry.Find("CS-1")!.Snapshot().Ocpp201!.ActiveTransactions);
    }

    [Fact]
    public async Task SignCertificate_is_signed_by_the_CSMS_CA_and_followed_by_a_schema_valid_CertificateSigned()
    {
        await using var csms = await Support.StartAsync();
        CertificateSignedRequest? delivered = null;
        await using var station = await Support201.ConnectAsync(csms, "CS-9", request =>
        {
            delivered = request as CertificateSignedRequest;
            return new CertificateSignedResponse { Status = CertificateSignedStatus.Accepted };
        });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest($"CN=CS-9, O={csms.Options.CpoName}", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var answer = await station.AskValidAsync(new SignCertificateRequest { Csr = csr, CertificateType = CertificateSigningUse.ChargingStationCertificate });
        Assert.Equal(GenericStatus.Accepted, answer.Status);
        Assert.True(await Support.EventuallyAsync(() => csms.Registry.Find("CS-9")!.Snapshot().LastCertificateSigned == "Accepted"));
        Assert.NotNull(delivered);
        Support201.AssertValid(delivered!);
        Assert.Equal(CertificateSigningUse.ChargingStationCertificate, delivered!.CertificateType);
        var leaf = X509Certificate2.CreateFromPem(delivered.CertificateChain);
        Assert.True(csms.Authority.Verifies(leaf));
        Assert.Equal("CS-9", leaf.GetNameInfo(X509NameType.SimpleName, false));

        // A CSR for another station and a V2G certificate are refused, with the reason.
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreign = new CertificateRequest($"CN=CS-8, O={csms.Options.CpoName}", other, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var refused = await station.AskValidAsync(new SignCertificateRequest { Csr = foreign });
        Assert.Equal((GenericStatus.Rejected, "InvalidCSR"), (refused.Status, refused.StatusInfo?.ReasonCode));
        var v2g = await station.AskValidAsync(new SignCertificateRequest { Csr = csr, CertificateType = CertificateSigningUse.V2GCertificate });
        Assert.Equal(GenericStatus.Rejected, v2g.Status);
        Assert.NotNull(v2g.StatusInfo);
    }

    [Fact]
    public async Task ISO_15118_certificate_requests_are_answered_Failed_with_a_reason_not_silence()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1");
        var ev = await station.AskValidAsync((Get15118EVCertificateRequest)Samples201.Requests["Get15118EVCertificate"]);
        Assert.Equal(Iso15118EVCertificateStatus.Failed, ev.Status);
        Assert.Equal("NotSupported", ev.StatusInfo?.ReasonCode);
        var ocsp = await station.AskValidAsync((GetCertificateStatusRequest)Samples201.Requests["GetCertificateStatus"]);
        Assert.Equal(GetCertificateStatus.Failed, ocsp.Status);
        Assert.NotNull(ocsp.StatusInfo);
    }

    [Fact]
    public async Task Reports_in_parts_events_limits_and_DataTransfer_are_recorded_and_answered()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1");
        var part = (NotifyReportRequest)Samples201.Requests["NotifyReport"];
        await station.AskValidAsync(part with { RequestId = 5, SeqNo = 0, Tbc = true });
        await station.AskValidAsync(part with { RequestId = 5, SeqNo = 1, Tbc = null });
        await station.AskValidAsync((NotifyEventRequest)Samples201.Requests["NotifyEvent"]);
        await station.AskValidAsync(new NotifyChargingLimitRequest { EvseId = 1, ChargingLimit = new ChargingLimit { ChargingLimitSource = ChargingLimitSource.EMS, IsGridCritical = true } });
        var state = csms.Registry.Find("CS-1")!.Snapshot().Ocpp201!;
        var report = Assert.Single(state.Reports);
        Assert.Equal(("NotifyReport", 5, 2, true), (report.Action, report.RequestId, report.Parts, report.Complete));
        Assert.Equal(2L * part.ReportData!.Count, report.Items);
        Assert.True(state.EventsNotified >= 1);
        Assert.Equal("EMS", Assert.Single(state.ChargingLimits).Source);
        await station.AskValidAsync(new ClearedChargingLimitRequest { ChargingLimitSource = ChargingLimitSource.EMS });
        Assert.Empty(csms.Registry.Find("CS-1")!.Snapshot().Ocpp201!.ChargingLimits);

        Assert.Equal(DataTransferStatus.Accepted, (await station.AskValidAsync(new DataTransferRequest { VendorId = "FleetSim" })).Status);
        Assert.Equal(DataTransferStatus.UnknownVendorId, (await station.AskValidAsync(new DataTransferRequest { VendorId = "com.other" })).Status);
    }

    [Fact]
    public async Task Before_its_boot_is_Accepted_a_station_may_send_only_what_the_CSMS_asked_for()
    {
        // The real registration rule (Support.StartAsync accepts calls before boot).
        await using var csms = new CsmsServer(new CsmsOptions());
        await csms.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1", request => request switch
        {
            GetBaseReportRequest => new GetBaseReportResponse { Status = GenericDeviceModelStatus.Accepted },
            _ => null,
        });
        csms.SetBootResponse(Simulator.Ocpp.V16.Types.RegistrationStatus.Pending, 10);
        Assert.Equal(RegistrationStatus.Pending, (await station.AskValidAsync(Support201.Boot())).Status);
        var report = (NotifyReportRequest)Samples201.Requests["NotifyReport"] with { RequestId = 9 };

        var refused = Assert.IsType<CallFailed>(await station.CallAsync(report));
        Assert.Equal(OcppErrorCode.SecurityError, refused.ErrorCode);
        // B02.FR.02: while Pending the CSMS may ask for a report, and the report's parts are then welcome.
        var outcome = await csms.CallAsync("CS-1", new GetBaseReportRequest { RequestId = 9, ReportBase = ReportBase.FullInventory });
        Assert.True(outcome.IsAnswered, outcome.Description);
        Assert.IsType<CallAnswered>(await station.CallAsync(report));
        Assert.Equal(1, csms.GetStats().Violations!.CallsBeforeBootRefused);
    }
}

/// <summary>TransactionEvents of one transaction on EVSE 1, numbered as a station numbers them.</summary>
internal static class Events
{
    public static TransactionEventRequest Started(string transactionId, IdToken? token = null, int seqNo = 0, bool offline = false) => new()
    {
        EventType = TransactionEventKind.Started,
        Timestamp = DateTimeOffset.UtcNow,
        TriggerReason = token is null ? TriggerReason.CablePluggedIn : TriggerReason.Authorized,
        SeqNo = seqNo,
        Offline = offline ? true : null,
        TransactionInfo = new Transaction { TransactionId = transactionId, ChargingState = ChargingState.EVConnected },
        Evse = new Evse { Id = 1, ConnectorId = 1 },
        IdToken = token,
    };

    public static TransactionEventRequest Updated(string transactionId, int seqNo, bool offline = false) => new()
    {
        EventType = TransactionEventKind.Updated,
        Timestamp = DateTimeOffset.UtcNow,
        TriggerReason = TriggerReason.MeterValuePeriodic,
        SeqNo = seqNo,
        Offline = offline ? true : null,
        TransactionInfo = new Transaction { TransactionId = transactionId, ChargingState = ChargingState.Charging },
        MeterValue = [new MeterValue { Timestamp = DateTimeOffset.UtcNow, SampledValue = [new SampledValue { Value = 1234.5m }] }],
    };

    public static TransactionEventRequest Ended(string transactionId, int seqNo, StopReason? reason = null) => new()
    {
        EventType = TransactionEventKind.Ended,
        Timestamp = DateTimeOffset.UtcNow,
        TriggerReason = TriggerReason.EVDeparted,
        SeqNo = seqNo,
        TransactionInfo = new Transaction { TransactionId = transactionId, StoppedReason = reason },
    };
}
