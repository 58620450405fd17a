using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.LocalAuthListManagement;
using Simulator.Ocpp.V16.Reservation;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.SmartCharging;
using Simulator.Ocpp.V16.Security;

namespace Simulator.Ocpp.V16;

/// <summary>Source-generated JSON metadata for every payload: no runtime reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    Converters = [typeof(OcppDateTimeConverter)])]
// Core
[JsonSerializable(typeof(AuthorizeRequest))]
[JsonSerializable(typeof(AuthorizeResponse))]
[JsonSerializable(typeof(BootNotificationRequest))]
[JsonSerializable(typeof(BootNotificationResponse))]
[JsonSerializable(typeof(ChangeAvailabilityRequest))]
[JsonSerializable(typeof(ChangeAvailabilityResponse))]
[JsonSerializable(typeof(ChangeConfigurationRequest))]
[JsonSerializable(typeof(ChangeConfigurationResponse))]
[JsonSerializable(typeof(ClearCacheRequest))]
[JsonSerializable(typeof(ClearCacheResponse))]
[JsonSerializable(typeof(DataTransferRequest))]
[JsonSerializable(typeof(DataTransferResponse))]
[JsonSerializable(typeof(GetConfigurationRequest))]
[JsonSerializable(typeof(GetConfigurationResponse))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(MeterValuesRequest))]
[JsonSerializable(typeof(MeterValuesResponse))]
[JsonSerializable(typeof(RemoteStartTransactionRequest))]
[JsonSerializable(typeof(RemoteStartTransactionResponse))]
[JsonSerializable(typeof(RemoteStopTransactionRequest))]
[JsonSerializable(typeof(RemoteStopTransactionResponse))]
[JsonSerializable(typeof(ResetRequest))]
[JsonSerializable(typeof(ResetResponse))]
[JsonSerializable(typeof(StartTransactionRequest))]
[JsonSerializable(typeof(StartTransactionResponse))]
[JsonSerializable(typeof(StatusNotificationRequest))]
[JsonSerializable(typeof(StatusNotificationResponse))]
[JsonSerializable(typeof(StopTransactionRequest))]
[JsonSerializable(typeof(StopTransactionResponse))]
[JsonSerializable(typeof(UnlockConnectorRequest))]
[JsonSerializable(typeof(UnlockConnectorResponse))]
// FirmwareManagement
[JsonSerializable(typeof(DiagnosticsStatusNotificationRequest))]
[JsonSerializable(typeof(DiagnosticsStatusNotificationResponse))]
[JsonSerializable(typeof(FirmwareStatusNotificationRequest))]
[JsonSerializable(typeof(FirmwareStatusNotificationResponse))]
[JsonSerializable(typeof(GetDiagnosticsRequest))]
[JsonSerializable(typeof(GetDiagnosticsResponse))]
[JsonSerializable(typeof(UpdateFirmwareRequest))]
[JsonSerializable(typeof(UpdateFirmwareResponse))]
// LocalAuthListManagement
[JsonSerializable(typeof(GetLocalListVersionRequest))]
[JsonSerializable(typeof(GetLocalListVersionResponse))]
[JsonSerializable(typeof(SendLocalListRequest))]
[JsonSerializable(typeof(SendLocalListResponse))]
// Reservation
[JsonSerializable(typeof(CancelReservationRequest))]
[JsonSerializable(typeof(CancelReservationResponse))]
[JsonSerializable(typeof(ReserveNowRequest))]
[JsonSerializable(typeof(ReserveNowResponse))]
// RemoteTrigger
[JsonSerializable(typeof(TriggerMessageRequest))]
[JsonSerializable(typeof(TriggerMessageResponse))]
// SmartCharging
[JsonSerializable(typeof(ClearChargingProfileRequest))]
[JsonSerializable(typeof(ClearChargingProfileResponse))]
[JsonSerializable(typeof(GetCompositeScheduleRequest))]
[JsonSerializable(typeof(GetCompositeScheduleResponse))]
[JsonSerializable(typeof(SetChargingProfileRequest))]
[JsonSerializable(typeof(SetChargingProfileResponse))]
// Security
[JsonSerializable(typeof(CertificateSignedRequest))]
[JsonSerializable(typeof(CertificateSignedResponse))]
[JsonSerializable(typeof(DeleteCertificateRequest))]
[JsonSerializable(typeof(DeleteCertificateResponse))]
[JsonSerializable(typeof(ExtendedTriggerMessageRequest))]
[JsonSerializable(typeof(ExtendedTriggerMessageResponse))]
[JsonSerializable(typeof(GetInstalledCertificateIdsRequest))]
[JsonSerializable(typeof(GetInstalledCertificateIdsResponse))]
[JsonSerializable(typeof(GetLogRequest))]
[JsonSerializable(typeof(GetLogResponse))]
[JsonSerializable(typeof(InstallCertificateRequest))]
[JsonSerializable(typeof(InstallCertificateResponse))]
[JsonSerializable(typeof(LogStatusNotificationRequest))]
[JsonSerializable(typeof(LogStatusNotificationResponse))]
[JsonSerializable(typeof(SecurityEventNotificationRequest))]
[JsonSerializable(typeof(SecurityEventNotificationResponse))]
[JsonSerializable(typeof(SignCertificateRequest))]
[JsonSerializable(typeof(SignCertificateResponse))]
[JsonSerializable(typeof(SignedFirmwareStatusNotificationRequest))]
[JsonSerializable(typeof(SignedFirmwareStatusNotificationResponse))]
[JsonSerializable(typeof(SignedUpdateFirmwareRequest))]
[JsonSerializable(typeof(SignedUpdateFirmwareResponse))]
public sealed partial class Ocpp16JsonContext : JsonSerializerContext
{
    /// <summary>The metadata the codec reads and writes a payload type with: its hand-written converter if it has one, else the generated one.</summary>
    internal static JsonTypeInfo CodecTypeInfo(Type type)
        => (HandWritten.Options.Converters.Any(c => c.CanConvert(type)) ? HandWritten.Options.GetTypeInfo(type) : Default.GetTypeInfo(type))
            ?? throw new InvalidOperationException($"{type.Name} is missing from {nameof(Ocpp16JsonContext)}");

    /// <summary>
    /// Converters for payload types whose generated metadata is too slow for their traffic, or costs too many JIT-compiled
    /// methods at its first use in every process (the boot, session and heartbeat messages and their answers). They sit in options of their
    /// own, not on the types, so the generated metadata stays whole for <see cref="Simulator.Ocpp.Validation.PayloadDiagnoser"/>.
    /// A nested class so that the options are built after <see cref="Default"/>, whatever order the partial class's statics run in.
    /// </summary>
    private static class HandWritten
    {
        public static readonly JsonSerializerOptions Options = new(Default.Options)
        {
            Converters =
            {
                new MeterValuesRequestConverter(),
                new StopTransactionRequestConverter(),
                new StatusNotificationRequestConverter(),
                new BootNotificationRequestConverter(),
                new StartTransactionRequestConverter(),
                new BootNotificationResponseConverter(),
                new StartTransactionResponseConverter(),
                new StopTransactionResponseConverter(),
                new AuthorizeRequestConverter(),
                new AuthorizeResponseConverter(),
                new HeartbeatResponseConverter(),
                new EmptyPayloadConverter<HeartbeatRequest>(),
                new EmptyPayloadConverter<StatusNotificationResponse>(),
                new EmptyPayloadConverter<MeterValuesResponse>(),
            },
        };
    }
}
