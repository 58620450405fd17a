using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.V16;

/// <summary>
/// A snapshot of one connector (0 = the charge point itself). <see cref="Status"/> is the current status; <see cref="ReportedStatus"/> the last one
/// sent to the CSMS (they differ while MinimumStatusDuration has not passed, or while offline). Energies are in Wh.
/// </summary>
public sealed record ConnectorState(
    int ConnectorId,
    ChargePointStatus Status,
    ChargePointStatus? ReportedStatus,
    ChargePointErrorCode ErrorCode,
    bool Operative,
    bool EvPluggedIn,
    long? LocalTransactionRef,
    int? TransactionId,
    string? IdTag,
    int? ReservationId,
    double RegisterWh,
    double SessionEnergyWh,
    double PowerW,
    double? LimitW);
