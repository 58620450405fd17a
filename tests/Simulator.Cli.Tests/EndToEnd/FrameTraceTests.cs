using System.Text.Json;
using Simulator.Cli.Reports;
using Simulator.Fleet.Tracing;

namespace Simulator.Cli.Tests.EndToEnd;

public sealed class FrameTraceTests
{
    [Fact]
    public void AuthorizationKey_values_are_masked_in_ChangeConfiguration_and_in_configuration_lists()
    {
        var change = FrameTrace.MaskSecrets("""[2,"1","ChangeConfiguration",{"key":"AuthorizationKey","value":"0011223344556677889900112233445566778899"}]""");
        Assert.DoesNotContain("0011223344", change, StringComparison.Ordinal);
        Assert.Equal(FrameTrace.Masked, JsonDocument.Parse(change).RootElement[3].GetProperty("value").GetString());
        var list = FrameTrace.MaskSecrets("""[3,"2",{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"60"},{"key":"authorizationkey","readonly":false,"value":"secret-hex"}]}]""");
        Assert.DoesNotContain("secret-hex", list, StringComparison.Ordinal);
        Assert.Contains("\"60\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", FrameTrace.MaskSecrets("""[2,"1","ChangeConfiguration",{"key":"AuthorizationKey","value":"secret" """), StringComparison.Ordinal);
        const string plain = """[2,"1","Heartbeat",{}]""";
        Assert.Same(plain, FrameTrace.MaskSecrets(plain));
    }

    [Theory]
    [InlineData("CP-00*", "CP-001", true)]
    [InlineData("CP-00*", "CP-010", false)]
    [InlineData("CP-1?0, X", "CP-1A0", true)]
    [InlineData("CP-1?0, X", "X", true)]
    [InlineData("CP-1?0, X", "XX", false)]
    [InlineData("a.b", "axb", false)]
    public void Trace_ids_are_comma_separated_globs(string pattern, string id, bool traced) =>
        Assert.Equal(traced, FrameTrace.GlobToRegex(pattern).IsMatch(id));

    [Fact]
    public async Task The_trace_stops_at_its_size_bound_and_counts_what_it_did_not_write()
    {
        var path = Path.GetTempFileName();
        try
        {
            var trace = FrameTrace.Open(path, null, 1000);
            var tracer = trace.For("CP-1")!;
            for (var i = 0; i < 100; i++)
            {
                tracer.Out("""[2,"1","Heartbeat",{}]"""u8.ToArray());
            }
            await trace.DisposeAsync();
            Assert.True(trace.LimitReached);
            Assert.InRange(new FileInfo(path).Length, 1, 1000);
            Assert.Equal(100, trace.FramesWritten + trace.FramesNotWritten);
            Assert.All(File.ReadAllLines(path), l => Assert.Equal("CP-1", JsonDocument.Parse(l).RootElement.GetProperty("chargePointId").GetString()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("100MB", 100L * 1024 * 1024)]
    [InlineData("500kb", 500L * 1024)]
    [InlineData("2GB", 2L * 1024 * 1024 * 1024)]
    [InlineData("4096", 4096L)]
    public void Trace_max_sizes_parse(string text, long bytes)
    {
        Assert.True(RunOutputs.TryParseSize(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("lots")]
    [InlineData("-5MB")]
    public void Bad_trace_max_sizes_are_refused(string text) => Assert.False(RunOutputs.TryParseSize(text, out _));
}
