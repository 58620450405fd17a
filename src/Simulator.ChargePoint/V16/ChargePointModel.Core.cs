using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.V16;

/// <summary>Core profile: the CSMS-initiated actions.</summary>
public sealed partial class ChargePointModel
{
    private static readonly TimeSpan SoftResetGrace = TimeSpan.FromSeconds(30);

    private ChangeAvailabilityResponse ChangeAvailability(ChangeAvailabilityRequest request)
    {
        if (request.ConnectorId < 0 || request.ConnectorId > ConnectorCount)
        {
            return new() { Status = AvailabilityStatus.Rejected };
        }
        var targets = request.ConnectorId == 0 ? connectors : [connectors[request.ConnectorId]];
        var scheduled = false;
        foreach (var connector in targets)
        {
            if (request.Type == AvailabilityType.Operative)
            {
                connector.Inoperative = false;
                connector.InoperativeScheduled = false;
            }
            else if (connector.Transaction is not null)
            {
                connector.InoperativeScheduled = true;
                scheduled = true;
            }
            else
            {
                connector.Inoperative = true;
                DropPendingStart(connector, "the connector became Inoperative");
            }
        }
        if (request.ConnectorId == 0 && request.Type == AvailabilityType.Inoperative && scheduled)
        {
            // Connector 0 follows the connectors: it becomes Unavailable once the last transaction has ended.
            connectors[0].Inoperative = false;
            connectors[0].InoperativeScheduled = true;
        }
        return new() { Status = scheduled ? AvailabilityStatus.Scheduled : AvailabilityStatus.Accepted };
    }

    private ChangeConfigurationResponse ChangeConfiguration(ChangeConfigurationRequest request)
    {
        if (request.Key == K.SecurityProfile)
        {
            return ChangeSecurityProfile(request.Value);
        }
        var status = Configuration.Change(request.Key, request.Value);
        if (status is not (ConfigurationStatus.Accepted or ConfigurationStatus.RebootRequired))
        {
            return new() { Status = status };
        }
        var now = LocalNow;
        switch (request.Key)
        {
            case K.HeartbeatInterval:
                core.ScheduleHeartbeat();
                break;
            case K.MeterValueSampleInterval:
                var interval = Configuration.GetInt(K.MeterValueSampleInterval);
                foreach (var connector in connectors)
                {
                    if (connector.Transaction is { } transaction)
                    {
                        transaction.NextSampleAt = interval > 0 ? now + TimeSpan.FromSeconds(interval) : null;
                    }
                }
                break;
            case K.ClockAlignedDataInterval:
                ScheduleAligned();
                break;
            case K.AuthorizationKey:
                OnAuthorizationKeyChanged();
                break;
        }
        Signal(new ConfigurationChanged(request.Key, Simulator.ChargePoint.V16.Configuration.ConfigurationStore.Shown(Configuration.Definition(request.Key)!, request.Value)));
        return new() { Status = status };
    }

    private ClearCacheResponse ClearCache()
    {
        cache.Clear();
        return new() { Status = ClearCacheStatus.Accepted };
    }

    private DataTransferResponse DataTransfer(DataTransferRequest request)
    {
        var known = string.Equals(request.VendorId, options.Vendor, StringComparison.Ordinal)
            || options.DataTransferVendorIds.Contains(request.VendorId, StringComparer.Ordinal);
        if (!known)
        {
            return new() { Status = DataTransferStatus.UnknownVendorId };
        }
        // The simulator's own vendor understands one message: "Echo" returns the data it was sent.
        return request.MessageId == "Echo"
            ? new() { Status = DataTransferStatus.Accepted, Data = request.Data }
            : new() { Status = DataTransferStatus.UnknownMessageId };
    }

    private GetConfigurationResponse GetConfiguration(GetConfigurationRequest request)
    {
        var (known, unknown) = Configuration.Read(request.Key);
        return new() { ConfigurationKey = known.Count > 0 ? known : null, UnknownKey = unknown.Count > 0 ? unknown : null };
    }

    private RemoteStartTransactionResponse RemoteStartTransaction(RemoteStartTransactionRequest request)
    {
        var rejected = new RemoteStartTransactionResponse { Status = RemoteStartStopStatus.Rejected };
        if (string.IsNullOrEmpty(request.IdTag) || request.ChargingProfile is { ChargingProfilePurpose: not ChargingProfilePurpose.TxProfile })
        {
            return rejected;
        }
        Connector? connector;
        if (request.ConnectorId is { } id)
        {
            if (!IsConnector(id) || !CanStartOn(connectors[id], request.IdTag, null) || IsStarting(connectors[id]))
            {
                return rejected;
            }
            connector = connectors[id];
        }
        else
        {
            // The connector reserved for this tag, else one with an EV waiting, else any free one.
            var candidates = connectors.Skip(1).Where(c => !IsStarting(c) && CanStartOn(c, request.IdTag, null)).ToList();
            connector = candidates.FirstOrDefault(c => c.Reservation is { } r && Matches(r, request.IdTag, null))
                ?? candidates.FirstOrDefault(c => c.Plugged) ?? candidates.FirstOrDefault();
            if (connector is null)
            {
                return rejected;
            }
        }
        var auth = new PendingAuthorization(connector.Id, request.IdTag, AuthPurpose.RemoteStart, request.ChargingProfile);
        if (Configuration.GetBool(K.AuthorizeRemoteTxRequests))
        {
            Authorize(auth);
        }
        else
        {
            Authorized(auth, LocalLookup(request.IdTag) is { Status: AuthorizationStatus.Accepted } local ? local : new IdTagInfo { Status = AuthorizationStatus.Accepted });
        }
        return new() { Status = RemoteStartStopStatus.Accepted };
    }

    /// <summary>A start is under way on the connector: an id tag waits for the EV, or a remote start is being authorized.</summary>
    private bool IsStarting(Connector connector) =>
        connector.PendingStart is not null || pendingAuthorizations.Any(p => p.ConnectorId == connector.Id && p.Purpose == AuthPurpose.RemoteStart);

    private RemoteStopTransactionResponse RemoteStopTransaction(RemoteStopTransactionRequest request)
    {
        var connector = connectors.FirstOrDefault(c => c.Transaction?.TransactionId == request.TransactionId);
        if (connector is null)
        {
            return new() { Status = RemoteStartStopStatus.Rejected };
        }
        StopTransaction(connector, StopReason.Remote, null);
        return new() { Status = RemoteStartStopStatus.Accepted };
    }

    private ResetResponse Reset(ResetRequest request)
    {
        if (request.Type == ResetType.Hard)
        {
            Reboot(RebootKind.HardReset, StopReason.HardReset);
            return new() { Status = ResetStatus.Accepted };
        }
        // Soft: end the transactions gracefully and reboot once their StopTransactions are delivered (or after a grace period).
        foreach (var connector in connectors)
        {
            if (connector.Transaction is not null)
            {
                StopTransaction(connector, StopReason.SoftReset, null);
            }
        }
        pendingReboot = (RebootKind.SoftReset, LocalNow + SoftResetGrace);
        return new() { Status = ResetStatus.Accepted };
    }

    private UnlockConnectorResponse UnlockConnector(UnlockConnectorRequest request)
    {
        if (!IsConnector(request.ConnectorId))
        {
            return new() { Status = UnlockStatus.NotSupported };
        }
        var connector = connectors[request.ConnectorId];
        if (connector.Transaction is not null)
        {
            StopTransaction(connector, StopReason.UnlockCommand, null);
        }
        return new() { Status = connector is { Faulted: true, ErrorCode: ChargePointErrorCode.ConnectorLockFailure } ? UnlockStatus.UnlockFailed : UnlockStatus.Unlocked };
    }
}
