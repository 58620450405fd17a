namespace Simulator.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleetsim-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_valid_profile_prints_a_summary_and_returns_0()
    {
        var file = Write("ok.yaml", TestProfiles.Minimal(fleet: "fleet:\n  - {name: ac, count: 8, idPattern: \"AC-{00}\"}\n  - {name: dc, count: 2, idPattern: \"DC-{00}\"}\n"));
        var (code, output, errors) = Run("validate", file);

        Assert.Equal(0, code);
        Assert.StartsWith("OK: t, 10 charge points, ac (8), dc (2)\n", output, StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [Fact]
    public void An_invalid_profile_prints_every_error_and_returns_104()
    {
        var file = Write("bad.yaml", "name: t\nduration: 30\ntarget:\n  url: embedded\nfleet:\n  - name: ac\n    count: 10\n    idPattern: AC\n");
        var (code, output, errors) = Run("validate", file);

        Assert.Equal(104, code);
        Assert.Empty(output);
        Assert.Contains($"{file}:2:11 duration: '30' has no unit", errors, StringComparison.Ordinal);
        Assert.Contains($"{file}:8:16 fleet[0].idPattern: 'AC' has no number placeholder", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_returns_104()
    {
        var (code, _, errors) = Run("validate", Path.Combine(_dir, "none.yaml"));

        Assert.Equal(104, code);
        Assert.Contains("cannot read the profile", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_is_an_invalid_argument_with_a_pointer_to_the_help()
    {
        var (code, _, errors) = Run("frobnicate");

        Assert.Equal(104, code);
        Assert.Contains("fleetsim --help", errors, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Output, string Errors) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = Program.RunAsync(args, output, errors).GetAwaiter().GetResult();
        return (code, output.ToString(), errors.ToString());
    }
}
