using System.Globalization;
using Simulator.ChargePoint.Station;
using Simulator.Ocpp.V201.MeterValues;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using C = Simulator.ChargePoint.V201.DeviceModel.Components;
using M16 = Simulator.Ocpp.V16.Types;
using V = Simulator.ChargePoint.V201.DeviceModel.Variables;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// J: meter values from the shared meter model. Sampled data (SampledDataCtrlr) goes into the transaction's TransactionEvents;
/// clock-aligned data (AlignedDataCtrlr, aligned to midnight in CSMS time) into Updated(MeterValueClock) during a transaction and
/// MeterValues for an idle EVSE.
/// </summary>
public sealed partial class StationModel
{
    private static readonly Dictionary<string, (M16.Measurand Meter, Measurand Ocpp)> MeasurandNames = new(StringComparer.Ordinal)
    {
        ["Energy.Active.Import.Register"] = (M16.Measurand.EnergyActiveImportRegister, Measurand.EnergyActiveImportRegister),
        ["Power.Active.Import"] = (M16.Measurand.PowerActiveImport, Measurand.PowerActiveImport),
        ["Power.Offered"] = (M16.Measurand.PowerOffered, Measurand.PowerOffered),
        ["Current.Import"] = (M16.Measurand.CurrentImport, Measurand.CurrentImport),
        ["Current.Offered"] = (M16.Measurand.CurrentOffered, Measurand.CurrentOffered),
        ["Voltage"] = (M16.Measurand.Voltage, Measurand.Voltage),
        ["SoC"] = (M16.Measurand.SoC, Measurand.SoC),
    };

    /// <summary>CSMS time of the next clock-aligned sample.</summary>
    private DateTimeOffset? alignedDue;

    private List<M16.Measurand> MeasurandsOf(Simulator.ChargePoint.V201.DeviceModel.ComponentKey component, Simulator.ChargePoint.V201.DeviceModel.VariableKey variable) =>
        [.. Device.GetList(component, variable).Where(MeasurandNames.ContainsKey).Select(name => MeasurandNames[name].Meter)];

    /// <summary>One meter value of the EVSE's meter, or null when nothing is configured or applies.</summary>
    private MeterValue? Sample(EvseState evse, List<M16.Measurand> measurands, ReadingContext context, DateTimeOffset? timestamp = null)
    {
        if (measurands.Count == 0)
        {
            return null;
        }
        var meterContext = Enum.Parse<M16.ReadingContext>(context.ToString());
        var values = evse.Meter.Sample(measurands, meterContext, LocalNow);
        if (values.Count == 0)
        {
            return null;
        }
        return new MeterValue { Timestamp = timestamp ?? CsmsNow, SampledValue = [.. values.Select(v => Convert(v, context))] };
    }

    /// <summary>A TxEnded sample, kept as a reading until the Ended TransactionEvent is made.</summary>
    private void KeepForEnded(EvseState evse, TransactionState transaction, List<M16.Measurand> measurands, ReadingContext context, DateTimeOffset? timestamp = null)
    {
        if (measurands.Count > 0)
        {
            var reading = evse.Meter.Read(LocalNow);
            transaction.EndedData.Add(timestamp ?? CsmsNow, Enum.Parse<M16.ReadingContext>(context.ToString()), measurands, reading);
        }
    }

    /// <summary>The Ended TransactionEvent's meterValue: the kept samples, oldest first; null when none.</summary>
    private static MeterValue[]? EndedDataOf(EvseState evse, TransactionState transaction) =>
        transaction.EndedData.Count == 0 ? null
        : transaction.EndedData.Replay(evse.Meter, static (timestamp, meterContext, values) =>
        {
            var context = Enum.Parse<ReadingContext>(meterContext.ToString());
            return new MeterValue { Timestamp = timestamp, SampledValue = [.. values.Select(v => Convert(v, context))] };
        });

    private static SampledValue Convert(M16.SampledValue value, ReadingContext context) => new()
    {
        Value = decimal.Parse(value.Value, NumberStyles.Float, CultureInfo.InvariantCulture),
        Context = context,
        Measurand = value.Measurand is { } m ? MeasurandNames.Values.First(n => n.Meter == m).Ocpp : null,
        Phase = value.Phase is { } phase ? Enum.Parse<Phase>(phase.ToString()) : null,
        Location = value.Location is { } location ? Enum.Parse<Location>(location.ToString()) : null,
        UnitOfMeasure = value.Unit is { } unit && unit != M16.UnitOfMeasure.Wh ? new UnitOfMeasure { Unit = unit.ToString() } : null,
    };

    private void ScheduleAligned()
    {
        alignedDue = Device.GetBool(C.AlignedDataCtrlr, V.Enabled) ? StationCore.NextAligned(CsmsNow, Device.GetInt(C.AlignedDataCtrlr, V.Interval)) : null;
    }

    /// <summary>Clock-aligned samples: Updated(MeterValueClock) for an EVSE with a transaction (unless SendDuringIdle), MeterValues for an idle one.</summary>
    private void SampleAligned(DateTimeOffset scheduledFor)
    {
        var duringIdleOnly = Device.GetBool(C.AlignedDataCtrlr, V.SendDuringIdle);
        var timestamp = alignedDue ?? CsmsNow;
        foreach (var evse in Evses)
        {
            var value = Sample(evse, MeasurandsOf(C.AlignedDataCtrlr, V.Measurands), ReadingContext.SampleClock, timestamp);
            if (evse.Transaction is { } transaction)
            {
                if (value is not null && !duringIdleOnly)
                {
                    EmitEvent(evse, TransactionEventKind.Updated, TriggerReason.MeterValueClock, [value], scheduledFor);
                }
                KeepForEnded(evse, transaction, MeasurandsOf(C.AlignedDataCtrlr, V.TxEndedMeasurands), ReadingContext.SampleClock, timestamp);
            }
            else if (value is not null)
            {
                Send(new MeterValuesRequest { EvseId = evse.Id, MeterValue = [value] }, scheduledFor);
            }
        }
    }

    /// <summary>TriggerMessage(MeterValues): the aligned measurands of one EVSE or all, context Trigger.</summary>
    private bool TriggerMeterValues(int? evseId)
    {
        var targets = evseId is { } id ? [evses[id]] : Evses.ToList();
        var measurands = MeasurandsOf(C.AlignedDataCtrlr, V.Measurands);
        if (measurands.Count == 0)
        {
            measurands = [M16.Measurand.EnergyActiveImportRegister];
        }
        foreach (var evse in targets)
        {
            if (Sample(evse, measurands, ReadingContext.Trigger) is { } value)
            {
                Send(new MeterValuesRequest { EvseId = evse.Id, MeterValue = [value] }, null, triggered: true);
            }
        }
        return true;
    }
}
