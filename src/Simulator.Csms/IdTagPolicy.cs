using System.Collections.Concurrent;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms;

/// <summary>What the CSMS knows about one id tag.</summary>
public sealed record IdTagEntry(AuthorizationStatus Status = AuthorizationStatus.Accepted, string? ParentIdTag = null, DateTimeOffset? ExpiryDate = null);

/// <summary>
/// Decides Authorize/StartTransaction/StopTransaction idTagInfo. Known tags answer their own status (Expired once their
/// expiry date has passed); unknown tags are Accepted unless <see cref="AllowListOnly"/> is set, then Invalid. Thread-safe.
/// </summary>
public sealed class IdTagPolicy
{
    private readonly ConcurrentDictionary<string, IdTagEntry> _tags = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When true, only tags in the list may be Accepted.</summary>
    public bool AllowListOnly { get; set; }

    public void Set(string idTag, IdTagEntry entry) => _tags[idTag] = entry;

    public bool Remove(string idTag) => _tags.TryRemove(idTag, out _);

    public void Clear() => _tags.Clear();

    public IReadOnlyDictionary<string, IdTagEntry> Snapshot() => new Dictionary<string, IdTagEntry>(_tags, StringComparer.OrdinalIgnoreCase);

    public IdTagInfo Evaluate(string idTag, DateTimeOffset now)
    {
        if (!_tags.TryGetValue(idTag, out var entry))
        {
            return new IdTagInfo { Status = AllowListOnly ? AuthorizationStatus.Invalid : AuthorizationStatus.Accepted };
        }
        var status = entry.Status == AuthorizationStatus.Accepted && entry.ExpiryDate is { } expiry && expiry <= now
            ? AuthorizationStatus.Expired
            : entry.Status;
        return new IdTagInfo { Status = status, ParentIdTag = entry.ParentIdTag, ExpiryDate = entry.ExpiryDate };
    }
}
