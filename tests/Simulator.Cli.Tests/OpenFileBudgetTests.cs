namespace Simulator.Cli.Tests;

public sealed class OpenFileBudgetTests
{
    [Fact]
    public void A_share_that_does_not_fit_under_the_limit_is_refused_with_the_figures()
    {
        Assert.Null(OpenFileBudget.Check(19_500, 20_000, "this node"));
        var problem = OpenFileBudget.Check(19_600, 20_000, "this node");
        Assert.Equal("this node: about 20,100 open files needed (19,600 connections and 500 for the runtime), but this process may hold 20,000 (ulimit -n)", problem);
        Assert.Null(OpenFileBudget.Check(1_000_000, null, "this node"));
    }

    [Fact]
    public void A_node_may_get_a_little_more_than_an_even_share()
    {
        Assert.Equal(30_000, OpenFileBudget.ShareOfNode(30_000, 1));
        Assert.Equal(10_200, OpenFileBudget.ShareOfNode(30_000, 3));
        Assert.Null(OpenFileBudget.Check(OpenFileBudget.ShareOfNode(57_000, 3), 20_000, "57,000 over 3 nodes (held in the benchmark)"));
        Assert.NotNull(OpenFileBudget.Check(OpenFileBudget.ShareOfNode(60_000, 3), 20_000, "60,000 over 3 nodes (did not hold)"));
        Assert.Equal(1, OpenFileBudget.ShareOfNode(1, 3));
    }

    [Fact]
    public void The_limit_of_this_process_is_read_on_Linux()
    {
        Assert.True(OperatingSystem.IsLinux(), "FleetSim's tests run on Linux");
        Assert.InRange(OpenFileBudget.ProcessLimit() ?? 0, 64, int.MaxValue);
    }
}
