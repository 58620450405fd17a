using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

/// <summary>Vendor-specific data; either side may send it.</summary>
public sealed record DataTransferRequest : IOcppRequest<DataTransferResponse>
{
    public static string Action => "DataTransfer";

    public required string VendorId { get; init; }
    public string? MessageId { get; init; }
    public string? Data { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(VendorId, 255, "vendorId")
        .MaxLength(MessageId, 50, "messageId");
}

public sealed record DataTransferResponse : IOcppResponse
{
    public required DataTransferStatus Status { get; init; }
    public string? Data { get; init; }

    public void Validate(PayloadChecker check) { }
}
