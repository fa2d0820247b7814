using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>Debian's lego 4.9 against the real panel: account with EAB, http-01, the certificate checked by openssl and curl.</summary>
public sealed class AcmeLegoTests
{
    [Fact]
    public async Task Lego_Http01WithEab_GetsACertificateFromTheLabRoot()
    {
        await using var lab = await AcmeLab.StartAsync(new AcmePolicyDraft { Lifetime = TimeSpan.FromDays(30) });
        var eab = await lab.CreateEabKeyAsync("lego");
        var httpPort = AcmeLab.FreePort();
        await lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = httpPort });
        await lab.ResolveAsync("nas.home.arpa=127.0.0.1");
        var path = lab.Panel.FilePath("lego");

        var run = await Lego(lab, path, ["--eab", "--kid", eab.KeyId, "--hmac", eab.HmacKey, "--domains", "nas.home.arpa",
            "--http", "--http.port", $"127.0.0.1:{httpPort}", "run"]);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var certificateFile = Path.Combine(path, "certificates", "nas.home.arpa.crt");
        var keyFile = Path.Combine(path, "certificates", "nas.home.arpa.key");
        var verify = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-CAfile", lab.RootFile, "-verify_hostname", "nas.home.arpa", certificateFile]);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        using var issued = X509CertificateLoader.LoadCertificateFromFile(certificateFile);
        Assert.InRange(issued.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30.01));
        Assert.Equal("CN=nas.home.arpa", issued.Subject);

        await AcmeTls.AssertServedAsync(certificateFile, keyFile, "nas.home.arpa", lab.RootFile);

        var orders = await lab.Directories.OrdersAsync(lab.AuthorityId);
        var order = Assert.Single(orders.Value);
        Assert.Equal(AcmeStatus.Valid, order.Status);
        Assert.Equal(["dns:nas.home.arpa"], order.Identifiers);
        var accounts = await lab.Directories.AccountsAsync(lab.AuthorityId);
        Assert.Equal(eab.KeyId, Assert.Single(accounts.Value).EabKeyId);
    }

    [Fact]
    public async Task Lego_WithoutEab_ReadsFromTheDirectoryThatItNeedsOne()
    {
        await using var lab = await AcmeLab.StartAsync();
        await lab.ResolveAsync("nas.home.arpa=127.0.0.1");

        var run = await Lego(lab, lab.Panel.FilePath("lego"), ["--domains", "nas.home.arpa", "--http", "--http.port", $"127.0.0.1:{AcmeLab.FreePort()}", "run"]);

        Assert.True(run.ExitCode != 0, run.Output + run.Error);
        // lego reads meta.externalAccountRequired from the directory and stops before asking (the server's own refusal
        // of such an account is tested with a scripted client).
        Assert.True((run.Output + run.Error).Contains("Server requires External Account Binding", StringComparison.Ordinal), run.Output + run.Error);
        Assert.Empty((await lab.Directories.AccountsAsync(lab.AuthorityId)).Value);
    }

    [Fact]
    public async Task Lego_NameOutsideThePolicy_IsRejectedAndNothingIsIssued()
    {
        await using var lab = await AcmeLab.StartAsync();
        var eab = await lab.CreateEabKeyAsync();
        await lab.ResolveAsync("www.example.com=127.0.0.1");

        var run = await Lego(lab, lab.Panel.FilePath("lego"), ["--eab", "--kid", eab.KeyId, "--hmac", eab.HmacKey, "--domains", "www.example.com",
            "--http", "--http.port", $"127.0.0.1:{AcmeLab.FreePort()}", "run"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("rejectedIdentifier", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Contains("outside what this directory issues for", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Empty((await lab.Directories.OrdersAsync(lab.AuthorityId)).Value);
    }

    private static Task<ExternalProcess.Outcome> Lego(AcmeLab lab, string path, string[] arguments) =>
        ExternalProcess.RunAsync("lego", ["--server", lab.DirectoryUrl, "--accept-tos", "--email", "admin@lab.home.arpa", "--key-type", "ec256",
                "--path", path, .. arguments],
            new Dictionary<string, string> { ["LEGO_CA_CERTIFICATES"] = lab.PanelTrustFile }, timeout: TimeSpan.FromMinutes(2));
}
