using System.Text.Json.Serialization;

namespace Simulator.Ocpp.Messages.Types;

[JsonConverter(typeof(OcppEnumConverter<RegistrationStatus>))]
public enum RegistrationStatus
{
    Accepted,
    Pending,
    Rejected,
}
