using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Backup;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

public class BackupRoundTripTests
{
    internal const string Passphrase = "correct horse battery staple";

    [Fact]
    public async Task Restore_OnSecondMachine_RestoredCaIssuesCertificateOpenSslVerifies()
    {
        await using var box1 = await PanelFixture.CreateAsync();
        var created = (await box1.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas1.home.arpa", "192.168.1.10"), "admin")).Value;
        var backup = await new BackupService(box1.Storage, box1.Time).CreateAsync(Passphrase, "admin");
        Assert.True(backup.IsSuccess, backup.Error);
        var file = Path.Combine(box1.Path, "panel.backup");
        await File.WriteAllBytesAsync(file, backup.Value.Content);

        await using var box2 = await PanelFixture.CreateAsync();
        var target = new DataDirectory(Path.Combine(box2.Path, "restored"));
        var restored = await new RestoreService(box2.Time).RestoreFileAsync(file, Passphrase, target, "admin");

        Assert.True(restored.IsSuccess, restored.Error);
        var storage = await PanelStorage.OpenAsync(target);
        Assert.True(storage.IsSuccess, storage.Error);
        var inventory = new InventoryService(storage.Value, box2.Time);
        Assert.True((await inventory.GetAsync(created.CertificateId)).Value.Summary.IsDefault);
        var issued = await new AuthorityService(storage.Value, box2.Time).IssueAsync(created.AuthorityId, new LeafOptions
        {
            Subject = DistinguishedName.Create("nas2.home.arpa").Value,
            SubjectAlternativeNames = SanParser.ParseAll(["nas2.home.arpa"]).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, "after restore", setAsDefault: false, "admin");
        Assert.True(issued.IsSuccess, issued.Error);
        var details = (await inventory.GetAsync(issued.Value)).Value;
        var rootPem = Path.Combine(box2.Path, "root.pem");
        var leafPem = Path.Combine(box2.Path, "leaf.pem");
        await File.WriteAllTextAsync(rootPem, details.Chain[^1].ToPem());
        await File.WriteAllTextAsync(leafPem, details.Certificate.ToPem());
        var verify = PanelFixture.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "nas2.home.arpa",
            "-CAfile", rootPem, leafPem);
        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Equal(created.Server.Certificate.IssuerText, details.Certificate.IssuerText);
    }

    [Fact]
    public async Task Create_Succeeds_AuditedWithDatabaseHash()
    {
        await using var panel = await PanelFixture.CreateAsync();

        var backup = await new BackupService(panel.Storage, panel.Time).CreateAsync(Passphrase, "admin");

        Assert.True(backup.IsSuccess, backup.Error);
        Assert.Equal(BackupManifest.CurrentFormatVersion, backup.Value.Manifest.FormatVersion);
        Assert.Equal(BackupPackage.DataFileNames.Order(), backup.Value.Manifest.Files.Select(f => f.Name).Order());
        await using var db = panel.Storage.CreateContext();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.CreateBackup);
        Assert.Equal(AuditOutcome.Succeeded, audit.Outcome);
        Assert.Contains(backup.Value.Manifest.Files.Single(f => f.Name == DataDirectory.DatabaseFileName).Sha256, audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_FileHoldsNoKeyInClear_KeyEncryptionKeyNotVisible()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var key = await File.ReadAllBytesAsync(panel.Storage.Data.KeyEncryptionKeyPath);

        var backup = (await new BackupService(panel.Storage, panel.Time).CreateAsync(Passphrase, "admin")).Value;

        Assert.Equal(-1, backup.Content.AsSpan().IndexOf(key));
        Assert.Equal(-1, backup.Content.AsSpan().IndexOf("SQLite format 3"u8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("elevenchars")]
    public async Task Create_WeakPassphrase_RefusedAndAudited(string passphrase)
    {
        await using var panel = await PanelFixture.CreateAsync();

        var backup = await new BackupService(panel.Storage, panel.Time).CreateAsync(passphrase, "admin");

        Assert.False(backup.IsSuccess);
        Assert.Contains("at least 12", backup.Error, StringComparison.Ordinal);
        await using var db = panel.Storage.CreateContext();
        Assert.Equal(AuditOutcome.Refused, (await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.CreateBackup)).Outcome);
    }

    [Fact]
    public async Task Create_WhileIssuing_RestoresConsistentInventory()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = (await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas.home.arpa"), "admin")).Value;
        var authorities = new AuthorityService(panel.Storage, panel.Time);
        var issues = Enumerable.Range(0, 8).Select(i => Task.Run(() => authorities.IssueAsync(created.AuthorityId, new LeafOptions
        {
            Subject = DistinguishedName.Create($"host{i}.home.arpa").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, "", setAsDefault: false, "admin"))).ToList();
        var backupTask = Task.Run(() => new BackupService(panel.Storage, panel.Time).CreateAsync(Passphrase, "admin"));

        await Task.WhenAll(issues);
        var backup = await backupTask;

        Assert.True(backup.IsSuccess, backup.Error);
        Assert.All(issues, i => Assert.True(i.Result.IsSuccess, i.Result.Error));
        var target = new DataDirectory(Path.Combine(panel.Path, "restored"));
        Assert.True((await new RestoreService(panel.Time).RestoreAsync(backup.Value.Content, Passphrase, target, "admin")).IsSuccess);
        var restored = (await PanelStorage.OpenAsync(target)).Value;
        await using var db = restored.CreateContext();
        var certificates = await db.Certificates.Include(c => c.PrivateKey).ToListAsync();
        var serials = await db.IssuedSerials.Select(s => s.SerialNumber).ToListAsync();
        var issuedHere = certificates.Where(c => c.IssuedByAuthorityId == created.AuthorityId).ToList();
        // Every certificate that made it into the snapshot came with its key and its serial bookkeeping.
        Assert.Equal(issuedHere.Select(c => c.SerialNumber).Order(), serials.Order());
        Assert.All(certificates, c => Assert.NotNull(c.PrivateKey));
        Assert.All(certificates, c => Assert.True(Records.OpenKey(restored.Protector, c.PrivateKey!).IsSuccess));
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", await command.ExecuteScalarAsync());
    }
}
