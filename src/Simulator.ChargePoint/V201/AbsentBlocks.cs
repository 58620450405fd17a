using Simulator.ChargePoint.V201.DeviceModel;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.DisplayMessage;
using Simulator.Ocpp.V201.FirmwareManagement;
using Simulator.Ocpp.V201.Iso15118CertificateManagement;
using Simulator.Ocpp.V201.Reservation;
using Simulator.Ocpp.V201.Security;
using Simulator.Ocpp.V201.SmartCharging;
using Simulator.Ocpp.V201.TariffAndCost;
using Simulator.Ocpp.V201.Types;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// The answers of a station that does not implement a functional block (yet): the spec's statuses for "not supported / nothing
/// there", schema-valid, never CALLERROR NotImplemented. A block that gets implemented stops routing here (see StationModel.Dispatch.cs);
/// delete its method then.
/// </summary>
internal static class AbsentBlocks
{
    private static readonly StatusInfo NotSupported = new() { ReasonCode = "NotSupported", AdditionalInfo = "This charging station does not implement this feature." };

    /// <summary>A: no CSR is pending, so a CertificateSigned has nothing to complete.</summary>
    public static InboundReply Security(IOcppRequest request) => request switch
    {
        CertificateSignedRequest => InboundReply.Ok(new CertificateSignedResponse { Status = CertificateSignedStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "NoPendingCSR" } }),
        _ => Unknown(request),
    };

    /// <summary>H: ReservationCtrlr.Available is false.</summary>
    public static InboundReply Reservation(IOcppRequest request) => request switch
    {
        ReserveNowRequest => InboundReply.Ok(new ReserveNowResponse { Status = ReserveNowStatus.Rejected, StatusInfo = NotSupported }),
        CancelReservationRequest => InboundReply.Ok(new CancelReservationResponse { Status = CancelReservationStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "UnknownReservation" } }),
        _ => Unknown(request),
    };

    /// <summary>I: a station without a display takes the cost and shows nothing.</summary>
    public static InboundReply TariffAndCost(IOcppRequest request) => request switch
    {
        CostUpdatedRequest => InboundReply.Ok(new CostUpdatedResponse()),
        _ => Unknown(request),
    };

    /// <summary>K: SmartChargingCtrlr.Available is false.</summary>
    public static InboundReply SmartCharging(IOcppRequest request) => request switch
    {
        SetChargingProfileRequest => InboundReply.Ok(new SetChargingProfileResponse { Status = ChargingProfileStatus.Rejected, StatusInfo = NotSupported }),
        GetChargingProfilesRequest => InboundReply.Ok(new GetChargingProfilesResponse { Status = GetChargingProfileStatus.NoProfiles }),
        ClearChargingProfileRequest => InboundReply.Ok(new ClearChargingProfileResponse { Status = ClearChargingProfileStatus.Unknown }),
        GetCompositeScheduleRequest => InboundReply.Ok(new GetCompositeScheduleResponse { Status = GenericStatus.Rejected, StatusInfo = NotSupported }),
        _ => Unknown(request),
    };

    /// <summary>L: no firmware updates; not a local controller, so nothing published.</summary>
    public static InboundReply FirmwareManagement(IOcppRequest request) => request switch
    {
        UpdateFirmwareRequest => InboundReply.Ok(new UpdateFirmwareResponse { Status = UpdateFirmwareStatus.Rejected, StatusInfo = NotSupported }),
        PublishFirmwareRequest => InboundReply.Ok(new PublishFirmwareResponse { Status = GenericStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "NotLocalController" } }),
        UnpublishFirmwareRequest => InboundReply.Ok(new UnpublishFirmwareResponse { Status = UnpublishFirmwareStatus.NoFirmware }),
        _ => Unknown(request),
    };

    /// <summary>M: no ISO 15118: nothing installed, nothing to delete, nothing accepted.</summary>
    public static InboundReply Iso15118CertificateManagement(IOcppRequest request) => request switch
    {
        GetInstalledCertificateIdsRequest => InboundReply.Ok(new GetInstalledCertificateIdsResponse { Status = GetInstalledCertificateStatus.NotFound }),
        DeleteCertificateRequest => InboundReply.Ok(new DeleteCertificateResponse { Status = DeleteCertificateStatus.NotFound }),
        InstallCertificateRequest => InboundReply.Ok(new InstallCertificateResponse { Status = InstallCertificateStatus.Rejected, StatusInfo = NotSupported }),
        _ => Unknown(request),
    };

    /// <summary>N: no log upload, no monitoring, no customer data kept.</summary>
    public static InboundReply Diagnostics(IOcppRequest request, DeviceModelStore device) => request switch
    {
        GetLogRequest => InboundReply.Ok(new GetLogResponse { Status = LogStatus.Rejected, StatusInfo = NotSupported }),
        CustomerInformationRequest => InboundReply.Ok(new CustomerInformationResponse { Status = CustomerInformationStatus.Rejected, StatusInfo = NotSupported }),
        GetMonitoringReportRequest => InboundReply.Ok(new GetMonitoringReportResponse { Status = GenericDeviceModelStatus.NotSupported }),
        SetMonitoringBaseRequest => InboundReply.Ok(new SetMonitoringBaseResponse { Status = GenericDeviceModelStatus.NotSupported }),
        SetMonitoringLevelRequest => InboundReply.Ok(new SetMonitoringLevelResponse { Status = GenericStatus.Rejected, StatusInfo = NotSupported }),
        ClearVariableMonitoringRequest clear => InboundReply.Ok(new ClearVariableMonitoringResponse
        {
            ClearMonitoringResult = [.. clear.Id.Select(id => new ClearMonitoringResult { Id = id, Status = ClearMonitoringStatus.NotFound })],
        }),
        SetVariableMonitoringRequest set => InboundReply.Ok(new SetVariableMonitoringResponse
        {
            SetMonitoringResult = [.. set.SetMonitoringData.Select(data => new SetMonitoringResult
            {
                Id = data.Id,
                Type = data.Type,
                Severity = data.Severity,
                Component = data.Component,
                Variable = data.Variable,
                Status = !device.HasComponent(ComponentKey.Of(data.Component)) ? SetMonitoringStatus.UnknownComponent
                    : device.Find(ComponentKey.Of(data.Component), VariableKey.Of(data.Variable)) is null ? SetMonitoringStatus.UnknownVariable
                    : SetMonitoringStatus.UnsupportedMonitorType,
            })],
        }),
        _ => Unknown(request),
    };

    /// <summary>O: no display.</summary>
    public static InboundReply DisplayMessage(IOcppRequest request) => request switch
    {
        SetDisplayMessageRequest => InboundReply.Ok(new SetDisplayMessageResponse { Status = DisplayMessageStatus.Rejected, StatusInfo = NotSupported }),
        GetDisplayMessagesRequest => InboundReply.Ok(new GetDisplayMessagesResponse { Status = GetDisplayMessagesStatus.Unknown }),
        ClearDisplayMessageRequest => InboundReply.Ok(new ClearDisplayMessageResponse { Status = ClearMessageStatus.Unknown }),
        _ => Unknown(request),
    };

    private static InboundReply Unknown(IOcppRequest request) =>
        InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station.");
}
