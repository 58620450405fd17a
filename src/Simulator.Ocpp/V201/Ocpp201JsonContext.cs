using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
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

/// <summary>
/// Source-generated JSON metadata for every 2.0.1 payload, with the options of the 1.6 context: camelCase, unknown
/// members refused (except inside <see cref="Types.CustomData"/>, the one open object), nullability respected, strict numbers,
/// date-times written as UTC with milliseconds.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    Converters = [typeof(OcppDateTimeConverter)])]
// Security
[JsonSerializable(typeof(CertificateSignedRequest))]
[JsonSerializable(typeof(CertificateSignedResponse))]
[JsonSerializable(typeof(SecurityEventNotificationRequest))]
[JsonSerializable(typeof(SecurityEventNotificationResponse))]
[JsonSerializable(typeof(SignCertificateRequest))]
[JsonSerializable(typeof(SignCertificateResponse))]
// Provisioning
[JsonSerializable(typeof(BootNotificationRequest))]
[JsonSerializable(typeof(BootNotificationResponse))]
[JsonSerializable(typeof(GetBaseReportRequest))]
[JsonSerializable(typeof(GetBaseReportResponse))]
[JsonSerializable(typeof(GetReportRequest))]
[JsonSerializable(typeof(GetReportResponse))]
[JsonSerializable(typeof(GetVariablesRequest))]
[JsonSerializable(typeof(GetVariablesResponse))]
[JsonSerializable(typeof(NotifyReportRequest))]
[JsonSerializable(typeof(NotifyReportResponse))]
[JsonSerializable(typeof(ResetRequest))]
[JsonSerializable(typeof(ResetResponse))]
[JsonSerializable(typeof(SetNetworkProfileRequest))]
[JsonSerializable(typeof(SetNetworkProfileResponse))]
[JsonSerializable(typeof(SetVariablesRequest))]
[JsonSerializable(typeof(SetVariablesResponse))]
// Authorization
[JsonSerializable(typeof(AuthorizeRequest))]
[JsonSerializable(typeof(AuthorizeResponse))]
[JsonSerializable(typeof(ClearCacheRequest))]
[JsonSerializable(typeof(ClearCacheResponse))]
// LocalAuthorizationList
[JsonSerializable(typeof(GetLocalListVersionRequest))]
[JsonSerializable(typeof(GetLocalListVersionResponse))]
[JsonSerializable(typeof(SendLocalListRequest))]
[JsonSerializable(typeof(SendLocalListResponse))]
// Transactions
[JsonSerializable(typeof(GetTransactionStatusRequest))]
[JsonSerializable(typeof(GetTransactionStatusResponse))]
[JsonSerializable(typeof(TransactionEventRequest))]
[JsonSerializable(typeof(TransactionEventResponse))]
// RemoteControl
[JsonSerializable(typeof(RequestStartTransactionRequest))]
[JsonSerializable(typeof(RequestStartTransactionResponse))]
[JsonSerializable(typeof(RequestStopTransactionRequest))]
[JsonSerializable(typeof(RequestStopTransactionResponse))]
[JsonSerializable(typeof(TriggerMessageRequest))]
[JsonSerializable(typeof(TriggerMessageResponse))]
[JsonSerializable(typeof(UnlockConnectorRequest))]
[JsonSerializable(typeof(UnlockConnectorResponse))]
// Availability
[JsonSerializable(typeof(ChangeAvailabilityRequest))]
[JsonSerializable(typeof(ChangeAvailabilityResponse))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(StatusNotificationRequest))]
[JsonSerializable(typeof(StatusNotificationResponse))]
// Reservation
[JsonSerializable(typeof(CancelReservationRequest))]
[JsonSerializable(typeof(CancelReservationResponse))]
[JsonSerializable(typeof(ReservationStatusUpdateRequest))]
[JsonSerializable(typeof(ReservationStatusUpdateResponse))]
[JsonSerializable(typeof(ReserveNowRequest))]
[JsonSerializable(typeof(ReserveNowResponse))]
// TariffAndCost
[JsonSerializable(typeof(CostUpdatedRequest))]
[JsonSerializable(typeof(CostUpdatedResponse))]
// MeterValues
[JsonSerializable(typeof(MeterValuesRequest))]
[JsonSerializable(typeof(MeterValuesResponse))]
// SmartCharging
[JsonSerializable(typeof(ClearChargingProfileRequest))]
[JsonSerializable(typeof(ClearChargingProfileResponse))]
[JsonSerializable(typeof(ClearedChargingLimitRequest))]
[JsonSerializable(typeof(ClearedChargingLimitResponse))]
[JsonSerializable(typeof(GetChargingProfilesRequest))]
[JsonSerializable(typeof(GetChargingProfilesResponse))]
[JsonSerializable(typeof(GetCompositeScheduleRequest))]
[JsonSerializable(typeof(GetCompositeScheduleResponse))]
[JsonSerializable(typeof(NotifyChargingLimitRequest))]
[JsonSerializable(typeof(NotifyChargingLimitResponse))]
[JsonSerializable(typeof(NotifyEVChargingNeedsRequest))]
[JsonSerializable(typeof(NotifyEVChargingNeedsResponse))]
[JsonSerializable(typeof(NotifyEVChargingScheduleRequest))]
[JsonSerializable(typeof(NotifyEVChargingScheduleResponse))]
[JsonSerializable(typeof(ReportChargingProfilesRequest))]
[JsonSerializable(typeof(ReportChargingProfilesResponse))]
[JsonSerializable(typeof(SetChargingProfileRequest))]
[JsonSerializable(typeof(SetChargingProfileResponse))]
// FirmwareManagement
[JsonSerializable(typeof(FirmwareStatusNotificationRequest))]
[JsonSerializable(typeof(FirmwareStatusNotificationResponse))]
[JsonSerializable(typeof(PublishFirmwareRequest))]
[JsonSerializable(typeof(PublishFirmwareResponse))]
[JsonSerializable(typeof(PublishFirmwareStatusNotificationRequest))]
[JsonSerializable(typeof(PublishFirmwareStatusNotificationResponse))]
[JsonSerializable(typeof(UnpublishFirmwareRequest))]
[JsonSerializable(typeof(UnpublishFirmwareResponse))]
[JsonSerializable(typeof(UpdateFirmwareRequest))]
[JsonSerializable(typeof(UpdateFirmwareResponse))]
// Iso15118CertificateManagement
[JsonSerializable(typeof(DeleteCertificateRequest))]
[JsonSerializable(typeof(DeleteCertificateResponse))]
[JsonSerializable(typeof(Get15118EVCertificateRequest))]
[JsonSerializable(typeof(Get15118EVCertificateResponse))]
[JsonSerializable(typeof(GetCertificateStatusRequest))]
[JsonSerializable(typeof(GetCertificateStatusResponse))]
[JsonSerializable(typeof(GetInstalledCertificateIdsRequest))]
[JsonSerializable(typeof(GetInstalledCertificateIdsResponse))]
[JsonSerializable(typeof(InstallCertificateRequest))]
[JsonSerializable(typeof(InstallCertificateResponse))]
// Diagnostics
[JsonSerializable(typeof(ClearVariableMonitoringRequest))]
[JsonSerializable(typeof(ClearVariableMonitoringResponse))]
[JsonSerializable(typeof(CustomerInformationRequest))]
[JsonSerializable(typeof(CustomerInformationResponse))]
[JsonSerializable(typeof(GetLogRequest))]
[JsonSerializable(typeof(GetLogResponse))]
[JsonSerializable(typeof(GetMonitoringReportRequest))]
[JsonSerializable(typeof(GetMonitoringReportResponse))]
[JsonSerializable(typeof(LogStatusNotificationRequest))]
[JsonSerializable(typeof(LogStatusNotificationResponse))]
[JsonSerializable(typeof(NotifyCustomerInformationRequest))]
[JsonSerializable(typeof(NotifyCustomerInformationResponse))]
[JsonSerializable(typeof(NotifyEventRequest))]
[JsonSerializable(typeof(NotifyEventResponse))]
[JsonSerializable(typeof(NotifyMonitoringReportRequest))]
[JsonSerializable(typeof(NotifyMonitoringReportResponse))]
[JsonSerializable(typeof(SetMonitoringBaseRequest))]
[JsonSerializable(typeof(SetMonitoringBaseResponse))]
[JsonSerializable(typeof(SetMonitoringLevelRequest))]
[JsonSerializable(typeof(SetMonitoringLevelResponse))]
[JsonSerializable(typeof(SetVariableMonitoringRequest))]
[JsonSerializable(typeof(SetVariableMonitoringResponse))]
// DisplayMessage
[JsonSerializable(typeof(ClearDisplayMessageRequest))]
[JsonSerializable(typeof(ClearDisplayMessageResponse))]
[JsonSerializable(typeof(GetDisplayMessagesRequest))]
[JsonSerializable(typeof(GetDisplayMessagesResponse))]
[JsonSerializable(typeof(NotifyDisplayMessagesRequest))]
[JsonSerializable(typeof(NotifyDisplayMessagesResponse))]
[JsonSerializable(typeof(SetDisplayMessageRequest))]
[JsonSerializable(typeof(SetDisplayMessageResponse))]
// DataTransfer
[JsonSerializable(typeof(DataTransferRequest))]
[JsonSerializable(typeof(DataTransferResponse))]
public sealed partial class Ocpp201JsonContext : JsonSerializerContext
{
    /// <summary>The metadata the codec reads and writes a payload type with: its hand-written converter if it has one, else the generated one.</summary>
    internal static JsonTypeInfo CodecTypeInfo(Type type)
        => (HandWritten.Options.Converters.Any(c => c.CanConvert(type)) ? HandWritten.Options.GetTypeInfo(type) : Default.GetTypeInfo(type))
            ?? throw new InvalidOperationException($"{type.Name} is missing from {nameof(Ocpp201JsonContext)}");

    /// <summary>
    /// Converters for the payloads that carry meter values (TransactionEvent, MeterValues), whose generated metadata is too
    /// slow for their traffic. In options of their own, not on the types, so the generated metadata stays whole for
    /// <see cref="Validation.PayloadDiagnoser"/>; a nested class so that the options are built after <see cref="Default"/>.
    /// </summary>
    private static class HandWritten
    {
        public static readonly JsonSerializerOptions Options = new(Default.Options)
        {
            Converters = { new TransactionEventRequestConverter(), new MeterValuesRequestConverter() },
        };
    }
}
