namespace Simulator.Dashboards.Tests;

/// <summary>
/// The Dockerfile's build stage, run as a script (dashboards/check-dockerfile.sh) since there may be no Docker engine. It
/// publishes fleetsim compiled ahead of time, which takes minutes: tests/run-all.sh runs the script once before the tests
/// and names its scratch directory in FLEETSIM_DOCKERFILE_CHECK (the native-build tests run the same executable); without
/// the variable this test runs the script itself.
/// </summary>
public sealed class DockerfileTests
{
    [Fact]
    public void The_Dockerfile_build_steps_publish_a_native_fleetsim_that_runs()
    {
        var given = Environment.GetEnvironmentVariable("FLEETSIM_DOCKERFILE_CHECK");
        var scratch = string.IsNullOrEmpty(given) ? Directory.CreateTempSubdirectory("fleetsim-dockerfile-") : new DirectoryInfo(given);
        try
        {
            string output;
            if (string.IsNullOrEmpty(given))
            {
                var check = Repo.Run("bash", [Path.Combine(Repo.Dashboards, "check-dockerfile.sh"), scratch.FullName], TimeSpan.FromMinutes(15));
                Assert.True(check.ExitCode == 0, $"dashboards/check-dockerfile.sh failed:\n{check.Output}");
                output = check.Output;
            }
            else
            {
                output = File.ReadAllText(Path.Combine(scratch.FullName, "check.log"));
            }
            Assert.Contains("check-dockerfile: OK", output, StringComparison.Ordinal);

            var published = Path.Combine(scratch.FullName, "root", "app", "publish");
            var fleetsim = Path.Combine(published, "fleetsim");
            Assert.True(File.Exists(fleetsim), $"{fleetsim} is missing");
            Assert.False(File.Exists(Path.Combine(published, "fleetsim.dll")), "the image ships IL next to the native fleetsim");
            Assert.Empty(Directory.GetFiles(published, "*.dbg"));
            var profiles = Repo.Run(fleetsim, ["profiles"], TimeSpan.FromMinutes(1));
            Assert.True(profiles.ExitCode == 0, $"fleetsim profiles failed:\n{profiles.Output}");
            Assert.Contains("smoke", profiles.Output, StringComparison.Ordinal);
        }
        finally
        {
            if (string.IsNullOrEmpty(given))
            {
                scratch.Delete(recursive: true);
            }
        }
    }
}
