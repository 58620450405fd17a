using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.DataTransfer;

namespace Simulator.ChargePoint.V201;

/// <summary>P: DataTransfer — the station's own vendor (and the configured vendor ids) know "Echo"; others are UnknownVendorId.</summary>
public sealed partial class StationModel
{
    private InboundReply DataTransfer(IOcppRequest request)
    {
        if (request is not DataTransferRequest transfer)
        {
            return InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station.");
        }
        var known = string.Equals(transfer.VendorId, options.Vendor, StringComparison.Ordinal)
            || options.DataTransferVendorIds.Contains(transfer.VendorId, StringComparer.Ordinal);
        if (!known)
        {
            return Ok(new DataTransferResponse { Status = DataTransferStatus.UnknownVendorId });
        }
        return Ok(transfer.MessageId == "Echo"
            ? new DataTransferResponse { Status = DataTransferStatus.Accepted, Data = transfer.Data }
            : new DataTransferResponse { Status = DataTransferStatus.UnknownMessageId });
    }
}
