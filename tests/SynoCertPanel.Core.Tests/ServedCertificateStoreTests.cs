using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Listener;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tests;

/// <summary>
/// What the listener loads at every start: the stored certificate with its key, read with .NET alone. A row that cannot be
/// served is refused with the reason, so start-up falls back to a fresh self-signed certificate.
/// </summary>
public sealed class ServedCertificateStoreTests : IAsyncLifetime
{
    private PanelFixture _panel = null!;

    public async Task InitializeAsync() => _panel = await PanelFixture.CreateAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private ServedCertificateStore Store => new(_panel.Storage, _panel.Time);

    private async Task<int> CreateAsync(string host)
    {
        var created = await _panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest(host, host), "test");
        Assert.True(created.IsSuccess, created.Error);
        return created.Value.CertificateId;
    }

    private async Task ChangeAsync(int certificateId, Action<CertificateRecord> change)
    {
        await using var db = _panel.Storage.CreateContext();
        var record = await db.Certificates.Include(c => c.PrivateKey).SingleAsync(c => c.Id == certificateId);
        change(record);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Load_StoredServerCertificate_LeafChainAndKeyAsIssued()
    {
        var id = await CreateAsync("nas.home.arpa");

        var loaded = await Store.LoadAsync(id);

        Assert.True(loaded.IsSuccess, loaded.Error);
        var served = loaded.Value;
        Assert.Equal("nas.home.arpa", served.Leaf.Subject.CommonName);
        Assert.Equal(served.Leaf.SubjectText, served.SubjectText);
        Assert.Equal(served.Leaf.ToDer(), served.LeafDer.ToArray());
        Assert.Equal(["nas.home.arpa Root CA"], served.Chain.Select(c => c.Subject.CommonName));
        Assert.Equal(served.Chain.Select(c => c.ToDer()), served.ChainDer.Select(d => d.ToArray()));
        Assert.True(served.Leaf.Matches(served.Key));
        Assert.True(served.Leaf.IsSignedBy(served.Chain[0]));
    }

    [Fact]
    public async Task GetDefaultId_NoneSetThenSet_NullThenTheId()
    {
        Assert.Null(await Store.GetDefaultIdAsync());
        var id = await CreateAsync("nas.home.arpa");
        await _panel.Inventory.SetDefaultAsync(id, "test");

        Assert.Equal(id, await Store.GetDefaultIdAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("seven")]
    [InlineData("99999999999")]
    public async Task GetDefaultId_SettingNotAnId_Null(string stored)
    {
        await using (var db = _panel.Storage.CreateContext())
        {
            db.Settings.Add(new SettingRecord { Name = "default-certificate-id", Value = stored });
            await db.SaveChangesAsync();
        }

        Assert.Null(await Store.GetDefaultIdAsync());
    }

    [Fact]
    public async Task Load_NoSuchCertificate_Refused()
    {
        var loaded = await Store.LoadAsync(4242);

        Assert.Equal("There is no certificate with id 4242.", loaded.Error);
    }

    [Fact]
    public async Task Load_CertificateWithoutItsKey_RefusedAsNotHeldHere()
    {
        var id = await CreateAsync("nas.home.arpa");
        await ChangeAsync(id, record =>
        {
            record.PrivateKeyId = null;
            record.PrivateKey = null;
        });

        var loaded = await Store.LoadAsync(id);

        Assert.Equal($"Certificate {id} cannot be served: its private key is not held here.", loaded.Error);
    }

    [Theory]
    [InlineData("p384", "The private key is not the ECDSA P-384 key its record names.")]
    [InlineData("rsa2048", "The private key is not a readable RSA 2048 PKCS#8 key")]
    [InlineData("ed25519", "is recorded as an unknown key type (ed25519)")]
    public async Task Load_KeyRecordedAsAnotherType_Refused(string recorded, string expected)
    {
        var id = await CreateAsync("nas.home.arpa");
        await ChangeAsync(id, record => record.PrivateKey!.Algorithm = recorded);

        var loaded = await Store.LoadAsync(id);

        Assert.False(loaded.IsSuccess);
        Assert.StartsWith($"Certificate {id} cannot be served: ", loaded.Error, StringComparison.Ordinal);
        Assert.Contains(expected, loaded.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_KeyOfAnotherCertificate_RefusedAsMismatch()
    {
        var id = await CreateAsync("nas1.home.arpa");
        var other = await CreateAsync("nas2.home.arpa");
        int? otherKey;
        await using (var db = _panel.Storage.CreateContext())
        {
            otherKey = (await db.Certificates.FindAsync(other))!.PrivateKeyId;
        }

        await ChangeAsync(id, record => record.PrivateKeyId = otherKey);

        var loaded = await Store.LoadAsync(id);

        Assert.Equal($"Certificate {id} cannot be served: the key stored with it does not match its public key.", loaded.Error);
    }

    [Fact]
    public async Task Load_SealedKeyAltered_RefusedAsUndecryptable()
    {
        var id = await CreateAsync("nas.home.arpa");
        await ChangeAsync(id, record =>
        {
            var sealedKey = record.PrivateKey!.EncryptedPkcs8.ToArray();
            sealedKey[^1] ^= 0x01;
            record.PrivateKey.EncryptedPkcs8 = sealedKey;
        });

        var loaded = await Store.LoadAsync(id);

        Assert.False(loaded.IsSuccess);
        Assert.Contains("cannot be decrypted with this key-encryption key", loaded.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_CertificateBytesDamaged_Refused()
    {
        var id = await CreateAsync("nas.home.arpa");
        await ChangeAsync(id, record => record.Der = record.Der[..^4]);

        var loaded = await Store.LoadAsync(id);

        Assert.Equal($"Certificate {id} cannot be served: The data is not a DER-encoded X.509 certificate.", loaded.Error);
    }
}
