using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Authorization;
using Simulator.Ocpp.V201.LocalAuthorizationList;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using C = Simulator.ChargePoint.V201.DeviceModel.Components;
using V = Simulator.ChargePoint.V201.DeviceModel.Variables;
using V16Status = Simulator.Ocpp.V16.Types.AuthorizationStatus;

namespace Simulator.ChargePoint.V201;

/// <summary>C/D: authorization — Authorize, the authorization cache, the local authorization list.</summary>
public sealed partial class StationModel
{
    private readonly Dictionary<string, (IdTokenInfo Info, DateTimeOffset StoredAt)> cache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdTokenInfo> localList = new(StringComparer.Ordinal);
    private readonly List<PendingAuthorization> pendingAuthorizations = [];
    private int localListVersion;

    public int LocalListVersion => localListVersion;
    public int AuthorizationCacheCount => cache.Count;

    private enum AuthPurpose
    {
        LocalStart,
        LocalStop,
        RemoteStart,
    }

    private sealed record PendingAuthorization(int EvseId, IdToken IdToken, AuthPurpose Purpose, int? RemoteStartId, IdToken? GroupIdToken);

    private static string KeyOf(IdToken token) => $"{token.Type}:{token.Token.ToUpperInvariant()}";

    private static bool SameToken(IdToken? a, IdToken? b) => a is not null && b is not null && KeyOf(a) == KeyOf(b);

    private InboundReply Authorization(IOcppRequest request) => request switch
    {
        ClearCacheRequest => Ok(ClearCache()),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    private InboundReply LocalAuthorizationList(IOcppRequest request) => request switch
    {
        GetLocalListVersionRequest => Ok(new GetLocalListVersionResponse { VersionNumber = localListVersion }),
        SendLocalListRequest r => Ok(SendLocalList(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    /// <summary>C11: Rejected when the cache is disabled.</summary>
    private ClearCacheResponse ClearCache()
    {
        if (!Device.GetBool(C.AuthCacheCtrlr, V.Enabled))
        {
            return new() { Status = ClearCacheStatus.Rejected };
        }
        cache.Clear();
        return new() { Status = ClearCacheStatus.Accepted };
    }

    /// <summary>
    /// D01/D02: Full replaces the list; Differential adds/updates entries with idTokenInfo and removes those without, and needs a
    /// version above the installed one (else VersionMismatch). Failed when the list is disabled, or an entry repeats or a Full
    /// entry lacks idTokenInfo. All or nothing.
    /// </summary>
    private SendLocalListResponse SendLocalList(SendLocalListRequest request)
    {
        var items = request.LocalAuthorizationList ?? [];
        if (!Device.GetBool(C.LocalAuthListCtrlr, V.Enabled))
        {
            return new() { Status = SendLocalListStatus.Failed, StatusInfo = new StatusInfo { ReasonCode = "Disabled" } };
        }
        if (items.Select(i => KeyOf(i.IdToken)).Distinct(StringComparer.Ordinal).Count() != items.Count
            || (request.UpdateType == UpdateKind.Full && items.Any(i => i.IdTokenInfo is null)))
        {
            return new() { Status = SendLocalListStatus.Failed, StatusInfo = new StatusInfo { ReasonCode = "InvalidList" } };
        }
        if (request.UpdateType == UpdateKind.Differential && request.VersionNumber <= localListVersion)
        {
            return new() { Status = SendLocalListStatus.VersionMismatch };
        }
        if (request.UpdateType == UpdateKind.Full)
        {
            localList.Clear();
        }
        foreach (var item in items)
        {
            if (item.IdTokenInfo is { } info)
            {
                localList[KeyOf(item.IdToken)] = info;
            }
            else
            {
                localList.Remove(KeyOf(item.IdToken));
            }
        }
        localListVersion = request.VersionNumber;
        return new() { Status = SendLocalListStatus.Accepted };
    }

    /// <summary>The token's info from the local list (when enabled) or the cache (when enabled and not expired), expiry applied.</summary>
    private IdTokenInfo? LocalLookup(IdToken token)
    {
        var key = KeyOf(token);
        IdTokenInfo? info = null;
        if (Device.GetBool(C.LocalAuthListCtrlr, V.Enabled) && localList.TryGetValue(key, out var listed))
        {
            info = listed;
        }
        else if (Device.GetBool(C.AuthCacheCtrlr, V.Enabled) && cache.TryGetValue(key, out var cached))
        {
            var lifeTime = TimeSpan.FromSeconds(Device.GetInt(C.AuthCacheCtrlr, V.LifeTime));
            if (cached.StoredAt + lifeTime <= CsmsNow)
            {
                cache.Remove(key);
                return null;
            }
            info = cached.Info;
        }
        if (info is { Status: AuthorizationStatus.Accepted, CacheExpiryDateTime: { } expiry } && expiry <= CsmsNow)
        {
            return info with { Status = AuthorizationStatus.Expired };
        }
        return info;
    }

    private void UpdateCache(IdToken? token, IdTokenInfo? info)
    {
        if (token is not null && info is not null && token.Type != IdTokenKind.NoAuthorization && Device.GetBool(C.AuthCacheCtrlr, V.Enabled))
        {
            cache[KeyOf(token)] = (info, CsmsNow);
        }
    }

    /// <summary>Online: local pre-authorization if allowed, else Authorize. Offline: local list/cache, or OfflineTxForUnknownIdEnabled.</summary>
    private void Authorize(PendingAuthorization auth)
    {
        if (!Device.GetBool(C.AuthCtrlr, V.Enabled) || auth.IdToken.Type == IdTokenKind.NoAuthorization)
        {
            Authorized(auth, new IdTokenInfo { Status = AuthorizationStatus.Accepted });
            return;
        }
        if (IsOnline)
        {
            if (Device.GetBool(C.AuthCtrlr, V.LocalPreAuthorize) && LocalLookup(auth.IdToken) is { Status: AuthorizationStatus.Accepted } local)
            {
                Authorized(auth, local);
                return;
            }
            RequestAuthorization(auth);
            return;
        }
        DecideOffline(auth);
    }

    private void RequestAuthorization(PendingAuthorization auth)
    {
        pendingAuthorizations.RemoveAll(p => SameToken(p.IdToken, auth.IdToken) && p.EvseId == auth.EvseId);
        pendingAuthorizations.Add(auth);
        Send(new AuthorizeRequest { IdToken = auth.IdToken });
    }

    private void DecideOffline(PendingAuthorization auth)
    {
        if (LocalLookup(auth.IdToken) is { } local)
        {
            if (local.Status == AuthorizationStatus.Accepted && Device.GetBool(C.AuthCtrlr, V.LocalAuthorizeOffline))
            {
                Authorized(auth, local);
            }
            else
            {
                NotAuthorized(auth, local.Status);
            }
            return;
        }
        if (Device.GetBool(C.AuthCtrlr, V.OfflineTxForUnknownIdEnabled) && auth.Purpose != AuthPurpose.LocalStop)
        {
            Authorized(auth, new IdTokenInfo { Status = AuthorizationStatus.Accepted });
            return;
        }
        NotAuthorized(auth, AuthorizationStatus.Unknown);
    }

    private void AuthorizeAnswered(AuthorizeRequest request, AuthorizeResponse response)
    {
        var waiting = pendingAuthorizations.Where(p => SameToken(p.IdToken, request.IdToken)).ToList();
        UpdateCache(request.IdToken, response.IdTokenInfo);
        foreach (var auth in waiting)
        {
            pendingAuthorizations.Remove(auth);
            var info = response.IdTokenInfo;
            if (info.Status == AuthorizationStatus.Accepted && (info.CacheExpiryDateTime is null || info.CacheExpiryDateTime > CsmsNow)
                && (info.EvseId is not { Count: > 0 } allowed || allowed.Contains(auth.EvseId)))
            {
                Authorized(auth, info);
            }
            else
            {
                NotAuthorized(auth, info.Status == AuthorizationStatus.Accepted ? AuthorizationStatus.NotAllowedTypeEVSE : info.Status);
            }
        }
    }

    private void AuthorizeFailed(AuthorizeRequest request)
    {
        var waiting = pendingAuthorizations.Where(p => SameToken(p.IdToken, request.IdToken)).ToList();
        foreach (var auth in waiting)
        {
            pendingAuthorizations.Remove(auth);
            DecideOffline(auth);
        }
    }

    /// <summary>The connection dropped: what waited for an Authorize answer is decided offline.</summary>
    private void AuthorizationsLost()
    {
        var waiting = pendingAuthorizations.ToList();
        pendingAuthorizations.Clear();
        foreach (var auth in waiting)
        {
            DecideOffline(auth);
        }
    }

    private void Authorized(PendingAuthorization auth, IdTokenInfo info)
    {
        var evse = evses[auth.EvseId];
        if (auth.Purpose == AuthPurpose.LocalStop)
        {
            if (evse.Transaction is { } transaction && (SameToken(info.GroupIdToken, transaction.GroupIdToken) || SameToken(auth.IdToken, transaction.IdToken)))
            {
                Deauthorize(evse, TriggerReason.StopAuthorized, StopReason.Local);
            }
            return;
        }
        if (!CanAuthorizeOn(evse, auth.IdToken))
        {
            Signal(new IdTagRejected(auth.EvseId, auth.IdToken.Token, V16Status.Invalid));
            return;
        }
        GrantAuthorization(evse, new Authorization(auth.IdToken, info.GroupIdToken ?? auth.GroupIdToken, auth.RemoteStartId), auth.Purpose == AuthPurpose.RemoteStart);
    }

    private void NotAuthorized(PendingAuthorization auth, AuthorizationStatus status)
    {
        if (auth.Purpose != AuthPurpose.LocalStop)
        {
            Signal(new IdTagRejected(auth.EvseId, auth.IdToken.Token, status switch
            {
                AuthorizationStatus.Blocked => V16Status.Blocked,
                AuthorizationStatus.Expired => V16Status.Expired,
                AuthorizationStatus.ConcurrentTx => V16Status.ConcurrentTx,
                _ => V16Status.Invalid,
            }));
        }
    }

    /// <summary>A driver presents a token (ISO 14443 card) at an EVSE: starts a session there after authorization, or stops the one running.</summary>
    public void PresentIdTag(int connectorId, string idTag)
    {
        if (!IsEvse(connectorId) || string.IsNullOrEmpty(idTag) || idTag.Length > 36)
        {
            return;
        }
        var evse = evses[connectorId];
        var token = new IdToken { Token = idTag, Type = IdTokenKind.ISO14443 };
        if (evse.Transaction is { IdToken: not null, Deauthorized: false } transaction)
        {
            var local = LocalLookup(token);
            if (SameToken(token, transaction.IdToken)
                || (local is { Status: AuthorizationStatus.Accepted } && SameToken(local.GroupIdToken, transaction.GroupIdToken)))
            {
                Deauthorize(evse, TriggerReason.StopAuthorized, StopReason.Local);
            }
            else if (IsOnline)
            {
                RequestAuthorization(new PendingAuthorization(connectorId, token, AuthPurpose.LocalStop, null, null));
            }
            Settle();
            return;
        }
        if (!CanAuthorizeOn(evse, token))
        {
            Signal(new IdTagRejected(connectorId, idTag, V16Status.Invalid));
            return;
        }
        Authorize(new PendingAuthorization(connectorId, token, AuthPurpose.LocalStart, null, null));
        Settle();
    }

    /// <summary>Whether a driver may authorize on the EVSE now: operative, not faulted, no other driver's session.</summary>
    private bool CanAuthorizeOn(EvseState evse, IdToken token) =>
        !evse.Faulted && !IsInoperative(evse) && !stationInoperativeScheduled && !evse.InoperativeScheduled && !evse.ResetScheduled && pendingReboot is null
        && (evse.Transaction is not { IdToken: { } running, Deauthorized: false } || SameToken(running, token))
        && (evse.Transaction is not { Deauthorized: true });
}
