using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.RemoteControl;

public sealed record UnlockConnectorRequest : IOcppRequest<UnlockConnectorResponse>
{
    public static string Action => "UnlockConnector";

    public required int EvseId { get; init; }
    public required int ConnectorId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record UnlockConnectorResponse : IOcppResponse
{
    public required UnlockStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>UnlockConnector.conf <c>status</c> (UnlockStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<UnlockStatus>))]
public enum UnlockStatus
{
    Unlocked,
    UnlockFailed,
    OngoingAuthorizedTransaction,
    UnknownConnector,
}
