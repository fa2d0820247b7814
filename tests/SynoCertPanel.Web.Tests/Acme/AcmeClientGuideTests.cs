using System.Text.RegularExpressions;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Pki.Profiles;
using SynoCertPanel.Web.Components.Acme;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>The ACME page's client instructions hold only flags the installed clients know, and Caddy reads its Caddyfile.</summary>
public sealed partial class AcmeClientGuideTests
{
    private const string Url = "https://panel.home.arpa:8443/acme/3/directory";
    private const string Root = "https://panel.home.arpa:8443/trust/ca/1.crt";

    private static AcmeClientGuide Guide(bool eab = true, int httpPort = 80, string? url = null, string fingerprint = "00") => new(Url, url ?? Root,
        new AcmePolicy(TimeSpan.FromDays(90), NameConstraints.HomeLab, new HashSet<string>([AcmeChallengeTypes.Http01]), httpPort, 443, eab, false), fingerprint);

    private static string Text(AcmeClientGuide guide, string key) => guide.All.Single(c => c.Key == key).Text;

    [Theory]
    [InlineData("certbot", new[] { "--help", "all" })]
    [InlineData("lego", new[] { "--help" })]
    public async Task Flags_EachIsInTheClientsOwnHelp(string client, string[] help)
    {
        var text = Text(Guide(httpPort: 8080), client);
        var known = await ExternalProcess.RunAsync(client, help);
        var flags = Flag().Matches(text).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(flags);
        Assert.All(flags, flag => Assert.Contains(flag, known.Output + known.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uacme_OptionsAreInItsUsage()
    {
        var text = Text(Guide(), "uacme");
        var usage = await ExternalProcess.RunAsync("uacme", ["--help"]);

        foreach (var option in new[] { "-a", "-e", "-h", "-y" })
        {
            Assert.Contains($" {option} ", text, StringComparison.Ordinal);
            Assert.Contains($"[{option}|", usage.Output + usage.Error, StringComparison.Ordinal);
        }

        Assert.Contains($"-e {AcmeClientGuide.KeyIdPlaceholder}:{AcmeClientGuide.HmacPlaceholder}", text, StringComparison.Ordinal);
        Assert.True(File.Exists("/usr/share/uacme/uacme.sh"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Caddyfile_CaddyAdaptsIt_WithTheDirectoryRootAndEab(bool eab)
    {
        var folder = Directory.CreateTempSubdirectory("synocert-caddy-").FullName;
        try
        {
            var file = Path.Combine(folder, "Caddyfile");
            var text = Text(Guide(eab), "caddy");
            await File.WriteAllTextAsync(file, string.Join('\n', text.Split('\n').Where(l => !l.StartsWith('#'))));

            var adapted = await ExternalProcess.RunAsync("caddy", ["adapt", "--config", file, "--adapter", "caddyfile"]);

            Assert.True(adapted.ExitCode == 0, adapted.Error);
            Assert.Contains($"\"ca\":\"{Url}\"", adapted.Output, StringComparison.Ordinal);
            Assert.Contains("\"trusted_roots_pem_files\":[\"/etc/caddy/home-lab-root.crt\"]", adapted.Output, StringComparison.Ordinal);
            Assert.Equal(eab, adapted.Output.Contains($"\"key_id\":\"{AcmeClientGuide.KeyIdPlaceholder}\"", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Every_Client_NamesTheUrlAndHowItTrustsTheRoot_AndEabOnlyWhenRequired()
    {
        foreach (var client in Guide(eab: true).All)
        {
            Assert.Contains(Url, client.Text, StringComparison.Ordinal);
            Assert.Contains(AcmeClientGuide.KeyIdPlaceholder, client.Text + client.Trust, StringComparison.Ordinal);
            Assert.NotEmpty(client.Trust);
        }

        foreach (var client in Guide(eab: false).All)
        {
            Assert.DoesNotContain(AcmeClientGuide.KeyIdPlaceholder, client.Text + client.Trust, StringComparison.Ordinal);
        }

        Assert.Equal(["certbot", "acme.sh", "lego", "uacme", "caddy", "traefik", "proxmox", "opnsense"], Guide().All.Select(c => c.Key));
        Assert.Contains("LEGO_CA_CERTIFICATES=", Text(Guide(), "traefik"), StringComparison.Ordinal);
        Assert.Contains("caServer: " + Url, Text(Guide(), "traefik"), StringComparison.Ordinal);
        Assert.Contains("update-ca-certificates", Text(Guide(), "proxmox"), StringComparison.Ordinal);
        Assert.Contains("System > Trust > Authorities", Text(Guide(), "opnsense"), StringComparison.Ordinal);
        Assert.Contains(Root, Text(Guide(), "certbot"), StringComparison.Ordinal);
    }

    [Fact]
    public void ExampleName_FromThePolicy_ADnsNameElseAnAddress()
    {
        Assert.Equal("nas.home.arpa", Guide().ExampleName);
        var ipOnly = new AcmeClientGuide(Url, Root, new AcmePolicy(TimeSpan.FromDays(90), NameConstraints.Create([], ["192.168.1.0/24"]).Value,
            new HashSet<string>([AcmeChallengeTypes.Http01]), 80, 443, true, false), "00");
        Assert.Equal("192.168.1.0", ipOnly.ExampleName);
    }

    [Fact]
    public async Task RootFetch_InstallsTheRootOnlyWhenItsFingerprintIsTheOneShown_AndRunsNothingFetched()
    {
        var folder = Directory.CreateTempSubdirectory("acme-root-fetch-").FullName;
        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            using var root = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Lab Root CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            var served = Path.Combine(folder, "served.crt");
            await File.WriteAllTextAsync(served, root.ExportCertificatePem());
            var right = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(root.RawData));

            var installed = await RunFetchAsync(Guide(url: "file://" + served, fingerprint: right), folder, "right.crt");
            var refused = await RunFetchAsync(Guide(url: "file://" + served, fingerprint: new string('A', 64)), folder, "wrong.crt");

            Assert.Equal(root.RawData, System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(installed).RawData);
            Assert.False(File.Exists(refused));
            foreach (var client in Guide().All)
            {
                Assert.DoesNotContain("| sh", client.Text, StringComparison.Ordinal);
                Assert.DoesNotContain("| bash", client.Text, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs the certbot instructions' fetch lines in bash, installing into <paramref name="folder"/> instead of the system store.</summary>
    private static async Task<string> RunFetchAsync(AcmeClientGuide guide, string folder, string name)
    {
        var target = Path.Combine(folder, name);
        var lines = Text(guide, "certbot").Split('\n');
        var fetch = string.Join('\n', lines.TakeWhile(l => !l.Contains("certbot", StringComparison.Ordinal)))
            .Replace(AcmeClientGuide.RootFile, target, StringComparison.Ordinal)
            .Replace("sudo ", "", StringComparison.Ordinal);
        Assert.Contains("curl -fsSk", fetch, StringComparison.Ordinal);
        await ExternalProcess.RunAsync("bash", ["-c", fetch]);
        return target;
    }

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9.-]*")]
    private static partial Regex Flag();
}
