using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record RemoteStartTransactionRequest : IOcppRequest<RemoteStartTransactionResponse>
{
    public static string Action => "RemoteStartTransaction";

    public int? ConnectorId { get; init; }
    public required string IdTag { get; init; }
    /// <summary>A TxProfile for the transaction to start.</summary>
    public ChargingProfile? ChargingProfile { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(IdTag, 20, "idTag")
        .Nested(ChargingProfile, "chargingProfile");
}

public sealed record RemoteStartTransactionResponse : IOcppResponse
{
    public required RemoteStartStopStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
