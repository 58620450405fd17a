using Simulator.Ocpp.Messages;

namespace Simulator.ChargePoint.Station;

/// <summary>What an outbox entry is, for the rules of when it may go.</summary>
[Flags]
internal enum OutboxFlags : byte
{
    None = 0,

    /// <summary>A BootNotification: the one message that goes before any registration answer.</summary>
    Boot = 1,

    /// <summary>Asked for by TriggerMessage: may go while the registration is Pending, and is not queued twice.</summary>
    Triggered = 2,

    /// <summary>Answers a CSMS request (e.g. NotifyReport parts): may go while the registration is Pending.</summary>
    Requested = 4,

    /// <summary>May go while the registration is Pending.</summary>
    AskedFor = Triggered | Requested,
}

/// <summary>
/// The non-transaction messages waiting to go, in creation order. Once the registration is Accepted they go in order; before, only a
/// BootNotification, and while Pending also what the CSMS asked for (OCPP 1.6 §4.2.1, 2.0.1 B02); the rest is held, in order.
/// The list is made with the first message.
/// </summary>
internal sealed class Outbox
{
    private List<Entry>? entries;

    public int Count => entries?.Count ?? 0;

    /// <summary>The creation order of the first message (ordered with the transaction messages), or null when empty.</summary>
    public long? FirstOrder => Count > 0 ? entries![0].Order : null;

    public bool HoldsBoot => entries?.Exists(e => (e.Flags & OutboxFlags.Boot) != 0) == true;

    public void Add(long order, OutboundMessage message, OutboxFlags flags) => (entries ??= []).Add(new Entry(order, message, flags));

    /// <summary>Takes the next message that may go with this registration: the first once Accepted, else the first boot or (Pending) asked-for one.</summary>
    public bool TryTake(Registration registration, out OutboundMessage message, out OutboxFlags flags)
    {
        var index = registration == Registration.Accepted ? (Count > 0 ? 0 : -1)
            : entries?.FindIndex(e => (e.Flags & OutboxFlags.Boot) != 0 || (registration == Registration.Pending && (e.Flags & OutboxFlags.AskedFor) != 0)) ?? -1;
        if (index < 0)
        {
            message = null!;
            flags = OutboxFlags.None;
            return false;
        }
        (_, message, flags) = entries![index];
        entries.RemoveAt(index);
        return true;
    }

    /// <summary>An asked-for message that <paramref name="same"/> finds equal to <paramref name="request"/> still waits to go.</summary>
    public bool Holds(IOcppRequest request, Func<IOcppRequest, IOcppRequest, bool> same)
    {
        if (entries is null)
        {
            return false;
        }
        foreach (var entry in entries)
        {
            if ((entry.Flags & OutboxFlags.AskedFor) != 0 && same(entry.Message.Request, request))
            {
                return true;
            }
        }
        return false;
    }

    public void Clear() => entries?.Clear();

    private readonly record struct Entry(long Order, OutboundMessage Message, OutboxFlags Flags);
}
