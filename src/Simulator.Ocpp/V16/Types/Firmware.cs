using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Types;

/// <summary>The signed firmware to install (SignedUpdateFirmware.req <c>firmware</c>).</summary>
public sealed record Firmware : IOcppValidatable
{
    public required string Location { get; init; }
    public required DateTimeOffset RetrieveDateTime { get; init; }
    public DateTimeOffset? InstallDateTime { get; init; }
    /// <summary>PEM certificate that signed the firmware.</summary>
    public required string SigningCertificate { get; init; }
    /// <summary>Base64 signature over the firmware file.</summary>
    public required string Signature { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Location, 512, "location")
        .MaxLength(SigningCertificate, 5500, "signingCertificate")
        .MaxLength(Signature, 800, "signature");
}
