using Simulator.Ocpp.Framing;

namespace Simulator.Ocpp.Validation;

/// <summary>The first thing wrong with a payload: the CALLERROR code to answer with, the field's path and why.</summary>
public sealed record PayloadViolation(OcppErrorCode Code, string Field, string Reason)
{
    public string Description => Field.Length == 0 ? Reason : $"{Field}: {Reason}";

    public override string ToString() => $"{Code} {Description}";
}
