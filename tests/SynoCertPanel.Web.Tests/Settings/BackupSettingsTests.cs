using Bunit;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Auth;
using SynoCertPanel.Web.Components.Settings;
using SynoCertPanel.Web.Tests.Cli;

namespace SynoCertPanel.Web.Tests.Settings;

public sealed class BackupSettingsTests : SettingsComponentTest
{
    private const string Passphrase = "a long backup passphrase";

    [Theory]
    [InlineData("short", "short", "use at least 12")]
    [InlineData("", "", "has 0 characters")]
    [InlineData(Passphrase, "a long backup passphrasE", "The two backup passphrases differ")]
    public async Task Download_BadPassphrase_RefusedWithMessageAndNothingWritten(string passphrase, string again, string message)
    {
        var before = await AuditCountAsync();
        var backup = Render<BackupSettings>();

        Type(backup, "backup-passphrase", passphrase);
        Type(backup, "backup-passphrase-again", again);
        Type(backup, "backup-account-password", AccountPassword);
        backup.Find("[data-testid=backup-download]").Click();

        backup.WaitForAssertion(() => Assert.Contains(message, Text(backup, "backup-error"), StringComparison.Ordinal));
        Assert.Empty(SavedFiles());
        Assert.Equal(before, await AuditCountAsync());
    }

    [Fact]
    public async Task Download_WrongAccountPassword_RefusedAuditedAndCountedTowardsLockout()
    {
        var backup = Render<BackupSettings>();

        Type(backup, "backup-passphrase", Passphrase);
        Type(backup, "backup-passphrase-again", Passphrase);
        Type(backup, "backup-account-password", "not the account password");
        backup.Find("[data-testid=backup-download]").Click();

        backup.WaitForAssertion(() => Assert.Equal(PasswordConfirmation.WrongPasswordMessage, Text(backup, "backup-error")));
        Assert.Empty(SavedFiles());
        await using var db = Storage.CreateContext();
        var refusal = await db.AuditEvents.SingleAsync();
        Assert.Equal((Core.Audit.AuditActions.CreateBackup, AuditOutcome.Refused, UserName), (refusal.Action, refusal.Outcome, refusal.Actor));
        Assert.Equal(1, (await ReloadAccountAsync()).AccessFailedCount);
    }

    [Fact]
    public async Task Download_RightPasswords_SavesBackupThatTheCommandLineRestoresIntoAnEmptyDirectory()
    {
        await SeedAsync("nas1.home.arpa");
        var backup = Render<BackupSettings>();

        Type(backup, "backup-passphrase", Passphrase);
        Type(backup, "backup-passphrase-again", Passphrase);
        Type(backup, "backup-account-password", AccountPassword);
        backup.Find("[data-testid=backup-download]").Click();

        backup.WaitForAssertion(() => Assert.Contains("Backup made", Text(backup, "backup-made"), StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var saved = Assert.Single(SavedFiles());
        Assert.Matches(@"^synocertpanel-\d{8}-\d{6}\.backup$", saved.FileName);
        Assert.Null(FindOrNull(backup, "backup-error"));
        var root = Directory.CreateTempSubdirectory("synocert-ui-restore-").FullName;
        try
        {
            var file = Path.Combine(root, saved.FileName);
            var passwordFile = Path.Combine(root, "passphrase");
            await File.WriteAllBytesAsync(file, saved.Content);
            await File.WriteAllTextAsync(passwordFile, Passphrase + "\n");
            var target = Path.Combine(root, "restored");

            var restore = await CliRun.RunAsync("restore", file, "--password-file", passwordFile, "--data", target);
            var list = await CliRun.RunAsync("cert", "list", "--data", target);

            Assert.True(restore.ExitCode == 0, restore.Error);
            Assert.Contains("nas1.home.arpa", list.Output, StringComparison.Ordinal);
            Assert.Equal(await File.ReadAllBytesAsync(Storage.Data.KeyEncryptionKeyPath), await File.ReadAllBytesAsync(Path.Combine(target, DataDirectory.KeyEncryptionKeyFileName)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }

        await using var db = Storage.CreateContext();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == Core.Audit.AuditActions.CreateBackup && e.Outcome == AuditOutcome.Succeeded && e.Actor == UserName));
    }
}
