using SynoCertPanel.Core.Tests;
using SynoCertPanel.Web.Tests.Cli;

namespace SynoCertPanel.Web.Tests;

public sealed class BackupCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-backup-cli-").FullName;

    private string Data1 => Path.Combine(_root, "data1");

    private string Data2 => Path.Combine(_root, "box2", "data");

    private string BackupFile => Path.Combine(_root, "panel.backup");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task BackupRestore_SecondDirectory_RestoredCaSignsAndOpenSslVerifies()
    {
        var passwordFile = PasswordFile("a long backup passphrase\n");
        Assert.Equal(0, (await CliRun.RunAsync("cert", "create", "--cn", "nas1.home.arpa", "--san", "nas1.home.arpa", "--key", "p256", "--data", Data1)).ExitCode);

        var backup = await CliRun.RunAsync("backup", "--out", BackupFile, "--password-file", passwordFile, "--data", Data1);
        var restore = await CliRun.RunAsync("restore", BackupFile, "--password-file", passwordFile, "--data", Data2);
        var issue = await CliRun.RunAsync("cert", "create", "--cn", "nas2.home.arpa", "--san", "nas2.home.arpa", "--key", "p256", "--data", Data2);
        var export = Path.Combine(_root, "nas2.crt");
        var csrFile = Path.Combine(_root, "nas3.csr");
        await CliRun.RunAsync("csr", "create", "--cn", "nas3.home.arpa", "--san", "nas3.home.arpa", "--key", "p256", "--out", csrFile, "--data", Path.Combine(_root, "data3"));
        var sign = await CliRun.RunAsync("csr", "sign", csrFile, "--out", export, "--data", Data2);

        Assert.True(backup.ExitCode == 0, backup.Error);
        Assert.True(restore.ExitCode == 0, restore.Error);
        Assert.True(issue.ExitCode == 0, issue.Error);
        Assert.True(sign.ExitCode == 0, sign.Error);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(BackupFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Data2, "key-encryption.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Data2, "synocertpanel.db")));
        var blocks = (await File.ReadAllTextAsync(export)).Split("-----END CERTIFICATE-----", StringSplitOptions.RemoveEmptyEntries)
            .Where(b => b.Contains("BEGIN", StringComparison.Ordinal)).Select(b => b.Trim() + "\n-----END CERTIFICATE-----\n").ToList();
        var leafFile = Path.Combine(_root, "leaf.pem");
        var rootFile = Path.Combine(_root, "root.pem");
        await File.WriteAllTextAsync(leafFile, blocks[0]);
        await File.WriteAllTextAsync(rootFile, blocks[^1]);
        var verify = OpenSslHierarchy.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "nas3.home.arpa", "-CAfile", rootFile, leafFile);
        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Contains("nas1.home.arpa Root CA", (await CliRun.RunAsync("ca", "list", "--data", Data2)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_WrongPassphrase_ExitsOneAndLeavesNoDirectory()
    {
        await CliRun.RunAsync("cert", "create", "--cn", "nas1.home.arpa", "--key", "p256", "--data", Data1);
        await CliRun.RunAsync("backup", "--out", BackupFile, "--password-file", PasswordFile("a long backup passphrase"), "--data", Data1);

        var result = await CliRun.RunAsync("restore", BackupFile, "--password-file", PasswordFile("not the right passphrase"), "--data", Data2);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("passphrase is wrong", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(Data2)));
    }

    [Fact]
    public async Task Restore_NonEmptyTarget_ExitsOneWithMessage()
    {
        await CliRun.RunAsync("cert", "create", "--cn", "nas1.home.arpa", "--key", "p256", "--data", Data1);
        var passwordFile = PasswordFile("a long backup passphrase");
        await CliRun.RunAsync("backup", "--out", BackupFile, "--password-file", passwordFile, "--data", Data1);
        await CliRun.RunAsync("cert", "create", "--cn", "other.lan", "--key", "p256", "--data", Data2);

        var result = await CliRun.RunAsync("restore", BackupFile, "--password-file", passwordFile, "--data", Data2);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not empty", result.Error, StringComparison.Ordinal);
        Assert.Contains("other.lan", (await CliRun.RunAsync("cert", "list", "--data", Data2)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_WeakPassphrase_ExitsOneAndWritesNothing()
    {
        await CliRun.RunAsync("cert", "create", "--cn", "nas1.home.arpa", "--key", "p256", "--data", Data1);

        var result = await CliRun.RunAsync("backup", "--out", BackupFile, "--password-file", PasswordFile("short\n"), "--data", Data1);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("at least 12", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(BackupFile));
    }

    [Fact]
    public async Task Backup_MissingPasswordFile_ExitsOneNamingIt()
    {
        var missing = Path.Combine(_root, "missing.txt");

        var result = await CliRun.RunAsync("backup", "--out", BackupFile, "--password-file", missing, "--data", Data1);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, result.Error, StringComparison.Ordinal);
    }

    private string PasswordFile(string content)
    {
        var path = Path.Combine(_root, $"password-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, content);
        return path;
    }
}
