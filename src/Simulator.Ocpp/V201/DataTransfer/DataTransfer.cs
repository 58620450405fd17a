using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.DataTransfer;

/// <summary>Vendor-specific data; either side may send it.</summary>
public sealed record DataTransferRequest : IOcppRequest<DataTransferResponse>
{
    public static string Action => "DataTransfer";

    public string? MessageId { get; init; }
    public JsonElement? Data { get; init; }
    public required string VendorId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(MessageId, 50, "messageId")
        .MaxLength(VendorId, 255, "vendorId")
        .Nested(CustomData, "customData");
}

public sealed record DataTransferResponse : IOcppResponse
{
    public required DataTransferStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public JsonElement? Data { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>DataTransfer.conf <c>status</c> (DataTransferStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<DataTransferStatus>))]
public enum DataTransferStatus
{
    Accepted,
    Rejected,
    UnknownMessageId,
    UnknownVendorId,
}
