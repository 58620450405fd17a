using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Reservation;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

public class ReservationTests
{
    private static ReservationStatus Reserve(Harness h, int connector, int id, string tag = "RES", double minutes = 30, string? parent = null) =>
        h.Reply<ReserveNowResponse>(new ReserveNowRequest { ConnectorId = connector, ReservationId = id, IdTag = tag, ParentIdTag = parent, ExpiryDate = h.CsmsNow.AddMinutes(minutes) }).Status;

    [Fact]
    public void A_reservation_shows_Reserved_admits_only_its_tag_and_is_consumed_by_StartTransaction()
    {
        var h = new Harness().Boot();
        Assert.Equal(ReservationStatus.Accepted, Reserve(h, 1, 11));
        h.Pump();
        Assert.Equal(ChargePointStatus.Reserved, h.StatusesOf(1)[^1]);
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "OTHER");
        h.Pump();
        Assert.Empty(h.SentOf<StartTransactionRequest>());
        Assert.Equal(RemoteStartStopStatus.Rejected, h.Reply<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { ConnectorId = 1, IdTag = "OTHER" }).Status);
        h.Model.PresentIdTag(1, "RES");
        h.Pump();
        Assert.Equal(11, h.SentOf<StartTransactionRequest>().Single().ReservationId);
        Assert.Null(h.Model.Connectors[1].ReservationId);
    }

    [Fact]
    public void A_reservation_expires()
    {
        var h = new Harness().Boot();
        Reserve(h, 2, 5, minutes: 10);
        h.Pump();
        h.Run(TimeSpan.FromMinutes(10));
        Assert.Equal([ChargePointStatus.Available, ChargePointStatus.Reserved, ChargePointStatus.Available], h.StatusesOf(2));
        Assert.Equal(CancelReservationStatus.Rejected, h.Reply<CancelReservationResponse>(new CancelReservationRequest { ReservationId = 5 }).Status);
    }

    [Fact]
    public void ReserveNow_answers_Occupied_Faulted_Unavailable_and_Rejected()
    {
        var h = new Harness().Boot();
        h.Model.PlugIn(1, Harness.Ev);
        Assert.Equal(ReservationStatus.Occupied, Reserve(h, 1, 1));
        h.Model.SetFaulted(2, true);
        Assert.Equal(ReservationStatus.Faulted, Reserve(h, 2, 2));
        h.Model.SetFaulted(2, false);
        h.Reply<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { ConnectorId = 2, Type = AvailabilityType.Inoperative });
        Assert.Equal(ReservationStatus.Unavailable, Reserve(h, 2, 3));
        Assert.Equal(ReservationStatus.Rejected, Reserve(h, 7, 4));
        Assert.Equal(ReservationStatus.Rejected, Reserve(h, 0, 5));   // ReserveConnectorZeroSupported = false
    }

    [Fact]
    public void Connector_zero_reservations_need_ReserveConnectorZeroSupported_and_keep_one_connector_free()
    {
        var h = new Harness(new() { [K.ReserveConnectorZeroSupported] = "true" }).Boot();
        Assert.Equal(ReservationStatus.Accepted, Reserve(h, 0, 9));
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "OTHER");   // leaves connector 2 free: allowed
        h.Pump();
        Assert.Single(h.SentOf<StartTransactionRequest>());
        h.Model.PlugIn(2, Harness.Ev);
        h.Model.PresentIdTag(2, "OTHER2");  // would take the last free connector: refused
        h.Pump();
        Assert.Single(h.SentOf<StartTransactionRequest>());
        h.Model.PresentIdTag(2, "RES");
        h.Pump();
        Assert.Equal(9, h.SentOf<StartTransactionRequest>().Last().ReservationId);
    }

    [Fact]
    public void CancelReservation_frees_the_connector_and_a_reused_id_replaces_the_reservation()
    {
        var h = new Harness().Boot();
        Reserve(h, 1, 3);
        Assert.Equal(ReservationStatus.Accepted, Reserve(h, 2, 3));
        Assert.Null(h.Model.Connectors[1].ReservationId);
        Assert.Equal(3, h.Model.Connectors[2].ReservationId);
        Assert.Equal(CancelReservationStatus.Accepted, h.Reply<CancelReservationResponse>(new CancelReservationRequest { ReservationId = 3 }).Status);
        Assert.Equal(ChargePointStatus.Available, h.Model.Connectors[2].Status);
    }

    [Fact]
    public void A_tag_with_the_reservation_parent_may_use_it()
    {
        var h = new Harness().Boot();
        h.IdTagInfoFor = _ => new IdTagInfo { Status = AuthorizationStatus.Accepted, ParentIdTag = "FAMILY" };
        Reserve(h, 1, 4, tag: "MUM", parent: "FAMILY");
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "KID");
        h.Pump();
        Assert.Equal(4, h.SentOf<StartTransactionRequest>().Single().ReservationId);
    }
}
