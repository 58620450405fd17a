using Simulator.ChargePoint.V201;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.Reservation;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using static Simulator.ChargePoint.Tests.HarnessBase;
using static Simulator.ChargePoint.Tests.V201.StationHarness;

namespace Simulator.ChargePoint.Tests.V201;

public sealed class ReservationTests
{
    private static IdToken Card(string value) => new() { Token = value, Type = IdTokenKind.ISO14443 };

    private static ReserveNowResponse Reserve(StationHarness h, int id, int? evseId, string token, TimeSpan? lasting = null, ConnectorKind? type = null, IdToken? group = null) =>
        h.Call<ReserveNowResponse>(new ReserveNowRequest
        {
            Id = id,
            EvseId = evseId,
            IdToken = Card(token),
            GroupIdToken = group,
            ConnectorType = type,
            ExpiryDateTime = h.Clock.GetUtcNow() + (lasting ?? TimeSpan.FromMinutes(15)),
        });

    private static ConnectorStatus LastStatus(StationHarness h, int evseId) => h.SentOf<StatusNotificationRequest>().Last(s => s.EvseId == evseId).ConnectorStatus;

    [Fact]
    public void A_reserved_EVSE_shows_Reserved_refuses_other_drivers_and_the_transaction_carries_the_reservationId()
    {
        var h = new StationHarness().Boot();
        Assert.Equal(ReserveNowStatus.Accepted, Reserve(h, 11, 1, "R1").Status);
        h.Pump();
        Assert.Equal(ConnectorStatus.Reserved, LastStatus(h, 1));
        Assert.Equal(ConnectorStatus.Available, LastStatus(h, 2));
        Assert.Equal([(11, 1)], h.Model.Reservations);

        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "SOMEONE");
        h.Pump();
        Assert.Contains(h.SignalsOf<IdTagRejected>(), r => r.IdTag == "SOMEONE");
        Assert.Null(h.Model.TransactionIdOf(1));

        h.Model.PresentIdTag(1, "R1");
        h.Pump();
        var started = Assert.Single(h.Events(), e => e.EventType == TransactionEventKind.Started);
        Assert.Equal(11, started.ReservationId);
        Assert.Empty(h.Model.Reservations);
        Assert.Equal(ConnectorStatus.Occupied, LastStatus(h, 1));
        Assert.Empty(h.SentOf<ReservationStatusUpdateRequest>());   // a used reservation is not reported
        h.Run(TimeSpan.FromMinutes(2));
        Assert.All(h.Events().Skip(1), e => Assert.Null(e.ReservationId));
    }

    [Fact]
    public void ReserveNow_answers_Occupied_Faulted_Unavailable_and_Rejected_as_the_EVSE_is()
    {
        var h = new StationHarness(evses: 3).Boot();
        h.Model.PlugIn(1, Ev);
        h.Model.SetFaulted(2, true);
        h.Call<ChangeAvailabilityResponse>(new ChangeAvailabilityRequest { OperationalStatus = OperationalStatus.Inoperative, Evse = new Evse { Id = 3 } });
        Assert.Equal(ReserveNowStatus.Occupied, Reserve(h, 1, 1, "R").Status);
        Assert.Equal(ReserveNowStatus.Faulted, Reserve(h, 1, 2, "R").Status);
        Assert.Equal(ReserveNowStatus.Unavailable, Reserve(h, 1, 3, "R").Status);
        Assert.Equal(ReserveNowStatus.Occupied, Reserve(h, 1, null, "R").Status);   // no EVSE free for a reservation without one
        var unknown = Reserve(h, 1, 9, "R");
        Assert.Equal(ReserveNowStatus.Rejected, unknown.Status);
        Assert.Equal("UnknownEvse", unknown.StatusInfo!.ReasonCode);

        h.Model.Unplug(1);
        Assert.Equal("UnknownConnectorType", Reserve(h, 1, 1, "R", type: ConnectorKind.CCCS2).StatusInfo!.ReasonCode);   // an AC station has Type 2 sockets
        Assert.Equal(ReserveNowStatus.Accepted, Reserve(h, 1, 1, "R", type: ConnectorKind.CType2).Status);
        Assert.Equal(ReserveNowStatus.Occupied, Reserve(h, 2, 1, "OTHER").Status);
        Assert.Equal(ReserveNowStatus.Accepted, Reserve(h, 1, 1, "R2").Status);   // the same id replaces
        Assert.Equal(ReserveNowStatus.Rejected, Reserve(h, 3, 1, "R", lasting: TimeSpan.FromMinutes(-1)).Status);

        var disabled = new StationHarness(new() { ["ReservationCtrlr.Enabled"] = "false" }).Boot();
        Assert.Equal(ReserveNowStatus.Rejected, Reserve(disabled, 1, 1, "R").Status);
    }

    [Fact]
    public void A_reservation_expires_is_cancelled_or_is_removed_when_its_EVSE_faults()
    {
        var h = new StationHarness().Boot();
        Assert.Equal(ReserveNowStatus.Accepted, Reserve(h, 1, 1, "R", lasting: TimeSpan.FromMinutes(10)).Status);
        Assert.Equal(ReserveNowStatus.Accepted, Reserve(h, 2, 2, "R", lasting: TimeSpan.FromHours(1)).Status);
        h.Pump();
        h.Run(TimeSpan.FromMinutes(11));
        var expired = Assert.Single(h.SentOf<ReservationStatusUpdateRequest>());
        Assert.Equal((1, ReservationUpdateStatus.Expired), (expired.ReservationId, expired.ReservationUpdateStatus));
        Assert.Equal(ConnectorStatus.Available, LastStatus(h, 1));
        Assert.Equal(ConnectorStatus.Reserved, LastStatus(h, 2));

        h.Model.SetFaulted(2, true);
        h.Pump();
        var removed = h.SentOf<ReservationStatusUpdateRequest>().Last();
        Assert.Equal((2, ReservationUpdateStatus.Removed), (removed.ReservationId, removed.ReservationUpdateStatus));
        h.Model.SetFaulted(2, false);
        h.Pump();
        Assert.Equal(ConnectorStatus.Available, LastStatus(h, 2));

        Assert.Equal(ReserveNowStatus.Accepted, Reserve(h, 3, 2, "R").Status);
        Assert.Equal(CancelReservationStatus.Accepted, h.Call<CancelReservationResponse>(new CancelReservationRequest { ReservationId = 3 }).Status);
        Assert.Equal(CancelReservationStatus.Rejected, h.Call<CancelReservationResponse>(new CancelReservationRequest { ReservationId = 3 }).Status);
        h.Pump();
        Assert.Equal(ConnectorStatus.Available, LastStatus(h, 2));
        Assert.Equal(2, h.SentOf<ReservationStatusUpdateRequest>().Count());
    }

    [Fact]
    public void Reservations_without_an_EVSE_keep_enough_EVSEs_free_and_reserve_them_all_when_needed()
    {
        var h = new StationHarness(evses: 2).Boot();
        Assert.Equal(ReserveNowStatus.Accepted, Reserve(h, 1, null, "A").Status);
        h.Pump();
        Assert.Equal(ConnectorStatus.Available, LastStatus(h, 1));   // two free EVSEs for one reservation
        Assert.Equal(ReserveNowStatus.Accepted, Reserve(h, 2, null, "B").Status);
        h.Pump();
        Assert.Equal(ConnectorStatus.Reserved, LastStatus(h, 1));
        Assert.Equal(ConnectorStatus.Reserved, LastStatus(h, 2));
        Assert.Equal(ReserveNowStatus.Occupied, Reserve(h, 3, null, "C").Status);

        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "C");
        h.Pump();
        Assert.Null(h.Model.TransactionIdOf(1));
        h.Model.PresentIdTag(1, "B");
        h.Pump();
        Assert.Equal(2, h.Events().Single(e => e.EventType == TransactionEventKind.Started).ReservationId);
        Assert.Equal([(1, 0)], h.Model.Reservations);
        Assert.Equal(ConnectorStatus.Reserved, LastStatus(h, 2));   // the last free EVSE is held for A
    }

    [Fact]
    public void A_group_reservation_admits_a_token_of_that_group_and_a_remote_start_of_another_driver_is_rejected()
    {
        var group = new IdToken { Token = "FLEET-7", Type = IdTokenKind.Central };
        var h = new StationHarness().Boot();
        h.IdTokenInfoFor = token => new IdTokenInfo { Status = AuthorizationStatus.Accepted, GroupIdToken = token.Token.StartsWith('F') ? group : null };
        Assert.Equal(ReserveNowStatus.Accepted, Reserve(h, 5, 1, "OWNER", group: group).Status);

        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "STRANGER");
        h.Pump();
        Assert.Contains(h.SignalsOf<IdTagRejected>(), r => r.IdTag == "STRANGER");
        Assert.Null(h.Model.TransactionIdOf(1));

        var remote = h.Call<RequestStartTransactionResponse>(new RequestStartTransactionRequest { EvseId = 1, RemoteStartId = 3, IdToken = Card("OTHER") });
        Assert.Equal(RequestStartStopStatus.Rejected, remote.Status);

        h.Model.PresentIdTag(1, "F-DRIVER");
        h.Pump();
        Assert.Equal(5, h.Events().Single(e => e.EventType == TransactionEventKind.Started).ReservationId);
    }
}
