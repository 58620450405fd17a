using Simulator.ChargePoint.V201.DeviceModel;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.FirmwareManagement;
using Simulator.Ocpp.V201.Iso15118CertificateManagement;
using Simulator.Ocpp.V201.Security;
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

    /// <summary>N: no log upload, no customer data kept (monitoring: StationModel.Monitoring.cs).</summary>
    public static InboundReply Diagnostics(IOcppRequest request, DeviceModelStore device) => request switch
    {
        GetLogRequest => InboundReply.Ok(new GetLogResponse { Status = LogStatus.Rejected, StatusInfo = NotSupported }),
        CustomerInformationRequest => InboundReply.Ok(new CustomerInformationResponse { Status = CustomerInformationStatus.Rejected, StatusInfo = NotSupported }),
        _ => Unknown(request),
    };

    private static InboundReply Unknown(IOcppRequest request) =>
        InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station.");
}
