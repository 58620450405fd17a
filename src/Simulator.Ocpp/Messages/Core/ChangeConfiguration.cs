using Simulator.Ocpp.Messages.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Messages.Core;

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
