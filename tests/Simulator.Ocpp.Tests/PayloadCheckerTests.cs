using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.SmartCharging;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Tests;

public class PayloadCheckerTests
{
    [Fact]
    public void The_reused_checker_starts_clean_every_time()
    {
        var response = new GetCompositeScheduleResponse
        {
            Status = GetCompositeScheduleStatus.Accepted,
            ChargingSchedule = new ChargingSchedule
            {
                ChargingRateUnit = ChargingRateUnit.W,
                ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = 11000m }, new ChargingSchedulePeriod { StartPeriod = 60, Limit = 7400.05m }],
            },
        };
        var bad = PayloadChecker.Check(response);
        Assert.Equal((OcppErrorCode.OccurrenceConstraintViolation, "chargingSchedule.chargingSchedulePeriod[1].limit"), (bad!.Code, bad.Field));

        Assert.Null(PayloadChecker.Check(Samples.MeterValues()));

        var tooLong = PayloadChecker.Check(new GetConfigurationRequest { Key = ["a", "b", new string('k', 51)] });
        Assert.Equal((OcppErrorCode.FormatViolation, "key[2]"), (tooLong!.Code, tooLong.Field));
    }

    [Fact]
    public void Checking_a_valid_payload_allocates_nothing()
    {
        var request = Samples.MeterValues();
        Assert.Null(PayloadChecker.Check(request));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            PayloadChecker.Check(request);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_checker_of_its_own_reports_the_same_path()
    {
        var checker = new PayloadChecker();
        var request = Samples.MeterValues() with
        {
            MeterValue = [new MeterValue { Timestamp = Samples.Now, SampledValue = [new SampledValue { Value = "1" }] }],
        };
        new StopTransactionRequest { MeterStop = 1, Timestamp = Samples.Now, TransactionId = 1, IdTag = new string('t', 21), TransactionData = request.MeterValue }.Validate(checker);
        Assert.False(checker.IsValid);
        Assert.Equal("idTag", checker.Violation!.Field);
    }
}
