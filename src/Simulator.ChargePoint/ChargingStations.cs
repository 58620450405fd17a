namespace Simulator.ChargePoint;

/// <summary>The station models by OCPP version: the one place that knows which versions exist.</summary>
public static class ChargingStations
{
    /// <summary>The versions a charge-point type may name (<c>ocppVersion</c> in a profile).</summary>
    public static IReadOnlyList<string> Versions { get; } = ["1.6", "2.0.1"];

    private static readonly Simulator.Ocpp.OcppMessageSet[] MessageSets = [Simulator.Ocpp.V16.Ocpp16.Messages, Simulator.Ocpp.V201.Ocpp201.Messages];

    /// <summary>The action name of a request of any supported version.</summary>
    public static string ActionOf(Simulator.Ocpp.Messages.IOcppRequest request) =>
        Array.Find(MessageSets, set => set.Contains(request))?.Of(request).Name ?? request.GetType().Name.Replace("Request", "", StringComparison.Ordinal);

    public static IChargingStation Create(string ocppVersion, ChargePointOptions options, TimeProvider clock, Random random) => ocppVersion switch
    {
        "1.6" => new V16.ChargePointModel(options, clock, random),
        "2.0.1" => new V201.StationModel(options, clock, random),
        _ => throw new ArgumentException($"OCPP version '{ocppVersion}' is not supported; supported: {string.Join(", ", Versions)}", nameof(ocppVersion)),
    };
}
