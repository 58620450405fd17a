using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.LocalAuthListManagement;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

public class AuthorizationTests
{
    private static AuthorizationData Entry(string tag, AuthorizationStatus? status = AuthorizationStatus.Accepted) =>
        new() { IdTag = tag, IdTagInfo = status is { } s ? new IdTagInfo { Status = s } : null };

    private static UpdateStatus Send(Harness h, UpdateType type, int version, params AuthorizationData[] entries) =>
        h.Reply<SendLocalListResponse>(new SendLocalListRequest { ListVersion = version, UpdateType = type, LocalAuthorizationList = entries }).Status;

    [Fact]
    public void Local_list_full_and_differential_updates_with_versions()
    {
        var h = new Harness().Boot();
        Assert.Equal(0, h.Reply<GetLocalListVersionResponse>(new GetLocalListVersionRequest()).ListVersion);
        Assert.Equal(UpdateStatus.Accepted, Send(h, UpdateType.Full, 3, Entry("A"), Entry("B")));
        Assert.Equal(3, h.Reply<GetLocalListVersionResponse>(new GetLocalListVersionRequest()).ListVersion);

        Assert.Equal(UpdateStatus.VersionMismatch, Send(h, UpdateType.Differential, 3, Entry("C")));
        Assert.Equal(UpdateStatus.VersionMismatch, Send(h, UpdateType.Differential, 2, Entry("C")));
        Assert.Equal(UpdateStatus.Accepted, Send(h, UpdateType.Differential, 4, Entry("C"), Entry("A", null)));
        Assert.Equal(4, h.Model.LocalListVersion);

        // A full update replaces the list whatever its version.
        Assert.Equal(UpdateStatus.Accepted, Send(h, UpdateType.Full, 1, Entry("Z")));
        Assert.Equal(1, h.Model.LocalListVersion);
        // Full entries need idTagInfo; duplicates fail.
        Assert.Equal(UpdateStatus.Failed, Send(h, UpdateType.Full, 5, Entry("Q", null)));
        Assert.Equal(UpdateStatus.Failed, Send(h, UpdateType.Full, 5, Entry("Q"), Entry("q")));
        Assert.Equal(1, h.Model.LocalListVersion);
    }

    [Fact]
    public void Local_list_respects_its_maximum_lengths()
    {
        var h = new Harness(new() { [K.LocalAuthListMaxLength] = "2", [K.SendLocalListMaxLength] = "3" }).Boot();
        Assert.Equal(UpdateStatus.Failed, Send(h, UpdateType.Full, 1, Entry("A"), Entry("B"), Entry("C")));
        Assert.Equal(UpdateStatus.Failed, Send(h, UpdateType.Differential, 1, Entry("A"), Entry("B"), Entry("C"), Entry("D")));
        Assert.Equal(UpdateStatus.Accepted, Send(h, UpdateType.Full, 1, Entry("A"), Entry("B")));
        Assert.Equal(UpdateStatus.Failed, Send(h, UpdateType.Differential, 2, Entry("C")));
        Assert.Equal(UpdateStatus.Accepted, Send(h, UpdateType.Differential, 2, Entry("C"), Entry("A", null)));
    }

    [Fact]
    public void Local_list_authorizes_offline_and_a_blocked_entry_refuses()
    {
        var h = new Harness(new() { [K.AllowOfflineTxForUnknownId] = "true" }).Boot();
        Send(h, UpdateType.Full, 1, Entry("GOOD"), Entry("BLOCKED", AuthorizationStatus.Blocked));
        h.Model.OnDisconnected();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "BLOCKED");
        h.DrainSignals();
        Assert.Equal(AuthorizationStatus.Blocked, h.SignalsOf<IdTagRejected>().Single().Status);
        Assert.Equal(0, h.Model.OfflineQueueDepth);
        h.Model.PresentIdTag(1, "GOOD");
        Assert.Equal(1, h.Model.OfflineQueueDepth);
    }

    [Fact]
    public void LocalPreAuthorize_starts_from_the_local_list_without_Authorize()
    {
        var h = new Harness(new() { [K.LocalPreAuthorize] = "true" }).Boot();
        Send(h, UpdateType.Full, 1, Entry("GOOD"));
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "GOOD");
        h.Pump();
        Assert.Empty(h.SentOf<AuthorizeRequest>());
        Assert.Single(h.SentOf<StartTransactionRequest>());
    }

    [Fact]
    public void The_cache_learns_from_every_IdTagInfo_is_used_offline_and_ClearCache_empties_it()
    {
        var h = new Harness(new() { [K.AllowOfflineTxForUnknownId] = "false" }).Boot();
        h.IdTagInfoFor = tag => new IdTagInfo { Status = tag == "BAD" ? AuthorizationStatus.Invalid : AuthorizationStatus.Accepted };
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "BAD");     // Authorize → Invalid, cached
        h.Model.PresentIdTag(1, "GOOD");    // Authorize → Accepted, StartTransaction → Accepted
        h.Pump();
        Assert.Equal(2, h.Model.AuthorizationCacheCount);
        h.Model.PresentIdTag(1, "GOOD");
        h.Pump();

        h.Model.OnDisconnected();
        h.Model.PresentIdTag(1, "GOOD");    // from the cache
        Assert.Equal(1, h.Model.OfflineQueueDepth);
        h.Model.PresentIdTag(1, "GOOD");
        h.Model.OnConnected();
        h.Pump();

        Assert.Equal(ClearCacheStatus.Accepted, h.Reply<ClearCacheResponse>(new ClearCacheRequest()).Status);
        Assert.Equal(0, h.Model.AuthorizationCacheCount);
        h.Model.OnDisconnected();
        h.Model.PresentIdTag(1, "GOOD");
        Assert.Equal(0, h.Model.OfflineQueueDepth);
    }

    [Fact]
    public void An_expired_cache_entry_does_not_authorize_offline()
    {
        var h = new Harness().Boot();
        h.IdTagInfoFor = _ => new IdTagInfo { Status = AuthorizationStatus.Accepted, ExpiryDate = h.CsmsNow.AddMinutes(5) };
        h.Model.PresentIdTag(2, "T");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(10));
        h.Model.OnDisconnected();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "T");
        h.DrainSignals();
        Assert.Equal(AuthorizationStatus.Expired, h.SignalsOf<IdTagRejected>().Last().Status);
    }

    [Fact]
    public void A_disabled_cache_is_not_consulted()
    {
        var h = new Harness(new() { [K.AuthorizationCacheEnabled] = "false" }).Boot();
        h.Model.PresentIdTag(2, "T");
        h.Pump();
        Assert.Equal(0, h.Model.AuthorizationCacheCount);
    }
}
