using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Tests;

/// <summary>
/// Issuing reads the CA and writes the new rows with plain SQL (<see cref="IssuanceRows"/>): what it writes must be what
/// EF Core reads back, what it reads must be what EF Core reads, and its column lists must follow the model.
/// </summary>
public sealed class IssuanceRowsTests
{
    private static LeafOptions Leaf(string host, KeyAlgorithm key = KeyAlgorithm.EcdsaP256) => new()
    {
        Subject = DistinguishedName.Create(host).Value,
        SubjectAlternativeNames = SanParser.ParseAll([host, "10.0.0.9"]).Value,
        KeyAlgorithm = key,
        ValidityDays = 90,
    };

    [Theory]
    [InlineData(KeyAlgorithm.Rsa3072, KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.EcdsaP384, KeyAlgorithm.Rsa2048)]
    [InlineData(KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP384)]
    public async Task Issue_RowsReadThroughEfCore_AreTheIssuedCertificateItsKeySerialAndAudit(KeyAlgorithm caKey, KeyAlgorithm leafKey)
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authorities = new AuthorityService(panel.Storage, panel.Time);
        var ca = await authorities.CreateRootAsync(new RootCaOptions { Subject = DistinguishedName.Create("Rows Root CA").Value, KeyAlgorithm = caKey }, "t");
        Assert.True(ca.IsSuccess, ca.Error);

        var issued = await authorities.IssueAsync(ca.Value.Id, Leaf("rows.lab.internal", leafKey), "rows\u00e9 test", setAsDefault: true, "alice");

        Assert.True(issued.IsSuccess, issued.Error);
        await using var db = panel.Storage.CreateContext();
        var row = await db.Certificates.AsNoTracking().Include(c => c.PrivateKey).SingleAsync(c => c.Id == issued.Value);
        var certificate = Records.ToCertificate(row);
        Assert.Equal("rows\u00e9 test", row.Description);
        Assert.Equal(certificate.SubjectText, row.Subject);
        Assert.Equal("rows.lab.internal", row.CommonName);
        Assert.Equal("DNS:rows.lab.internal\nIP:10.0.0.9", row.AlternativeNames);
        Assert.Equal(certificate.IssuerText, row.Issuer);
        Assert.Equal(certificate.SerialNumberHex, row.SerialNumber);
        Assert.Equal(certificate.NotBefore, row.NotBefore);
        Assert.Equal(certificate.NotAfter, row.NotAfter);
        Assert.Equal(TimeSpan.Zero, row.NotAfter.Offset);
        Assert.Equal(certificate.PublicKey.ToString(), row.KeyDescription);
        Assert.Equal(certificate.Sha256Fingerprint, row.Sha256Fingerprint);
        Assert.Equal(CertificateSource.Created, row.Source);
        Assert.False(row.IsCertificateAuthority);
        Assert.Equal(ca.Value.Id, row.IssuedByAuthorityId);
        Assert.Null(row.ReplacedById);
        Assert.True(certificate.IsSignedBy(Records.ToCertificate(await db.Certificates.SingleAsync(c => c.Id == ca.Value.CertificateId))));
        Assert.Equal(Records.ToCertificate(await db.Certificates.SingleAsync(c => c.Id == ca.Value.CertificateId)).ToPem(), row.ChainPem);

        var key = Records.OpenKey(panel.Storage.Protector, row.PrivateKey!);
        Assert.True(key.IsSuccess, key.Error);
        Assert.Equal(leafKey, key.Value.Algorithm);
        Assert.True(key.Value.MatchesPublicKey(certificate.SubjectPublicKeyInfo.Span));
        Assert.Equal(leafKey.ToShortName(), row.PrivateKey!.Algorithm);
        Assert.Equal(Records.PublicKeyHash(certificate.SubjectPublicKeyInfo.Span), row.PrivateKey.PublicKeySha256);

        var serial = await db.IssuedSerials.AsNoTracking().SingleAsync(s => s.SerialNumber == certificate.SerialNumberHex);
        Assert.Equal(ca.Value.Id, serial.AuthorityId);
        Assert.Equal(issued.Value, await DefaultCertificate.GetAsync(db));
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.CertificateId == issued.Value).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([AuditActions.IssueCertificate, AuditActions.SetDefault], events.Select(e => e.Action));
        Assert.All(events, e =>
        {
            Assert.Equal("alice", e.Actor);
            Assert.Equal("rows.lab.internal", e.Target);
            Assert.Equal(AuditOutcome.Succeeded, e.Outcome);
            Assert.Equal(row.CreatedAt, e.At);
        });
        Assert.Equal("DNS:rows.lab.internal, IP:10.0.0.9", events[0].Detail);
    }

    [Fact]
    public async Task SelfSigned_RootAndServerRowsReadThroughEfCore_LinkedAndAudited()
    {
        await using var panel = await PanelFixture.CreateAsync();

        var created = await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("pair.lan", "pair.lan", "10.1.2.3"), "bob");

        Assert.True(created.IsSuccess, created.Error);
        await using var db = panel.Storage.CreateContext();
        var authority = await db.Authorities.AsNoTracking().Include(a => a.Certificate).ThenInclude(c => c.PrivateKey).SingleAsync();
        var server = await db.Certificates.AsNoTracking().Include(c => c.PrivateKey).SingleAsync(c => c.Id == created.Value.CertificateId);
        Assert.Equal((created.Value.AuthorityId, created.Value.AuthorityCertificateId), (authority.Id, authority.CertificateId));
        Assert.True(authority.Certificate.IsCertificateAuthority);
        Assert.Null(authority.Certificate.IssuedByAuthorityId);
        Assert.Equal(authority.Id, server.IssuedByAuthorityId);
        var root = Records.ToCertificate(authority.Certificate);
        Assert.True(Records.ToCertificate(server).IsSignedBy(root));
        Assert.True(Records.OpenKey(panel.Storage.Protector, authority.Certificate.PrivateKey!).Value.MatchesPublicKey(root.SubjectPublicKeyInfo.Span));
        Assert.True(Records.OpenKey(panel.Storage.Protector, server.PrivateKey!).Value.MatchesPublicKey(Records.ToCertificate(server).SubjectPublicKeyInfo.Span));
        Assert.Equal(authority.Id, (await db.IssuedSerials.SingleAsync()).AuthorityId);
        Assert.Equal(server.Id, await DefaultCertificate.GetAsync(db));
        var events = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([AuditActions.CreateAuthority, AuditActions.CreateSelfSigned, AuditActions.SetDefault], events.Select(e => e.Action));
        Assert.Equal([authority.CertificateId, server.Id, server.Id], events.Select(e => e.CertificateId));
        Assert.All(events, e => Assert.Equal("bob", e.Actor));
    }

    [Fact]
    public async Task Issue_DefaultAlreadySet_MovesTheDefaultAndLeavesOneSetting()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authorities = new AuthorityService(panel.Storage, panel.Time);
        var ca = (await authorities.CreateRootAsync(new RootCaOptions { Subject = DistinguishedName.Create("Default Root CA").Value }, "t")).Value;

        var first = await authorities.IssueAsync(ca.Id, Leaf("one.lan"), "", setAsDefault: true, "t");
        var second = await authorities.IssueAsync(ca.Id, Leaf("two.lan"), "", setAsDefault: true, "t");
        var third = await authorities.IssueAsync(ca.Id, Leaf("three.lan"), "", setAsDefault: false, "t");

        Assert.True(first.IsSuccess && second.IsSuccess && third.IsSuccess);
        await using var db = panel.Storage.CreateContext();
        Assert.Equal(second.Value, await DefaultCertificate.GetAsync(db));
        Assert.Single(await db.Settings.Where(s => s.Name == DefaultCertificate.Setting).ToListAsync());
        Assert.Empty(await db.AuditEvents.Where(e => e.CertificateId == third.Value && e.Action == AuditActions.SetDefault).ToListAsync());
    }

    [Fact]
    public async Task LoadAuthority_EveryField_SameAsEfCoreReadsFromTheSameRows()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var authorities = new AuthorityService(panel.Storage, panel.Time);
        var root = (await authorities.CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Load Root CA").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            AllowIntermediates = true,
        }, "t")).Value;
        var intermediate = await authorities.CreateIntermediateAsync(root.Id, new IntermediateCaOptions { Subject = DistinguishedName.Create("Load Issuing CA").Value }, "t");
        Assert.True(intermediate.IsSuccess, intermediate.Error);

        foreach (var id in new[] { root.Id, intermediate.Value.Id })
        {
            var plain = await IssuanceRows.LoadAuthorityAsync(panel.Storage.Data, panel.Storage.Protector, id, CancellationToken.None);
            await using var db = panel.Storage.CreateContext();
            var expected = await db.Authorities.AsNoTracking().Include(a => a.Certificate).ThenInclude(c => c.PrivateKey).SingleAsync(a => a.Id == id);

            Assert.True(plain.IsSuccess, plain.Error);
            var (record, authority) = plain.Value;
            Assert.Equal((expected.Id, expected.CertificateId, expected.CreatedAt), (record.Id, record.CertificateId, record.CreatedAt));
            foreach (var property in db.Model.FindEntityType(typeof(CertificateRecord))!.GetProperties())
            {
                Assert.Equal(property.PropertyInfo!.GetValue(expected.Certificate), property.PropertyInfo.GetValue(record.Certificate));
            }

            foreach (var property in db.Model.FindEntityType(typeof(PrivateKeyRecord))!.GetProperties())
            {
                Assert.Equal(property.PropertyInfo!.GetValue(expected.Certificate.PrivateKey), property.PropertyInfo.GetValue(record.Certificate.PrivateKey));
            }

            Assert.Equal(Records.ToCertificate(expected.Certificate).Sha256Fingerprint, authority.Certificate.Sha256Fingerprint);
            Assert.Equal(id == root.Id ? 0 : 1, authority.ChainAbove.Count);
        }
    }

    [Fact]
    public async Task LoadAuthority_NoSuchCaOrALeaf_RefusesWithTheId()
    {
        await using var panel = await PanelFixture.CreateAsync();
        var created = await panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("leaf.lan") with { SetAsDefault = false }, "t");
        Assert.True(created.IsSuccess, created.Error);

        var missing = await IssuanceRows.LoadAuthorityAsync(panel.Storage.Data, panel.Storage.Protector, 999, CancellationToken.None);
        var issued = await new AuthorityService(panel.Storage, panel.Time).IssueAsync(999, Leaf("x.lan"), "", false, "t");

        Assert.Equal("There is no CA with id 999 held here.", missing.Error);
        Assert.Equal("There is no CA with id 999 held here.", issued.Error);
        Assert.Equal((2, 2, 1, 0), await panel.CountRowsAsync());
    }

    [Fact]
    public async Task Columns_EveryMappedPropertyOfEachTable_WrittenByThePlainInserts()
    {
        await using var panel = await PanelFixture.CreateAsync();
        await using var db = panel.Storage.CreateContext();

        AssertColumns<CertificateRecord>(db, IssuanceRows.CertificateColumns);
        AssertColumns<PrivateKeyRecord>(db, IssuanceRows.PrivateKeyColumns);
        AssertColumns<IssuedSerialRecord>(db, IssuanceRows.IssuedSerialColumns);
        AssertColumns<AuditEventRecord>(db, IssuanceRows.AuditEventColumns);
        AssertColumns<AuthorityRecord>(db, IssuanceRows.AuthorityColumns);
    }

    private static void AssertColumns<T>(PanelDbContext db, string[] written)
    {
        var mapped = db.Model.FindEntityType(typeof(T))!.GetProperties().Where(p => !p.IsPrimaryKey()).Select(p => p.GetColumnName()).Order(StringComparer.Ordinal);
        Assert.Equal(mapped, written.Order(StringComparer.Ordinal));
    }
}
