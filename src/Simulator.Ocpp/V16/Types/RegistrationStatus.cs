using Simulator.Ocpp.Messages;
using System.Text.Json.Serialization;

namespace Simulator.Ocpp.V16.Types;

[JsonConverter(typeof(OcppEnumConverter<RegistrationStatus>))]
public enum RegistrationStatus
{
    Accepted,
    Pending,
    Rejected,
}
