using System.Globalization;
using Simulator.Fleet.Plan;

namespace Simulator.Cli.Profiles;

/// <summary>
/// One problem in a profile: where it is (file, 1-based line and column; 0 when it comes from the command line),
/// which field (<c>fleet[0].reconnect.jitter</c>, or the option such as <c>--count</c>), and what was expected.
/// Messages never repeat a secret value (the authorization key).
/// </summary>
internal sealed record ProfileError(string File, int Line, int Column, string FieldPath, string Message)
{
    public override string ToString()
    {
        var where = Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}")
            : File;
        var field = FieldPath.Length > 0 ? $" {FieldPath}:" : "";
        return $"{where}{field} {Message}";
    }
}

/// <summary>The outcome of loading a profile or applying overrides: a plan, or every problem found.</summary>
internal sealed class ProfileLoadResult
{
    private ProfileLoadResult(FleetPlan? plan, IReadOnlyList<ProfileError> errors)
    {
        Plan = plan;
        Errors = errors;
    }

    /// <summary>The plan; null exactly when <see cref="Errors"/> is not empty.</summary>
    public FleetPlan? Plan { get; }

    /// <summary>All problems, in file order.</summary>
    public IReadOnlyList<ProfileError> Errors { get; }

    public bool IsValid => Plan is not null;

    public static ProfileLoadResult Ok(FleetPlan plan) => new(plan, []);

    public static ProfileLoadResult Failed(IReadOnlyList<ProfileError> errors)
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("A failed result needs at least one error.", nameof(errors));
        }

        return new(null, errors);
    }

    /// <summary>The plan, or an exception listing every error (for callers that cannot go on without one).</summary>
    public FleetPlan GetPlanOrThrow()
        => Plan ?? throw new InvalidOperationException(
            "The profile is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, Errors));
}
