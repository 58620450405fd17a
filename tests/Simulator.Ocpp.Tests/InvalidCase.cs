using System.Text;

namespace Simulator.Ocpp.Tests;

/// <summary>A crafted invalid payload and the CALLERROR code and field our decoder must name for it.</summary>
public sealed record InvalidCase(string Name, string Action, bool Request, string Json, Framing.OcppErrorCode Code, string Field)
{
    public static TheoryData<string> Names(IEnumerable<InvalidCase> cases)
    {
        var data = new TheoryData<string>();
        foreach (var c in cases)
        {
            data.Add(c.Name);
        }
        return data;
    }

    /// <summary>The official schema refuses the payload, and our decoder refuses it with the expected code and field.</summary>
    internal void AssertRefusedAlike(OcppMessageSet set, OfficialSchemas schemas)
    {
        var payload = Encoding.UTF8.GetBytes(Json);

        var official = schemas.Evaluate(Action, Request, payload);
        Assert.False(official.IsValid, $"the official schema accepts {Json}");

        var descriptor = set.Find(Action)!;
        var info = Request ? descriptor.RequestInfo : descriptor.ResponseInfo;
        Assert.False(OcppCodec.TryDecode(payload, info, out var message, out var violation), $"our decoder accepts {Json}");
        Assert.Null(message);
        Assert.NotNull(violation);
        Assert.Equal((Code, Field), (violation.Code, violation.Field));
        Assert.False(string.IsNullOrWhiteSpace(violation.Reason));
    }
}
