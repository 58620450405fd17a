using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Types;

public sealed record IdToken : IOcppValidatable
{
    public IReadOnlyList<AdditionalInfo>? AdditionalInfo { get; init; }
    /// <summary>The schema's <c>idToken</c>: a member cannot take the name of its record.</summary>
    [JsonPropertyName("idToken")]
    public required string Token { get; init; }
    public required IdTokenKind Type { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(AdditionalInfo, 1, "additionalInfo")
        .Each(AdditionalInfo, "additionalInfo")
        .MaxLength(Token, 36, "idToken")
        .Nested(CustomData, "customData");
}

public sealed record AdditionalInfo : IOcppValidatable
{
    public required string AdditionalIdToken { get; init; }
    public required string Type { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(AdditionalIdToken, 36, "additionalIdToken")
        .MaxLength(Type, 50, "type")
        .Nested(CustomData, "customData");
}

/// <summary>IdToken <c>type</c> (IdTokenEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<IdTokenKind>))]
public enum IdTokenKind
{
    Central,
    [JsonStringEnumMemberName("eMAID")] EMAID,
    ISO14443,
    ISO15693,
    KeyCode,
    Local,
    MacAddress,
    NoAuthorization,
}

public sealed record IdTokenInfo : IOcppValidatable
{
    public required AuthorizationStatus Status { get; init; }
    public DateTimeOffset? CacheExpiryDateTime { get; init; }
    public int? ChargingPriority { get; init; }
    public string? Language1 { get; init; }
    public IReadOnlyList<int>? EvseId { get; init; }
    public IdToken? GroupIdToken { get; init; }
    public string? Language2 { get; init; }
    public MessageContent? PersonalMessage { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Language1, 8, "language1")
        .MinItems(EvseId, 1, "evseId")
        .Nested(GroupIdToken, "groupIdToken")
        .MaxLength(Language2, 8, "language2")
        .Nested(PersonalMessage, "personalMessage")
        .Nested(CustomData, "customData");
}

/// <summary>IdTokenInfo <c>status</c> (AuthorizationStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<AuthorizationStatus>))]
public enum AuthorizationStatus
{
    Accepted,
    Blocked,
    ConcurrentTx,
    Expired,
    Invalid,
    NoCredit,
    NotAllowedTypeEVSE,
    NotAtThisLocation,
    NotAtThisTime,
    Unknown,
}

public sealed record MessageContent : IOcppValidatable
{
    public required MessageFormat Format { get; init; }
    public string? Language { get; init; }
    public required string Content { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Language, 8, "language")
        .MaxLength(Content, 512, "content")
        .Nested(CustomData, "customData");
}

/// <summary>MessageContent <c>format</c> (MessageFormatEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<MessageFormat>))]
public enum MessageFormat
{
    ASCII,
    HTML,
    URI,
    UTF8,
}
