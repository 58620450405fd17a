using Simulator.Ocpp;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16;
using Simulator.Ocpp.V201;

namespace Simulator.ChargePoint;

/// <summary>The station models by OCPP version: the one place that knows which versions exist.</summary>
/// <remarks>
/// A version's message set is built the first time something asks for it, so a run builds (and JIT-compiles) only the sets
/// of the versions its charge points speak: the 2.0.1 set (128 payload types, their descriptors and lookups, and the code
/// that makes them) is not made in a 1.6 run.
/// </remarks>
public static class ChargingStations
{
    // An array, not an IReadOnlyList: MessagesOf's foreach over it must not allocate an enumerator for every message sent.
    // Behind lambdas, Ocpp201's type initializer (which builds the set) runs when a 2.0.1 set is first asked for, not when
    // the JIT compiles a method of this class.
    private static readonly KnownVersion[] Known =
    [
        new("1.6", static () => Ocpp16.Messages),
        new("2.0.1", static () => Ocpp201.Messages),
    ];

    private static OcppMessageSet[]? _all;

    /// <summary>The versions a charge-point type may name (<c>ocppVersion</c> in a profile): "1.6", "2.0.1".</summary>
    public static IReadOnlyList<string> Versions { get; } = [.. Known.Select(k => k.Version)];

    /// <summary>The message set of every version, oldest first. Builds every set: for what must know all of them.</summary>
    public static IReadOnlyList<OcppMessageSet> MessageSets => _all ??= [.. Known.Select(k => k.Messages)];

    /// <summary>The message set (and so the subprotocol) of a version.</summary>
    public static OcppMessageSet MessagesFor(string ocppVersion)
    {
        foreach (var known in Known)
        {
            if (known.Version == ocppVersion)
            {
                return known.Messages;
            }
        }
        throw Unsupported(ocppVersion);
    }

    /// <summary>The message set a request of any supported version belongs to.</summary>
    public static OcppMessageSet MessagesOf(IOcppRequest request)
    {
        // The sets built so far first: a run's requests are of the versions its stations speak, whose sets exist by then.
        foreach (var known in Known)
        {
            if (known.Built is { } set && set.Contains(request))
            {
                return set;
            }
        }
        foreach (var known in Known)
        {
            if (known.Built is null && known.Messages.Contains(request))
            {
                return known.Messages;
            }
        }
        throw new ArgumentException($"{request.GetType().Name} is a request of no supported OCPP version", nameof(request));
    }

    /// <summary>The action name of a request of any supported version (every message sent asks, so no allocation).</summary>
    public static string ActionOf(IOcppRequest request) => MessagesOf(request).Of(request).Name;

    public static IChargingStation Create(string ocppVersion, ChargePointOptions options, TimeProvider clock, Random random) => ocppVersion switch
    {
        "1.6" => new V16.ChargePointModel(options, clock, random),
        "2.0.1" => new V201.StationModel(options, clock, random),
        _ => throw Unsupported(ocppVersion),
    };

    private static ArgumentException Unsupported(string ocppVersion)
        => new($"OCPP version '{ocppVersion}' is not supported; supported: {string.Join(", ", Versions)}", nameof(ocppVersion));

    private sealed class KnownVersion(string version, Func<OcppMessageSet> build)
    {
        // Racing first uses both call build, which hands out the version's one static set.
        private OcppMessageSet? _messages;

        public string Version { get; } = version;

        public OcppMessageSet? Built => _messages;

        public OcppMessageSet Messages => _messages ??= build();
    }
}
