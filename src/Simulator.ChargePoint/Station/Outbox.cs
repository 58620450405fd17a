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
    // An array of its own rather than a List: one object fewer per station. Removal shifts, as List.RemoveAt does; the outbox is short.
    private Entry[]? entries;
    private int count;

    public int Count => count;

    /// <summary>The creation order of the first message (ordered with the transaction messages), or null when empty.</summary>
    public long? FirstOrder => count > 0 ? entries![0].Order : null;

    public bool HoldsBoot => IndexOf(Registration.None) >= 0;

    public void Add(long order, OutboundMessage message, OutboxFlags flags)
    {
        if (entries is null || count == entries.Length)
        {
            Array.Resize(ref entries, Math.Max(4, count * 2));
        }
        entries[count++] = new Entry(order, message, flags);
    }

    /// <summary>Takes the next message that may go with this registration: the first once Accepted, else the first boot or (Pending) asked-for one.</summary>
    public bool TryTake(Registration registration, out OutboundMessage message, out OutboxFlags flags)
    {
        var index = IndexOf(registration);
        if (index < 0)
        {
            message = null!;
            flags = OutboxFlags.None;
            return false;
        }
        (_, message, flags) = entries![index];
        count--;
        Array.Copy(entries, index + 1, entries, index, count - index);
        entries[count] = default;
        return true;
    }

    /// <summary>An asked-for message that <paramref name="same"/> finds equal to <paramref name="request"/> still waits to go.</summary>
    public bool Holds(IOcppRequest request, Func<IOcppRequest, IOcppRequest, bool> same)
    {
        for (var i = 0; i < count; i++)
        {
            if ((entries![i].Flags & OutboxFlags.AskedFor) != 0 && same(entries[i].Message.Request, request))
            {
                return true;
            }
        }
        return false;
    }

    public void Clear()
    {
        if (entries is not null)
        {
            Array.Clear(entries, 0, count);
        }
        count = 0;
    }

    /// <summary>The first entry that may go with this registration (Accepted: the first; else a boot, and while Pending an asked-for one); -1 when none.</summary>
    private int IndexOf(Registration registration)
    {
        if (registration == Registration.Accepted)
        {
            return count > 0 ? 0 : -1;
        }
        var mayGo = OutboxFlags.Boot | (registration == Registration.Pending ? OutboxFlags.AskedFor : OutboxFlags.None);
        for (var i = 0; i < count; i++)
        {
            if ((entries![i].Flags & mayGo) != 0)
            {
                return i;
            }
        }
        return -1;
    }

    private readonly record struct Entry(long Order, OutboundMessage Message, OutboxFlags Flags);
}
