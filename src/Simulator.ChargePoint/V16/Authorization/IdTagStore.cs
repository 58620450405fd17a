using Simulator.Ocpp.V16.LocalAuthListManagement;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.V16.Authorization;

/// <summary>The authorization cache: the last IdTagInfo the CSMS gave for each id tag.</summary>
public sealed class AuthorizationCache
{
    private readonly Dictionary<string, IdTagInfo> entries = new(StringComparer.OrdinalIgnoreCase);

    public int Count => entries.Count;

    public void Update(string idTag, IdTagInfo info) => entries[idTag] = info;

    public IdTagInfo? Find(string idTag) => entries.GetValueOrDefault(idTag);

    public void Clear() => entries.Clear();
}

/// <summary>The local authorization list with its version (SendLocalList / GetLocalListVersion).</summary>
public sealed class LocalAuthorizationList
{
    // Made on the first SendLocalList: most charge points never get one.
    private Dictionary<string, IdTagInfo>? entries;

    /// <summary>0 when no list was ever installed (or an empty Full update set it so).</summary>
    public int Version { get; private set; }

    public int Count => entries?.Count ?? 0;

    public IdTagInfo? Find(string idTag) => entries?.GetValueOrDefault(idTag);

    /// <summary>Applies SendLocalList.req; the whole update is applied or none of it.</summary>
    public UpdateStatus Apply(SendLocalListRequest request, int maxListLength, int maxSendLength)
    {
        var items = request.LocalAuthorizationList ?? [];
        if (items.Count > maxSendLength || request.ListVersion < 0 || items.Any(i => i is null || string.IsNullOrEmpty(i.IdTag))
            || items.Select(i => i.IdTag).Distinct(StringComparer.OrdinalIgnoreCase).Count() != items.Count)
        {
            return UpdateStatus.Failed;
        }
        if (request.UpdateType == UpdateType.Full)
        {
            if (items.Count > maxListLength || items.Any(i => i.IdTagInfo is null))
            {
                return UpdateStatus.Failed;
            }
            entries ??= new(StringComparer.OrdinalIgnoreCase);
            entries.Clear();
            foreach (var item in items)
            {
                entries[item.IdTag] = item.IdTagInfo!;
            }
            Version = request.ListVersion;
            return UpdateStatus.Accepted;
        }
        if (request.ListVersion <= Version)
        {
            return UpdateStatus.VersionMismatch;
        }
        var next = entries is null ? new Dictionary<string, IdTagInfo>(StringComparer.OrdinalIgnoreCase) : new Dictionary<string, IdTagInfo>(entries, StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            if (item.IdTagInfo is null)
            {
                next.Remove(item.IdTag);
            }
            else
            {
                next[item.IdTag] = item.IdTagInfo;
            }
        }
        if (next.Count > maxListLength)
        {
            return UpdateStatus.Failed;
        }
        entries ??= new(StringComparer.OrdinalIgnoreCase);
        entries.Clear();
        foreach (var (tag, info) in next)
        {
            entries[tag] = info;
        }
        Version = request.ListVersion;
        return UpdateStatus.Accepted;
    }
}
