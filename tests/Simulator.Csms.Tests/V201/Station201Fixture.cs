using System.Collections.Concurrent;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Tests.V201;
using Simulator.Ocpp.V201;

namespace Simulator.Csms.Tests.V201;

/// <summary>
/// One CSMS and one 2.0.1 station shared by the tests that run every action of the version: the station answers each
/// CSMS-initiated CALL with the protocol tests' sample response of that action.
/// </summary>
public sealed class Station201Fixture : IAsyncLifetime
{
    public const string StationId = "CS-ALL";

    public CsmsServer Csms { get; private set; } = null!;

    public TestChargePoint Station { get; private set; } = null!;

    /// <summary>The CALLs the station received, by action (the latest of each).</summary>
    public ConcurrentDictionary<string, IOcppRequest> Received { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        Csms = await Support.StartAsync();
        Station = await Support201.ConnectAsync(Csms, StationId, request =>
        {
            var action = Ocpp201.Messages.Of(request).Name;
            Received[action] = request;
            return Samples201.Responses[action];
        });
    }

    public async Task DisposeAsync()
    {
        await Station.DisposeAsync();
        await Csms.DisposeAsync();
    }
}
