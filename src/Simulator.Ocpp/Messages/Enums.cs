using System.Text.Json.Serialization;

namespace Simulator.Ocpp.Messages;

[JsonConverter(typeof(OcppEnumConverter<RegistrationStatus>))]
public enum RegistrationStatus
{
    Accepted,
    Pending,
    Rejected,
}
