using Simulator.Ocpp.Messages.Core;
using Simulator.Ocpp.Messages.FirmwareManagement;
using Simulator.Ocpp.Messages.RemoteTrigger;
using Simulator.Ocpp.Messages.Types;
using K = Simulator.ChargePoint.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint;

/// <summary>RemoteTrigger profile: TriggerMessage answers Accepted and queues the requested message after the reply.</summary>
public sealed partial class ChargePointModel
{
    private TriggerMessageResponse TriggerMessage(TriggerMessageRequest request)
    {
        var connectorId = request.ConnectorId;
        if (connectorId is { } id && (id < 0 || id > ConnectorCount))
        {
            return new() { Status = TriggerMessageStatus.Rejected };
        }
        switch (request.RequestedMessage)
        {
            case MessageTrigger.BootNotification:
                if (!IsConnected)
                {
                    return new() { Status = TriggerMessageStatus.Rejected };
                }
                QueueBoot();
                break;
            case MessageTrigger.DiagnosticsStatusNotification:
                Send(new DiagnosticsStatusNotificationRequest { Status = diagnosticsStatus == DiagnosticsStatus.Uploading ? DiagnosticsStatus.Uploading : DiagnosticsStatus.Idle });
                break;
            case MessageTrigger.FirmwareStatusNotification:
                Send(new FirmwareStatusNotificationRequest
                {
                    Status = firmwarePhase is FirmwarePhase.Idle or FirmwarePhase.Scheduled ? FirmwareStatus.Idle : firmwareLastStatus,
                });
                break;
            case MessageTrigger.Heartbeat:
                Send(new HeartbeatRequest());
                break;
            case MessageTrigger.MeterValues:
                if (connectorId == 0)
                {
                    return new() { Status = TriggerMessageStatus.Rejected };
                }
                foreach (var connector in connectors.Skip(1).Where(c => connectorId is null || c.Id == connectorId))
                {
                    connector.Meter!.AdvanceTo(LocalNow);
                    if (Sample(connector, Configuration.GetMeasurands(K.MeterValuesSampledData), ReadingContext.Trigger) is { } value)
                    {
                        Send(new MeterValuesRequest { ConnectorId = connector.Id, TransactionId = connector.Transaction?.TransactionId, MeterValue = [value] });
                    }
                }
                break;
            case MessageTrigger.StatusNotification:
                foreach (var connector in connectors.Where(c => connectorId is null || c.Id == connectorId))
                {
                    ReportStatus(connector);
                }
                break;
            default:
                return new() { Status = TriggerMessageStatus.NotImplemented };
        }
        return new() { Status = TriggerMessageStatus.Accepted };
    }
}
