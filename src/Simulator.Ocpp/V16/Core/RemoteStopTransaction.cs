using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

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
