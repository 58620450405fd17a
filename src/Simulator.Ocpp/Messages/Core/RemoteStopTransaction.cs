using Simulator.Ocpp.Messages.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Messages.Core;

public sealed record RemoteStopTransactionRequest : IOcppRequest<RemoteStopTransactionResponse>
{
    public static string Action => "RemoteStopTransaction";

    public required int TransactionId { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record RemoteStopTransactionResponse : IOcppResponse
{
    public required RemoteStartStopStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
