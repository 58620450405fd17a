using Simulator.Ocpp.V16.LocalAuthListManagement;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint;

/// <summary>LocalAuthListManagement profile.</summary>
public sealed partial class ChargePointModel
{
    private GetLocalListVersionResponse GetLocalListVersion() => new() { ListVersion = localList.Version };

    private SendLocalListResponse SendLocalList(SendLocalListRequest request) => new()
    {
        Status = localList.Apply(request, Configuration.GetInt(K.LocalAuthListMaxLength), Configuration.GetInt(K.SendLocalListMaxLength)),
    };
}
