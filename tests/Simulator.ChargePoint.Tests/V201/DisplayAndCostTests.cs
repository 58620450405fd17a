using Simulator.Ocpp.V201.DisplayMessage;
using Simulator.Ocpp.V201.TariffAndCost;
using Simulator.Ocpp.V201.Types;
using static Simulator.ChargePoint.Tests.HarnessBase;
using static Simulator.ChargePoint.Tests.V201.StationHarness;

namespace Simulator.ChargePoint.Tests.V201;

public sealed class DisplayAndCostTests
{
    private static MessageInfo Message(int id, string text, MessagePriority priority = MessagePriority.NormalCycle, MessageState? state = null,
        string? transactionId = null, MessageFormat format = MessageFormat.UTF8, DateTimeOffset? start = null, DateTimeOffset? end = null) => new()
    {
        Id = id,
        Priority = priority,
        State = state,
        TransactionId = transactionId,
        StartDateTime = start,
        EndDateTime = end,
        Message = new MessageContent { Format = format, Content = text, Language = "en" },
    };

    private static SetDisplayMessageResponse Set(StationHarness h, MessageInfo message) =>
        h.Call<SetDisplayMessageResponse>(new SetDisplayMessageRequest { Message = message });

    [Fact]
    public void SetDisplayMessage_answers_every_status()
    {
        var h = new StationHarness().Boot();
        Assert.Equal(DisplayMessageStatus.Accepted, Set(h, Message(1, "Welcome")).Status);
        Assert.Equal(DisplayMessageStatus.NotSupportedMessageFormat, Set(h, Message(2, "<b>hi</b>", format: MessageFormat.HTML)).Status);
        Assert.Equal(DisplayMessageStatus.UnknownTransaction, Set(h, Message(3, "Your session", transactionId: "no-such-tx")).Status);
        Assert.Equal(DisplayMessageStatus.Rejected, Set(h, Message(4, "Too late", end: h.Clock.GetUtcNow().AddMinutes(-1))).Status);

        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        var tx = h.Model.TransactionIdOf(1)!;
        Assert.Equal(DisplayMessageStatus.NotSupportedState, Set(h, Message(5, "Idle?", state: MessageState.Idle, transactionId: tx)).Status);
        Assert.Equal(DisplayMessageStatus.Accepted, Set(h, Message(5, "Charging for you", state: MessageState.Charging, transactionId: tx)).Status);

        var priorities = new StationHarness(new() { ["DisplayMessageCtrlr.SupportedPriorities"] = "NormalCycle" }).Boot();
        Assert.Equal(DisplayMessageStatus.NotSupportedPriority, Set(priorities, Message(1, "Now!", MessagePriority.AlwaysFront)).Status);
        var disabled = new StationHarness(new() { ["DisplayMessageCtrlr.Enabled"] = "false" }).Boot();
        Assert.Equal(DisplayMessageStatus.Rejected, Set(disabled, Message(1, "Hello")).Status);

        var full = new StationHarness().Boot();
        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal(DisplayMessageStatus.Accepted, Set(full, Message(i, $"m{i}")).Status);
        }
        Assert.Equal(DisplayMessageStatus.Rejected, Set(full, Message(21, "one too many")).Status);
        Assert.Equal(DisplayMessageStatus.Accepted, Set(full, Message(20, "replaced")).Status);
    }

    [Fact]
    public void The_display_shows_messages_by_priority_state_validity_and_transaction()
    {
        var h = new StationHarness().Boot();
        var now = h.Clock.GetUtcNow();
        Set(h, Message(1, "Normal"));
        Set(h, Message(2, "In front", MessagePriority.InFront));
        Set(h, Message(3, "Later", start: now.AddHours(1)));
        Set(h, Message(4, "Short", end: now.AddMinutes(10)));
        Set(h, Message(5, "While charging", state: MessageState.Charging));
        Assert.Equal(["In front", "Normal", "Short"], h.Model.DisplayOf(1));

        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        var tx = h.Model.TransactionIdOf(1)!;
        Set(h, Message(6, "Your session", MessagePriority.InFront, transactionId: tx));
        Assert.Equal(["In front", "Your session", "Normal", "Short", "While charging"], h.Model.DisplayOf(1));
        Assert.Equal(["In front", "Normal", "Short"], h.Model.DisplayOf(2));

        h.Run(TimeSpan.FromMinutes(61));
        Assert.Equal(["In front", "Your session", "Normal", "Later", "While charging"], h.Model.DisplayOf(1));
        Set(h, Message(7, "Emergency", MessagePriority.AlwaysFront));
        Assert.Equal(["Emergency"], h.Model.DisplayOf(1));
        Assert.Equal(ClearMessageStatus.Accepted, h.Call<ClearDisplayMessageResponse>(new ClearDisplayMessageRequest { Id = 7 }).Status);
        Assert.Equal(ClearMessageStatus.Unknown, h.Call<ClearDisplayMessageResponse>(new ClearDisplayMessageRequest { Id = 7 }).Status);

        // The transaction's message goes with it.
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        Assert.Equal(["In front", "Normal", "Later"], h.Model.DisplayOf(1));
    }

    [Fact]
    public void GetDisplayMessages_reports_the_matching_messages_in_parts()
    {
        var h = new StationHarness().Boot();
        for (var i = 1; i <= 12; i++)
        {
            Set(h, Message(i, $"m{i}", i % 2 == 0 ? MessagePriority.InFront : MessagePriority.NormalCycle));
        }
        h.Sent.Clear();
        Assert.Equal(GetDisplayMessagesStatus.Accepted, h.Call<GetDisplayMessagesResponse>(new GetDisplayMessagesRequest { RequestId = 8, Priority = MessagePriority.InFront }).Status);
        h.Pump();
        var part = Assert.Single(h.SentOf<NotifyDisplayMessagesRequest>());
        Assert.Equal(8, part.RequestId);
        Assert.Null(part.Tbc);
        Assert.Equal([2, 4, 6, 8, 10, 12], part.MessageInfo!.Select(m => m.Id));
        Assert.Equal(GetDisplayMessagesStatus.Unknown, h.Call<GetDisplayMessagesResponse>(new GetDisplayMessagesRequest { RequestId = 9, Id = [99] }).Status);
        Assert.Equal(GetDisplayMessagesStatus.Unknown, h.Call<GetDisplayMessagesResponse>(new GetDisplayMessagesRequest { RequestId = 10, State = MessageState.Faulted }).Status);

        var small = new StationHarness(new() { ["DeviceDataCtrlr.ItemsPerMessage.GetReport"] = "5" }).Boot();
        for (var i = 1; i <= 12; i++)
        {
            Set(small, Message(i, $"m{i}"));
        }
        small.Sent.Clear();
        small.Call<GetDisplayMessagesResponse>(new GetDisplayMessagesRequest { RequestId = 11 });
        small.Pump();
        var parts = small.SentOf<NotifyDisplayMessagesRequest>().ToList();
        Assert.Equal([5, 5, 2], parts.Select(p => p.MessageInfo!.Count));
        Assert.Equal([true, true, null], parts.Select(p => p.Tbc));
    }

    [Fact]
    public void CostUpdated_keeps_the_last_total_of_each_transaction_and_the_display_shows_it()
    {
        var h = new StationHarness().Boot();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        var tx = h.Model.TransactionIdOf(1)!;
        h.Call<CostUpdatedResponse>(new CostUpdatedRequest { TransactionId = tx, TotalCost = 1.20m });
        h.Call<CostUpdatedResponse>(new CostUpdatedRequest { TransactionId = tx, TotalCost = 2.45m });
        Assert.Equal(2.45m, h.Model.TotalCostOf(tx));
        Assert.Equal(["Total cost: 2.45 EUR"], h.Model.DisplayOf(1));
        Assert.Empty(h.Model.DisplayOf(2));

        // After the session the driver still reads the final cost.
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        h.Call<CostUpdatedResponse>(new CostUpdatedRequest { TransactionId = tx, TotalCost = 3.10m });
        Assert.Equal(["Total cost: 3.10 EUR"], h.Model.DisplayOf(1));
        Assert.Null(h.Model.TotalCostOf("other"));

        var off = new StationHarness(new() { ["TariffCostCtrlr.Enabled.Cost"] = "false" }).Boot();
        off.Call<CostUpdatedResponse>(new CostUpdatedRequest { TransactionId = "x", TotalCost = 1m });
        Assert.Null(off.Model.TotalCostOf("x"));
    }
}
