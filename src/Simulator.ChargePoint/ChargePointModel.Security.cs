using Simulator.Ocpp;
using Simulator.Ocpp.Framing;

namespace Simulator.ChargePoint;

/// <summary>The security extension (whitepaper "Improved security for OCPP 1.6-J"): not enabled yet; every action is refused clearly.</summary>
public sealed partial class ChargePointModel
{
    private static InboundReply HandleSecurity(ActionDescriptor action) =>
        InboundReply.Error(OcppErrorCode.NotSupported,
            $"{action.Name}: the security extension (Improved security for OCPP 1.6-J) is not enabled on this charge point.");
}
