using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Simulator.Fleet.Plan;

/// <summary>One charge point of the fleet: its stable id, its type and its place in the arrival order.</summary>
public sealed record FleetMember(string ChargeBoxId, ChargePointTypePlan Type, int ArrivalIndex);

/// <summary>
/// Every charge point a plan describes, in arrival order. Computed the same way on every node from the same plan,
/// so a command naming only a chargeBoxId is enough to recreate the charge point anywhere.
/// </summary>
public sealed partial class FleetCatalog
{
    private readonly FrozenDictionary<string, FleetMember> _byId;

    public FleetCatalog(FleetPlan plan)
    {
        // Types are interleaved in proportion to their counts, so a ramp or a partial run mixes them as the profile says.
        var queues = plan.Types.Select(t => (Type: t, Ids: Enumerable.Range(0, t.Count).Select(i => FormatId(t.IdPattern, t.FirstNumber + i)).ToArray())).ToArray();
        var members = new List<FleetMember>(plan.TotalCount);
        var taken = new int[queues.Length];
        while (members.Count < plan.TotalCount)
        {
            var next = -1;
            var lowestShareTaken = double.MaxValue;
            for (var i = 0; i < queues.Length; i++)
            {
                if (taken[i] >= queues[i].Ids.Length)
                {
                    continue;
                }
                var shareTaken = (taken[i] + 1.0) / queues[i].Ids.Length;
                if (shareTaken < lowestShareTaken)
                {
                    lowestShareTaken = shareTaken;
                    next = i;
                }
            }
            members.Add(new FleetMember(queues[next].Ids[taken[next]], queues[next].Type, members.Count));
            taken[next]++;
        }
        Members = members;
        _byId = members.ToFrozenDictionary(m => m.ChargeBoxId, StringComparer.Ordinal);
    }

    public IReadOnlyList<FleetMember> Members { get; }

    public FleetMember? Find(string chargeBoxId) => _byId.GetValueOrDefault(chargeBoxId);

    /// <summary>Fills the <c>{000}</c> placeholder of an id pattern with a zero-padded number.</summary>
    public static string FormatId(string pattern, int number)
    {
        var match = Placeholder().Match(pattern);
        if (!match.Success)
        {
            throw new ArgumentException($"id pattern '{pattern}' has no {{0000}} placeholder", nameof(pattern));
        }
        var digits = match.Length - 2;
        return string.Concat(pattern.AsSpan(0, match.Index), number.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0'), pattern.AsSpan(match.Index + match.Length));
    }

    [GeneratedRegex(@"\{0+\}")]
    private static partial Regex Placeholder();
}
