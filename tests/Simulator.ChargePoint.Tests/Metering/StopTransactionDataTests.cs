using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Simulator.ChargePoint.Metering;
using Simulator.ChargePoint.Tests.Model;
using Simulator.ChargePoint.Tests.V201;
using Simulator.Ocpp.V16;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Transactions;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Metering;

/// <summary>
/// The samples a transaction gathers for StopTransaction's transactionData (1.6) and the Ended TransactionEvent's meterValue (2.0.1), over
/// hours of periodic and clock-aligned sampling with a configuration change on the way, serialize byte for byte as before the samples were
/// kept as compact readings: the hashes are of the JSON the models produced when every sample was kept as a MeterValue.
/// </summary>
public sealed class StopTransactionDataTests
{
    private static readonly EvSpec SecondEv = new(40_000, 0.55, 7_400, 30_000);

    [Theory]
    [InlineData(SupplyType.AC3Phase, 2, 50, "26d3972ff78a1a877b09fa7a7ee90f35c8b130fafd580bf7a9527d6a4db1af74")]
    [InlineData(SupplyType.AC1Phase, 2, 50, "5057ace328de61bb3c20a8dfb46fc10fba2e27811f708e0168aa7b3191f2d8d5")]
    [InlineData(SupplyType.DC, 2, 50, "f80cfe3ffa0e0a2fd4bd5439515953c732e4c1a122d8ea06f4281f919a0e7052")]
    public void StopTransaction_transactionData_is_byte_for_byte_what_it_was(SupplyType supply, int stops, int meterValues, string expectedSha256)
    {
        var h = new Harness(new()
        {
            [K.StopTxnSampledData] = "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC,Temperature,Current.Offered,Power.Offered",
            [K.StopTxnAlignedData] = "Energy.Active.Import.Register,Current.Import,SoC,Frequency",
            [K.MeterValueSampleInterval] = "300",
            [K.ClockAlignedDataInterval] = "900",
        }, tweak: o => o with { Meter = new MeterSpec(supply, supply == SupplyType.DC ? 50_000 : 22_000) }) { CsmsSkew = TimeSpan.FromMilliseconds(37_512.25) };
        h.Boot();
        h.Clock.Advance(TimeSpan.FromSeconds(101));
        h.Model.PlugIn(1, HarnessBase.Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(47));
        h.Model.PlugIn(2, SecondEv);
        h.Model.PresentIdTag(2, "TAG2");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(63));
        h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.StopTxnSampledData, Value = "SoC,Power.Active.Import" });
        h.Run(TimeSpan.FromMinutes(71));
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(3));
        h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.StopTxnSampledData, Value = "SoC" });
        h.Model.Unplug(2);
        h.Pump();

        var sent = h.SentOf<StopTransactionRequest>().ToList();
        Assert.Equal(stops, sent.Count);
        Assert.Equal(meterValues, sent[0].TransactionData!.Count);
        var json = string.Join('\n', sent.Select(s => JsonSerializer.Serialize(s, Ocpp16.Messages.TypeInfo(typeof(StopTransactionRequest)))));
        AssertHash(expectedSha256, json, $"stoptxn-16-{supply}");
    }

    [Fact]
    public void Ended_TransactionEvent_meterValue_is_byte_for_byte_what_it_was()
    {
        var h = new StationHarness(new()
        {
            ["SampledDataCtrlr.TxEndedMeasurands"] = "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC,Current.Offered,Power.Offered",
            ["SampledDataCtrlr.TxEndedInterval"] = "300",
            ["AlignedDataCtrlr.TxEndedMeasurands"] = "Energy.Active.Import.Register,Current.Import,SoC",
            ["AlignedDataCtrlr.Interval"] = "900",
            ["TxUpdatedInterval"] = "0",
        });
        h.Boot();
        h.Clock.Advance(TimeSpan.FromSeconds(101));
        h.Model.PlugIn(1, HarnessBase.Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(47));
        h.Model.PlugIn(2, SecondEv);
        h.Model.PresentIdTag(2, "TAG2");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(63));
        h.Call<Simulator.Ocpp.V201.Provisioning.SetVariablesResponse>(new Simulator.Ocpp.V201.Provisioning.SetVariablesRequest
        {
            SetVariableData = [new() { Component = StationHarness.Comp("SampledDataCtrlr"), Variable = StationHarness.Var("TxEndedMeasurands"), AttributeValue = "SoC,Power.Active.Import" }],
        });
        h.Run(TimeSpan.FromMinutes(71));
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(3));
        h.Model.Unplug(2);
        h.Pump();

        var ended = h.Events().Where(e => e.EventType == TransactionEventKind.Ended).ToList();
        Assert.Equal(2, ended.Count);
        Assert.Equal(49, ended[0].MeterValue!.Count);
        var json = string.Join('\n', ended.Select(e => JsonSerializer.Serialize(e, Ocpp201.Messages.TypeInfo(typeof(TransactionEventRequest)))));
        AssertHash("19f18e7d296d0506c09c51807b2bcf3de7f78f3c236375be6b7a9174457e7571", json, "ended-201");
    }

    /// <summary>Compares the JSON's SHA-256 with the one recorded; on a mismatch the JSON is left in the temp folder to diff.</summary>
    private static void AssertHash(string expected, string json, string name)
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        if (actual != expected)
        {
            var path = Path.Combine(Path.GetTempPath(), $"{name}-{actual[..12]}.json");
            File.WriteAllText(path, json);
            Assert.Fail($"{name}: SHA-256 {actual} (JSON in {path}), expected {expected}");
        }
    }
}
