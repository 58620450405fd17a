namespace Simulator.Cli.Tests.EndToEnd;

[Collection(CliEndToEndGroup.Name)]
public sealed class RunOutputOptionTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-outputs-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData("--out", "series.txt", "--out: 'series.txt' must end in .csv or .jsonl")]
    [InlineData("--trace-ids", "CP-*", "--trace-ids needs --trace FILE")]
    [InlineData("--trace-max", "lots", "--trace-max: 'lots' is not a size")]
    [InlineData("--html", "/nonexistent-dir/x.html", "--html: the directory of '/nonexistent-dir/x.html' does not exist")]
    public async Task Bad_output_options_exit_104_naming_the_option(string option, string value, string message)
    {
        var profile = Path.Combine(_dir.FullName, "p.yaml");
        await File.WriteAllTextAsync(profile, TestProfiles.Minimal());
        var error = new StringWriter();
        var before = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(104, await Program.Main(["run", profile, "--quiet", option, value]));
        }
        finally
        {
            Console.SetError(before);
        }
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_browser_check_sees_console_errors_and_uncaught_exceptions()
    {
        // The HTML report test relies on this: a page that logs an error or throws is caught, so "no errors" means something.
        var page = Path.Combine(_dir.FullName, "broken.html");
        await File.WriteAllTextAsync(page, "<!DOCTYPE html><html><body><script>console.error('broken'); undefinedFunction();</script></body></html>");
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.LoadAsync(new Uri(page));
        Assert.Contains(browser.Errors, e => e.Contains("broken", StringComparison.Ordinal));
        Assert.Contains(browser.Errors, e => e.Contains("undefinedFunction", StringComparison.Ordinal));
    }
}
