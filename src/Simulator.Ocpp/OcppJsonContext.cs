using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages.Core;

namespace Simulator.Ocpp;

/// <summary>Source-generated JSON metadata for every payload: no runtime reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false)]
// Core
[JsonSerializable(typeof(BootNotificationRequest))]
[JsonSerializable(typeof(BootNotificationResponse))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
public sealed partial class OcppJsonContext : JsonSerializerContext;
