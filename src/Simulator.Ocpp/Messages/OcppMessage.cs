using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Messages;

/// <summary>A payload or a part of one whose constraints beyond the JSON types (lengths, ranges) can be checked.</summary>
public interface IOcppValidatable
{
    void Validate(PayloadChecker check);
}

/// <summary>The payload of a CALL (a ".req").</summary>
public interface IOcppRequest : IOcppValidatable;

/// <summary>The payload of a CALLRESULT (a ".conf").</summary>
public interface IOcppResponse : IOcppValidatable;

/// <summary>A request that names its action and the response it expects.</summary>
public interface IOcppRequest<TResponse> : IOcppRequest where TResponse : IOcppResponse
{
    static abstract string Action { get; }
}
