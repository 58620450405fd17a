using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record GetConfigurationRequest : IOcppRequest<GetConfigurationResponse>
{
    public static string Action => "GetConfiguration";

    /// <summary>The keys wanted; absent means all of them.</summary>
    public IReadOnlyList<string>? Key { get; init; }

    public void Validate(PayloadChecker check) => check.EachMaxLength(Key, 50, "key");
}

public sealed record GetConfigurationResponse : IOcppResponse
{
    public IReadOnlyList<KeyValue>? ConfigurationKey { get; init; }
    public IReadOnlyList<string>? UnknownKey { get; init; }

    public void Validate(PayloadChecker check) => check
        .Each(ConfigurationKey, "configurationKey")
        .EachMaxLength(UnknownKey, 50, "unknownKey");
}
