namespace Simulator.Dashboards.Tests;

/// <summary>The Dockerfile's build stage, run as a script (dashboards/check-dockerfile.sh) since there may be no Docker engine.</summary>
public sealed class DockerfileTests
{
    [Fact]
    public void The_Dockerfile_build_steps_publish_a_fleetsim_dll_that_runs()
    {
        var scratch = Directory.CreateTempSubdirectory("fleetsim-dockerfile-");
        try
        {
            var check = Repo.Run("bash", [Path.Combine(Repo.Dashboards, "check-dockerfile.sh"), scratch.FullName], TimeSpan.FromMinutes(5));
            Assert.True(check.ExitCode == 0, $"dashboards/check-dockerfile.sh failed:\n{check.Output}");
            Assert.Contains("check-dockerfile: OK", check.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(scratch.FullName, "root", "app", "publish", "fleetsim.dll")));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
