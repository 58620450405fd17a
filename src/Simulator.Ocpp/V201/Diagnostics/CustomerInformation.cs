using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Diagnostics;

public sealed record CustomerInformationRequest : IOcppRequest<CustomerInformationResponse>
{
    public static string Action => "CustomerInformation";

    public CertificateHashData? CustomerCertificate { get; init; }
    public IdToken? IdToken { get; init; }
    public required int RequestId { get; init; }
    public required bool Report { get; init; }
    public required bool Clear { get; init; }
    public string? CustomerIdentifier { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(CustomerCertificate, "customerCertificate")
        .Nested(IdToken, "idToken")
        .MaxLength(CustomerIdentifier, 64, "customerIdentifier")
        .Nested(CustomData, "customData");
}

public sealed record CustomerInformationResponse : IOcppResponse
{
    public required CustomerInformationStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>CustomerInformation.conf <c>status</c> (CustomerInformationStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<CustomerInformationStatus>))]
public enum CustomerInformationStatus
{
    Accepted,
    Rejected,
    Invalid,
}
