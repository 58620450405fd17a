using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Diagnostics;

public sealed record NotifyCustomerInformationRequest : IOcppRequest<NotifyCustomerInformationResponse>
{
    public static string Action => "NotifyCustomerInformation";

    public required string Data { get; init; }
    public bool? Tbc { get; init; }
    public required int SeqNo { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public required int RequestId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Data, 512, "data")
        .Nested(CustomData, "customData");
}

public sealed record NotifyCustomerInformationResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
