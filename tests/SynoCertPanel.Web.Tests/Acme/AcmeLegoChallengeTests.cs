using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// Debian's lego 4.9 against the real panel over tls-alpn-01 (lego's own responder) and dns-01 (lego's exec provider
/// writing the TXT record into a real dnsmasq that the panel asks), including a wildcard certificate.
/// </summary>
public sealed class AcmeLegoChallengeTests
{
    [Fact]
    public async Task Lego_TlsAlpn01_GetsACertificateFromTheLabRoot()
    {
        await using var lab = await AcmeLab.StartAsync(new AcmePolicyDraft { RequireEab = false });
        var alpnPort = AcmeLab.FreePort();
        await lab.SetPolicyAsync(new AcmePolicyDraft { TlsAlpnPort = alpnPort });
        await lab.ResolveAsync("proxmox.home.arpa=127.0.0.1");
        var path = lab.Panel.FilePath("lego");

        var run = await Lego(lab, path, ["--domains", "proxmox.home.arpa", "--tls", "--tls.port", $"127.0.0.1:{alpnPort}", "run"]);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var certificateFile = Path.Combine(path, "certificates", "proxmox.home.arpa.crt");
        await AssertVerifiesAsync(lab, certificateFile, "proxmox.home.arpa");
        await AcmeTls.AssertServedAsync(certificateFile, Path.Combine(path, "certificates", "proxmox.home.arpa.key"), "proxmox.home.arpa", lab.RootFile);
        var order = Assert.Single((await lab.Directories.OrdersAsync(lab.AuthorityId)).Value);
        Assert.Equal(AcmeStatus.Valid, order.Status);
        Assert.Equal(AcmeChallengeTypes.TlsAlpn01, await ValidatedChallengeAsync(lab));
    }

    [Fact]
    public async Task Lego_TlsAlpn01WithNothingListening_FailsWithAConnectionProblemAndNothingIssued()
    {
        await using var lab = await AcmeLab.StartAsync(new AcmePolicyDraft { RequireEab = false });
        var alpnPort = AcmeLab.FreePort();
        await lab.SetPolicyAsync(new AcmePolicyDraft { TlsAlpnPort = AcmeLab.FreePort() });
        await lab.ResolveAsync("proxmox.home.arpa=127.0.0.1");

        var run = await Lego(lab, lab.Panel.FilePath("lego"), ["--domains", "proxmox.home.arpa", "--tls", "--tls.port", $"127.0.0.1:{alpnPort}", "run"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("urn:ietf:params:acme:error:connection", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Contains("Is the client's tls-alpn-01 responder listening there", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Equal(AcmeStatus.Invalid, Assert.Single((await lab.Directories.OrdersAsync(lab.AuthorityId)).Value).Status);
    }

    [Fact]
    public async Task Lego_Dns01_WildcardAndItsBaseName_GetOneCertificate()
    {
        await using var dns = await DnsmasqServer.StartAsync();
        await using var lab = await AcmeLab.StartAsync(new AcmePolicyDraft
        {
            RequireEab = false,
            Challenges = [AcmeChallengeTypes.Http01, AcmeChallengeTypes.TlsAlpn01, AcmeChallengeTypes.Dns01],
        });
        var set = await new AcmeDnsResolver(lab.Storage).SetAsync(dns.EndPoint);
        Assert.True(set.IsSuccess, set.Error);
        var path = lab.Panel.FilePath("lego");

        var run = await Lego(lab, path, ["--domains", "*.lab.home.arpa", "--domains", "lab.home.arpa", "--dns", "exec",
                "--dns.resolvers", dns.EndPoint, "--dns.disable-cp", "run"],
            new Dictionary<string, string> { ["EXEC_PATH"] = dns.LegoExecScript, ["EXEC_PROPAGATION_TIMEOUT"] = "30", ["EXEC_POLLING_INTERVAL"] = "1" });

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var certificateFile = Path.Combine(path, "certificates", "_.lab.home.arpa.crt");
        await AssertVerifiesAsync(lab, certificateFile, "files.lab.home.arpa");
        await AssertVerifiesAsync(lab, certificateFile, "lab.home.arpa");
        using var issued = X509CertificateLoader.LoadCertificateFromFile(certificateFile);
        var names = issued.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().Order(StringComparer.Ordinal);
        Assert.Equal(["*.lab.home.arpa", "lab.home.arpa"], names);
        var order = Assert.Single((await lab.Directories.OrdersAsync(lab.AuthorityId)).Value);
        Assert.Equal(AcmeStatus.Valid, order.Status);
        Assert.Equal(["dns:*.lab.home.arpa", "dns:lab.home.arpa"], order.Identifiers.Order(StringComparer.Ordinal));
        Assert.Equal(AcmeChallengeTypes.Dns01, await ValidatedChallengeAsync(lab));
    }

    [Fact]
    public async Task Lego_WildcardWithoutDns01_IsRejectedAndNothingIsStored()
    {
        await using var lab = await AcmeLab.StartAsync(new AcmePolicyDraft { RequireEab = false });

        var run = await Lego(lab, lab.Panel.FilePath("lego"), ["--domains", "*.lab.home.arpa", "--tls", "--tls.port", $"127.0.0.1:{AcmeLab.FreePort()}", "run"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("rejectedIdentifier", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Contains("is a wildcard, which only dns-01 can prove, and this directory does not offer dns-01", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Empty((await lab.Directories.OrdersAsync(lab.AuthorityId)).Value);
    }

    private static async Task AssertVerifiesAsync(AcmeLab lab, string certificateFile, string hostname)
    {
        var verify = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-CAfile", lab.RootFile, "-verify_hostname", hostname, certificateFile]);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    /// <summary>The type of the one challenge validated in the lab (every authorization proved the same way).</summary>
    private static async Task<string> ValidatedChallengeAsync(AcmeLab lab)
    {
        await using var db = lab.Storage.CreateContext();
        return Assert.Single(db.AcmeChallenges.Where(c => c.Status == AcmeStatus.Valid).Select(c => c.Type).Distinct().ToList());
    }

    private static Task<ExternalProcess.Outcome> Lego(AcmeLab lab, string path, string[] arguments, Dictionary<string, string>? environment = null) =>
        ExternalProcess.RunAsync("lego", ["--server", lab.DirectoryUrl, "--accept-tos", "--email", "admin@lab.home.arpa", "--key-type", "ec256",
                "--path", path, .. arguments],
            new Dictionary<string, string>(environment ?? []) { ["LEGO_CA_CERTIFICATES"] = lab.PanelTrustFile }, timeout: TimeSpan.FromMinutes(2));
}
