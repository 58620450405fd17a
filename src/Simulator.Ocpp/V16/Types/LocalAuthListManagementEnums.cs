using Simulator.Ocpp.Messages;
using System.Text.Json.Serialization;

namespace Simulator.Ocpp.V16.Types;

/// <summary>SendLocalList.req <c>updateType</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<UpdateType>))]
public enum UpdateType
{
    Differential,
    Full,
}

/// <summary>SendLocalList.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<UpdateStatus>))]
public enum UpdateStatus
{
    Accepted,
    Failed,
    NotSupported,
    VersionMismatch,
}
