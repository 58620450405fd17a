using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Types;

/// <summary>
/// The vendor extension every 2.0.1 object may carry (CustomDataType): a vendorId and any members the vendor adds. It is
/// the one object the schemas leave open, so its other members are kept as they came and written back unchanged.
/// </summary>
public sealed record CustomData : IOcppValidatable
{
    public required string VendorId { get; init; }

    /// <summary>
    /// The vendor's own members, by name. Settable rather than init-only: the serializer fills extension data after
    /// construction and refuses to bind it through the constructor path that init-only members take.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Properties { get; set; }

    public void Validate(PayloadChecker check) => check.MaxLength(VendorId, 255, "vendorId");
}
