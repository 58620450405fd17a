using Simulator.Ocpp;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16;
using Simulator.Ocpp.V201;

namespace Simulator.ChargePoint;

/// <summary>The station models by OCPP version: the one place that knows which versions exist.</summary>
public static class ChargingStations
{
    // An array, not an IReadOnlyList: ActionOf's foreach over it must not allocate an enumerator for every message sent.
    private static readonly OcppMessageSet[] Sets = [Ocpp16.Messages, Ocpp201.Messages];

    /// <summary>The versions a charge-point type may name (<c>ocppVersion</c> in a profile): "1.6", "2.0.1".</summary>
    public static IReadOnlyList<string> Versions { get; } = [.. Sets.Select(s => s.Version)];

    /// <summary>The message set of every version, oldest first.</summary>
    public static IReadOnlyList<OcppMessageSet> MessageSets => Sets;

    /// <summary>The message set (and so the subprotocol) of a version.</summary>
    public static OcppMessageSet MessagesFor(string ocppVersion)
        => Sets.FirstOrDefault(s => s.Version == ocppVersion) ?? throw Unsupported(ocppVersion);

    /// <summary>The action name of a request of any supported version (every message sent asks, so no allocation).</summary>
    public static string ActionOf(IOcppRequest request)
    {
        foreach (var set in Sets)
        {
            if (set.Contains(request))
            {
                return set.Of(request).Name;
            }
        }
        throw new ArgumentException($"{request.GetType().Name} is a request of no supported OCPP version", nameof(request));
    }

    public static IChargingStation Create(string ocppVersion, ChargePointOptions options, TimeProvider clock, Random random) => ocppVersion switch
    {
        "1.6" => new V16.ChargePointModel(options, clock, random),
        "2.0.1" => new V201.StationModel(options, clock, random),
        _ => throw Unsupported(ocppVersion),
    };

    private static ArgumentException Unsupported(string ocppVersion)
        => new($"OCPP version '{ocppVersion}' is not supported; supported: {string.Join(", ", Versions)}", nameof(ocppVersion));
}
