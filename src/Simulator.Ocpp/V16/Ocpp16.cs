using System.Text.Json.Serialization.Metadata;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.LocalAuthListManagement;
using Simulator.Ocpp.V16.Reservation;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.SmartCharging;
using Simulator.Ocpp.V16.Security;

using Simulator.Ocpp.Framing;

namespace Simulator.Ocpp.V16;

/// <summary>The OCPP 1.6 feature profiles, with the security whitepaper's actions as a profile of their own.</summary>
public enum FeatureProfile
{
    Core,
    FirmwareManagement,
    LocalAuthListManagement,
    Reservation,
    RemoteTrigger,
    SmartCharging,
    Security,
}

/// <summary>OCPP-J 1.6: every action of the six feature profiles and the security whitepaper (edition 3).</summary>
public static class Ocpp16
{
    private static readonly ActionDescriptor[] Actions =
    [
        // Core
        Describe<AuthorizeRequest, AuthorizeResponse>(FeatureProfile.Core, ActionDirection.ChargePointToCsms),
        Describe<BootNotificationRequest, BootNotificationResponse>(FeatureProfile.Core, ActionDirection.ChargePointToCsms),
        Describe<ChangeAvailabilityRequest, ChangeAvailabilityResponse>(FeatureProfile.Core, ActionDirection.CsmsToChargePoint),
        Describe<ChangeConfigurationRequest, ChangeConfigurationResponse>(FeatureProfile.Core, ActionDirection.CsmsToChargePoint),
        Describe<ClearCacheRequest, ClearCacheResponse>(FeatureProfile.Core, ActionDirection.CsmsToChargePoint),
        Describe<DataTransferRequest, DataTransferResponse>(FeatureProfile.Core, ActionDirection.Both),
        Describe<GetConfigurationRequest, GetConfigurationResponse>(FeatureProfile.Core, ActionDirection.CsmsToChargePoint),
        Describe<HeartbeatRequest, HeartbeatResponse>(FeatureProfile.Core, ActionDirection.ChargePointToCsms),
        Describe<MeterValuesRequest, MeterValuesResponse>(FeatureProfile.Core, ActionDirection.ChargePointToCsms),
        Describe<RemoteStartTransactionRequest, RemoteStartTransactionResponse>(FeatureProfile.Core, ActionDirection.CsmsToChargePoint),
        Describe<RemoteStopTransactionRequest, RemoteStopTransactionResponse>(FeatureProfile.Core, ActionDirection.CsmsToChargePoint),
        Describe<ResetRequest, ResetResponse>(FeatureProfile.Core, ActionDirection.CsmsToChargePoint),
        Describe<StartTransactionRequest, StartTransactionResponse>(FeatureProfile.Core, ActionDirection.ChargePointToCsms),
        Describe<StatusNotificationRequest, StatusNotificationResponse>(FeatureProfile.Core, ActionDirection.ChargePointToCsms),
        Describe<StopTransactionRequest, StopTransactionResponse>(FeatureProfile.Core, ActionDirection.ChargePointToCsms),
        Describe<UnlockConnectorRequest, UnlockConnectorResponse>(FeatureProfile.Core, ActionDirection.CsmsToChargePoint),
        // FirmwareManagement
        Describe<DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse>(FeatureProfile.FirmwareManagement, ActionDirection.ChargePointToCsms),
        Describe<FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse>(FeatureProfile.FirmwareManagement, ActionDirection.ChargePointToCsms),
        Describe<GetDiagnosticsRequest, GetDiagnosticsResponse>(FeatureProfile.FirmwareManagement, ActionDirection.CsmsToChargePoint),
        Describe<UpdateFirmwareRequest, UpdateFirmwareResponse>(FeatureProfile.FirmwareManagement, ActionDirection.CsmsToChargePoint),
        // LocalAuthListManagement
        Describe<GetLocalListVersionRequest, GetLocalListVersionResponse>(FeatureProfile.LocalAuthListManagement, ActionDirection.CsmsToChargePoint),
        Describe<SendLocalListRequest, SendLocalListResponse>(FeatureProfile.LocalAuthListManagement, ActionDirection.CsmsToChargePoint),
        // Reservation
        Describe<CancelReservationRequest, CancelReservationResponse>(FeatureProfile.Reservation, ActionDirection.CsmsToChargePoint),
        Describe<ReserveNowRequest, ReserveNowResponse>(FeatureProfile.Reservation, ActionDirection.CsmsToChargePoint),
        // RemoteTrigger
        Describe<TriggerMessageRequest, TriggerMessageResponse>(FeatureProfile.RemoteTrigger, ActionDirection.CsmsToChargePoint),
        // SmartCharging
        Describe<ClearChargingProfileRequest, ClearChargingProfileResponse>(FeatureProfile.SmartCharging, ActionDirection.CsmsToChargePoint),
        Describe<GetCompositeScheduleRequest, GetCompositeScheduleResponse>(FeatureProfile.SmartCharging, ActionDirection.CsmsToChargePoint),
        Describe<SetChargingProfileRequest, SetChargingProfileResponse>(FeatureProfile.SmartCharging, ActionDirection.CsmsToChargePoint),
        // Security
        Describe<CertificateSignedRequest, CertificateSignedResponse>(FeatureProfile.Security, ActionDirection.CsmsToChargePoint),
        Describe<DeleteCertificateRequest, DeleteCertificateResponse>(FeatureProfile.Security, ActionDirection.CsmsToChargePoint),
        Describe<ExtendedTriggerMessageRequest, ExtendedTriggerMessageResponse>(FeatureProfile.Security, ActionDirection.CsmsToChargePoint),
        Describe<GetInstalledCertificateIdsRequest, GetInstalledCertificateIdsResponse>(FeatureProfile.Security, ActionDirection.CsmsToChargePoint),
        Describe<GetLogRequest, GetLogResponse>(FeatureProfile.Security, ActionDirection.CsmsToChargePoint),
        Describe<InstallCertificateRequest, InstallCertificateResponse>(FeatureProfile.Security, ActionDirection.CsmsToChargePoint),
        Describe<LogStatusNotificationRequest, LogStatusNotificationResponse>(FeatureProfile.Security, ActionDirection.ChargePointToCsms),
        Describe<SecurityEventNotificationRequest, SecurityEventNotificationResponse>(FeatureProfile.Security, ActionDirection.ChargePointToCsms),
        Describe<SignCertificateRequest, SignCertificateResponse>(FeatureProfile.Security, ActionDirection.ChargePointToCsms),
        Describe<SignedFirmwareStatusNotificationRequest, SignedFirmwareStatusNotificationResponse>(FeatureProfile.Security, ActionDirection.ChargePointToCsms),
        Describe<SignedUpdateFirmwareRequest, SignedUpdateFirmwareResponse>(FeatureProfile.Security, ActionDirection.CsmsToChargePoint),
    ];

    /// <summary>The 1.6 message set: an action's <see cref="ActionDescriptor.Group"/> is its <see cref="FeatureProfile"/>.</summary>
    public static OcppMessageSet Messages { get; } = new("1.6", "ocpp1.6", OcppErrorDialect.Ocpp16, Actions);

    /// <summary>The feature profile an action of this set belongs to.</summary>
    public static FeatureProfile ProfileOf(ActionDescriptor action) => Enum.Parse<FeatureProfile>(action.Group);

    private static ActionDescriptor Describe<TRequest, TResponse>(FeatureProfile profile, ActionDirection direction)
        where TRequest : IOcppRequest<TResponse>
        where TResponse : IOcppResponse
        => new(
            TRequest.Action,
            profile.ToString(),
            direction,
            typeof(TRequest),
            typeof(TResponse),
            Ocpp16JsonContext.CodecTypeInfo);
}
