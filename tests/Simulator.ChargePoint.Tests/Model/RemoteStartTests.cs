using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Reservation;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

/// <summary>A remote start on a connector without an EV: the model waits for the cable and tells the driver so.</summary>
public class RemoteStartTests
{
    private static RemoteStartStopStatus RemoteStart(Harness h, string tag, int? connector = null) =>
        h.Reply<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { ConnectorId = connector, IdTag = tag }).Status;

    [Fact]
    public void An_accepted_remote_start_goes_Preparing_asks_for_the_EV_and_the_plug_in_starts_the_transaction()
    {
        var h = new Harness(new() { [K.MeterValueSampleInterval] = "10" }).Boot();
        h.Sent.Clear();
        Assert.Equal(RemoteStartStopStatus.Accepted, RemoteStart(h, "APP-1", 2));
        h.Pump();   // Authorize (AuthorizeRemoteTxRequests is true by default), then the wait for the cable
        Assert.Equal("APP-1", h.SentOf<AuthorizeRequest>().Single().IdTag);
        Assert.Equal(new RemoteStartAwaitingPlugIn(2, "APP-1"), h.SignalsOf<RemoteStartAwaitingPlugIn>().Single());
        Assert.Equal([ChargePointStatus.Preparing], h.StatusesOf(2));
        Assert.Empty(h.SentOf<StartTransactionRequest>());

        h.Run(TimeSpan.FromSeconds(2));
        Assert.True(h.Model.PlugIn(2, Harness.Ev));
        h.Pump();
        var start = h.SentOf<StartTransactionRequest>().Single();
        Assert.Equal((2, "APP-1", (int?)null), (start.ConnectorId, start.IdTag, start.ReservationId));
        Assert.Equal([ChargePointStatus.Preparing, ChargePointStatus.Charging], h.StatusesOf(2));
        h.Run(TimeSpan.FromSeconds(30));
        Assert.Equal(3, h.SentOf<MeterValuesRequest>().Count(m => m.TransactionId == 100));

        Assert.Equal(RemoteStartStopStatus.Accepted, h.Reply<RemoteStopTransactionResponse>(new RemoteStopTransactionRequest { TransactionId = 100 }).Status);
        h.Pump();
        Assert.Equal(StopReason.Remote, h.SentOf<StopTransactionRequest>().Single().Reason);
        Assert.Equal(ChargePointStatus.Finishing, h.StatusesOf(2)[^1]);
        h.Model.Unplug(2);
        h.Pump();
        Assert.Equal([ChargePointStatus.Preparing, ChargePointStatus.Charging, ChargePointStatus.Finishing, ChargePointStatus.Available], h.StatusesOf(2));
        Assert.Empty(h.SignalsOf<RemoteStartLapsed>());
    }

    [Fact]
    public void A_remote_start_for_the_reserved_tag_waits_on_the_reserved_connector_and_StartTransaction_carries_the_reservation()
    {
        var h = new Harness(new() { [K.AuthorizeRemoteTxRequests] = "false" }).Boot();
        Assert.Equal(ReservationStatus.Accepted,
            h.Reply<ReserveNowResponse>(new ReserveNowRequest { ConnectorId = 2, ReservationId = 77, IdTag = "RES-TAG", ExpiryDate = h.CsmsNow.AddMinutes(15) }).Status);
        h.Pump();
        Assert.Equal(ChargePointStatus.Reserved, h.StatusesOf(2)[^1]);
        // Another tag may not take the reserved connector; without a connectorId the reserved one is chosen for its own tag.
        Assert.Equal(RemoteStartStopStatus.Rejected, RemoteStart(h, "SOMEONE", 2));
        Assert.Equal(RemoteStartStopStatus.Accepted, RemoteStart(h, "RES-TAG"));
        h.Pump();
        Assert.Equal(2, h.SignalsOf<RemoteStartAwaitingPlugIn>().Single().ConnectorId);
        Assert.Equal(ChargePointStatus.Preparing, h.StatusesOf(2)[^1]);
        Assert.Equal(ReservationStatus.Occupied,
            h.Reply<ReserveNowResponse>(new ReserveNowRequest { ConnectorId = 2, ReservationId = 78, IdTag = "X", ExpiryDate = h.CsmsNow.AddMinutes(15) }).Status);

        h.Model.PlugIn(2, Harness.Ev);
        h.Pump();
        var start = h.SentOf<StartTransactionRequest>().Single();
        Assert.Equal((2, "RES-TAG", (int?)77), (start.ConnectorId, start.IdTag, start.ReservationId));
        Assert.Null(h.Model.Connectors[2].ReservationId);
    }

    [Fact]
    public void When_the_EV_comes_after_ConnectionTimeOut_the_remote_start_has_lapsed_and_the_plug_in_starts_nothing()
    {
        var h = new Harness(new() { [K.ConnectionTimeOut] = "20", [K.AuthorizeRemoteTxRequests] = "false" }).Boot();
        h.Sent.Clear();
        Assert.Equal(RemoteStartStopStatus.Accepted, RemoteStart(h, "LATE", 1));
        h.Pump();
        h.Run(TimeSpan.FromSeconds(19));
        Assert.Empty(h.SignalsOf<RemoteStartLapsed>());
        h.Run(TimeSpan.FromSeconds(1));
        var lapsed = h.SignalsOf<RemoteStartLapsed>().Single();
        Assert.Equal((1, "LATE"), (lapsed.ConnectorId, lapsed.IdTag));
        Assert.Contains("ConnectionTimeOut", lapsed.Reason, StringComparison.Ordinal);
        Assert.Equal([ChargePointStatus.Preparing, ChargePointStatus.Available], h.StatusesOf(1));

        h.Model.PlugIn(1, Harness.Ev);
        h.Pump();
        Assert.Empty(h.SentOf<StartTransactionRequest>());
        Assert.Equal(ChargePointStatus.Preparing, h.StatusesOf(1)[^1]);   // a cable without an authorization
        h.Model.Unplug(1);
        h.Pump();
        Assert.Equal(ChargePointStatus.Available, h.StatusesOf(1)[^1]);
        // The connector is free again: a new remote start is accepted.
        Assert.Equal(RemoteStartStopStatus.Accepted, RemoteStart(h, "LATE", 1));
    }

    [Fact]
    public void A_fault_or_Inoperative_while_waiting_for_the_EV_lapses_the_remote_start()
    {
        var h = new Harness(new() { [K.AuthorizeRemoteTxRequests] = "false" }).Boot();
        RemoteStart(h, "A", 1);
        RemoteStart(h, "B", 2);
        h.Pump();
        Assert.Equal(2, h.SignalsOf<RemoteStartAwaitingPlugIn>().Count());
        h.Model.SetFaulted(1, true);
        h.Reply<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { ConnectorId = 2, Type = AvailabilityType.Inoperative });
        h.Pump();
        var lapsed = h.SignalsOf<RemoteStartLapsed>().ToList();
        Assert.Equal([(1, "A"), (2, "B")], lapsed.Select(l => (l.ConnectorId, l.IdTag)));
        Assert.Contains("fault", lapsed[0].Reason, StringComparison.Ordinal);
        Assert.Contains("Inoperative", lapsed[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_remote_start_on_a_connector_whose_first_is_still_being_authorized_is_Rejected()
    {
        var h = new Harness().Boot();
        Assert.Equal(RemoteStartStopStatus.Accepted, RemoteStart(h, "FIRST", 1));
        Assert.Equal(RemoteStartStopStatus.Rejected, RemoteStart(h, "SECOND", 1));
        Assert.Equal(RemoteStartStopStatus.Accepted, RemoteStart(h, "SECOND"));   // connector 2 is free
        h.Pump();
        Assert.Equal([(1, "FIRST"), (2, "SECOND")], h.SignalsOf<RemoteStartAwaitingPlugIn>().Select(s => (s.ConnectorId, s.IdTag)));
    }

    [Fact]
    public void A_remote_start_whose_tag_the_CSMS_refuses_never_asks_for_the_EV()
    {
        var h = new Harness().Boot();
        h.IdTagInfoFor = _ => new IdTagInfo { Status = AuthorizationStatus.Blocked };
        Assert.Equal(RemoteStartStopStatus.Accepted, RemoteStart(h, "BLOCKED", 1));
        h.Pump();
        Assert.Empty(h.SignalsOf<RemoteStartAwaitingPlugIn>());
        Assert.Equal(AuthorizationStatus.Blocked, h.SignalsOf<IdTagRejected>().Single().Status);
        Assert.Equal(ChargePointStatus.Available, h.Model.Connectors[1].Status);
    }
}
