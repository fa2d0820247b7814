using System.Net;
using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Acme;

/// <summary>
/// Debian's uacme 1.7 against the real panel: an account with EAB, then one certificate for an IPv4 and an IPv6 address
/// (RFC 8738) proved over http-01 by uacme's hook script writing the token files that a small file server serves.
/// </summary>
public sealed class AcmeUacmeTests
{
    /// <summary>
    /// The hook uacme runs for each challenge (METHOD TYPE IDENT TOKEN AUTH, see uacme(1)): it takes http-01 only and
    /// writes the key authorization where the file server looks.
    /// </summary>
    private const string Hook = """
        #!/bin/sh
        [ "$2" = "http-01" ] || exit 1
        dir="$UACME_WEBROOT/.well-known/acme-challenge"
        case "$1" in
          begin) mkdir -p "$dir" && printf '%s' "$5" > "$dir/$4" ;;
          done|failed) rm -f "$dir/$4" ;;
          *) exit 1 ;;
        esac
        """;

    /// <summary>
    /// uacme fetches through libcurl with GnuTLS, which reads no trust setting from the environment or the command line,
    /// only /etc/ssl/certs/ca-certificates.crt. So it runs in a mount namespace of its own where that path shows the
    /// panel's CA: the file itself and every other process are untouched.
    /// </summary>
    private const string WithPanelTrust = "mount --bind \"$1\" /etc/ssl/certs/ca-certificates.crt && shift && exec uacme \"$@\"";

    [Fact]
    public async Task Uacme_Ipv4AndIpv6OverHttp01WithEab_GetsACertificateFromTheLabRoot()
    {
        await using var lab = await AcmeLab.StartAsync(new AcmePolicyDraft { Lifetime = TimeSpan.FromDays(14) });
        await using var box = ChallengeServer.Start(ipv6: true);
        box.WebRoot = lab.Panel.FilePath("webroot");
        await lab.SetPolicyAsync(new AcmePolicyDraft { HttpPort = box.Port });
        var eab = await lab.CreateEabKeyAsync("uacme");
        var confdir = lab.Panel.FilePath("uacme");
        var hook = lab.Panel.FilePath("uacme-hook.sh");
        await File.WriteAllTextAsync(hook, Hook.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var account = await Uacme(lab, box.WebRoot, ["-e", $"{eab.KeyId}:{eab.HmacKey}", "-y", "new", "admin@lab.home.arpa"], confdir);
        var issued = await Uacme(lab, box.WebRoot, ["-h", hook, "issue", "127.0.0.1", "::1"], confdir);

        Assert.True(account.ExitCode == 0, account.Output + account.Error);
        Assert.True(issued.ExitCode == 0, issued.Output + issued.Error);
        Assert.True(box.Requests >= 2, $"The file server answered {box.Requests} requests.");
        var certificateFile = Path.Combine(confdir, "127.0.0.1", "cert.pem");
        var keyFile = Path.Combine(confdir, "private", "127.0.0.1", "key.pem");
        foreach (var address in new[] { "127.0.0.1", "::1" })
        {
            var verify = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", lab.RootFile,
                "-verify_ip", address, certificateFile]);
            Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        }

        using var certificate = X509CertificateLoader.LoadCertificateFromFile(certificateFile);
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback],
            certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses());
        Assert.InRange(certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromDays(13.9), TimeSpan.FromDays(14.01));
        await AcmeTls.AssertServedAsync(certificateFile, keyFile, "127.0.0.1", lab.RootFile);

        var order = Assert.Single((await lab.Directories.OrdersAsync(lab.AuthorityId)).Value);
        Assert.Equal(AcmeStatus.Valid, order.Status);
        Assert.Equal(["ip:127.0.0.1", "ip:::1"], order.Identifiers);
        Assert.Equal(eab.KeyId, Assert.Single((await lab.Directories.AccountsAsync(lab.AuthorityId)).Value).EabKeyId);
        Assert.Empty(Directory.GetFiles(Path.Combine(box.WebRoot, ".well-known", "acme-challenge")));
    }

    private static Task<ExternalProcess.Outcome> Uacme(AcmeLab lab, string webRoot, string[] arguments, string confdir) =>
        ExternalProcess.RunAsync("unshare", ["--mount", "--propagation", "private", "sh", "-c", WithPanelTrust, "sh", lab.PanelTrustFile,
                "-v", "-t", "EC", "-c", confdir, "-a", lab.DirectoryUrl, .. arguments],
            new Dictionary<string, string> { ["UACME_WEBROOT"] = webRoot }, timeout: TimeSpan.FromMinutes(2));
}
