using Simulator.Ocpp.V16;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.LocalAuthListManagement;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Reservation;
using Simulator.Ocpp.V16.SmartCharging;

namespace Simulator.ChargePoint.V16;

/// <summary>CSMS → charge point: one handler per feature profile (the <c>ChargePointModel.&lt;Profile&gt;.cs</c> files).</summary>
public sealed partial class ChargePointModel
{
    /// <summary>
    /// Handles a CSMS CALL and returns the reply. Follow-up messages (e.g. StartTransaction after RemoteStartTransaction) go to the outbox;
    /// take them after sending the reply. Never throws.
    /// </summary>
    public InboundReply HandleCall(IOcppRequest request)
    {
        if (request is null)
        {
            return InboundReply.Error(OcppErrorCode.ProtocolError, "No request payload.");
        }
        if (!Ocpp16.Messages.Contains(request))
        {
            return InboundReply.Error(OcppErrorCode.NotImplemented, $"{request.GetType().Name} is not an OCPP 1.6 action.");
        }
        var action = Ocpp16.Messages.Of(request);
        var profile = Ocpp16.ProfileOf(action);
        if (!action.Direction.HasFlag(ActionDirection.CsmsToChargePoint))
        {
            return InboundReply.Error(OcppErrorCode.NotSupported, $"{action.Name} is sent by a charge point, not to one.");
        }
        if (profile == FeatureProfile.Security && !securityExtension)
        {
            return SecurityDisabled(action);
        }
        if (request is UpdateFirmwareRequest && securityExtension)
        {
            // L01.FR.20: a charge point implementing the whitepaper takes only SignedUpdateFirmware.
            return InboundReply.Error(OcppErrorCode.NotSupported, "UpdateFirmware is replaced by SignedUpdateFirmware on this charge point (security extension, L01.FR.20).");
        }
        if (profile is not (FeatureProfile.Core or FeatureProfile.Security) && !Configuration.SupportsProfile(profile))
        {
            return InboundReply.Error(OcppErrorCode.NotSupported, $"Feature profile {profile} is not in this charge point's SupportedFeatureProfiles.");
        }
        InboundReply reply;
        try
        {
            reply = profile == FeatureProfile.Security ? DispatchSecurity(request, action) : Dispatch(request, action);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or NullReferenceException or FormatException or OverflowException)
        {
            // A payload that passed the schema but makes no sense to the model (e.g. a null where a value was required).
            reply = InboundReply.Error(OcppErrorCode.InternalError, $"{action.Name} could not be processed: {error.Message}");
        }
        Settle();
        return reply;
    }

    private InboundReply Dispatch(IOcppRequest request, ActionDescriptor action)
    {
        return request switch
        {
            // Core
            ChangeAvailabilityRequest r => InboundReply.Ok(ChangeAvailability(r)),
            ChangeConfigurationRequest r => InboundReply.Ok(ChangeConfiguration(r)),
            ClearCacheRequest => InboundReply.Ok(ClearCache()),
            DataTransferRequest r => InboundReply.Ok(DataTransfer(r)),
            GetConfigurationRequest r => InboundReply.Ok(GetConfiguration(r)),
            RemoteStartTransactionRequest r => InboundReply.Ok(RemoteStartTransaction(r)),
            RemoteStopTransactionRequest r => InboundReply.Ok(RemoteStopTransaction(r)),
            ResetRequest r => InboundReply.Ok(Reset(r)),
            UnlockConnectorRequest r => InboundReply.Ok(UnlockConnector(r)),
            // FirmwareManagement
            GetDiagnosticsRequest r => InboundReply.Ok(GetDiagnostics(r)),
            UpdateFirmwareRequest r => InboundReply.Ok(UpdateFirmware(r)),
            // LocalAuthListManagement
            GetLocalListVersionRequest => InboundReply.Ok(GetLocalListVersion()),
            SendLocalListRequest r => InboundReply.Ok(SendLocalList(r)),
            // Reservation
            ReserveNowRequest r => InboundReply.Ok(ReserveNow(r)),
            CancelReservationRequest r => InboundReply.Ok(CancelReservation(r)),
            // RemoteTrigger
            TriggerMessageRequest r => InboundReply.Ok(TriggerMessage(r)),
            // SmartCharging
            SetChargingProfileRequest r => InboundReply.Ok(SetChargingProfile(r)),
            ClearChargingProfileRequest r => InboundReply.Ok(ClearChargingProfile(r)),
            GetCompositeScheduleRequest r => InboundReply.Ok(GetCompositeSchedule(r)),
            _ => InboundReply.Error(OcppErrorCode.NotImplemented, $"{action.Name} is not implemented by this charge point."),
        };
    }
}
