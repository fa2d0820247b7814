using System.Net;
using System.Text.RegularExpressions;
using SynoCertPanel.Web.Trust;

namespace SynoCertPanel.Web.Tests.Trust;

/// <summary>
/// The Debian/Ubuntu line from /trust, copied from the page and run for real (curl, openssl, cp,
/// update-ca-certificates) in a user and mount namespace whose system store is a pair of temporary folders, so
/// the machine running the tests keeps its own.
/// </summary>
public sealed partial class LinuxOneLinerTests(TrustServer server) : IClassFixture<TrustServer>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-oneliner-").FullName;

    private string Anchors => Directory.CreateDirectory(Path.Combine(_root, "ca-certificates")).FullName;

    private string Certs => Directory.CreateDirectory(Path.Combine(_root, "certs")).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task OneLiner_FromTheTrustPage_ChecksTheFingerprintAndInstallsTheRootIntoTheSystemStore()
    {
        var command = await OneLinerAsync();
        var served = await server.Client.GetStringAsync(new Uri($"/trust/ca/{server.AuthorityId}.crt", UriKind.Relative));

        var run = await RunInOwnSystemStoreAsync(command);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var installed = Assert.Single(Directory.GetFiles(Anchors));
        Assert.EndsWith(".crt", installed, StringComparison.Ordinal);
        Assert.Equal(served.Trim(), (await File.ReadAllTextAsync(installed)).Trim());
        var verified = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-CAfile", Path.Combine(Certs, "ca-certificates.crt"), installed]);
        Assert.True(verified.ExitCode == 0, verified.Output + verified.Error);
    }

    [Fact]
    public async Task OneLiner_AnotherCertificateServed_RefusedAndNothingInstalled()
    {
        var command = await OneLinerAsync();
        var tampered = Path.Combine(_root, "tampered.crt");
        var made = await ExternalProcess.RunAsync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", Path.Combine(_root, "tampered.key"), "-out", tampered, "-days", "30", "-subj", "/CN=Home Root/O=Home Lab"]);
        Assert.True(made.ExitCode == 0, made.Error);
        // What a machine in the network path would answer instead of the panel (curl reads file:// URLs the same way).
        var url = CertificateUrl().Match(command).Value;
        Assert.NotEmpty(url);

        var run = await RunInOwnSystemStoreAsync(command.Replace(url, new Uri(tampered).AbsoluteUri, StringComparison.Ordinal));

        Assert.Contains(LinuxTrustCommand.Refusal, run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Anchors));
        Assert.Empty(Directory.GetFileSystemEntries(Certs));
    }

    private async Task<string> OneLinerAsync()
    {
        var page = await server.Client.GetStringAsync(new Uri("/trust", UriKind.Relative));
        var line = OneLinerBlock().Match(page);
        Assert.True(line.Success, page);
        // The words sit in spans so a phone breaks the line only between them; the text a person copies is the command.
        var command = WebUtility.HtmlDecode(Tag().Replace(line.Groups[1].Value, string.Empty));
        Assert.DoesNotContain("| sh", command, StringComparison.Ordinal);
        return command;
    }

    private Task<ExternalProcess.Outcome> RunInOwnSystemStoreAsync(string command) =>
        ExternalProcess.RunAsync("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c",
            "mount --bind \"$1\" /usr/local/share/ca-certificates && mount --bind \"$2\" /etc/ssl/certs && sh -c \"$3\"", "sh", Anchors, Certs, command],
            timeout: TimeSpan.FromSeconds(60));

    [GeneratedRegex("in one line[^<]*<code class=\"panel-shell\">(.+?)</code>")]
    private static partial Regex OneLinerBlock();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"https://[^']+\.crt")]
    private static partial Regex CertificateUrl();
}
