using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Ssh;
using Xunit.Abstractions;

namespace SynoCertPanel.Core.Tests.Boxes.Ssh;

/// <summary>Delivery over a real sshd to a real nginx, checked by a real TLS handshake and openssl verify.</summary>
public sealed class SshDeliveryNginxTests(ITestOutputHelper output)
{
    private static Dictionary<string, string> NginxSettings(NginxServer nginx) => new()
    {
        [SshOptions.CertPath] = Path.Combine(nginx.CertificateFolder, "cert.pem"),
        [SshOptions.ChainPath] = nginx.FullChainPath,
        [SshOptions.KeyPath] = nginx.KeyPath,
        [SshOptions.ReloadCommand] = nginx.ReloadCommand,
    };

    [Fact]
    public async Task Deliver_ToNginx_ServesTheNewCertificateThatVerifiesAgainstItsRoot()
    {
        using var lab = await SshLab.StartAsync();
        var nginx = await lab.StartNginxAsync();
        var before = lab.Bundle(lab.Pki.LeafCert, lab.Pki.LeafKey);
        using (var served = await nginx.ServedCertificateAsync())
        {
            Assert.Equal(before.Sha256Fingerprint, NginxServer.Fingerprint(served));
            Assert.EndsWith(": OK", lab.Verify(served));
        }

        var renewed = lab.NewLeaf("renewed");
        var outcome = await lab.Delivery.DeliverAsync(lab.Sshd.Target(NginxSettings(nginx)), renewed, CancellationToken.None);

        output.WriteLine(string.Join("\n", outcome.Steps));
        Assert.True(outcome.Succeeded, outcome.Message + "\n" + string.Join("\n", outcome.Steps) + "\n" + nginx.Log);
        Assert.Equal(lab.Sshd.HostKeyFingerprint, outcome.Learned[SshOptions.HostKey]);
        using var now = await nginx.ServedAfterReloadAsync(renewed.Sha256Fingerprint);
        Assert.Equal(renewed.Sha256Fingerprint, NginxServer.Fingerprint(now));
        Assert.EndsWith(": OK", lab.Verify(now));
        Assert.Equal(renewed.FullChainPem, File.ReadAllText(nginx.FullChainPath));
        Assert.Equal(before.FullChainPem, File.ReadAllText(nginx.FullChainPath + ".previous"));
        Assert.Equal(before.PrivateKeyPem.TrimEnd() + "\n", File.ReadAllText(nginx.KeyPath + ".previous"));
        Assert.Equal("600", SshdServer.Run("stat", "-c", "%a", nginx.KeyPath).Trim());
        Assert.Equal("644", SshdServer.Run("stat", "-c", "%a", nginx.FullChainPath).Trim());
        Assert.DoesNotContain(Directory.GetFiles(nginx.CertificateFolder), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Contains(outcome.Steps, s => s.StartsWith("Ran nginx -s reload", StringComparison.Ordinal));
        Assert.DoesNotContain(outcome.Steps, s => s.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deliver_ReloadFailsOnBrokenConfig_ReportsReloadAndRestorePutsTheOldFilesBack()
    {
        using var lab = await SshLab.StartAsync();
        var nginx = await lab.StartNginxAsync();
        var settings = NginxSettings(nginx);
        var good = lab.NewLeaf("good");
        var first = await lab.Delivery.DeliverAsync(lab.Sshd.Target(settings), good, CancellationToken.None);
        Assert.True(first.Succeeded, first.Message);
        settings[SshOptions.HostKey] = first.Learned[SshOptions.HostKey];
        using (var served = await nginx.ServedAfterReloadAsync(good.Sha256Fingerprint))
        {
            Assert.Equal(good.Sha256Fingerprint, NginxServer.Fingerprint(served));
        }

        // A certificate with another certificate's key: nginx refuses the configuration that names them.
        var broken = lab.NewLeaf("broken") with { PrivateKeyPem = good.PrivateKeyPem };
        var failed = await lab.Delivery.DeliverAsync(lab.Sshd.Target(settings), broken, CancellationToken.None);

        output.WriteLine(string.Join("\n", failed.Steps));
        Assert.False(failed.Succeeded);
        Assert.Equal(DeliveryFailure.Reload, failed.Failure);
        Assert.Contains("exited with 1", failed.Message, StringComparison.Ordinal);
        Assert.Contains("key values mismatch", failed.Message, StringComparison.Ordinal);
        Assert.Equal(broken.FullChainPem, File.ReadAllText(nginx.FullChainPath));

        var restored = await lab.Delivery.RestoreAsync(lab.Sshd.Target(settings), null, CancellationToken.None);

        output.WriteLine(string.Join("\n", restored.Steps));
        Assert.True(restored.Succeeded, restored.Message + "\n" + string.Join("\n", restored.Steps));
        Assert.Equal(good.FullChainPem, File.ReadAllText(nginx.FullChainPath));
        Assert.Equal(good.PrivateKeyPem.TrimEnd() + "\n", File.ReadAllText(nginx.KeyPath));
        Assert.False(File.Exists(nginx.FullChainPath + ".previous"));
        using var after = await nginx.ServedAfterReloadAsync(good.Sha256Fingerprint);
        Assert.Equal(good.Sha256Fingerprint, NginxServer.Fingerprint(after));
        Assert.EndsWith(": OK", lab.Verify(after));
        SshdServer.Run("nginx", "-t", "-c", nginx.ConfigPath, "-p", nginx.Directory + "/", "-e", nginx.ErrorLog);
    }

    [Fact]
    public async Task Restore_WithoutPreviousFiles_SaysThereIsNothingToPutBack()
    {
        using var lab = await SshLab.StartAsync();
        var folder = lab.Folder("fresh");
        var target = lab.Sshd.Target(new Dictionary<string, string> { [SshOptions.ChainPath] = Path.Combine(folder, "fullchain.pem") });

        var outcome = await lab.Delivery.RestoreAsync(target, null, CancellationToken.None);

        Assert.Equal(DeliveryFailure.Write, outcome.Failure);
        Assert.Contains("No previous files", outcome.Message, StringComparison.Ordinal);
    }
}
