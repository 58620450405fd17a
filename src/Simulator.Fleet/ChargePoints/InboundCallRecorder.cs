using System.Text.Json;
using Simulator.ChargePoint;
using Simulator.Metrics;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Rpc;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// A charge point's answers to the CSMS's CALLs, and what they are worth in the run statistics (direction csms_to_cp):
/// per action the count, the answer (a CALLRESULT by the <c>status</c> of its payload, or a CALLERROR by code) and the time
/// from the connection reading the CALL to the reply being queued for the socket (it is written in the same turn of the actor).
/// </summary>
internal sealed class InboundCallRecorder(FleetTelemetry telemetry, RpcEndpoint rpc, TimeProvider clock)
{
    /// <summary>Sends the model's <paramref name="reply"/> to <paramref name="call"/> and records it; <paramref name="receivedAt"/> is when the connection read it (a <paramref name="clock"/> timestamp).</summary>
    public void Answer(CallReceived call, InboundReply reply, long receivedAt)
    {
        var action = call.Action.Name;
        if (reply.Response is { } response)
        {
            rpc.Reply(call, response);
            telemetry.CallCompleted(action, Directions.CsmsToCp, CallOutcome.Ok, null, clock.GetElapsedTime(receivedAt), TimeSpan.Zero,
                responseStatus: StatusOf(response, call.Action), ocppVersion: rpc.Messages.Version);
        }
        else
        {
            var code = reply.ErrorCode ?? OcppErrorCode.InternalError;
            rpc.ReplyError(call.UniqueId, code, reply.ErrorDescription ?? "");
            telemetry.CallCompleted(action, Directions.CsmsToCp, CallOutcome.CallError, rpc.Messages.Errors.ToWire(code), clock.GetElapsedTime(receivedAt), TimeSpan.Zero, ocppVersion: rpc.Messages.Version);
        }
        telemetry.MessageSent(action, rpc.Messages.Version);
    }

    /// <summary>
    /// Records a CSMS CALL the RPC endpoint answered itself with a CALLERROR (an action the charge point does not take, or a
    /// payload that breaks the schema). The action is a known OCPP action or "unknown", so a CSMS cannot grow the label set.
    /// </summary>
    public void Rejected(FrameRejected rejected, long receivedAt)
    {
        if (!rejected.Answered || rejected.Reason == RejectReason.NotOcppJ)
        {
            return;   // not a CALL that was answered: a protocol violation only
        }
        var action = rejected.Action is not null && rpc.Messages.Find(rejected.Action) is { } known ? known.Name : CsmsViolationKinds.UnknownAction;
        telemetry.CallCompleted(action, Directions.CsmsToCp, CallOutcome.CallError, rpc.Messages.Errors.ToWire(rejected.Code), clock.GetElapsedTime(receivedAt), TimeSpan.Zero, ocppVersion: rpc.Messages.Version);
    }

    /// <summary>The <c>status</c> of a response payload as it goes on the wire, or null when it has none (read from its JSON, whatever the action).</summary>
    internal static string? StatusOf(IOcppResponse response, ActionDescriptor action)
    {
        var payload = JsonSerializer.SerializeToElement(response, action.ResponseInfo);
        return payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
            ? status.GetString()
            : null;
    }
}
