using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Provisioning;

public sealed record SetNetworkProfileRequest : IOcppRequest<SetNetworkProfileResponse>
{
    public static string Action => "SetNetworkProfile";

    public required int ConfigurationSlot { get; init; }
    public required NetworkConnectionProfile ConnectionData { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(ConnectionData, "connectionData")
        .Nested(CustomData, "customData");
}

public sealed record SetNetworkProfileResponse : IOcppResponse
{
    public required SetNetworkProfileStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

public sealed record NetworkConnectionProfile : IOcppValidatable
{
    public Apn? Apn { get; init; }
    public required OcppVersion OcppVersion { get; init; }
    public required OcppTransport OcppTransport { get; init; }
    public required string OcppCsmsUrl { get; init; }
    public required int MessageTimeout { get; init; }
    public required int SecurityProfile { get; init; }
    public required OcppInterface OcppInterface { get; init; }
    public Vpn? Vpn { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Apn, "apn")
        .MaxLength(OcppCsmsUrl, 512, "ocppCsmsUrl")
        .Nested(Vpn, "vpn")
        .Nested(CustomData, "customData");
}

/// <summary>The schemas' APNType.</summary>
public sealed record Apn : IOcppValidatable
{
    /// <summary>The schema's <c>apn</c>: a member cannot take the name of its record.</summary>
    [JsonPropertyName("apn")]
    public required string AccessPointName { get; init; }
    public string? ApnUserName { get; init; }
    public string? ApnPassword { get; init; }
    public int? SimPin { get; init; }
    public string? PreferredNetwork { get; init; }
    public bool? UseOnlyPreferredNetwork { get; init; }
    public required ApnAuthentication ApnAuthentication { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(AccessPointName, 512, "apn")
        .MaxLength(ApnUserName, 20, "apnUserName")
        .MaxLength(ApnPassword, 20, "apnPassword")
        .MaxLength(PreferredNetwork, 6, "preferredNetwork")
        .Nested(CustomData, "customData");
}

/// <summary>The schemas' VPNType.</summary>
public sealed record Vpn : IOcppValidatable
{
    public required string Server { get; init; }
    public required string User { get; init; }
    public string? Group { get; init; }
    public required string Password { get; init; }
    public required string Key { get; init; }
    public required VpnKind Type { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Server, 512, "server")
        .MaxLength(User, 20, "user")
        .MaxLength(Group, 20, "group")
        .MaxLength(Password, 20, "password")
        .MaxLength(Key, 255, "key")
        .Nested(CustomData, "customData");
}

/// <summary>Apn <c>apnAuthentication</c> (APNAuthenticationEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ApnAuthentication>))]
public enum ApnAuthentication
{
    CHAP,
    NONE,
    PAP,
    AUTO,
}

/// <summary>NetworkConnectionProfile <c>ocppVersion</c> (OCPPVersionEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<OcppVersion>))]
public enum OcppVersion
{
    OCPP12,
    OCPP15,
    OCPP16,
    OCPP20,
}

/// <summary>NetworkConnectionProfile <c>ocppTransport</c> (OCPPTransportEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<OcppTransport>))]
public enum OcppTransport
{
    JSON,
    SOAP,
}

/// <summary>NetworkConnectionProfile <c>ocppInterface</c> (OCPPInterfaceEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<OcppInterface>))]
public enum OcppInterface
{
    Wired0,
    Wired1,
    Wired2,
    Wired3,
    Wireless0,
    Wireless1,
    Wireless2,
    Wireless3,
}

/// <summary>Vpn <c>type</c> (VPNEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<VpnKind>))]
public enum VpnKind
{
    IKEv2,
    IPSec,
    L2TP,
    PPTP,
}

/// <summary>SetNetworkProfile.conf <c>status</c> (SetNetworkProfileStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<SetNetworkProfileStatus>))]
public enum SetNetworkProfileStatus
{
    Accepted,
    Rejected,
    Failed,
}
