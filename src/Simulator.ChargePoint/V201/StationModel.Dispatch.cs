using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// CSMS → station: every CALL goes to the handler of its functional block (one <c>StationModel.&lt;Block&gt;.cs</c> file each).
/// A block this station does not implement yet answers through <see cref="AbsentBlocks"/>, as a station without that feature
/// would per the spec (statuses, never CALLERROR NotImplemented). Adding a block = a new partial file with its handler, and its
/// arm below pointing at it instead of <see cref="AbsentBlocks"/>.
/// </summary>
public sealed partial class StationModel
{
    /// <summary>Handles a CSMS CALL and returns the reply. Follow-up messages go to the outbox; take them after sending the reply. Never throws.</summary>
    public InboundReply HandleCall(IOcppRequest request)
    {
        if (request is null)
        {
            return InboundReply.Error(OcppErrorCode.ProtocolError, "No request payload.");
        }
        if (!Ocpp201.Messages.Contains(request))
        {
            return InboundReply.Error(OcppErrorCode.NotImplemented, $"{request.GetType().Name} is not an OCPP 2.0.1 action.");
        }
        var action = Ocpp201.Messages.Of(request);
        if (!action.Direction.HasFlag(ActionDirection.CsmsToChargePoint))
        {
            return InboundReply.Error(OcppErrorCode.NotSupported, $"{action.Name} is sent by a charging station, not to one.");
        }
        InboundReply reply;
        try
        {
            reply = Ocpp201.BlockOf(action) switch
            {
                FunctionalBlock.Security => AbsentBlocks.Security(request),
                FunctionalBlock.Provisioning => Provisioning(request),
                FunctionalBlock.Authorization => Authorization(request),
                FunctionalBlock.LocalAuthorizationList => LocalAuthorizationList(request),
                FunctionalBlock.Transactions => Transactions(request),
                FunctionalBlock.RemoteControl => RemoteControl(request),
                FunctionalBlock.Availability => Availability(request),
                FunctionalBlock.Reservation => AbsentBlocks.Reservation(request),
                FunctionalBlock.TariffAndCost => AbsentBlocks.TariffAndCost(request),
                FunctionalBlock.MeterValues => Unexpected(action),
                FunctionalBlock.SmartCharging => AbsentBlocks.SmartCharging(request),
                FunctionalBlock.FirmwareManagement => AbsentBlocks.FirmwareManagement(request),
                FunctionalBlock.Iso15118CertificateManagement => AbsentBlocks.Iso15118CertificateManagement(request),
                FunctionalBlock.Diagnostics => AbsentBlocks.Diagnostics(request, Device),
                FunctionalBlock.DisplayMessage => AbsentBlocks.DisplayMessage(request),
                FunctionalBlock.DataTransfer => DataTransfer(request),
                _ => Unexpected(action),
            };
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or NullReferenceException or FormatException or OverflowException or KeyNotFoundException)
        {
            // A payload that passed the schema but makes no sense to the model.
            reply = InboundReply.Error(OcppErrorCode.InternalError, $"{action.Name} could not be processed: {error.Message}");
        }
        Settle();
        return reply;
    }

    private static InboundReply Unexpected(ActionDescriptor action) =>
        InboundReply.Error(OcppErrorCode.NotSupported, $"{action.Name} is not handled by this charging station.");

    private static InboundReply Ok(IOcppResponse response) => InboundReply.Ok(response);
}
