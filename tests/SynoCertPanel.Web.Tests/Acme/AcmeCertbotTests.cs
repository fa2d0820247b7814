using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>Debian's certbot 2.1 against the real panel: standalone http-01 with EAB, then a renewal.</summary>
public sealed class AcmeCertbotTests
{
    [Fact]
    public async Task Certbot_StandaloneHttp01WithEab_GetsAndRenewsACertificateFromTheLabRoot()
    {
        await using var lab = await AcmeLab.StartAsync();
        var eab = await lab.CreateEabKeyAsync("certbot");
        var httpPort = AcmeLab.FreePort();
        await lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = httpPort });
        await lab.ResolveAsync("files.home.arpa=127.0.0.1");
        var root = lab.Panel.FilePath("certbot");

        var first = await Certbot(lab, root, httpPort, ["certonly", "--eab-kid", eab.KeyId, "--eab-hmac-key", eab.HmacKey, "-d", "files.home.arpa"]);
        // Without --no-random-sleep-on-renew, a renewal run without a terminal first sleeps up to 8 minutes.
        var renewed = await Certbot(lab, root, httpPort, ["renew", "--force-renewal", "--no-random-sleep-on-renew"]);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.True(renewed.ExitCode == 0, renewed.Output + renewed.Error);
        var live = Path.Combine(root, "config", "live", "files.home.arpa");
        var verify = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-CAfile", lab.RootFile, "-verify_hostname", "files.home.arpa",
            Path.Combine(live, "fullchain.pem")]);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        await AcmeTls.AssertServedAsync(Path.Combine(live, "fullchain.pem"), Path.Combine(live, "privkey.pem"), "files.home.arpa", lab.RootFile);
        using var served = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(live, "cert.pem"));
        Assert.InRange(served.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromDays(89.9), TimeSpan.FromDays(90.01));

        var orders = (await lab.Directories.OrdersAsync(lab.AuthorityId)).Value;
        Assert.Equal(2, orders.Count);
        Assert.All(orders, o => Assert.Equal(AcmeStatus.Valid, o.Status));
        Assert.Single((await lab.Directories.AccountsAsync(lab.AuthorityId)).Value);
    }

    private static async Task<ExternalProcess.Outcome> Certbot(AcmeLab lab, string root, int httpPort, string[] arguments)
    {
        try
        {
            var outcome = await ExternalProcess.RunAsync("certbot", [.. arguments, "--non-interactive", "--agree-tos", "-m", "admin@lab.home.arpa", "--no-eff-email",
                    "--server", lab.DirectoryUrl, "--standalone", "--http-01-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--http-01-address", "127.0.0.1", "--config-dir", Path.Combine(root, "config"), "--work-dir", Path.Combine(root, "work"),
                    "--logs-dir", Path.Combine(root, "logs")],
                new Dictionary<string, string> { ["REQUESTS_CA_BUNDLE"] = lab.PanelTrustFile }, timeout: TimeSpan.FromMinutes(3));
            return outcome.ExitCode == 0 ? outcome : outcome with { Error = outcome.Error + LogTail(root) };
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + LogTail(root), e);
        }
    }

    /// <summary>The end of certbot's own log, which says what it waited for or why it gave up.</summary>
    private static string LogTail(string root)
    {
        var log = Path.Combine(root, "logs", "letsencrypt.log");
        return File.Exists(log) ? "\n--- letsencrypt.log ---\n" + string.Join('\n', File.ReadLines(log).TakeLast(40)) : "";
    }
}
