using Simulator.Metrics;

namespace Simulator.Metrics.Tests;

/// <summary>File transfers by direction and outcome: counted per node, merged across nodes, shipped as bytes, reported.</summary>
public sealed class FileTransferStatisticsTests
{
    [Fact]
    public void Transfers_are_counted_by_direction_and_cause_merged_across_nodes_and_reported()
    {
        using var a = new FleetTelemetry("a");
        using var b = new FleetTelemetry("b");
        a.FileTransfer(FileTransferDirections.Upload, FileTransferDirections.Ok);
        a.FileTransfer(FileTransferDirections.Upload, "login");
        a.FileTransfer(FileTransferDirections.Download, "file_unavailable");
        b.FileTransfer(FileTransferDirections.Upload, FileTransferDirections.Ok);
        b.FileTransfer(FileTransferDirections.Download, "tls");

        var merged = StatisticsSnapshot.FromBytes(a.Snapshot().ToBytes()).Merge(StatisticsSnapshot.FromBytes(b.Snapshot().ToBytes()));
        var report = RunReportBuilder.Build(new RunInfo("r", "p", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1), 2), merged);

        Assert.Equal(new Dictionary<string, long> { ["login"] = 1, ["ok"] = 2 }, report.FileTransfers["upload"]);
        Assert.Equal(new Dictionary<string, long> { ["file_unavailable"] = 1, ["tls"] = 1 }, report.FileTransfers["download"]);
        Assert.Equal(1, RunReport.FromJson(report.ToJson()).FileTransfers["download"]["tls"]);
        Assert.Contains("file transfers: download file_unavailable=1, tls=1; upload login=1, ok=2", SummaryRenderer.Render(report), StringComparison.Ordinal);
        Assert.Equal(2, merged.WithoutLiveGauges().FileTransfers["upload/ok"]);
    }

    [Fact]
    public void A_run_without_transfers_reports_none_and_prints_no_line()
    {
        using var t = new FleetTelemetry("a");
        var report = RunReportBuilder.Build(new RunInfo("r", "p", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1), t.Snapshot());

        Assert.Empty(report.FileTransfers);
        Assert.DoesNotContain("file transfers", SummaryRenderer.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_direction_is_refused_with_its_name()
    {
        using var t = new FleetTelemetry("a");
        var error = Assert.Throws<ArgumentException>(() => t.FileTransfer("sideways", "ok"));
        Assert.Contains("sideways", error.Message, StringComparison.Ordinal);
    }
}
