using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Tests.Model;

public class RobustnessTests
{
    [Fact]
    public void Security_extension_actions_are_NotSupported_with_a_clear_description()
    {
        var h = new Harness().Boot();
        var reply = h.Model.HandleCall(new InstallCertificateRequest { CertificateType = CertificateUse.CentralSystemRootCertificate, Certificate = "PEM" });
        Assert.Equal(OcppErrorCode.NotSupported, reply.ErrorCode);
        Assert.Contains("security extension", reply.ErrorDescription, StringComparison.Ordinal);
        Assert.Equal(OcppErrorCode.NotSupported, h.Model.HandleCall(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.Heartbeat }).ErrorCode);
    }

    [Fact]
    public void Requests_meant_for_the_CSMS_and_null_are_refused_without_throwing()
    {
        var h = new Harness().Boot();
        Assert.Equal(OcppErrorCode.NotSupported, h.Model.HandleCall(new HeartbeatRequest()).ErrorCode);
        Assert.Equal(OcppErrorCode.ProtocolError, h.Model.HandleCall(null!).ErrorCode);
    }

    [Fact]
    public void DataTransfer_knows_only_its_vendors()
    {
        var h = new Harness(tweak: o => o with { DataTransferVendorIds = ["com.partner"] }).Boot();
        Assert.Equal(DataTransferStatus.UnknownVendorId, h.Reply<DataTransferResponse>(new DataTransferRequest { VendorId = "com.other" }).Status);
        Assert.Equal(DataTransferStatus.UnknownMessageId, h.Reply<DataTransferResponse>(new DataTransferRequest { VendorId = "com.partner", MessageId = "X" }).Status);
        var echo = h.Reply<DataTransferResponse>(new DataTransferRequest { VendorId = "FleetSim", MessageId = "Echo", Data = "hi" });
        Assert.Equal((DataTransferStatus.Accepted, "hi"), (echo.Status, echo.Data));
    }

    [Fact]
    public void Unexpected_local_input_and_outcomes_are_ignored()
    {
        var h = new Harness().Boot();
        Assert.False(h.Model.PlugIn(0, Harness.Ev));
        Assert.False(h.Model.PlugIn(3, Harness.Ev));
        Assert.False(h.Model.PlugIn(1, new Simulator.ChargePoint.Metering.EvSpec(-1, 2, 0, 0)));
        Assert.True(h.Model.PlugIn(1, Harness.Ev));
        Assert.False(h.Model.PlugIn(1, Harness.Ev));
        h.Model.Unplug(2);
        h.Model.Unplug(-4);
        h.Model.PresentIdTag(9, "T");
        h.Model.PresentIdTag(1, "");
        h.Model.PresentIdTag(1, new string('x', 21));
        h.Model.SetFaulted(12, true);
        h.Model.OnTransferCompleted(999, true, null);
        var stranger = new OutboundMessage(new HeartbeatRequest(), false, h.Clock.GetUtcNow(), null, 1) { Sequence = 12345 };
        h.Model.OnAnswered(stranger, new HeartbeatResponse { CurrentTime = h.CsmsNow });
        h.Model.OnFailed(stranger, OutboundFailure.Timeout.Instance);
        h.Pump();
        Assert.Empty(h.SentOf<AuthorizeRequest>());
    }

    [Fact]
    public void A_response_of_the_wrong_type_counts_as_an_invalid_response()
    {
        var h = new Harness(new() { [V16.Configuration.ConfigurationKeys.TransactionMessageRetryInterval] = "5" }).Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "T");
        OutboundMessage? start = null;
        while (h.Model.TryTakeOutbound(out var m))
        {
            if (m.Request is StartTransactionRequest)
            {
                start = m;
                break;
            }
            h.Model.OnAnswered(m, h.DefaultAnswer(m));
        }
        h.Model.OnAnswered(start!, new HeartbeatResponse { CurrentTime = h.CsmsNow });
        Assert.Equal(1, h.Model.OfflineQueueDepth);
        h.Run(TimeSpan.FromSeconds(5));
        var retried = h.Sent.Single(m => m.Request is StartTransactionRequest);
        Assert.Equal(2, retried.Attempt);
    }

    [Fact]
    public void Constructor_validates_the_options()
    {
        Assert.Throws<ArgumentException>(() => new Harness(connectors: 0));
        Assert.Throws<ArgumentException>(() => new Harness(tweak: o => o with { ChargeBoxId = " " }));
        Assert.Throws<ArgumentException>(() => new Harness(tweak: o => o with { FirmwareInstallFailureProbability = 2 }));
    }
}

public class MalformedPayloadTests
{
    [Fact]
    public void Payloads_with_nulls_where_values_are_required_get_an_answer_not_an_exception()
    {
        var h = new Harness().Boot();
        Assert.Equal(ConfigurationStatus.NotSupported, h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = null!, Value = "1" }).Status);
        Assert.Equal(RemoteStartStopStatus.Rejected, h.Reply<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { IdTag = null! }).Status);
        Assert.Equal(UpdateStatus.Failed, h.Reply<Simulator.Ocpp.V16.LocalAuthListManagement.SendLocalListResponse>(new Simulator.Ocpp.V16.LocalAuthListManagement.SendLocalListRequest
        {
            ListVersion = 2,
            UpdateType = UpdateType.Full,
            LocalAuthorizationList = [new AuthorizationData { IdTag = null!, IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } }],
        }).Status);
        var reply = h.Model.HandleCall(new Simulator.Ocpp.V16.SmartCharging.SetChargingProfileRequest { ConnectorId = 1, CsChargingProfiles = null! });
        Assert.True(reply.ErrorCode is not null || reply.Response is not null);
    }
}
