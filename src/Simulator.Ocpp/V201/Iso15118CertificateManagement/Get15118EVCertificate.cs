using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Iso15118CertificateManagement;

public sealed record Get15118EVCertificateRequest : IOcppRequest<Get15118EVCertificateResponse>
{
    public static string Action => "Get15118EVCertificate";

    public required string Iso15118SchemaVersion { get; init; }
    /// <summary>The schema's <c>action</c>: <see cref="Action"/> is the name of the OCPP action.</summary>
    [JsonPropertyName("action")]
    public required CertificateAction CertificateAction { get; init; }
    public required string ExiRequest { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Iso15118SchemaVersion, 50, "iso15118SchemaVersion")
        .MaxLength(ExiRequest, 5600, "exiRequest")
        .Nested(CustomData, "customData");
}

public sealed record Get15118EVCertificateResponse : IOcppResponse
{
    public required Iso15118EVCertificateStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public required string ExiResponse { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .MaxLength(ExiResponse, 5600, "exiResponse")
        .Nested(CustomData, "customData");
}

/// <summary>Get15118EVCertificate.req <c>action</c> (CertificateActionEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<CertificateAction>))]
public enum CertificateAction
{
    Install,
    Update,
}

/// <summary>Get15118EVCertificate.conf <c>status</c> (Iso15118EVCertificateStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<Iso15118EVCertificateStatus>))]
public enum Iso15118EVCertificateStatus
{
    Accepted,
    Failed,
}
