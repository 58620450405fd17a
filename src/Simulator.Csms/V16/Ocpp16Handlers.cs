using Simulator.Ocpp;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms.V16;

/// <summary>The CSMS's answers to every charge-point-initiated OCPP 1.6 action.</summary>
internal sealed class Ocpp16Handlers(CsmsServer server) : IVersionHandlers
{
    /// <summary>The answer to every MeterValues (it has no fields): one instance, not one per call.</summary>
    private static readonly HandlerResult MeterValuesAnswer = new(new MeterValuesResponse());

    private readonly HashSet<string> _vendors = new(server.Options.KnownVendorIds, StringComparer.Ordinal);

    private DateTimeOffset Now => server.Options.TimeProvider.GetUtcNow();

    public OcppMessageSet Messages => Ocpp16.Messages;

    public IReadOnlyList<string> InstructedActions(IOcppRequest request) => request switch
    {
        TriggerMessageRequest trigger => [trigger.RequestedMessage.ToString()],
        ExtendedTriggerMessageRequest extended => [extended.RequestedMessage switch
        {
            ExtendedMessageTrigger.FirmwareStatusNotification => "SignedFirmwareStatusNotification",
            ExtendedMessageTrigger.SignChargePointCertificate => "SignCertificate",
            var other => other.ToString(),
        }],
        _ => [],
    };

    public HandlerResult Handle(ChargePointConnection connection, IOcppRequest request)
    {
        var state = connection.State;
        var id = connection.ChargeBoxId;
        switch (request)
        {
            case BootNotificationRequest boot:
                {
                    var (status, interval) = server.BootAnswer();
                    state.OnBoot(boot.ChargePointVendor, boot.ChargePointModel, boot.FirmwareVersion, status.ToString());
                    return new(new BootNotificationResponse { Status = status, CurrentTime = Now, Interval = interval });
                }
            case HeartbeatRequest:
                {
                    var now = Now;
                    state.OnHeartbeat(now);
                    return new(new HeartbeatResponse { CurrentTime = now });
                }
            case AuthorizeRequest authorize:
                return new(new AuthorizeResponse { IdTagInfo = server.IdTags.Evaluate(authorize.IdTag, Now) });
            case StartTransactionRequest start:
                {
                    var recorded = server.Ledger.RecordStart(id, start);
                    if (!recorded.Resent)
                    {
                        state.OnTransactionStarted(new ActiveTransaction(recorded.TransactionId, start.ConnectorId, start.IdTag, start.MeterStart, start.Timestamp));
                    }
                    return new(new StartTransactionResponse { TransactionId = recorded.TransactionId, IdTagInfo = server.IdTags.Evaluate(start.IdTag, Now) });
                }
            case StopTransactionRequest stop:
                server.Ledger.RecordStop(id, stop);
                state.OnTransactionStopped(stop.TransactionId);
                return new(new StopTransactionResponse { IdTagInfo = stop.IdTag is null ? null : server.IdTags.Evaluate(stop.IdTag, Now) });
            case MeterValuesRequest meterValues:
                server.Ledger.RecordMeterValues(id, meterValues);
                return MeterValuesAnswer;
            case StatusNotificationRequest status:
                state.OnStatus(new ConnectorState(status.ConnectorId, status.Status, status.ErrorCode, status.Timestamp, Now));
                return new(new StatusNotificationResponse());
            case DataTransferRequest dataTransfer:
                return new(new DataTransferResponse
                {
                    Status = _vendors.Contains(dataTransfer.VendorId) ? DataTransferStatus.Accepted : DataTransferStatus.UnknownVendorId,
                });
            case DiagnosticsStatusNotificationRequest diagnostics:
                state.OnDiagnosticsStatus(diagnostics.Status.ToString());
                return new(new DiagnosticsStatusNotificationResponse());
            case FirmwareStatusNotificationRequest firmware:
                state.OnFirmwareStatus(firmware.Status.ToString());
                return new(new FirmwareStatusNotificationResponse());
            case SecurityEventNotificationRequest securityEvent:
                state.OnSecurityEvent(new SecurityEventRecord(securityEvent.Type, securityEvent.Timestamp, securityEvent.TechInfo, Now));
                return new(new SecurityEventNotificationResponse());
            case LogStatusNotificationRequest log:
                state.OnLogStatus(log.Status.ToString(), log.RequestId);
                return new(new LogStatusNotificationResponse());
            case SignedFirmwareStatusNotificationRequest signedFirmware:
                state.OnSignedFirmwareStatus(signedFirmware.Status.ToString(), signedFirmware.RequestId);
                return new(new SignedFirmwareStatusNotificationResponse());
            case SignCertificateRequest sign:
                return SignCertificate(state, sign);
            default:
                throw new NotSupportedException($"{request.GetType().Name} is not a charge-point-initiated action");
        }
    }

    private HandlerResult SignCertificate(ChargePointState state, SignCertificateRequest sign)
    {
        string chain;
        try
        {
            chain = server.Authority.SignCsr(sign.Csr, state.ChargeBoxId, server.Options.CpoName, server.Options.SignedCertificateLifetime);
        }
        catch (CsrRejectedException ex)
        {
            state.OnCertificateSigned($"CSR rejected: {ex.Message}");
            return new(new SignCertificateResponse { Status = GenericStatus.Rejected });
        }
        return new(
            new SignCertificateResponse { Status = GenericStatus.Accepted },
            new CertificateSignedRequest { CertificateChain = chain },
            outcome => state.OnCertificateSigned(outcome.Response is CertificateSignedResponse r ? r.Status.ToString() : outcome.Status.ToString()));
    }
}
