using System.Security.Cryptography;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Backup;
using SynoCertPanel.Web.Components.Settings;

namespace SynoCertPanel.Web.Tests.Settings;

public sealed class RestoreSettingsTests : SettingsComponentTest
{
    private const string Passphrase = "a long backup passphrase";

    public static TheoryData<string, string> BadFiles => new()
    {
        { "garbage", "This is not a SynoCertPanel backup file" },
        { "truncated-header", "truncated: its header is incomplete" },
        { "truncated-content", "does not decrypt" },
        { "flipped-byte", "does not decrypt" },
        { "wrong-passphrase", "The passphrase is wrong" },
        { "empty", "This is not a SynoCertPanel backup file" },
    };

    [Fact]
    public async Task Check_ValidBackup_ShowsDateCountsAndTheRestoreCommand()
    {
        await SeedAsync("nas1.home.arpa");
        var backup = await MakeBackupAsync();
        var restore = Render<RestoreSettings>();

        Upload(restore, backup, "panel-2026.backup");
        Type(restore, "restore-passphrase", Passphrase);
        restore.Find("[data-testid=restore-check]").Click();

        restore.WaitForAssertion(() => Assert.NotNull(FindOrNull(restore, "restore-contents")), TimeSpan.FromSeconds(30));
        var contents = string.Join(' ', Text(restore, "restore-contents").Split((char[])null!, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("holds 2 certificates, 1 certificate authorities and 2 private keys.", contents, StringComparison.Ordinal);
        Assert.Contains($"by panel version {BackupService.PanelVersion}", contents, StringComparison.Ordinal);
        Assert.StartsWith("synocertpanel restore panel-2026.backup --password-file", Text(restore, "restore-command"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Check_BadFile_ShowsClearMessageAndChangesNothing(string kind, string message)
    {
        await SeedAsync("nas1.home.arpa");
        var good = await MakeBackupAsync();
        var (content, passphrase) = kind switch
        {
            "garbage" => (RandomNumberGenerator.GetBytes(4096), Passphrase),
            "truncated-header" => (good[..10], Passphrase),
            "truncated-content" => (good[..(good.Length / 2)], Passphrase),
            "flipped-byte" => (Flip(good, good.Length - 40), Passphrase),
            "wrong-passphrase" => (good, "not the backup passphrase"),
            _ => (Array.Empty<byte>(), Passphrase),
        };
        var before = await SnapshotAsync();
        var restore = Render<RestoreSettings>();

        Upload(restore, content, "suspect.backup");
        Type(restore, "restore-passphrase", passphrase);
        restore.Find("[data-testid=restore-check]").Click();

        restore.WaitForAssertion(() => Assert.Contains(message, Text(restore, "restore-error"), StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Null(FindOrNull(restore, "restore-contents"));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Choose_OversizedFile_RefusedBeforeReading()
    {
        var before = await SnapshotAsync();
        var restore = Render<RestoreSettings>(p => p.Add(c => c.MaxFileBytes, 1024));

        Upload(restore, new byte[2048], "huge.backup");
        Type(restore, "restore-passphrase", Passphrase);
        restore.Find("[data-testid=restore-check]").Click();

        Assert.Equal("huge.backup is 2 KiB; a backup is at most 1 KiB, so this is not one.", Text(restore, "restore-error"));
        Assert.Null(FindOrNull(restore, "restore-progress"));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Check_WithoutPassphrase_AsksForIt()
    {
        var restore = Render<RestoreSettings>();

        Upload(restore, await MakeBackupAsync(), "panel.backup");
        restore.Find("[data-testid=restore-check]").Click();

        Assert.Equal("Enter the backup's passphrase.", Text(restore, "restore-error"));
    }

    [Fact]
    public async Task Check_HostileFileName_IsNotPutIntoTheCommand()
    {
        var restore = Render<RestoreSettings>();

        Upload(restore, await MakeBackupAsync(), "x; rm -rf ~.backup");
        Type(restore, "restore-passphrase", Passphrase);
        restore.Find("[data-testid=restore-check]").Click();

        restore.WaitForAssertion(() => Assert.StartsWith("synocertpanel restore FILE --password-file", Text(restore, "restore-command"), StringComparison.Ordinal),
            TimeSpan.FromSeconds(30));
    }

    private static void Upload(IRenderedComponent<RestoreSettings> restore, byte[] content, string name) =>
        restore.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(content, name));

    private static byte[] Flip(byte[] content, int index)
    {
        var copy = (byte[])content.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    private async Task<byte[]> MakeBackupAsync()
    {
        var created = await new BackupService(Storage, Time).CreateAsync(Passphrase, UserName);
        Assert.True(created.IsSuccess, created.Error);
        return created.Value.Content;
    }

    /// <summary>What a restore would change: the files of the data directory, the certificates and the audit log.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = Storage.CreateContext();
        // SQLite's -wal and -shm files come and go with connections; they are not the data.
        var files = Directory.EnumerateFileSystemEntries(Storage.Data.Path).Select(Path.GetFileName)
            .Where(f => !f!.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        var key = Convert.ToHexString(await File.ReadAllBytesAsync(Storage.Data.KeyEncryptionKeyPath));
        return $"{string.Join(",", files)} | {await db.Certificates.CountAsync()} | {await db.AuditEvents.CountAsync()} | {key}";
    }
}
