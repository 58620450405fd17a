using System.Globalization;
using Simulator.ChargePoint.V201.DeviceModel;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.DisplayMessage;
using Simulator.Ocpp.V201.TariffAndCost;
using Simulator.Ocpp.V201.Types;
using C = Simulator.ChargePoint.V201.DeviceModel.Components;
using V = Simulator.ChargePoint.V201.DeviceModel.Variables;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// O: display messages, and I: the running cost the CSMS sends (CostUpdated), both shown on the station's display (<see cref="DisplayOf"/>).
/// A message shows while its validity (start/endDateTime) runs, in its state (Charging, Idle, Faulted, Unavailable) if it names one, and
/// only during its transaction if it names one (and is dropped when that transaction ends). AlwaysFront hides everything else; InFront
/// messages go before the NormalCycle ones. A transaction-bound message can only be shown while charging: another state is NotSupportedState.
/// </summary>
public sealed partial class StationModel
{
    private const int CostsKept = 16;

    private readonly List<MessageInfo> displayMessages = [];

    /// <summary>The last total cost per transaction (CostUpdated) and the EVSE it ran on, newest last; a few ended ones stay for their driver to read.</summary>
    private readonly List<(string TransactionId, int? EvseId, decimal TotalCost)> costs = [];

    private InboundReply DisplayMessage(IOcppRequest request) => request switch
    {
        SetDisplayMessageRequest r => Ok(SetDisplayMessage(r)),
        GetDisplayMessagesRequest r => Ok(GetDisplayMessages(r)),
        ClearDisplayMessageRequest r => Ok(ClearDisplayMessage(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    private InboundReply TariffAndCost(IOcppRequest request) => request switch
    {
        CostUpdatedRequest r => Ok(CostUpdated(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    // ───────────────────────── I: cost ─────────────────────────

    /// <summary>I02/I03: the running total goes to the display; a station with cost display disabled takes it and shows nothing.</summary>
    private CostUpdatedResponse CostUpdated(CostUpdatedRequest request)
    {
        if (Device.GetBool(C.TariffCostCtrlr, V.Enabled with { Instance = "Cost" }))
        {
            var evseId = costs.Find(c => c.TransactionId == request.TransactionId).EvseId ?? Evses.FirstOrDefault(e => e.Transaction?.Id == request.TransactionId)?.Id;
            costs.RemoveAll(c => c.TransactionId == request.TransactionId);
            costs.Add((request.TransactionId, evseId, request.TotalCost));
            if (costs.Count > Math.Max(CostsKept, EvseCount))
            {
                costs.RemoveAt(0);
            }
        }
        return new CostUpdatedResponse();
    }

    /// <summary>The last total cost the CSMS sent for the transaction, or null.</summary>
    public decimal? TotalCostOf(string transactionId) =>
        costs.FindLast(c => c.TransactionId == transactionId) is { TransactionId: not null } found ? found.TotalCost : null;

    // ───────────────────────── O: display messages ─────────────────────────

    /// <summary>O01/O02/O06: checks against DisplayMessageCtrlr, then adds or replaces (same id).</summary>
    private SetDisplayMessageResponse SetDisplayMessage(SetDisplayMessageRequest request)
    {
        static SetDisplayMessageResponse Status(DisplayMessageStatus status, string? reason = null) =>
            new() { Status = status, StatusInfo = reason is null ? null : new StatusInfo { ReasonCode = reason } };
        var message = request.Message;
        if (!Device.GetBool(C.DisplayMessageCtrlr, V.Enabled))
        {
            return Status(DisplayMessageStatus.Rejected, "Disabled");
        }
        if (!Device.GetList(C.DisplayMessageCtrlr, V.SupportedFormats).Contains(message.Message.Format.ToString()))
        {
            return Status(DisplayMessageStatus.NotSupportedMessageFormat);
        }
        if (!Device.GetList(C.DisplayMessageCtrlr, V.SupportedPriorities).Contains(message.Priority.ToString()))
        {
            return Status(DisplayMessageStatus.NotSupportedPriority);
        }
        if (message.TransactionId is { } transactionId)
        {
            if (!Evses.Any(e => e.Transaction?.Id == transactionId))
            {
                return Status(DisplayMessageStatus.UnknownTransaction);
            }
            if (message.State is { } state && state != MessageState.Charging)
            {
                return Status(DisplayMessageStatus.NotSupportedState, "OnlyWhileCharging");
            }
        }
        if (message.Display is { } display && !Device.HasComponent(ComponentKey.Of(display)))
        {
            return Status(DisplayMessageStatus.Rejected, "UnknownDisplay");
        }
        if (message.Message.Content.Length > Device.GetInt(C.DisplayMessageCtrlr, V.PersonalMessageSize) && message.TransactionId is not null)
        {
            return Status(DisplayMessageStatus.Rejected, "TooLong");
        }
        if (message.EndDateTime is { } end && (end <= CsmsNow || message.StartDateTime is { } start && end <= start))
        {
            return Status(DisplayMessageStatus.Rejected, "InvalidValue");
        }
        var capacity = EnergyVariables.MaxDisplayMessages;
        var replaced = displayMessages.RemoveAll(m => m.Id == message.Id);
        if (replaced == 0 && displayMessages.Count >= capacity)
        {
            return Status(DisplayMessageStatus.Rejected, "Full");
        }
        displayMessages.Add(message);
        return Status(DisplayMessageStatus.Accepted);
    }

    /// <summary>O04: the messages matching every criterion go in NotifyDisplayMessages parts; none → Unknown.</summary>
    private GetDisplayMessagesResponse GetDisplayMessages(GetDisplayMessagesRequest request)
    {
        DropEndedMessages();
        var matches = displayMessages.Where(m =>
            (request.Id is not { Count: > 0 } ids || ids.Contains(m.Id))
            && (request.Priority is not { } priority || m.Priority == priority)
            && (request.State is not { } state || m.State == state)).ToList();
        if (matches.Count == 0)
        {
            return new() { Status = GetDisplayMessagesStatus.Unknown };
        }
        var parts = matches.Chunk(Math.Max(1, Device.GetInt(C.DeviceDataCtrlr, V.ItemsPerMessage("GetReport")))).ToList();
        for (var i = 0; i < parts.Count; i++)
        {
            Send(new NotifyDisplayMessagesRequest { RequestId = request.RequestId, MessageInfo = parts[i], Tbc = i < parts.Count - 1 ? true : null }, requested: true);
        }
        return new() { Status = GetDisplayMessagesStatus.Accepted };
    }

    private ClearDisplayMessageResponse ClearDisplayMessage(ClearDisplayMessageRequest request) =>
        new() { Status = displayMessages.RemoveAll(m => m.Id == request.Id) > 0 ? ClearMessageStatus.Accepted : ClearMessageStatus.Unknown };

    /// <summary>
    /// What the display of the EVSE shows now, in order: the AlwaysFront message alone if there is one, else the InFront then the
    /// NormalCycle messages that apply, then the total cost of the EVSE's transaction (running or the last one there).
    /// </summary>
    public IReadOnlyList<string> DisplayOf(int evseId)
    {
        if (!IsEvse(evseId))
        {
            return [];
        }
        DropEndedMessages();
        var evse = evses[evseId];
        var now = CsmsNow;
        var state = evse.Faulted ? MessageState.Faulted
            : IsInoperative(evse) ? MessageState.Unavailable
            : evse.Transaction is not null ? MessageState.Charging
            : MessageState.Idle;
        var showing = displayMessages.Where(m =>
            (m.StartDateTime is not { } start || start <= now)
            && (m.State is not { } wanted || wanted == state)
            && (m.TransactionId is not { } tx || tx == evse.Transaction?.Id)).ToList();
        var lines = showing.FirstOrDefault(m => m.Priority == MessagePriority.AlwaysFront) is { } front
            ? [front.Message.Content]
            : showing.Where(m => m.Priority == MessagePriority.InFront).Concat(showing.Where(m => m.Priority == MessagePriority.NormalCycle)).Select(m => m.Message.Content).ToList();
        var cost = evse.Transaction is { } running ? TotalCostOf(running.Id) : costs.FindLast(c => c.EvseId == evseId) is { TransactionId: not null } last ? last.TotalCost : null;
        if (cost is { } total && !showing.Any(m => m.Priority == MessagePriority.AlwaysFront))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Total cost: {total:0.00} {Device.Get(C.TariffCostCtrlr, V.Currency)}"));
        }
        return lines;
    }

    /// <summary>Messages past their endDateTime, and those of transactions that ended, go.</summary>
    private void DropEndedMessages()
    {
        if (displayMessages.Count == 0)
        {
            return;
        }
        var now = CsmsNow;
        displayMessages.RemoveAll(m => m.EndDateTime is { } end && end <= now
            || m.TransactionId is { } tx && !Evses.Any(e => e.Transaction?.Id == tx));
    }
}
