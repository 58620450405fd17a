using Simulator.Ocpp;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Authorization;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.DataTransfer;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.DisplayMessage;
using Simulator.Ocpp.V201.FirmwareManagement;
using Simulator.Ocpp.V201.Iso15118CertificateManagement;
using Simulator.Ocpp.V201.MeterValues;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.Reservation;
using Simulator.Ocpp.V201.Security;
using Simulator.Ocpp.V201.SmartCharging;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using V16Types = Simulator.Ocpp.V16.Types;

namespace Simulator.Csms.V201;

/// <summary>
/// The CSMS's answers to every station-initiated OCPP 2.0.1 action. What both versions share (boot answer and faults, id
/// tag policy, certificate authority, vendor ids, the charge point's state and the ledger) is the same CSMS's; only the
/// payloads differ. A CSMS without ISO 15118 certificate services answers those requests Failed with the reason.
/// </summary>
internal sealed class Ocpp201Handlers(CsmsServer server) : IVersionHandlers
{
    private readonly HashSet<string> _vendors = new(server.Options.KnownVendorIds, StringComparer.Ordinal);

    private DateTimeOffset Now => server.Options.TimeProvider.GetUtcNow();

    public OcppMessageSet Messages => Ocpp201.Messages;

    /// <summary>B02.FR.02: while Pending a station sends only what the CSMS asked for: a triggered message, or the reports of a Get… request.</summary>
    public IReadOnlyList<string> InstructedActions(IOcppRequest request) => request switch
    {
        TriggerMessageRequest trigger => [trigger.RequestedMessage switch
        {
            MessageTrigger.SignChargingStationCertificate or MessageTrigger.SignV2GCertificate or MessageTrigger.SignCombinedCertificate => SignCertificateRequest.Action,
            var other => other.ToString(),
        }],
        GetBaseReportRequest or GetReportRequest => [NotifyReportRequest.Action],
        GetMonitoringReportRequest => [NotifyMonitoringReportRequest.Action],
        GetChargingProfilesRequest => [ReportChargingProfilesRequest.Action],
        CustomerInformationRequest => [NotifyCustomerInformationRequest.Action],
        GetDisplayMessagesRequest => [NotifyDisplayMessagesRequest.Action],
        GetLogRequest => [LogStatusNotificationRequest.Action],
        UpdateFirmwareRequest => [FirmwareStatusNotificationRequest.Action],
        PublishFirmwareRequest => [PublishFirmwareStatusNotificationRequest.Action],
        _ => [],
    };

    public HandlerResult Handle(ChargePointConnection connection, IOcppRequest request)
    {
        var state = connection.State;
        var id = connection.ChargeBoxId;
        switch (request)
        {
            case BootNotificationRequest boot:
                {
                    var (status, interval) = server.BootAnswer();
                    var station = boot.ChargingStation;
                    state.OnBoot(station.VendorName, station.Model, station.FirmwareVersion, status.ToString());
                    state.Ocpp201.OnBoot(boot.Reason.ToString());
                    return new(new BootNotificationResponse
                    {
                        Status = Enum.Parse<RegistrationStatus>(status.ToString()),
                        CurrentTime = Now,
                        Interval = interval,
                        StatusInfo = status == V16Types.RegistrationStatus.Accepted ? null : new StatusInfo
                        {
                            ReasonCode = status == V16Types.RegistrationStatus.Pending ? "Pending" : "Rejected",
                            AdditionalInfo = $"retry the BootNotification in {interval} s",
                        },
                    });
                }
            case HeartbeatRequest:
                {
                    var now = Now;
                    state.OnHeartbeat(now);
                    return new(new HeartbeatResponse { CurrentTime = now });
                }
            case StatusNotificationRequest status:
                state.Ocpp201.OnStatus(new EvseConnectorState(status.EvseId, status.ConnectorId, status.ConnectorStatus.ToString(), status.Timestamp, Now));
                return new(new StatusNotificationResponse());
            case AuthorizeRequest authorize:
                return new(new AuthorizeResponse { IdTokenInfo = Evaluate(authorize.IdToken) });
            case TransactionEventRequest transaction:
                return TransactionEvent(state, id, transaction);
            case MeterValuesRequest meterValues:
                state.Ocpp201.OnMeterValues(meterValues.MeterValue.Count);
                return new(new MeterValuesResponse());
            case NotifyReportRequest report:
                state.Ocpp201.OnReportPart(NotifyReportRequest.Action, report.RequestId, report.ReportData?.Count ?? 0, report.Tbc == true, Now);
                return new(new NotifyReportResponse());
            case NotifyMonitoringReportRequest monitoring:
                state.Ocpp201.OnReportPart(NotifyMonitoringReportRequest.Action, monitoring.RequestId, monitoring.Monitor?.Count ?? 0, monitoring.Tbc == true, Now);
                return new(new NotifyMonitoringReportResponse());
            case ReportChargingProfilesRequest profiles:
                state.Ocpp201.OnReportPart(ReportChargingProfilesRequest.Action, profiles.RequestId, profiles.ChargingProfile.Count, profiles.Tbc == true, Now);
                return new(new ReportChargingProfilesResponse());
            case NotifyCustomerInformationRequest customer:
                state.Ocpp201.OnReportPart(NotifyCustomerInformationRequest.Action, customer.RequestId, 1, customer.Tbc == true, Now);
                return new(new NotifyCustomerInformationResponse());
            case NotifyDisplayMessagesRequest display:
                state.Ocpp201.OnReportPart(NotifyDisplayMessagesRequest.Action, display.RequestId, display.MessageInfo?.Count ?? 0, display.Tbc == true, Now);
                return new(new NotifyDisplayMessagesResponse());
            case NotifyEventRequest notify:
                foreach (var e in notify.EventData)
                {
                    state.Ocpp201.OnEvent(new NotifiedEvent(e.EventId, e.Timestamp, e.Trigger.ToString(), Describe(e.Component), Describe(e.Variable), e.ActualValue, e.Cleared == true));
                }
                return new(new NotifyEventResponse());
            case NotifyChargingLimitRequest limit:
                state.Ocpp201.OnChargingLimit(new ChargingLimitState(limit.EvseId, limit.ChargingLimit.ChargingLimitSource.ToString(), limit.ChargingLimit.IsGridCritical, limit.ChargingSchedule?.Count ?? 0, Now));
                return new(new NotifyChargingLimitResponse());
            case ClearedChargingLimitRequest cleared:
                state.Ocpp201.OnChargingLimitCleared(cleared.EvseId, cleared.ChargingLimitSource.ToString());
                return new(new ClearedChargingLimitResponse());
            case NotifyEVChargingNeedsRequest:
                // K15: Accepted promises a charging schedule; this CSMS computes none from an EV's needs, so it says so.
                state.Ocpp201.OnEvChargingNeeds();
                return new(new NotifyEVChargingNeedsResponse
                {
                    Status = NotifyEVChargingNeedsStatus.Rejected,
                    StatusInfo = new StatusInfo { ReasonCode = "NoSchedule", AdditionalInfo = "this CSMS computes no charging schedule from EV charging needs; the station's own limits apply" },
                });
            case NotifyEVChargingScheduleRequest:
                state.Ocpp201.OnEvChargingSchedule();
                return new(new NotifyEVChargingScheduleResponse { Status = GenericStatus.Accepted });
            case LogStatusNotificationRequest log:
                state.OnLogStatus(log.Status.ToString(), log.RequestId);
                return new(new LogStatusNotificationResponse());
            case FirmwareStatusNotificationRequest firmware:
                state.OnFirmwareStatus(firmware.Status.ToString());
                return new(new FirmwareStatusNotificationResponse());
            case PublishFirmwareStatusNotificationRequest publish:
                state.Ocpp201.OnPublishFirmwareStatus(publish.Status.ToString());
                return new(new PublishFirmwareStatusNotificationResponse());
            case SecurityEventNotificationRequest securityEvent:
                state.OnSecurityEvent(new SecurityEventRecord(securityEvent.Type, securityEvent.Timestamp, securityEvent.TechInfo, Now));
                return new(new SecurityEventNotificationResponse());
            case SignCertificateRequest sign:
                return SignCertificate(state, sign);
            case Get15118EVCertificateRequest:
                return new(new Get15118EVCertificateResponse
                {
                    Status = Iso15118EVCertificateStatus.Failed,
                    StatusInfo = NoIso15118("no contract certificate service (ISO 15118 CertificateInstallation/Update)"),
                    ExiResponse = "",
                });
            case GetCertificateStatusRequest:
                return new(new GetCertificateStatusResponse
                {
                    Status = GetCertificateStatus.Failed,
                    StatusInfo = NoIso15118("no OCSP responder for ISO 15118 certificates"),
                });
            case ReservationStatusUpdateRequest reservation:
                state.Ocpp201.OnReservationUpdate(reservation.ReservationId, reservation.ReservationUpdateStatus.ToString());
                return new(new ReservationStatusUpdateResponse());
            case DataTransferRequest dataTransfer:
                return new(new DataTransferResponse
                {
                    Status = _vendors.Contains(dataTransfer.VendorId) ? DataTransferStatus.Accepted : DataTransferStatus.UnknownVendorId,
                });
            default:
                throw new NotSupportedException($"{request.GetType().Name} is not a station-initiated OCPP 2.0.1 action");
        }
    }

    private HandlerResult TransactionEvent(ChargePointState state, string id, TransactionEventRequest request)
    {
        server.Ledger.RecordTransactionEvent(id, request);
        var info = request.TransactionInfo;
        state.Ocpp201.OnTransactionEvent(info.TransactionId, request.EventType == TransactionEventKind.Ended, request.Evse?.Id,
            request.IdToken?.Token, info.RemoteStartId, info.ChargingState?.ToString(), request.Timestamp, request.SeqNo);
        // E01.FR.08/E03.FR.10: an event carrying an idToken is answered with the token's authorization.
        return new(new TransactionEventResponse { IdTokenInfo = request.IdToken is { } token ? Evaluate(token) : null });
    }

    /// <summary>The id tag policy, spoken in 2.0.1: the same status names; the parent tag becomes the group token.</summary>
    private IdTokenInfo Evaluate(IdToken token)
    {
        if (token.Type == IdTokenKind.NoAuthorization)
        {
            // The station says no authorization applies (free charging): nothing to look up.
            return new IdTokenInfo { Status = AuthorizationStatus.Accepted };
        }
        var info = server.IdTags.Evaluate(token.Token, Now);
        return new IdTokenInfo
        {
            Status = Enum.Parse<AuthorizationStatus>(info.Status.ToString()),
            CacheExpiryDateTime = info.ExpiryDate,
            GroupIdToken = info.ParentIdTag is { } parent ? new IdToken { Token = parent, Type = IdTokenKind.Central } : null,
        };
    }

    private HandlerResult SignCertificate(ChargePointState state, SignCertificateRequest sign)
    {
        if (sign.CertificateType == CertificateSigningUse.V2GCertificate)
        {
            state.OnCertificateSigned("CSR rejected: V2GCertificate requested; this CSMS's CA issues charging station certificates only");
            return new(new SignCertificateResponse
            {
                Status = GenericStatus.Rejected,
                StatusInfo = new StatusInfo { ReasonCode = "UnsupportedType", AdditionalInfo = "this CSMS signs ChargingStationCertificate requests only (no V2G PKI)" },
            });
        }
        string chain;
        try
        {
            chain = server.Authority.SignCsr(sign.Csr, state.ChargeBoxId, server.Options.CpoName, server.Options.SignedCertificateLifetime);
        }
        catch (CsrRejectedException ex)
        {
            state.OnCertificateSigned($"CSR rejected: {ex.Message}");
            return new(new SignCertificateResponse
            {
                Status = GenericStatus.Rejected,
                StatusInfo = new StatusInfo { ReasonCode = "InvalidCSR", AdditionalInfo = Truncate(ex.Message, 512) },
            });
        }
        return new(
            new SignCertificateResponse { Status = GenericStatus.Accepted },
            new CertificateSignedRequest { CertificateChain = chain, CertificateType = CertificateSigningUse.ChargingStationCertificate },
            outcome => state.OnCertificateSigned(outcome.Response is CertificateSignedResponse r ? r.Status.ToString() : outcome.Status.ToString()));
    }

    private static StatusInfo NoIso15118(string what) => new() { ReasonCode = "NotSupported", AdditionalInfo = $"this CSMS has {what}" };

    private static string Describe(Component component)
        => (component.Instance is { } instance ? $"{component.Name}[{instance}]" : component.Name) + (component.Evse is { } evse ? $"@{evse.Id}" + (evse.ConnectorId is { } c ? $".{c}" : "") : "");

    private static string Describe(Variable variable) => variable.Instance is { } instance ? $"{variable.Name}[{instance}]" : variable.Name;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
