using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Simulator.Cli.Tests;

/// <summary>
/// <c>fleetsim run</c> as a user runs it (its own process, the embedded CSMS): with an AuthorizationKey, and with client
/// certificates from PEM files. Everything it prints and the JSON report are searched for the key and for private-key material.
/// </summary>
public sealed class NoSecretsInOutputTests : IDisposable
{
    private const string Key = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    private readonly string _dir = Directory.CreateTempSubdirectory("fleetsim-secrets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_output_and_report_hold_no_key_and_no_private_key()
    {
        var profile = Path.Combine(_dir, "p.yaml");
        await File.WriteAllTextAsync(profile, """
            name: secrets
            duration: 6s
            target:
              url: embedded
            fleet:
              - name: cp
                count: 3
                idPattern: SECRET-{00}
                connectors: 1
            arrival: allAtOnce
            """);
        var keyBodies = new List<string>();
        using (var ca = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            using var root = new CertificateRequest("CN=Files CA, O=ACME", ca, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            for (var i = 1; i <= 3; i++)
            {
                var id = $"SECRET-{i:00}";
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                using var leaf = new CertificateRequest($"CN={id}, O=ACME", key, HashAlgorithmName.SHA256)
                    .Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(ca), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, (byte)i]);
                var keyPem = key.ExportPkcs8PrivateKeyPem();
                keyBodies.Add(keyPem.Split('\n')[1][..40]);
                await File.WriteAllTextAsync(Path.Combine(_dir, id + ".pem"), leaf.ExportCertificatePem());
                await File.WriteAllTextAsync(Path.Combine(_dir, id + ".key"), keyPem);
            }
        }

        var withKey = await RunAsync(profile, "basic.json", "--security-profile", "2", "--authorization-key", Key);
        // The embedded CSMS does not trust the files' CA: the connections are refused, and that must not leak either.
        var withFiles = await RunAsync(profile, "mtls.json", "--security-profile", "3", "--cpo-name", "ACME",
            "--client-cert", Path.Combine(_dir, "{id}.pem"), "--client-key", Path.Combine(_dir, "{id}.key"));

        Assert.Contains("booted 3 of 3", withKey, StringComparison.Ordinal);
        // Refused client certificates: a TLS alert, or with TLS 1.3 the connection dropped right after the handshake; both are tls_client_certificate.
        Assert.Matches("Security: connection failures by cause: [^;]*tls_client_certificate", withFiles);
        foreach (var text in new[] { withKey, withFiles })
        {
            Assert.DoesNotContain(Key, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.OrdinalIgnoreCase);
            foreach (var body in keyBodies)
            {
                Assert.DoesNotContain(body, text, StringComparison.Ordinal);
            }
        }
    }

    private async Task<string> RunAsync(string profile, string report, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "fleetsim.dll"), "run", profile, "--quiet", "--report", Path.Combine(_dir, report) }.Concat(options))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return await output + "\n" + await errors + "\n" + await File.ReadAllTextAsync(Path.Combine(_dir, report));
    }
}
