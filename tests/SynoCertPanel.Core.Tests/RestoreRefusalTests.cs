using System.Buffers.Binary;
using SynoCertPanel.Core.Backup;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tests;

/// <summary>Every bad backup is refused with a message and leaves the target directory exactly as it was.</summary>
public sealed class RestoreRefusalTests : IAsyncLifetime
{
    private const string Passphrase = BackupRoundTripTests.Passphrase;
    private PanelFixture _panel = null!;
    private byte[] _backup = null!;

    private string TargetParent => Path.Combine(_panel.Path, "box2");

    private DataDirectory Target => new(Path.Combine(TargetParent, "data"));

    public async Task InitializeAsync()
    {
        _panel = await PanelFixture.CreateAsync();
        Assert.True((await _panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas.home.arpa"), "admin")).IsSuccess);
        _backup = (await new BackupService(_panel.Storage, _panel.Time).CreateAsync(Passphrase, "admin")).Value.Content;
        Directory.CreateDirectory(Target.Path);
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task Restore_WrongPassphrase_RefusedTargetUntouched()
    {
        await AssertRefusedAsync(_backup, "passphrase is wrong", "another long passphrase");
    }

    [Fact]
    public async Task Restore_Truncated_Refused()
    {
        await AssertRefusedAsync(_backup[..(_backup.Length / 2)], "passphrase is wrong, or the backup file was altered or truncated");
        await AssertRefusedAsync(_backup[..20], "truncated");
    }

    [Fact]
    public async Task Restore_Garbage_RefusedAsNotABackup()
    {
        await AssertRefusedAsync("PK\u0003\u0004 this is some zip file, not a backup"u8.ToArray(), "not a SynoCertPanel backup");
    }

    [Fact]
    public async Task Restore_FlippedCiphertextByte_Refused()
    {
        var altered = (byte[])_backup.Clone();
        altered[^40] ^= 1;

        await AssertRefusedAsync(altered, "altered");
    }

    [Fact]
    public async Task Restore_UnknownFormatVersion_Refused()
    {
        var altered = (byte[])_backup.Clone();
        altered[8] = 2;

        await AssertRefusedAsync(altered, "format version 2");
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    public async Task Restore_HostileIterationCount_RefusedWithoutDeriving(int iterations)
    {
        var altered = (byte[])_backup.Clone();
        BinaryPrimitives.WriteInt32BigEndian(altered.AsSpan(10), iterations);
        var started = System.Diagnostics.Stopwatch.StartNew();

        await AssertRefusedAsync(altered, "key-derivation rounds");

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task Restore_ChangedIterationCountWithinBounds_RefusedByAuthentication()
    {
        var altered = (byte[])_backup.Clone();
        BinaryPrimitives.WriteInt32BigEndian(altered.AsSpan(10), BackupEnvelope.MinIterations);

        await AssertRefusedAsync(altered, "does not decrypt");
    }

    [Fact]
    public async Task Restore_ManifestHashMismatch_Refused()
    {
        var (manifest, files) = BackupPackage.Unpack(BackupEnvelope.Open(_backup, Passphrase).Value).Value;
        var forged = manifest with
        {
            Files = manifest.Files.Select(f => f.Name == DataDirectory.DatabaseFileName ? f with { Sha256 = new string('0', 64) } : f).ToList(),
        };
        var sealedFile = BackupEnvelope.Seal(BackupPackage.Pack(forged, files), Passphrase, BackupEnvelope.MinIterations);

        await AssertRefusedAsync(sealedFile, "does not match the hash in its manifest");
    }

    [Fact]
    public async Task Restore_ManifestUnknownVersion_Refused()
    {
        var (manifest, files) = BackupPackage.Unpack(BackupEnvelope.Open(_backup, Passphrase).Value).Value;
        var sealedFile = BackupEnvelope.Seal(BackupPackage.Pack(manifest with { FormatVersion = 9 }, files), Passphrase, BackupEnvelope.MinIterations);

        await AssertRefusedAsync(sealedFile, "manifest has format version 9");
    }

    [Fact]
    public async Task Restore_KeyFromAnotherPanel_Refused()
    {
        var (manifest, files) = BackupPackage.Unpack(BackupEnvelope.Open(_backup, Passphrase).Value).Value;
        var otherKey = new byte[32];
        var swapped = new Dictionary<string, byte[]>(files) { [DataDirectory.KeyEncryptionKeyFileName] = otherKey };
        var forged = manifest with
        {
            Files = manifest.Files.Select(f => f.Name == DataDirectory.KeyEncryptionKeyFileName ? BackupPackage.Describe(f.Name, otherKey) : f).ToList(),
        };
        var sealedFile = BackupEnvelope.Seal(BackupPackage.Pack(forged, swapped), Passphrase, BackupEnvelope.MinIterations);

        await AssertRefusedAsync(sealedFile, "does not belong to its database");
    }

    [Fact]
    public async Task Restore_OversizedFile_RefusedBeforeReading()
    {
        var path = Path.Combine(_panel.Path, "huge.backup");
        using (var stream = File.Create(path))
        {
            // Sparse on Linux: the length is what matters, not the disk it would take.
            stream.SetLength(BackupEnvelope.MaxFileBytes + 1);
        }

        var result = await new RestoreService(_panel.Time).RestoreFileAsync(path, Passphrase, Target, "admin");

        Assert.False(result.IsSuccess);
        Assert.Contains("at most 256 MiB", result.Error, StringComparison.Ordinal);
        AssertTargetUntouched();
    }

    [Fact]
    public async Task Restore_NonEmptyTarget_RefusedAndKeepsItsFiles()
    {
        var precious = Path.Combine(Target.Path, "notes.txt");
        await File.WriteAllTextAsync(precious, "keep me");

        var result = await new RestoreService(_panel.Time).RestoreAsync(_backup, Passphrase, Target, "admin");

        Assert.False(result.IsSuccess);
        Assert.Contains("is not empty", result.Error, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(Target.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Restore_ExistingEmptyTarget_Succeeds()
    {
        var result = await new RestoreService(_panel.Time).RestoreAsync(_backup, Passphrase, Target, "admin");

        Assert.True(result.IsSuccess, result.Error);
        Assert.True((await PanelStorage.OpenAsync(Target)).IsSuccess);
        Assert.Equal(["data"], Directory.GetFileSystemEntries(TargetParent).Select(Path.GetFileName));
    }

    private async Task AssertRefusedAsync(byte[] file, string expected, string passphrase = Passphrase)
    {
        var result = await new RestoreService(_panel.Time).RestoreAsync(file, passphrase, Target, "admin");

        Assert.False(result.IsSuccess);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        AssertTargetUntouched();
    }

    private void AssertTargetUntouched()
    {
        Assert.Empty(Directory.GetFileSystemEntries(Target.Path));
        Assert.Equal(["data"], Directory.GetFileSystemEntries(TargetParent).Select(Path.GetFileName));
    }
}
