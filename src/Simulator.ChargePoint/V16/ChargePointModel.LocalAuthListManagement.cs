using Simulator.Ocpp.V16.LocalAuthListManagement;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.V16;

/// <summary>LocalAuthListManagement profile.</summary>
public sealed partial class ChargePointModel
{
    private GetLocalListVersionResponse GetLocalListVersion() => new() { ListVersion = localList.Version };

    private SendLocalListResponse SendLocalList(SendLocalListRequest request) => new()
    {
        Status = localList.Apply(request, Configuration.GetInt(K.LocalAuthListMaxLength), Configuration.GetInt(K.SendLocalListMaxLength)),
    };
}
