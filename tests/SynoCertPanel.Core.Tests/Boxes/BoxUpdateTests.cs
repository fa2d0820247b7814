using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tests.Boxes;

/// <summary>Editing a box: each field, secrets kept unless replaced, the method's rules and sentences as on add, nothing changed on a refusal.</summary>
public sealed class BoxUpdateTests : IAsyncLifetime
{
    private const string Secret = "s3cret-that-must-not-leak";
    private const string NewSecret = "an0ther-secret-never-shown";
    private readonly RecordingDelivery _recording = new();
    private PanelFixture _panel = null!;

    private BoxService Boxes => new(_panel.Storage, new BoxDeliveries([new WatchOnlyDelivery(), _recording]), _panel.Time);

    public async Task InitializeAsync()
    {
        _panel = await PanelFixture.CreateAsync();
        var added = await Boxes.AddAsync(new BoxDraft
        {
            Name = "nas2",
            Addresses = ["nas2.home.arpa", "192.168.1.20"],
            Watch = ["nas2.home.arpa:5001", "192.168.1.20:443"],
            Delivery = "webhook",
            Settings = new Dictionary<string, string> { ["url"] = "https://hooks.lan/cert", ["mode"] = "0640" },
            Secrets = new Dictionary<string, string> { ["secret"] = Secret },
        }, "admin");
        Assert.True(added.IsSuccess, added.Error);
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private async Task<BoxRecord> StoredAsync()
    {
        await using var db = _panel.Storage.CreateContext();
        return await db.Boxes.AsNoTracking().Include(b => b.Endpoints).SingleAsync();
    }

    [Fact]
    public async Task Update_NameAddressesAndSetting_KeepsTheSecret_AndAuditsNamesOnly()
    {
        var updated = await Boxes.UpdateAsync("NAS2", new BoxChange
        {
            Name = "nas-two",
            Addresses = ["nas2.home.arpa", "10.0.0.2"],
            Settings = new Dictionary<string, string> { ["url"] = "https://hooks.lan/v2", ["mode"] = string.Empty },
            Secrets = new Dictionary<string, string> { ["secret"] = "  " },
        }, "admin");

        Assert.True(updated.IsSuccess, updated.Error);
        Assert.Equal("nas-two", updated.Value.Name);
        Assert.Equal(["nas2.home.arpa", "10.0.0.2"], updated.Value.Addresses);
        Assert.Equal(new Dictionary<string, string> { ["url"] = "https://hooks.lan/v2" }, updated.Value.Settings);
        Assert.Equal(["secret"], updated.Value.SecretsSet);
        var opened = (await Boxes.OpenTargetAsync("nas-two")).Value;
        Assert.Equal(Secret, opened.Target.SecretValue("secret"));
        Assert.Equal("0600", opened.Target.Setting("mode"));
        var audit = await _panel.LastAuditAsync();
        Assert.Equal((AuditActions.UpdateBox, "nas2", AuditOutcome.Succeeded), (audit.Action, audit.Target, audit.Outcome));
        Assert.Equal("Changed: name nas2 → nas-two; addresses nas2.home.arpa, 10.0.0.2; settings mode, url.", audit.Detail);
    }

    [Fact]
    public async Task Update_NewSecret_ReplacesIt_AuditSaysWhichNeverTheValue()
    {
        var updated = await Boxes.UpdateAsync("nas2", new BoxChange { Secrets = new Dictionary<string, string> { ["secret"] = NewSecret } }, "admin");

        Assert.True(updated.IsSuccess, updated.Error);
        Assert.Equal(NewSecret, (await Boxes.OpenTargetAsync("nas2")).Value.Target.SecretValue("secret"));
        var audit = await _panel.LastAuditAsync();
        Assert.Equal("Changed: secrets replaced secret.", audit.Detail);
        await using var db = _panel.Storage.CreateContext();
        Assert.DoesNotContain(await db.AuditEvents.Select(a => a.Detail).ToListAsync(), d => d.Contains(NewSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_Watch_KeepsTheStateOfEndpointsStillWatched_DropsTheOthers()
    {
        await using (var db = _panel.Storage.CreateContext())
        {
            foreach (var endpoint in await db.BoxEndpoints.ToListAsync())
            {
                endpoint.State = "ok";
                endpoint.Message = "probed " + endpoint.Host;
            }

            await db.SaveChangesAsync();
        }

        var before = (await StoredAsync()).Endpoints.ToDictionary(e => e.Host, e => e.Id);
        var updated = await Boxes.UpdateAsync("nas2", new BoxChange { Watch = ["NAS2.home.arpa:5001", "[fd00::20]:8443"] }, "admin");

        Assert.True(updated.IsSuccess, updated.Error);
        var endpoints = (await StoredAsync()).Endpoints.OrderBy(e => e.Id).ToList();
        Assert.Equal(["nas2.home.arpa:5001", "[fd00::20]:8443"], endpoints.Select(e => new WatchedEndpoint(e.Host, e.Port).ToString()));
        Assert.Equal((before["nas2.home.arpa"], "ok", "probed nas2.home.arpa"), (endpoints[0].Id, endpoints[0].State, endpoints[0].Message));
        Assert.Null(endpoints[1].State);
        await using var check = _panel.Storage.CreateContext();
        Assert.False(await check.BoxEndpoints.AnyAsync(e => e.Host == "192.168.1.20"));
    }

    [Fact]
    public async Task Update_ToAnotherMethod_KeepsNoneOfTheOldSettingsOrSecrets()
    {
        var updated = await Boxes.UpdateAsync("nas2", new BoxChange { Delivery = "none" }, "admin");

        Assert.True(updated.IsSuccess, updated.Error);
        Assert.Equal(DeliveryKind.None, updated.Value.Delivery);
        Assert.Empty(updated.Value.Settings);
        Assert.Empty(updated.Value.SecretsSet);
        Assert.Null((await StoredAsync()).SealedSecrets);
        Assert.Contains("delivery webhook → none", (await _panel.LastAuditAsync()).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_BackToAMethod_NeedsItsSecretsAgain()
    {
        await Boxes.UpdateAsync("nas2", new BoxChange { Delivery = "none" }, "admin");

        var refused = await Boxes.UpdateAsync("nas2", new BoxChange { Delivery = "webhook", Settings = new Dictionary<string, string> { ["url"] = "https://hooks.lan/" } }, "admin");

        Assert.False(refused.IsSuccess);
        Assert.Contains("needs the shared secret", refused.Error, StringComparison.Ordinal);
        Assert.Equal("none", (await StoredAsync()).Delivery);
    }

    [Fact]
    public async Task Update_Source_SetsAndClearsTheCaAndCertificate()
    {
        var created = (await _panel.SelfSigned.CreateAsync(PanelFixture.SelfSignedRequest("nas", "nas.lan"), "admin")).Value;

        var set = await Boxes.UpdateAsync("nas2", new BoxChange { Source = new BoxCertificateSource(created.AuthorityId, null) }, "admin");
        var kept = await Boxes.UpdateAsync("nas2", new BoxChange { Name = "nas2b" }, "admin");
        var cleared = await Boxes.UpdateAsync("nas2b", new BoxChange { Source = new BoxCertificateSource(null, null) }, "admin");

        Assert.Equal(created.AuthorityId, set.Value.AuthorityId);
        Assert.Equal(created.AuthorityId, kept.Value.AuthorityId);
        Assert.Null(cleared.Value.AuthorityId);
    }

    public static TheoryData<string, BoxChange> Refusals => new()
    {
        { "no option \"colour\"", new BoxChange { Settings = new Dictionary<string, string> { ["colour"] = "red" } } },
        { "is a secret", new BoxChange { Settings = new Dictionary<string, string> { ["secret"] = NewSecret } } },
        { "is not a secret", new BoxChange { Secrets = new Dictionary<string, string> { ["url"] = "https://x.lan/" } } },
        { "needs the url", new BoxChange { Settings = new Dictionary<string, string> { ["url"] = string.Empty } } },
        { "must start with https://", new BoxChange { Settings = new Dictionary<string, string> { ["url"] = "http://x.lan/" } } },
        { "too long", new BoxChange { Settings = new Dictionary<string, string> { ["url"] = "https://" + new string('a', 17 * 1024) } } },
        { "too long", new BoxChange { Secrets = new Dictionary<string, string> { ["secret"] = new string('s', 17 * 1024) } } },
        { "not a delivery method", new BoxChange { Delivery = "ftp" } },
        { "There is no CA 99", new BoxChange { Source = new BoxCertificateSource(99, null) } },
        { "There is no certificate 99", new BoxChange { Source = new BoxCertificateSource(null, 99) } },
        { "at least one address", new BoxChange { Addresses = [] } },
        { "cannot be watched", new BoxChange { Watch = ["nas2:99999"] } },
        { "Give the box a name", new BoxChange { Name = " " } },
        { "is not allowed", new BoxChange { Name = "<script>alert(1)</script>" } },
        { "is not allowed", new BoxChange { Name = new string('n', 500) } },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Update_BadInput_IsRefusedWithTheAddSentence_ChangesNothing_AndIsAudited(string reason, BoxChange change)
    {
        var before = await StoredAsync();

        var updated = await Boxes.UpdateAsync("nas2", change, "admin");

        Assert.False(updated.IsSuccess);
        Assert.Contains(reason, updated.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, updated.Error, StringComparison.Ordinal);
        var after = await StoredAsync();
        Assert.Equal((before.Name, before.Addresses, before.Delivery, before.Settings, before.AuthorityId, before.CertificateId),
            (after.Name, after.Addresses, after.Delivery, after.Settings, after.AuthorityId, after.CertificateId));
        Assert.Equal(before.SealedSecrets, after.SealedSecrets);
        Assert.Equal(before.Endpoints.OrderBy(e => e.Id).Select(e => (e.Id, e.Host, e.Port)), after.Endpoints.OrderBy(e => e.Id).Select(e => (e.Id, e.Host, e.Port)));
        var audit = await _panel.LastAuditAsync();
        Assert.Equal((AuditActions.UpdateBox, "nas2", AuditOutcome.Refused), (audit.Action, audit.Target, audit.Outcome));
    }

    [Fact]
    public async Task Update_ToANameTakenInOtherCase_IsRefused()
    {
        await Boxes.AddAsync(new BoxDraft { Name = "router", Addresses = ["192.168.1.1"] }, "admin");

        var updated = await Boxes.UpdateAsync("router", new BoxChange { Name = "NAS2" }, "admin");

        Assert.Equal("A box named \"NAS2\" already exists; choose another name.", updated.Error);
        Assert.Equal(["nas2", "router"], (await Boxes.ListAsync()).Select(b => b.Name));
    }

    [Fact]
    public async Task Update_MissingBox_IsRefusedAndAudited()
    {
        var updated = await Boxes.UpdateAsync("nas9", new BoxChange { Name = "x" }, "admin");

        Assert.Equal("There is no box \"nas9\"; `box list` shows the boxes and their ids.", updated.Error);
        Assert.Equal((AuditActions.UpdateBox, "nas9", AuditOutcome.Refused), ((await _panel.LastAuditAsync()).Action, (await _panel.LastAuditAsync()).Target, (await _panel.LastAuditAsync()).Outcome));
    }
}
