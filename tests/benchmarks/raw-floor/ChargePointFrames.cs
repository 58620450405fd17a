using System.Globalization;
using System.Text;

namespace RawFloor;

/// <summary>
/// One charge point's CALLs: turns the due steps into OCPP 1.6-J frames shaped as FleetSim's (same actions, fields and about
/// the same sizes), one at a time; the next one only after the previous one's answer (<see cref="OnAnswer"/>).
/// Not thread-safe: one call outstanding per charge point, so the sender and the answer never overlap.
/// </summary>
internal sealed class ChargePointFrames
{
    private const double PowerW = 11_000;

    private readonly string _id;
    private readonly string _idTag;
    private readonly Queue<Step> _steps = new();
    private readonly int[] _transactionId = new int[3];
    private readonly long[] _chargingSince = new long[3];
    private Step _step;
    private int _part = -1;   // index of the next frame within _step; -1: take the next step
    private int _uniqueId;
    private bool _awaitingTransactionId;
    private int _awaitingConnector;

    public ChargePointFrames(string id, int index)
    {
        _id = id;
        _idTag = "TAG-" + (index % 10_000).ToString("D4", CultureInfo.InvariantCulture);
    }

    public Queue<Step> Steps => _steps;

    /// <summary>The next CALL of the queued steps, or null when they are all sent.</summary>
    public byte[]? Next(long now)
    {
        while (true)
        {
            if (_part < 0)
            {
                if (!_steps.TryDequeue(out _step))
                {
                    return null;
                }
                _part = 0;
            }
            var frame = Frame(_step, _part++, now);
            if (frame is not null)
            {
                return Encoding.UTF8.GetBytes(frame);
            }
            _part = -1;
        }
    }

    /// <summary>The answer to the last CALL. Returns false when it is not a CALLRESULT.</summary>
    public bool OnAnswer(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length < 3 || utf8[1] != (byte)'3')
        {
            return false;
        }
        if (_awaitingTransactionId)
        {
            _awaitingTransactionId = false;
            var key = "\"transactionId\":"u8;
            var at = utf8.IndexOf(key);
            var id = 0;
            if (at >= 0)
            {
                for (var i = at + key.Length; i < utf8.Length && utf8[i] is >= (byte)'0' and <= (byte)'9'; i++)
                {
                    id = (id * 10) + (utf8[i] - '0');
                }
            }
            _transactionId[_awaitingConnector] = id;
        }
        return true;
    }

    private string? Frame(Step step, int part, long now)
    {
        var c = step.ConnectorId;
        switch (step.Kind, part)
        {
            case (StepKind.Boot, 0):
                return Call("BootNotification", $"{{\"chargePointVendor\":\"FleetSim\",\"chargePointModel\":\"VirtualCP\",\"chargePointSerialNumber\":\"{_id}\",\"firmwareVersion\":\"1.0.0\"}}");
            case (StepKind.Boot, <= 3):
                return Status(part - 1, "Available");
            case (StepKind.Heartbeat, 0):
                return Call("Heartbeat", "{}");
            case (StepKind.PlugIn, 0):
                return Status(c, "Preparing");
            case (StepKind.Tag, 0):
                return Call("Authorize", $"{{\"idTag\":\"{_idTag}\"}}");
            case (StepKind.Tag, 1):
                _awaitingTransactionId = true;
                _awaitingConnector = c;
                _chargingSince[c] = now;
                return Call("StartTransaction", $"{{\"connectorId\":{c},\"idTag\":\"{_idTag}\",\"meterStart\":0,\"timestamp\":\"{Timestamp()}\"}}");
            case (StepKind.Tag, 2):
                return Status(c, "Charging");
            case (StepKind.Meter, 0):
                return Call("MeterValues",
                    $"{{\"connectorId\":{c},\"transactionId\":{_transactionId[c]},\"meterValue\":[{{\"timestamp\":\"{Timestamp()}\",\"sampledValue\":[" +
                    $"{{\"value\":\"{EnergyWh(c, now).ToString("F1", CultureInfo.InvariantCulture)}\",\"context\":\"Sample.Periodic\",\"measurand\":\"Energy.Active.Import.Register\",\"location\":\"Outlet\",\"unit\":\"Wh\"}}," +
                    $"{{\"value\":\"{PowerW.ToString("F1", CultureInfo.InvariantCulture)}\",\"context\":\"Sample.Periodic\",\"measurand\":\"Power.Active.Import\",\"location\":\"Outlet\",\"unit\":\"W\"}}]}}]}}");
            case (StepKind.Unplug, 0):
                return Call("StopTransaction",
                    $"{{\"transactionId\":{_transactionId[c]},\"idTag\":\"{_idTag}\",\"meterStop\":{(int)EnergyWh(c, now)},\"timestamp\":\"{Timestamp()}\",\"reason\":\"EVDisconnected\"}}");
            case (StepKind.Unplug, 1):
            case (StepKind.Unplugged, 0):
                return Status(c, "Available");
            default:
                return null;
        }
    }

    private double EnergyWh(int connectorId, long now) =>
        PowerW * (now - _chargingSince[connectorId]) / System.Diagnostics.Stopwatch.Frequency / 3600;

    private string Status(int connectorId, string status) =>
        Call("StatusNotification", $"{{\"connectorId\":{connectorId},\"errorCode\":\"NoError\",\"status\":\"{status}\",\"timestamp\":\"{Timestamp()}\"}}");

    private string Call(string action, string payload) =>
        $"[2,\"{(++_uniqueId).ToString(CultureInfo.InvariantCulture)}\",\"{action}\",{payload}]";

    private static string Timestamp() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
