using SynoCertPanel.Core.Boxes.Ssh;

namespace SynoCertPanel.Core.Tests.Boxes.Ssh;

/// <summary>The per-box login keys: OpenSSH's own tools read them, and a real sshd lets them in.</summary>
public sealed class SshKeysTests
{
    [Fact]
    public void Generate_PrivateKey_IsReadByOpenSshsKeygenAndMatchesThePublicLine()
    {
        var pair = SshKeys.Generate("synocertpanel@nas");
        var file = Path.Combine(Path.GetTempPath(), "sshkey-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, pair.PrivateKey);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            var derived = SshdServer.Run("ssh-keygen", "-y", "-f", file).Trim();

            Assert.StartsWith("ecdsa-sha2-nistp256 ", pair.AuthorizedKeysLine, StringComparison.Ordinal);
            Assert.EndsWith(" synocertpanel@nas", pair.AuthorizedKeysLine, StringComparison.Ordinal);
            Assert.Equal(string.Join(' ', pair.AuthorizedKeysLine.Split(' ')[..2]), string.Join(' ', derived.Split(' ')[..2]));
            Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n", pair.PrivateKey, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Generate_TwiceGivesDifferentKeys()
    {
        var first = SshKeys.Generate();
        var second = SshKeys.Generate();

        Assert.NotEqual(first.AuthorizedKeysLine, second.AuthorizedKeysLine);
        Assert.NotEqual(first.PrivateKey, second.PrivateKey);
    }

    [Fact]
    public async Task Generate_AuthorizedKeysLine_IsAcceptedByARealSshd()
    {
        using var lab = await SshLab.StartAsync();

        var outcome = await lab.Delivery.TestAsync(lab.Sshd.Target(new Dictionary<string, string> { [SshOptions.CertPath] = lab.Directory + "/cert.pem" }),
            CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message + "\n" + lab.Sshd.Log);
        Assert.Contains($"Accepted publickey for {SshdServer.User}", lab.Sshd.Log, StringComparison.Ordinal);
    }
}
