using System.Text.Json;
using Simulator.Ocpp;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Rpc;
using Simulator.Ocpp.Tests;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Provisioning;

namespace Simulator.Csms.Tests.V201;

/// <summary>2.0.1 stations for the CSMS tests: real ClientWebSockets offering only ocpp2.0.1, and the official 2.0.1 schemas.</summary>
internal static class Support201
{
    public static Task<TestChargePoint> ConnectAsync(CsmsServer csms, string id, Func<IOcppRequest, IOcppResponse?>? handler = null)
        => TestChargePoint.ConnectAsync(csms.Url, id, handler: handler, version: Ocpp201.Messages);

    public static BootNotificationRequest Boot(BootReason reason = BootReason.PowerUp) => new()
    {
        ChargingStation = new ChargingStation { VendorName = "FleetSim", Model = "FS-201", FirmwareVersion = "2.0.1-test" },
        Reason = reason,
    };

    /// <summary>Sends a CALL, requires a CALLRESULT, checks its raw payload against the official 2.0.1 schema and returns it decoded.</summary>
    public static async Task<TResponse> AskValidAsync<TResponse>(this TestChargePoint client, IOcppRequest<TResponse> request)
        where TResponse : class, IOcppResponse
    {
        var answered = Assert.IsType<CallAnswered>(await client.CallAsync(request));
        AssertValid(answered.Call.Action.Name, request: false, client.RawResult(answered.Call.UniqueId));
        return Assert.IsType<TResponse>(answered.Response);
    }

    /// <summary>The payload passes the official OCA 2.0.1 schema of the action's request or response.</summary>
    public static void AssertValid(string action, bool request, ReadOnlyMemory<byte> payload)
    {
        var results = OfficialSchemas.Ocpp201.Evaluate(action, request, payload);
        Assert.True(results.IsValid, $"{action}.{(request ? "req" : "conf")} breaks the official schema: {OfficialSchemas.Describe(results)}\n{System.Text.Encoding.UTF8.GetString(payload.Span)}");
    }

    /// <summary>A request as the codec would put it on the wire, checked against the official schema.</summary>
    public static void AssertValid(IOcppRequest request)
    {
        var action = Ocpp201.Messages.Of(request);
        AssertValid(action.Name, request: true, JsonSerializer.SerializeToUtf8Bytes(request, action.RequestInfo));
    }

    /// <summary>Every station-initiated 2.0.1 action's name.</summary>
    public static IEnumerable<string> StationInitiated
        => Ocpp201.Messages.Actions.Where(a => (a.Direction & ActionDirection.ChargePointToCsms) != 0).Select(a => a.Name);

    /// <summary>Every CSMS-initiated 2.0.1 action's name.</summary>
    public static IEnumerable<string> CsmsInitiated
        => Ocpp201.Messages.Actions.Where(a => (a.Direction & ActionDirection.CsmsToChargePoint) != 0).Select(a => a.Name);
}
