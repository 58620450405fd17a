using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Types;

/// <summary>One configuration key in GetConfiguration.conf.</summary>
public sealed record KeyValue : IOcppValidatable
{
    public required string Key { get; init; }
    public required bool Readonly { get; init; }
    public string? Value { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Key, 50, "key")
        .MaxLength(Value, 500, "value");
}
