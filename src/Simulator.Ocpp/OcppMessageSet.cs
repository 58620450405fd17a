using System.Collections.Frozen;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;

namespace Simulator.Ocpp;

[Flags]
public enum ActionDirection
{
    ChargePointToCsms = 1,
    CsmsToChargePoint = 2,
    Both = ChargePointToCsms | CsmsToChargePoint,
}

/// <summary>
/// What the protocol knows about one action: its name, the group it belongs to (a 1.6 feature profile, a 2.0.1
/// functional block), who may send it and the JSON metadata of its two payloads.
/// <para>
/// The metadata is made from <paramref name="Metadata"/> when a payload is first read or written: making it for every
/// action of every version when the sets were built cost 0.6 s of CPU at every process start (2.0.1's 128 payload
/// types), most of it for actions a run never sends.
/// </para>
/// </summary>
public sealed record ActionDescriptor(
    string Name,
    string Group,
    ActionDirection Direction,
    Type RequestType,
    Type ResponseType,
    Func<Type, JsonTypeInfo> Metadata)
{
    // Racing first uses both ask the context, which hands out one cached instance per type.
    private JsonTypeInfo? _requestInfo;
    private JsonTypeInfo? _responseInfo;

    public JsonTypeInfo RequestInfo => _requestInfo ??= Metadata(RequestType);

    public JsonTypeInfo ResponseInfo => _responseInfo ??= Metadata(ResponseType);
}

/// <summary>
/// One OCPP version's messages and RPC rules: the actions with their payload metadata, and how CALLERROR codes are
/// spelled on the wire. Everything above the protocol layer holds a set and never asks which version it is.
/// </summary>
public sealed class OcppMessageSet
{
    private readonly FrozenDictionary<string, ActionDescriptor> _byName;
    private readonly FrozenDictionary<Type, ActionDescriptor> _byRequestType;
    private readonly FrozenDictionary<Type, (ActionDescriptor Action, bool IsRequest)> _byPayloadType;
    private readonly (byte[] Utf8, string Name)[] _utf8Names;

    public OcppMessageSet(string version, string subprotocol, OcppErrorDialect errors, IReadOnlyList<ActionDescriptor> actions)
    {
        Version = version;
        Subprotocol = subprotocol;
        Errors = errors;
        Actions = actions;
        _byName = actions.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
        _byRequestType = actions.ToFrozenDictionary(a => a.RequestType);
        _byPayloadType = actions.SelectMany(a => new[] { (a.RequestType, (a, true)), (a.ResponseType, (a, false)) })
            .ToFrozenDictionary(p => p.Item1, p => p.Item2);
        _utf8Names = [.. actions.Select(a => (Encoding.UTF8.GetBytes(a.Name), a.Name))];
    }

    /// <summary>The version as users write it and metrics label it: "1.6", "2.0.1".</summary>
    public string Version { get; }

    /// <summary>The WebSocket subprotocol that selects this set: "ocpp1.6", "ocpp2.0.1".</summary>
    public string Subprotocol { get; }

    public OcppErrorDialect Errors { get; }

    public IReadOnlyList<ActionDescriptor> Actions { get; }

    public ActionDescriptor? Find(string name) => _byName.GetValueOrDefault(name);

    public ActionDescriptor Of<TRequest>() where TRequest : IOcppRequest => Of(typeof(TRequest));

    public ActionDescriptor Of(IOcppRequest request) => Of(request.GetType());

    public bool Contains(IOcppRequest request) => _byRequestType.ContainsKey(request.GetType());

    /// <summary>The metadata the codec reads and writes a request or response type with.</summary>
    public JsonTypeInfo TypeInfo(Type type)
        => _byPayloadType.TryGetValue(type, out var payload)
            ? payload.IsRequest ? payload.Action.RequestInfo : payload.Action.ResponseInfo
            : throw new ArgumentException($"{type.Name} is not an OCPP {Version} payload type", nameof(type));

    /// <summary>Returns the shared string for a known action name, so parsing a CALL allocates no action string.</summary>
    internal string? InternName(ReadOnlySpan<byte> utf8, bool escaped)
    {
        if (escaped)
        {
            return null;
        }
        foreach (var (bytes, name) in _utf8Names)
        {
            if (utf8.SequenceEqual(bytes))
            {
                return name;
            }
        }
        return null;
    }

    public override string ToString() => $"OCPP {Version}";

    private ActionDescriptor Of(Type requestType)
        => _byRequestType.GetValueOrDefault(requestType) ?? throw new ArgumentException($"{requestType.Name} is not an OCPP {Version} request", nameof(requestType));
}
