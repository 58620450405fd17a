using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Simulator.Dashboards.Tests;

/// <summary>docker-compose.yml, the provisioning files and prometheus.yml agree with each other and with the CLI.</summary>
public sealed partial class ComposeTests
{
    private static readonly YamlMappingNode Compose = LoadYaml(Path.Combine(Repo.Root, "docker-compose.yml"));

    private static YamlMappingNode Services => (YamlMappingNode)Compose["services"];

    [Fact]
    public void Every_file_or_folder_the_compose_file_mounts_exists()
    {
        var mounts = Volumes().ToList();
        Assert.NotEmpty(mounts);
        foreach (var (service, source, _) in mounts)
        {
            var path = Path.GetFullPath(Path.Combine(Repo.Root, source));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"service {service} mounts {source}, which does not exist");
        }
    }

    [Theory]
    [InlineData("fleetsim", "run")]
    [InlineData("worker", "node")]
    [InlineData("csms", "csms")]
    public void The_commands_use_only_options_the_CLI_has(string service, string verb)
    {
        var command = Command(service);
        Assert.Equal(verb, command[0]);
        var help = Repo.Run("dotnet", [Repo.FleetSimDll, verb, "--help"], TimeSpan.FromSeconds(60));
        Assert.True(help.ExitCode == 0, $"fleetsim {verb} --help failed:\n{help.Output}");
        var options = OptionPattern().Matches(help.Output).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("--help", options);
        foreach (var option in command.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            Assert.True(options.Contains(option), $"service {service}: 'fleetsim {verb}' has no option {option}; it has {string.Join(' ', options.Order(StringComparer.Ordinal))}");
        }
    }

    [Fact]
    public void The_fleetsim_service_runs_a_profile_in_the_repository_against_the_csms_service()
    {
        var command = Command("fleetsim");
        Assert.True(File.Exists(Path.Combine(Repo.Root, command[1])), $"profile {command[1]} is not in the repository");
        Assert.Contains("COPY profiles/ profiles/", File.ReadAllText(Path.Combine(Repo.Root, "Dockerfile")), StringComparison.Ordinal);
        var target = new Uri(Value(command, "--target"));
        Assert.Equal("csms", target.Host);
        Assert.Equal(Value(Command("csms"), "--port"), target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Prometheus_scrapes_the_port_the_fleetsim_service_serves_metrics_on()
    {
        var command = Command("fleetsim");
        var port = Value(command, "--metrics-port");
        Assert.Equal("0.0.0.0", Value(command, "--metrics-address"));
        var exposed = ((YamlSequenceNode)((YamlMappingNode)Services["fleetsim"])["expose"]).Select(n => n.ToString()).ToList();
        Assert.Contains(port, exposed);

        var prometheus = LoadYaml(Path.Combine(Repo.Dashboards, "prometheus.yml"));
        var jobs = ((YamlSequenceNode)prometheus["scrape_configs"]).Cast<YamlMappingNode>().ToList();
        var fleetsimJob = jobs.Single(j => j["job_name"].ToString() == "fleetsim");
        var targets = ((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)fleetsimJob["static_configs"])[0])["targets"]).Select(n => n.ToString()).ToList();
        Assert.Equal([$"fleetsim:{port}"], targets);
        Assert.Contains(jobs, j => j["job_name"].ToString() == "worker");
        Assert.Equal("5s", ((YamlMappingNode)prometheus["global"])["scrape_interval"].ToString());

        // Prometheus mounts this very file where its command reads it.
        var mount = Volumes().Single(v => v.Service == "prometheus" && v.Source.EndsWith("prometheus.yml", StringComparison.Ordinal));
        Assert.Equal("./dashboards/prometheus.yml", mount.Source);
        Assert.Contains($"--config.file={mount.Target}", Command("prometheus"));
    }

    [Fact]
    public void The_workers_join_the_coordinator_which_waits_for_all_of_them_and_Prometheus_scrapes_each()
    {
        var coordinator = Command("fleetsim");
        Assert.Contains("--cluster", coordinator);
        Assert.Equal("fleetsim", Value(coordinator, "--public-hostname"));
        Assert.Equal("0.0.0.0", Value(coordinator, "--hostname"));

        var worker = Command("worker");
        Assert.Equal($"fleetsim:{Value(coordinator, "--port")}", Value(worker, "--seed"));
        Assert.Equal("0.0.0.0", Value(worker, "--hostname"));
        Assert.DoesNotContain("--public-hostname", worker); // each scaled container announces its own address
        Assert.Equal("0.0.0.0", Value(worker, "--metrics-address"));
        var exposed = ((YamlSequenceNode)((YamlMappingNode)Services["worker"])["expose"]).Select(n => n.ToString()).ToList();
        Assert.Contains(Value(worker, "--port"), exposed);
        Assert.Contains(Value(worker, "--metrics-port"), exposed);

        var replicas = int.Parse(((YamlMappingNode)((YamlMappingNode)Services["worker"])["deploy"])["replicas"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((replicas + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Value(coordinator, "--min-nodes"));

        var prometheus = LoadYaml(Path.Combine(Repo.Dashboards, "prometheus.yml"));
        var workerJob = ((YamlSequenceNode)prometheus["scrape_configs"]).Cast<YamlMappingNode>().Single(j => j["job_name"].ToString() == "worker");
        var discovery = (YamlMappingNode)((YamlSequenceNode)workerJob["dns_sd_configs"])[0];
        Assert.Equal(["worker"], ((YamlSequenceNode)discovery["names"]).Select(n => n.ToString()));
        Assert.Equal(Value(worker, "--metrics-port"), discovery["port"].ToString());
    }

    [Fact]
    public void Prometheus_accepts_its_config()
    {
        var promtool = Repo.OnPath("promtool");
        Assert.True(promtool is not null, "promtool is not on PATH; tests/run-all.sh installs it (Debian package 'prometheus')");
        var check = Repo.Run(promtool!, ["check", "config", Path.Combine(Repo.Dashboards, "prometheus.yml")], TimeSpan.FromSeconds(30));
        Assert.True(check.ExitCode == 0, check.Output);
    }

    [Fact]
    public void Grafana_provisioning_points_at_the_mounted_dashboards_and_the_prometheus_service()
    {
        var grafanaMounts = Volumes().Where(v => v.Service == "grafana").ToList();
        var provider = LoadYaml(Path.Combine(Repo.Dashboards, "provisioning", "dashboards", "fleetsim.yaml"));
        var path = ((YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)provider["providers"])[0])["options"])["path"].ToString();
        var dashboardsMount = grafanaMounts.SingleOrDefault(v => v.Target == path);
        Assert.True(dashboardsMount != default, $"the dashboard provider reads {path}, which grafana does not mount");
        Assert.Equal(Path.GetFullPath(Repo.Dashboards), Path.GetFullPath(Path.Combine(Repo.Root, dashboardsMount.Source)).TrimEnd('/'));
        Assert.Contains(grafanaMounts, v => v.Source == "./dashboards/provisioning/dashboards" && v.Target == "/etc/grafana/provisioning/dashboards");
        Assert.Contains(grafanaMounts, v => v.Source == "./dashboards/provisioning/datasources" && v.Target == "/etc/grafana/provisioning/datasources");

        var datasources = LoadYaml(Path.Combine(Repo.Dashboards, "provisioning", "datasources", "prometheus.yaml"));
        var datasource = (YamlMappingNode)((YamlSequenceNode)datasources["datasources"])[0];
        Assert.Equal("prometheus", datasource["uid"].ToString());
        var url = new Uri(datasource["url"].ToString());
        Assert.True(Services.Children.ContainsKey(url.Host), $"datasource url {url} names no compose service");
        Assert.Equal(9090, url.Port);
    }

    [Fact]
    public void Dashboards_have_unique_uids_and_use_the_provisioned_datasource_and_the_node_variable()
    {
        var uids = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = Dashboards.Files();
        Assert.Equal(["fleet-overview.json", "latency.json", "per-node.json", "reconnect-storm.json"], files.Select(Path.GetFileName));
        foreach (var file in files)
        {
            using var doc = Dashboards.Load(file);
            var root = doc.RootElement;
            var uid = root.GetProperty("uid").GetString()!;
            Assert.True(uids.TryAdd(uid, file), $"uid {uid} is used by {uids.GetValueOrDefault(uid)} and {file}");
            Assert.Equal("5s", root.GetProperty("refresh").GetString());
            var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
            Assert.Equal("prometheus", variables["datasource"].GetProperty("current").GetProperty("value").GetString());
            var node = variables["node"];
            Assert.Equal("label_values(fleetsim_charge_points_connected, node)", node.GetProperty("definition").GetString());
            Assert.True(node.GetProperty("includeAll").GetBoolean(), $"{file}: the node variable needs All");
            foreach (var panel in Dashboards.Panels(root).Where(p => p.GetProperty("type").GetString() != "row"))
            {
                Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    var expr = target.GetProperty("expr").GetString()!;
                    Assert.True(!expr.Contains("fleetsim_", StringComparison.Ordinal) || expr.Contains("$node", StringComparison.Ordinal) || expr.Contains("node=~", StringComparison.Ordinal),
                        $"{file} / {panel.GetProperty("title")}: {expr} ignores the node variable");
                }
            }
        }
    }

    [Fact]
    public void Healthy_dependencies_have_healthchecks()
    {
        var checkedAny = false;
        foreach (var (name, service) in Services.Children.Select(c => (c.Key.ToString(), (YamlMappingNode)c.Value)))
        {
            if (!service.Children.TryGetValue("depends_on", out var dependsOn))
            {
                continue;
            }
            foreach (var (dependency, spec) in ((YamlMappingNode)dependsOn).Children.Select(c => (c.Key.ToString(), (YamlMappingNode)c.Value)))
            {
                Assert.True(Services.Children.ContainsKey(dependency), $"{name} depends on unknown service {dependency}");
                if (spec["condition"].ToString() == "service_healthy")
                {
                    checkedAny = true;
                    Assert.True(((YamlMappingNode)Services[dependency]).Children.ContainsKey("healthcheck"), $"{name} waits for {dependency} to be healthy, but it has no healthcheck");
                }
            }
        }
        Assert.True(checkedAny);
    }

    [Fact]
    public void Published_ports_bind_to_loopback()
    {
        foreach (var (name, service) in Services.Children.Select(c => (c.Key.ToString(), (YamlMappingNode)c.Value)))
        {
            if (service.Children.TryGetValue("ports", out var ports))
            {
                foreach (var port in (YamlSequenceNode)ports)
                {
                    Assert.StartsWith("127.0.0.1:", port.ToString(), StringComparison.Ordinal);
                }
            }
        }
    }

    /// <summary>The service's command as compose runs it without an environment: <c>${NAME:-default}</c> becomes the default.</summary>
    private static List<string> Command(string service) =>
        ((YamlSequenceNode)((YamlMappingNode)Services[service])["command"]).Select(n => DefaultOfVariable().Replace(n.ToString(), m => m.Groups[1].Value)).ToList();

    [GeneratedRegex(@"\$\{[A-Z_]+:-([^}]*)\}")]
    private static partial Regex DefaultOfVariable();

    private static string Value(List<string> command, string option)
    {
        var index = command.IndexOf(option);
        Assert.True(index >= 0 && index + 1 < command.Count, $"{option} is missing from {string.Join(' ', command)}");
        return command[index + 1];
    }

    private static IEnumerable<(string Service, string Source, string Target)> Volumes()
    {
        foreach (var (name, service) in Services.Children.Select(c => (c.Key.ToString(), (YamlMappingNode)c.Value)))
        {
            if (!service.Children.TryGetValue("volumes", out var volumes))
            {
                continue;
            }
            foreach (var volume in (YamlSequenceNode)volumes)
            {
                var parts = volume.ToString().Split(':');
                yield return (name, parts[0], parts[1]);
            }
        }
    }

    private static YamlMappingNode LoadYaml(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex OptionPattern();
}
