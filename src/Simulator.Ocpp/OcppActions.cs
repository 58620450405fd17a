using System.Collections.Frozen;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Messages.Core;
using Simulator.Ocpp.Messages.FirmwareManagement;
using Simulator.Ocpp.Messages.LocalAuthListManagement;
using Simulator.Ocpp.Messages.Reservation;
using Simulator.Ocpp.Messages.RemoteTrigger;
using Simulator.Ocpp.Messages.SmartCharging;
using Simulator.Ocpp.Messages.Security;

namespace Simulator.Ocpp;

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

[Flags]
public enum ActionDirection
{
    ChargePointToCsms = 1,
    CsmsToChargePoint = 2,
    Both = ChargePointToCsms | CsmsToChargePoint,
}

/// <summary>What the protocol knows about one action: its name, profile, who may send it and the JSON metadata of its two payloads.</summary>
public sealed record ActionDescriptor(
    string Name,
    FeatureProfile Profile,
    ActionDirection Direction,
    Type RequestType,
    Type ResponseType,
    JsonTypeInfo RequestInfo,
    JsonTypeInfo ResponseInfo);

/// <summary>The registry of every OCPP 1.6 action and the whitepaper's security actions.</summary>
public static class OcppActions
{
    public static IReadOnlyList<ActionDescriptor> All { get; } =
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

    private static readonly FrozenDictionary<string, ActionDescriptor> ByName = All.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
    private static readonly FrozenDictionary<Type, ActionDescriptor> ByRequestType = All.ToFrozenDictionary(a => a.RequestType);
    private static readonly (byte[] Utf8, string Name)[] Utf8Names = All.Select(a => (Encoding.UTF8.GetBytes(a.Name), a.Name)).ToArray();

    public static ActionDescriptor? Find(string name) => ByName.GetValueOrDefault(name);

    public static ActionDescriptor Of<TRequest>() where TRequest : IOcppRequest => ByRequestType[typeof(TRequest)];

    public static ActionDescriptor Of(IOcppRequest request) => ByRequestType[request.GetType()];

    /// <summary>Returns the shared string for a known action name, so parsing a CALL allocates no action string.</summary>
    internal static string? InternName(ReadOnlySpan<byte> utf8, bool escaped)
    {
        if (escaped)
        {
            return null;
        }
        foreach (var (bytes, name) in Utf8Names)
        {
            if (utf8.SequenceEqual(bytes))
            {
                return name;
            }
        }
        return null;
    }

    private static ActionDescriptor Describe<TRequest, TResponse>(FeatureProfile profile, ActionDirection direction)
        where TRequest : IOcppRequest<TResponse>
        where TResponse : IOcppResponse
        => new(
            TRequest.Action,
            profile,
            direction,
            typeof(TRequest),
            typeof(TResponse),
            OcppJsonContext.CodecTypeInfo(typeof(TRequest)) ?? throw new InvalidOperationException($"{typeof(TRequest).Name} is missing from OcppJsonContext"),
            OcppJsonContext.CodecTypeInfo(typeof(TResponse)) ?? throw new InvalidOperationException($"{typeof(TResponse).Name} is missing from OcppJsonContext"));
}
