using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.FirmwareManagement;
using Simulator.Ocpp.V201.Types;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// The answers of a station without a feature: the spec's statuses for "not supported / nothing there", schema-valid, never
/// CALLERROR NotImplemented. What is left here is what this station is not by design: a local controller (L's
/// PublishFirmware/UnpublishFirmware; UpdateFirmware is StationModel.Firmware.cs's).
/// </summary>
internal static class AbsentBlocks
{
    /// <summary>L: not a local controller, so nothing published.</summary>
    public static InboundReply FirmwareManagement(IOcppRequest request) => request switch
    {
        PublishFirmwareRequest => InboundReply.Ok(new PublishFirmwareResponse { Status = GenericStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "NotLocalController" } }),
        UnpublishFirmwareRequest => InboundReply.Ok(new UnpublishFirmwareResponse { Status = UnpublishFirmwareStatus.NoFirmware }),
        _ => Unknown(request),
    };

    private static InboundReply Unknown(IOcppRequest request) =>
        InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station.");
}
