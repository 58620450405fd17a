using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record ChangeConfigurationRequest : IOcppRequest<ChangeConfigurationResponse>
{
    public static string Action => "ChangeConfiguration";

    public required string Key { get; init; }
    public required string Value { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Key, 50, "key")
        .MaxLength(Value, 500, "value");
}

public sealed record ChangeConfigurationResponse : IOcppResponse
{
    public required ConfigurationStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
