using Simulator.ChargePoint.Metering;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.V16;

/// <summary>
/// RemoteTrigger profile: TriggerMessage answers Accepted and queues the requested message after the reply. Triggered messages go
/// while the registration is Pending too (OCPP 1.6 §4.2.1); when they cannot go at all (Rejected, or before any answer to
/// BootNotification) the trigger is Rejected.
/// </summary>
public sealed partial class ChargePointModel
{
    private TriggerMessageResponse TriggerMessage(TriggerMessageRequest request)
    {
        var rejected = new TriggerMessageResponse { Status = TriggerMessageStatus.Rejected };
        var connectorId = request.ConnectorId;
        if (connectorId is { } id && (id < 0 || id > ConnectorCount))
        {
            return rejected;
        }
        if (!Enum.IsDefined(request.RequestedMessage))
        {
            return new() { Status = TriggerMessageStatus.NotImplemented };
        }
        if (request.RequestedMessage == MessageTrigger.BootNotification)
        {
            if (!IsConnected)
            {
                return rejected;
            }
            QueueBoot();
            return new() { Status = TriggerMessageStatus.Accepted };
        }
        if (!CanSendTriggered)
        {
            return rejected;
        }
        switch (request.RequestedMessage)
        {
            case MessageTrigger.DiagnosticsStatusNotification:
                SendTriggered(new DiagnosticsStatusNotificationRequest { Status = diagnosticsStatus == DiagnosticsStatus.Uploading ? DiagnosticsStatus.Uploading : DiagnosticsStatus.Idle });
                break;
            case MessageTrigger.FirmwareStatusNotification:
                SendTriggered(new FirmwareStatusNotificationRequest
                {
                    Status = firmwarePhase is FirmwarePhase.Idle or FirmwarePhase.Scheduled ? FirmwareStatus.Idle : firmwareLastStatus,
                });
                break;
            case MessageTrigger.Heartbeat:
                SendTriggered(new HeartbeatRequest());
                break;
            case MessageTrigger.MeterValues:
                TriggerMeterValues(connectorId);
                break;
            case MessageTrigger.StatusNotification:
                foreach (var connector in connectors.Where(c => connectorId is null || c.Id == connectorId))
                {
                    ReportStatus(connector, triggered: true);
                }
                break;
        }
        return new() { Status = TriggerMessageStatus.Accepted };
    }

    /// <summary>
    /// A connector's MeterValues (with its transaction's id when one runs; the energy register when MeterValuesSampledData gives nothing
    /// to sample), or for connector 0 the main meter (<see cref="MainMeter"/>).
    /// No connectorId means every connector, 0 included (OCPP 1.6 §5.17: "for all allowed connectorId values").
    /// </summary>
    private void TriggerMeterValues(int? connectorId)
    {
        var now = LocalNow;
        var measurands = Configuration.GetMeasurands(K.MeterValuesSampledData);
        if (connectorId is null or 0)
        {
            var values = MainMeter.Sample([.. connectors.Skip(1).Select(c => c.Meter!)], measurands, ReadingContext.Trigger, now);
            SendTriggered(new MeterValuesRequest { ConnectorId = 0, MeterValue = [new MeterValue { Timestamp = CsmsNow, SampledValue = values }] });
        }
        foreach (var connector in connectors.Skip(1).Where(c => connectorId is null || c.Id == connectorId))
        {
            connector.Meter!.AdvanceTo(now);
            // With nothing configured to sample, the energy register still answers the trigger.
            var value = Sample(connector, measurands, ReadingContext.Trigger) ?? Sample(connector, [Measurand.EnergyActiveImportRegister], ReadingContext.Trigger)!;
            SendTriggered(new MeterValuesRequest { ConnectorId = connector.Id, TransactionId = connector.Transaction?.TransactionId, MeterValue = [value] });
        }
    }

    private void SendTriggered(Simulator.Ocpp.Messages.IOcppRequest request) => Send(request, null, triggered: true);
}
