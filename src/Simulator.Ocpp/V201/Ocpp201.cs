using System.Text.Json.Serialization.Metadata;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Authorization;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.DataTransfer;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.DisplayMessage;
using Simulator.Ocpp.V201.FirmwareManagement;
using Simulator.Ocpp.V201.Iso15118CertificateManagement;
using Simulator.Ocpp.V201.LocalAuthorizationList;
using Simulator.Ocpp.V201.MeterValues;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.Reservation;
using Simulator.Ocpp.V201.Security;
using Simulator.Ocpp.V201.SmartCharging;
using Simulator.Ocpp.V201.TariffAndCost;
using Simulator.Ocpp.V201.Transactions;

namespace Simulator.Ocpp.V201;

/// <summary>The functional blocks of OCPP 2.0.1 (part 2, A to P) that have messages of their own.</summary>
public enum FunctionalBlock
{
    Security,
    Provisioning,
    Authorization,
    LocalAuthorizationList,
    Transactions,
    RemoteControl,
    Availability,
    Reservation,
    TariffAndCost,
    MeterValues,
    SmartCharging,
    FirmwareManagement,
    Iso15118CertificateManagement,
    Diagnostics,
    DisplayMessage,
    DataTransfer,
}

/// <summary>OCPP-J 2.0.1: every action of every functional block, as the OCA JSON schemas define them.</summary>
public static class Ocpp201
{
    private const ActionDirection FromStation = ActionDirection.ChargePointToCsms;
    private const ActionDirection ToStation = ActionDirection.CsmsToChargePoint;

    private static readonly ActionDescriptor[] Actions =
    [
        // Security
        Describe<CertificateSignedRequest, CertificateSignedResponse>(FunctionalBlock.Security, ToStation),
        Describe<SecurityEventNotificationRequest, SecurityEventNotificationResponse>(FunctionalBlock.Security, FromStation),
        Describe<SignCertificateRequest, SignCertificateResponse>(FunctionalBlock.Security, FromStation),
        // Provisioning
        Describe<BootNotificationRequest, BootNotificationResponse>(FunctionalBlock.Provisioning, FromStation),
        Describe<GetBaseReportRequest, GetBaseReportResponse>(FunctionalBlock.Provisioning, ToStation),
        Describe<GetReportRequest, GetReportResponse>(FunctionalBlock.Provisioning, ToStation),
        Describe<GetVariablesRequest, GetVariablesResponse>(FunctionalBlock.Provisioning, ToStation),
        Describe<NotifyReportRequest, NotifyReportResponse>(FunctionalBlock.Provisioning, FromStation),
        Describe<ResetRequest, ResetResponse>(FunctionalBlock.Provisioning, ToStation),
        Describe<SetNetworkProfileRequest, SetNetworkProfileResponse>(FunctionalBlock.Provisioning, ToStation),
        Describe<SetVariablesRequest, SetVariablesResponse>(FunctionalBlock.Provisioning, ToStation),
        // Authorization
        Describe<AuthorizeRequest, AuthorizeResponse>(FunctionalBlock.Authorization, FromStation),
        Describe<ClearCacheRequest, ClearCacheResponse>(FunctionalBlock.Authorization, ToStation),
        // LocalAuthorizationList
        Describe<GetLocalListVersionRequest, GetLocalListVersionResponse>(FunctionalBlock.LocalAuthorizationList, ToStation),
        Describe<SendLocalListRequest, SendLocalListResponse>(FunctionalBlock.LocalAuthorizationList, ToStation),
        // Transactions
        Describe<GetTransactionStatusRequest, GetTransactionStatusResponse>(FunctionalBlock.Transactions, ToStation),
        Describe<TransactionEventRequest, TransactionEventResponse>(FunctionalBlock.Transactions, FromStation),
        // RemoteControl
        Describe<RequestStartTransactionRequest, RequestStartTransactionResponse>(FunctionalBlock.RemoteControl, ToStation),
        Describe<RequestStopTransactionRequest, RequestStopTransactionResponse>(FunctionalBlock.RemoteControl, ToStation),
        Describe<TriggerMessageRequest, TriggerMessageResponse>(FunctionalBlock.RemoteControl, ToStation),
        Describe<UnlockConnectorRequest, UnlockConnectorResponse>(FunctionalBlock.RemoteControl, ToStation),
        // Availability
        Describe<ChangeAvailabilityRequest, ChangeAvailabilityResponse>(FunctionalBlock.Availability, ToStation),
        Describe<HeartbeatRequest, HeartbeatResponse>(FunctionalBlock.Availability, FromStation),
        Describe<StatusNotificationRequest, StatusNotificationResponse>(FunctionalBlock.Availability, FromStation),
        // Reservation
        Describe<CancelReservationRequest, CancelReservationResponse>(FunctionalBlock.Reservation, ToStation),
        Describe<ReservationStatusUpdateRequest, ReservationStatusUpdateResponse>(FunctionalBlock.Reservation, FromStation),
        Describe<ReserveNowRequest, ReserveNowResponse>(FunctionalBlock.Reservation, ToStation),
        // TariffAndCost
        Describe<CostUpdatedRequest, CostUpdatedResponse>(FunctionalBlock.TariffAndCost, ToStation),
        // MeterValues
        Describe<MeterValuesRequest, MeterValuesResponse>(FunctionalBlock.MeterValues, FromStation),
        // SmartCharging
        Describe<ClearChargingProfileRequest, ClearChargingProfileResponse>(FunctionalBlock.SmartCharging, ToStation),
        Describe<ClearedChargingLimitRequest, ClearedChargingLimitResponse>(FunctionalBlock.SmartCharging, FromStation),
        Describe<GetChargingProfilesRequest, GetChargingProfilesResponse>(FunctionalBlock.SmartCharging, ToStation),
        Describe<GetCompositeScheduleRequest, GetCompositeScheduleResponse>(FunctionalBlock.SmartCharging, ToStation),
        Describe<NotifyChargingLimitRequest, NotifyChargingLimitResponse>(FunctionalBlock.SmartCharging, FromStation),
        Describe<NotifyEVChargingNeedsRequest, NotifyEVChargingNeedsResponse>(FunctionalBlock.SmartCharging, FromStation),
        Describe<NotifyEVChargingScheduleRequest, NotifyEVChargingScheduleResponse>(FunctionalBlock.SmartCharging, FromStation),
        Describe<ReportChargingProfilesRequest, ReportChargingProfilesResponse>(FunctionalBlock.SmartCharging, FromStation),
        Describe<SetChargingProfileRequest, SetChargingProfileResponse>(FunctionalBlock.SmartCharging, ToStation),
        // FirmwareManagement
        Describe<FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse>(FunctionalBlock.FirmwareManagement, FromStation),
        Describe<PublishFirmwareRequest, PublishFirmwareResponse>(FunctionalBlock.FirmwareManagement, ToStation),
        Describe<PublishFirmwareStatusNotificationRequest, PublishFirmwareStatusNotificationResponse>(FunctionalBlock.FirmwareManagement, FromStation),
        Describe<UnpublishFirmwareRequest, UnpublishFirmwareResponse>(FunctionalBlock.FirmwareManagement, ToStation),
        Describe<UpdateFirmwareRequest, UpdateFirmwareResponse>(FunctionalBlock.FirmwareManagement, ToStation),
        // Iso15118CertificateManagement
        Describe<DeleteCertificateRequest, DeleteCertificateResponse>(FunctionalBlock.Iso15118CertificateManagement, ToStation),
        Describe<Get15118EVCertificateRequest, Get15118EVCertificateResponse>(FunctionalBlock.Iso15118CertificateManagement, FromStation),
        Describe<GetCertificateStatusRequest, GetCertificateStatusResponse>(FunctionalBlock.Iso15118CertificateManagement, FromStation),
        Describe<GetInstalledCertificateIdsRequest, GetInstalledCertificateIdsResponse>(FunctionalBlock.Iso15118CertificateManagement, ToStation),
        Describe<InstallCertificateRequest, InstallCertificateResponse>(FunctionalBlock.Iso15118CertificateManagement, ToStation),
        // Diagnostics
        Describe<ClearVariableMonitoringRequest, ClearVariableMonitoringResponse>(FunctionalBlock.Diagnostics, ToStation),
        Describe<CustomerInformationRequest, CustomerInformationResponse>(FunctionalBlock.Diagnostics, ToStation),
        Describe<GetLogRequest, GetLogResponse>(FunctionalBlock.Diagnostics, ToStation),
        Describe<GetMonitoringReportRequest, GetMonitoringReportResponse>(FunctionalBlock.Diagnostics, ToStation),
        Describe<LogStatusNotificationRequest, LogStatusNotificationResponse>(FunctionalBlock.Diagnostics, FromStation),
        Describe<NotifyCustomerInformationRequest, NotifyCustomerInformationResponse>(FunctionalBlock.Diagnostics, FromStation),
        Describe<NotifyEventRequest, NotifyEventResponse>(FunctionalBlock.Diagnostics, FromStation),
        Describe<NotifyMonitoringReportRequest, NotifyMonitoringReportResponse>(FunctionalBlock.Diagnostics, FromStation),
        Describe<SetMonitoringBaseRequest, SetMonitoringBaseResponse>(FunctionalBlock.Diagnostics, ToStation),
        Describe<SetMonitoringLevelRequest, SetMonitoringLevelResponse>(FunctionalBlock.Diagnostics, ToStation),
        Describe<SetVariableMonitoringRequest, SetVariableMonitoringResponse>(FunctionalBlock.Diagnostics, ToStation),
        // DisplayMessage
        Describe<ClearDisplayMessageRequest, ClearDisplayMessageResponse>(FunctionalBlock.DisplayMessage, ToStation),
        Describe<GetDisplayMessagesRequest, GetDisplayMessagesResponse>(FunctionalBlock.DisplayMessage, ToStation),
        Describe<NotifyDisplayMessagesRequest, NotifyDisplayMessagesResponse>(FunctionalBlock.DisplayMessage, FromStation),
        Describe<SetDisplayMessageRequest, SetDisplayMessageResponse>(FunctionalBlock.DisplayMessage, ToStation),
        // DataTransfer
        Describe<DataTransferRequest, DataTransferResponse>(FunctionalBlock.DataTransfer, ActionDirection.Both),
    ];

    /// <summary>The 2.0.1 message set: an action's <see cref="ActionDescriptor.Group"/> is its <see cref="FunctionalBlock"/>.</summary>
    public static OcppMessageSet Messages { get; } = new("2.0.1", "ocpp2.0.1", OcppErrorDialect.Ocpp201, Actions);

    /// <summary>The functional block an action of this set belongs to.</summary>
    public static FunctionalBlock BlockOf(ActionDescriptor action) => Enum.Parse<FunctionalBlock>(action.Group);

    private static ActionDescriptor Describe<TRequest, TResponse>(FunctionalBlock block, ActionDirection direction)
        where TRequest : IOcppRequest<TResponse>
        where TResponse : IOcppResponse
        => new(
            TRequest.Action,
            block.ToString(),
            direction,
            typeof(TRequest),
            typeof(TResponse),
            Ocpp201JsonContext.CodecTypeInfo);
}
