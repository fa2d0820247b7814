using System.Text;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tests.Boxes;

public sealed class BoxServiceTests : IAsyncLifetime
{
    private const string Secret = "s3cret-that-must-not-leak";
    private readonly RecordingDelivery _recording = new();
    private PanelFixture _panel = null!;

    private BoxService Boxes => new(_panel.Storage, new BoxDeliveries([new WatchOnlyDelivery(), _recording]), _panel.Time);

    public async Task InitializeAsync() => _panel = await PanelFixture.CreateAsync();

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private static BoxDraft Webhook(string name = "nas2") => new()
    {
        Name = name,
        Addresses = ["nas2.home.arpa", "192.168.1.20"],
        Watch = ["nas2.home.arpa:5001", "[fd00::20]:5001"],
        Delivery = "webhook",
        Settings = new Dictionary<string, string> { ["url"] = "https://hooks.lan/cert" },
        Secrets = new Dictionary<string, string> { ["secret"] = Secret },
    };

    [Fact]
    public async Task Add_WatchOnlyWithoutEndpoints_WatchesTheFirstAddressOn443()
    {
        var added = await Boxes.AddAsync(new BoxDraft { Name = "router", Addresses = ["192.168.1.1"] }, "admin");

        Assert.True(added.IsSuccess, added.Error);
        Assert.Equal(DeliveryKind.None, added.Value.Delivery);
        Assert.Equal("192.168.1.1:443", Assert.Single(added.Value.Endpoints).Display);
        var audit = await _panel.LastAuditAsync();
        Assert.Equal((AuditActions.AddBox, "router", AuditOutcome.Succeeded), (audit.Action, audit.Target, audit.Outcome));
    }

    [Fact]
    public async Task Add_WithSecret_SealsIt_AndNeverShowsIt()
    {
        var added = await Boxes.AddAsync(Webhook(), "admin");

        Assert.True(added.IsSuccess, added.Error);
        Assert.Equal(["secret"], added.Value.SecretsSet);
        Assert.DoesNotContain(Secret, string.Join(" ", added.Value.Settings.Values), StringComparison.Ordinal);
        Assert.Equal(["nas2.home.arpa", "192.168.1.20"], added.Value.Addresses);
        Assert.Equal(["nas2.home.arpa:5001", "[fd00::20]:5001"], added.Value.Endpoints.Select(e => e.Display));
        foreach (var file in Directory.GetFiles(_panel.Path, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Secret, await ReadIfStillThereAsync(file), StringComparison.Ordinal);
        }

        await using var db = _panel.Storage.CreateContext();
        Assert.DoesNotContain(await db.AuditEvents.Select(a => a.Detail + a.Target).ToListAsync(), d => d.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenTarget_GivesTheMethodItsSecretsAndDefaults()
    {
        await Boxes.AddAsync(Webhook(), "admin");

        var opened = await Boxes.OpenTargetAsync("NAS2");

        Assert.True(opened.IsSuccess, opened.Error);
        Assert.Same(_recording, opened.Value.Method);
        Assert.Equal(Secret, opened.Value.Target.SecretValue("secret"));
        Assert.Equal("0600", opened.Value.Target.Setting("mode"));
        Assert.Equal("https://hooks.lan/cert", opened.Value.Target.Setting("url"));
    }

    [Fact]
    public async Task Remember_StoresLearnedValues_SealingTheSecretOnes()
    {
        var added = await Boxes.AddAsync(Webhook(), "admin");
        var opened = (await Boxes.OpenTargetAsync("nas2")).Value;
        var outcome = await opened.Method.TestAsync(opened.Target, CancellationToken.None);

        await Boxes.RememberAsync(added.Value.Id, opened.Method, outcome.Learned);

        var again = (await Boxes.OpenTargetAsync("nas2")).Value;
        Assert.Equal("0640", again.Target.Setting("mode"));
        Assert.Equal("rotated", again.Target.SecretValue("secret"));
        Assert.DoesNotContain("rotated", string.Join(" ", again.Box.Settings.Values), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTarget_UnderAnotherKey_SaysToEnterTheCredentialsAgain()
    {
        var added = await Boxes.AddAsync(Webhook(), "admin");
        await using (var db = _panel.Storage.CreateContext())
        {
            var record = await db.Boxes.SingleAsync();
            var tampered = record.SealedSecrets!.ToArray();
            tampered[^1] ^= 0xFF;
            record.SealedSecrets = tampered;
            await db.SaveChangesAsync();
        }

        var opened = await Boxes.OpenTargetAsync(added.Value.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.False(opened.IsSuccess);
        Assert.Contains("cannot be opened", opened.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, BoxDraft> Refusals => new()
    {
        { "no option \"colour\"", Webhook() with { Settings = new Dictionary<string, string> { ["url"] = "https://x.lan/", ["colour"] = "red" } } },
        { "is a secret", Webhook() with { Settings = new Dictionary<string, string> { ["url"] = "https://x.lan/", ["secret"] = Secret } } },
        { "is not a secret", Webhook() with { Secrets = new Dictionary<string, string> { ["secret"] = Secret, ["url"] = "https://x.lan/" } } },
        { "needs the shared secret", Webhook() with { Secrets = new Dictionary<string, string>() } },
        { "needs the url", Webhook() with { Settings = new Dictionary<string, string>() } },
        { "must start with https://", Webhook() with { Settings = new Dictionary<string, string> { ["url"] = "http://x.lan/" } } },
        { "too long", Webhook() with { Settings = new Dictionary<string, string> { ["url"] = "https://" + new string('a', 17 * 1024) } } },
        { "not a delivery method", Webhook() with { Delivery = "ftp" } },
        { "takes no options", Webhook() with { Delivery = "none", Secrets = new Dictionary<string, string>() } },
        { "There is no CA 99", Webhook() with { AuthorityId = 99 } },
        { "There is no certificate 99", Webhook() with { CertificateId = 99 } },
        { "at least one address", Webhook() with { Addresses = [] } },
        { "cannot be watched", Webhook() with { Watch = ["nas2:99999"] } },
        { "Give the box a name", Webhook() with { Name = " " } },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Add_BadInput_IsRefused_StoresNothing_AndIsAudited(string reason, BoxDraft draft)
    {
        var added = await Boxes.AddAsync(draft, "admin");

        Assert.False(added.IsSuccess);
        Assert.Contains(reason, added.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, added.Error, StringComparison.Ordinal);
        Assert.Empty(await Boxes.ListAsync());
        var audit = await _panel.LastAuditAsync();
        Assert.Equal((AuditActions.AddBox, AuditOutcome.Refused), (audit.Action, audit.Outcome));
    }

    [Fact]
    public async Task Add_SameNameInOtherCase_IsRefused()
    {
        await Boxes.AddAsync(Webhook("nas2"), "admin");

        var again = await Boxes.AddAsync(Webhook("NAS2"), "admin");

        Assert.False(again.IsSuccess);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
        Assert.Single(await Boxes.ListAsync());
    }

    [Fact]
    public async Task Add_CaCertificateOrCertificateWithoutKey_IsRefused()
    {
        var created = (await _panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas", "nas.lan"), "admin")).Value;

        var ca = await Boxes.AddAsync(Webhook() with { CertificateId = created.AuthorityCertificateId }, "admin");
        var leaf = await Boxes.AddAsync(Webhook() with { CertificateId = created.CertificateId, AuthorityId = created.AuthorityId }, "admin");

        Assert.Contains("is a CA certificate", ca.Error, StringComparison.Ordinal);
        Assert.True(leaf.IsSuccess, leaf.Error);
        Assert.Equal((created.CertificateId, created.AuthorityId), (leaf.Value.CertificateId, leaf.Value.AuthorityId));
    }

    [Fact]
    public async Task Delete_RemovesTheBoxAndItsEndpoints_KeepsCertificates()
    {
        var created = (await _panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas", "nas.lan"), "admin")).Value;
        await Boxes.AddAsync(Webhook() with { CertificateId = created.CertificateId }, "admin");

        var deleted = await Boxes.DeleteAsync("nas2", "admin");
        var missing = await Boxes.DeleteAsync("nas2", "admin");

        Assert.True(deleted.IsSuccess, deleted.Error);
        Assert.Contains("There is no box \"nas2\"", missing.Error, StringComparison.Ordinal);
        await using var db = _panel.Storage.CreateContext();
        Assert.Equal(0, await db.BoxEndpoints.CountAsync());
        Assert.True(await db.Certificates.AnyAsync(c => c.Id == created.CertificateId));
    }

    [Fact]
    public async Task SetEnabled_TogglesAndAudits()
    {
        await Boxes.AddAsync(Webhook(), "admin");

        var disabled = await Boxes.SetEnabledAsync("nas2", false, "admin");

        Assert.False(disabled.Value.Enabled);
        Assert.Equal(AuditActions.DisableBox, (await _panel.LastAuditAsync()).Action);
        Assert.True((await Boxes.SetEnabledAsync("nas2", true, "admin")).Value.Enabled);
    }

    // SQLite deletes its -shm and -wal files when the last connection closes, which may happen
    // between listing the folder and opening the file: a file gone by then held nothing.
    private static async Task<string> ReadIfStillThereAsync(string file)
    {
        try
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            return await reader.ReadToEndAsync();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }
}
