using Simulator.Ocpp;
using Simulator.Ocpp.Messages;
using Simulator.Csms.V16;
using Simulator.Csms.V201;

namespace Simulator.Csms;

/// <summary>An answer to a charge point's CALL and, optionally, a CALL the CSMS sends right after the answer.</summary>
internal sealed record HandlerResult(IOcppResponse Response, IOcppRequest? FollowUp = null, Action<CallOutcome>? OnFollowUpDone = null);

/// <summary>The CSMS's answers to every station-initiated action of one OCPP version.</summary>
internal interface IVersionHandlers
{
    OcppMessageSet Messages { get; }

    /// <summary>Processes a station-initiated CALL (already decoded and validated) and returns the answer to send.</summary>
    HandlerResult Handle(ChargePointConnection connection, IOcppRequest request);

    /// <summary>
    /// The actions a CSMS-initiated request instructs the station to send (TriggerMessage's requested message; in 2.0.1
    /// also the reports a Get… request asks for), which it may send before its registration is Accepted.
    /// </summary>
    IReadOnlyList<string> InstructedActions(IOcppRequest request);
}

/// <summary>
/// Every OCPP version the CSMS speaks, by subprotocol: each connection's endpoint speaks the set its handshake negotiated
/// and its CALLs go to that version's handlers.
/// </summary>
internal sealed class MessageHandlers
{
    private readonly Dictionary<string, IVersionHandlers> _bySubprotocol;

    public MessageHandlers(CsmsServer server, IEnumerable<string> subprotocols)
    {
        IVersionHandlers[] known = [new Ocpp201Handlers(server), new Ocpp16Handlers(server)];
        _bySubprotocol = new Dictionary<string, IVersionHandlers>(StringComparer.OrdinalIgnoreCase);
        foreach (var subprotocol in subprotocols)
        {
            var handlers = known.FirstOrDefault(h => string.Equals(h.Messages.Subprotocol, subprotocol, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"'{subprotocol}' is not a subprotocol this CSMS speaks; it speaks {string.Join(", ", known.Select(h => h.Messages.Subprotocol))}", nameof(subprotocols));
            _bySubprotocol[handlers.Messages.Subprotocol] = handlers;
        }
        if (_bySubprotocol.Count == 0)
        {
            throw new ArgumentException("at least one subprotocol must be served", nameof(subprotocols));
        }
        Sets = [.. _bySubprotocol.Values.Select(h => h.Messages)];
    }

    /// <summary>The message sets served, in the order the options list them.</summary>
    public IReadOnlyList<OcppMessageSet> Sets { get; }

    /// <summary>
    /// The subprotocol to accept for the ones a client offers: the first it lists that this CSMS serves (the client's order
    /// is its preference, RFC 6455 §4.1), or null when there is none.
    /// </summary>
    public IVersionHandlers? Negotiate(IEnumerable<string> offered)
    {
        foreach (var protocol in offered)
        {
            if (_bySubprotocol.TryGetValue(protocol.Trim(), out var handlers))
            {
                return handlers;
            }
        }
        return null;
    }

    public IVersionHandlers? For(OcppMessageSet set) => _bySubprotocol.GetValueOrDefault(set.Subprotocol);
}
