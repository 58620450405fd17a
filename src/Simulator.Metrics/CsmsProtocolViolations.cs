using System.Globalization;

namespace Simulator.Metrics;

/// <summary>
/// Ways a CSMS broke the WebSocket or OCPP-J rules towards a charge point. A new kind is a new member: its label is the
/// member name in camelCase, and the counters, report and summary pick it up.
/// </summary>
public enum CsmsViolationKind
{
    /// <summary>A binary WebSocket message (OCPP-J is text only); dropped, the connection stays.</summary>
    BinaryFrame,

    /// <summary>A message above the charge point's maximum; the connection is closed with 1009.</summary>
    MessageTooLarge,

    /// <summary>A CALLRESULT or CALLERROR whose id matches no outstanding call (late answers to timed-out calls excepted).</summary>
    UnknownCallId,

    /// <summary>A CALLRESULT whose payload fails the action's response schema.</summary>
    InvalidResponsePayload,

    /// <summary>A message that is not an OCPP-J frame (not JSON, not an array of the right shape, unknown message type).</summary>
    NotOcppJ,

    /// <summary>A CALL for an action the charge point does not accept (unknown, or one a charge point never receives).</summary>
    UnsupportedAction,

    /// <summary>A CALL whose payload fails the action's request schema (answered with the CALLERROR the protocol asks for).</summary>
    InvalidRequestPayload,
}

/// <summary>Labels of <see cref="CsmsViolationKind"/> (the <c>kind</c> label and the report's keys).</summary>
public static class CsmsViolationKinds
{
    private static readonly string[] LabelsByKind = Enum.GetValues<CsmsViolationKind>()
        .Select(k => k.ToString())
        .Select(name => char.ToLowerInvariant(name[0]) + name[1..])
        .ToArray();

    /// <summary>The <c>action</c> label when the action is not known (a binary or unreadable message, an unknown call id).</summary>
    public const string UnknownAction = "unknown";

    /// <summary>Examples kept per kind in the statistics and the report.</summary>
    public const int ExamplesPerKind = 3;

    /// <summary>Longest example text kept (frame text is cut there).</summary>
    public const int MaxExampleLength = 200;

    public static IReadOnlyList<CsmsViolationKind> All { get; } = Enum.GetValues<CsmsViolationKind>();

    public static string ToLabel(this CsmsViolationKind kind) =>
        (uint)kind < (uint)LabelsByKind.Length ? LabelsByKind[(int)kind] : throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown violation kind");

    /// <summary>Frame text cut to <see cref="MaxExampleLength"/> characters, with the full length when it was cut.</summary>
    public static string Excerpt(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= MaxExampleLength
            ? text
            : string.Create(CultureInfo.InvariantCulture, $"{text[..MaxExampleLength]}… ({text.Length} characters)");
    }
}

/// <summary>One recorded violation, for the report: which charge point saw it, when, and what it was (frame excerpt or size).</summary>
public sealed record CsmsViolationExample(string Kind, string ChargePointId, DateTimeOffset At, string? Action, string Detail);

/// <summary>A count of one kind of violation for one action (<see cref="CsmsViolationKinds.UnknownAction"/> when not known).</summary>
public readonly record struct CsmsViolationKey(string Kind, string Action);
