namespace Simulator.ChargePoint;

/// <summary>The station models by OCPP version: the one place that knows which versions exist.</summary>
public static class ChargingStations
{
    /// <summary>The versions a charge-point type may name (<c>ocppVersion</c> in a profile).</summary>
    public static IReadOnlyList<string> Versions { get; } = ["1.6"];

    public static IChargingStation Create(string ocppVersion, ChargePointOptions options, TimeProvider clock, Random random) => ocppVersion switch
    {
        "1.6" => new V16.ChargePointModel(options, clock, random),
        _ => throw new ArgumentException($"OCPP version '{ocppVersion}' is not supported; supported: {string.Join(", ", Versions)}", nameof(ocppVersion)),
    };
}
