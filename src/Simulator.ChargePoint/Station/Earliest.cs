namespace Simulator.ChargePoint.Station;

/// <summary>The earliest of the instants considered (null when none was): how a model works out its next due time without allocating.</summary>
internal struct Earliest
{
    public DateTimeOffset? At { get; private set; }

    public void Consider(DateTimeOffset? at)
    {
        if (at is { } t && (At is null || t < At))
        {
            At = t;
        }
    }
}
