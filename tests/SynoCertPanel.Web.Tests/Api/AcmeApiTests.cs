using System.Net;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Tests.Acme;
using Client = SynoCertPanel.Api.Client.Models;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>/api/v1/acme through the generated client, against a real panel: what `acme …` does, its refusals, and the scopes it needs.</summary>
public sealed class AcmeApiTests : IAsyncLifetime
{
    private ApiPanel _api = null!;
    private string _admin = null!;
    private string _reader = null!;
    private string _adminOnly = null!;
    private int _ca;

    public async Task InitializeAsync()
    {
        _api = await ApiPanel.StartAsync();
        _admin = (await _api.CreateTokenAsync("acme-admin", ApiScopes.AcmeAdmin, ApiScopes.CertificatesRead)).Secret;
        _reader = (await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead)).Secret;
        _adminOnly = (await _api.CreateTokenAsync("admin-only", ApiScopes.AcmeAdmin)).Secret;
        _ca = (await new AuthorityService(_api.Storage, TimeProvider.System).ListAsync()).First(a => a.Name == "alpha.home.arpa Root CA").Id;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static Client.AcmePolicyBody HomePolicy => new() { LifetimeDays = 30, AllowDns = ["home.arpa"], AllowIp = ["192.168.1.0/24"] };

    [Fact]
    public async Task Directory_EnableShowUpdateDisable_AsTheCommandLineDoes()
    {
        using var http = ApiClientTests.PinnedHttpClient(_api);
        var admin = ApiClientTests.Client(http, _api, _admin);
        var reader = ApiClientTests.Client(http, _api, _reader);

        var enabled = await admin.Api.V1.Acme[_ca].PutAsync(HomePolicy);
        var shown = await reader.Api.V1.Acme[_ca].GetAsync();
        var directory = await _api.GetAsync(new Uri(shown!.DirectoryUrl!).AbsolutePath, token: null);
        var updated = await admin.Api.V1.Acme[_ca].PatchAsync(new Client.AcmePolicyBody { HttpPort = 8080, RequireEab = false, LifetimeHours = 12, PointToCrl = true });
        var listed = await reader.Api.V1.Acme.GetAsync();
        var disabled = await admin.Api.V1.Acme[_ca].Disable.PostAsync();
        var gone = await _api.GetAsync(new Uri(shown.DirectoryUrl!).AbsolutePath, token: null);

        Assert.Equal((_ca, true, 720, true), (enabled!.AuthorityId, enabled.Enabled, enabled.LifetimeHours, enabled.RequireEab));
        Assert.Equal(["home.arpa"], enabled.AllowDns);
        Assert.Equal(["192.168.1.0/24"], enabled.AllowIp);
        Assert.Equal(AcmeChallengeTypes.Defaults, enabled.Challenges);
        Assert.Equal($"{_api.Panel.Address}/acme/{_ca}/directory", shown.DirectoryUrl);
        Assert.Equal(($"{_api.Panel.Address}/acme/{_ca}/crl", false), (shown.CrlUrl, shown.PointToCrl));
        Assert.Equal(HttpStatusCode.OK, directory.StatusCode);
        Assert.Contains("\"newNonce\"", await directory.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((8080, false, 12, true), (updated!.HttpPort, updated.RequireEab, updated.LifetimeHours, updated.Enabled));
        Assert.Equal(["home.arpa"], updated.AllowDns);
        Assert.True(updated.PointToCrl);
        Assert.Equal(_ca, Assert.Single(listed!.Items!).AuthorityId);
        Assert.Equal((false, 8080), (disabled!.Enabled, disabled.HttpPort));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var audit = await _api.LastAuditAsync(AcmeDirectoryService.DisableAction);
        Assert.Equal("token:acme-admin", audit.Actor);
        Assert.Equal("token:acme-admin", (await _api.LastAuditAsync(AcmeDirectoryService.EnableAction)).Actor);
    }

    [Fact]
    public async Task EabKeysAccountsOrders_KeyShownOnce_AccountDeactivated()
    {
        using var http = ApiClientTests.PinnedHttpClient(_api);
        var admin = ApiClientTests.Client(http, _api, _admin);
        var reader = ApiClientTests.Client(http, _api, _reader);
        var enabled = await admin.Api.V1.Acme[_ca].PutAsync(HomePolicy);

        var created = await _api.SendJsonAsync(HttpMethod.Post, $"/api/v1/acme/{_ca}/eab-keys", _admin, "{\"label\":\"proxmox\"}");
        var key = await ApiCalls.JsonAsync(created, HttpStatusCode.Created);
        var keyId = key.GetProperty("keyId").GetString()!;
        var hmac = key.GetProperty("hmacKey").GetString()!;
        var unlabelled = await admin.Api.V1.Acme[_ca].EabKeys.PostAsync(new Client.CreateAcmeEabKeyBody());
        using var client = await AcmeTestClient.OpenAsync(enabled!.DirectoryUrl!);
        var account = await client.NewAccountAsync(new AcmeEabKeyCreated(keyId, hmac, "proxmox"));
        var keys = await reader.Api.V1.Acme[_ca].EabKeys.GetAsync();
        var keysText = await (await _api.GetAsync($"/api/v1/acme/{_ca}/eab-keys", _reader)).Content.ReadAsStringAsync();
        var revoked = await admin.Api.V1.Acme[_ca].EabKeys[unlabelled!.KeyId!].Revoke.PostAsync();
        var accounts = await reader.Api.V1.Acme[_ca].Accounts.GetAsync();
        var order = await client.NewOrderAsync(("dns", "pve.home.arpa"));
        var orders = await reader.Api.V1.Acme[_ca].Orders.GetAsync(r => r.QueryParameters.Limit = 1);
        var deactivated = await admin.Api.V1.Acme[_ca].Accounts[accounts!.Items![0].Id!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)].Deactivate.PostAsync();
        var refused = await client.NewOrderAsync(("dns", "pve.home.arpa"));
        var ordersAfter = await reader.Api.V1.Acme[_ca].Orders.GetAsync(r => r.QueryParameters.Limit = 1);

        Assert.Equal($"/api/v1/acme/{_ca}/eab-keys", created.Headers.Location?.OriginalString);
        Assert.Equal("proxmox", key.GetProperty("label").GetString());
        Assert.Equal(43, hmac.Length);
        Assert.Equal((43, ""), (unlabelled.HmacKey!.Length, unlabelled.Label));
        Assert.True(account.Status == 201, account.Text);
        Assert.Equal([keyId, unlabelled.KeyId], keys!.Items!.Select(k => k.KeyId));
        Assert.NotNull(keys.Items![0].AccountId);
        Assert.DoesNotContain(hmac, keysText, StringComparison.Ordinal);
        Assert.DoesNotContain("hmac", keysText, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(revoked!.RevokedAt);
        var item = Assert.Single(accounts.Items);
        Assert.Equal((keyId, "valid", "mailto:admin@lab.home.arpa"), (item.EabKeyId, item.Status, Assert.Single(item.Contact!)));
        Assert.True(order.Status == 201, order.Text);
        var listed = Assert.Single(orders!.Items!);
        Assert.Equal((item.Id, "pending", "dns:pve.home.arpa"), (listed.AccountId, listed.Status, Assert.Single(listed.Identifiers!)));
        Assert.Equal(AcmeStatus.Deactivated, deactivated!.Status);
        Assert.Equal("urn:ietf:params:acme:error:unauthorized", refused.ProblemType);
        // The pending order ended with its account, as when the client deactivates it.
        Assert.Equal("invalid", Assert.Single(ordersAfter!.Items!).Status);
        Assert.Equal("token:acme-admin", (await _api.LastAuditAsync(AcmeDirectoryService.DeactivateAccountAction)).Actor);
        Assert.Equal("token:acme-admin", (await _api.LastAuditAsync(AcmeDirectoryService.CreateEabAction)).Actor);
    }

    [Fact]
    public async Task Policy_BadInput_IsAProblemWithASentence_AndNothingIsStored()
    {
        using var http = ApiClientTests.PinnedHttpClient(_api);
        var admin = ApiClientTests.Client(http, _api, _admin);
        var keyless = await KeylessAuthorityAsync();

        var zero = await Refused(() => admin.Api.V1.Acme[_ca].PutAsync(new Client.AcmePolicyBody { LifetimeDays = 0, AllowDns = ["home.arpa"] }));
        var tooLong = await Refused(() => admin.Api.V1.Acme[_ca].PutAsync(new Client.AcmePolicyBody { LifetimeDays = 398, AllowDns = ["home.arpa"] }));
        var both = await Refused(() => admin.Api.V1.Acme[_ca].PutAsync(new Client.AcmePolicyBody { LifetimeDays = 1, LifetimeHours = 1, AllowDns = ["home.arpa"] }));
        var cidr = await Refused(() => admin.Api.V1.Acme[_ca].PutAsync(new Client.AcmePolicyBody { AllowIp = ["192.168.1.0/33"] }));
        var unconstrained = await Refused(() => admin.Api.V1.Acme[_ca].PutAsync(new Client.AcmePolicyBody()));
        var challenge = await Refused(() => admin.Api.V1.Acme[_ca].PutAsync(new Client.AcmePolicyBody { AllowDns = ["home.arpa"], Challenges = ["http-02"] }));
        var unknownCa = await Refused(() => admin.Api.V1.Acme[999].PutAsync(HomePolicy));
        var noKey = await Refused(() => admin.Api.V1.Acme[keyless].PutAsync(HomePolicy));
        var noDirectory = await Refused(() => admin.Api.V1.Acme[_ca].GetAsync());
        var notAnId = await _api.GetAsync("/api/v1/acme/abc", _admin);
        var unknownField = await _api.SendJsonAsync(HttpMethod.Put, $"/api/v1/acme/{_ca}", _admin, "{\"lifetime\":30}");
        var textNumber = await _api.SendJsonAsync(HttpMethod.Put, $"/api/v1/acme/{_ca}", _admin, "{\"lifetimeDays\":\"30\",\"allowDns\":[\"home.arpa\"]}");

        Assert.Equal((400, "The lifetime must be whole hours from 1 hour to 397 days (browsers refuse longer); 90 days is usual."), zero);
        Assert.Equal(zero, tooLong);
        Assert.Equal((400, "Give lifetimeDays or lifetimeHours, not both."), both);
        Assert.Equal(400, cidr.Status);
        Assert.Contains("192.168.1.0/33", cidr.Detail, StringComparison.Ordinal);
        Assert.StartsWith("This CA has no name constraints, so say which names", unconstrained.Detail, StringComparison.Ordinal);
        Assert.Equal((400, "\"http-02\" is not a challenge type. Choose from http-01, tls-alpn-01, dns-01."), challenge);
        Assert.Equal((404, "There is no CA with id 999 held here."), unknownCa);
        Assert.Equal(400, noKey.Status);
        Assert.StartsWith("The CA \"bravo.home.arpa Root CA\" is held here without its private key, so it cannot sign through ACME.", noKey.Detail, StringComparison.Ordinal);
        Assert.Equal((404, $"The CA \"alpha.home.arpa Root CA\" has no ACME directory yet. Turn it on with acme enable --ca {_ca}."), noDirectory);
        Assert.Equal("A CA id is a whole number from 1 up; \"abc\" was given.", await ApiPanel.ProblemDetailAsync(notAnId, 400));
        Assert.Contains("lifetime", await ApiPanel.ProblemDetailAsync(unknownField, 400), StringComparison.Ordinal);
        Assert.StartsWith("The body is not the JSON this call takes", await ApiPanel.ProblemDetailAsync(textNumber, 400), StringComparison.Ordinal);
        await using var db = _api.Storage.CreateContext();
        Assert.Empty(await db.AcmeDirectories.ToListAsync());
    }

    [Fact]
    public async Task Policy_BadChange_LeavesTheStoredPolicy()
    {
        using var http = ApiClientTests.PinnedHttpClient(_api);
        var admin = ApiClientTests.Client(http, _api, _admin);
        await admin.Api.V1.Acme[_ca].PutAsync(HomePolicy);

        var cidr = await Refused(() => admin.Api.V1.Acme[_ca].PatchAsync(new Client.AcmePolicyBody { AllowIp = ["10.0.0.0/8", "fd00::/129"], LifetimeDays = 7 }));
        var port = await Refused(() => admin.Api.V1.Acme[_ca].PatchAsync(new Client.AcmePolicyBody { HttpPort = 0 }));
        var label = await Refused(() => admin.Api.V1.Acme[_ca].EabKeys.PostAsync(new Client.CreateAcmeEabKeyBody { Label = new string('x', 101) }));
        var noKey = await Refused(() => admin.Api.V1.Acme[_ca].EabKeys["0badc0de"].Revoke.PostAsync());
        var noAccount = await Refused(() => admin.Api.V1.Acme[_ca].Accounts["9"].Deactivate.PostAsync());
        var notAnAccount = await Refused(() => admin.Api.V1.Acme[_ca].Accounts["abc"].Deactivate.PostAsync());
        var limit = await _api.GetAsync($"/api/v1/acme/{_ca}/orders?limit=0", _reader);
        var stored = await admin.Api.V1.Acme[_ca].GetAsync();

        Assert.Equal(400, cidr.Status);
        Assert.Contains("fd00::/129", cidr.Detail, StringComparison.Ordinal);
        Assert.Equal((400, "Validation ports must be from 1 to 65535."), port);
        Assert.Equal((400, "The label is at most 100 characters with no control characters (for example \"proxmox\")."), label);
        Assert.Equal((404, "There is no EAB key \"0badc0de\" for this CA's directory."), noKey);
        Assert.Equal((404, "There is no account 9 in this CA's directory."), noAccount);
        Assert.Equal((400, "An account id is a whole number from 1 up; \"abc\" was given."), notAnAccount);
        Assert.Equal("\"limit\" must be a whole number from 1 to 1000; \"0\" was given.", await ApiPanel.ProblemDetailAsync(limit, 400));
        Assert.Equal((720, 80), (stored!.LifetimeHours, stored.HttpPort));
        Assert.Equal(["192.168.1.0/24"], stored.AllowIp);
        Assert.Empty((await admin.Api.V1.Acme[_ca].EabKeys.GetAsync())!.Items!);
    }

    [Fact]
    public async Task Calls_WithoutTheirScope_AreRefused_AndChangeNothing()
    {
        using var http = ApiClientTests.PinnedHttpClient(_api);
        var admin = ApiClientTests.Client(http, _api, _admin);
        var reader = ApiClientTests.Client(http, _api, _reader);
        var adminOnly = ApiClientTests.Client(http, _api, _adminOnly);
        await admin.Api.V1.Acme[_ca].PutAsync(HomePolicy);

        var enable = await Refused(() => reader.Api.V1.Acme[_ca].PutAsync(new Client.AcmePolicyBody { LifetimeDays = 7 }));
        var key = await Refused(() => reader.Api.V1.Acme[_ca].EabKeys.PostAsync(new Client.CreateAcmeEabKeyBody { Label = "x" }));
        var disable = await Refused(() => reader.Api.V1.Acme[_ca].Disable.PostAsync());
        var resolve = await Refused(() => reader.Api.V1.Acme.Resolver.PutAsync(new Client.SetAcmeResolverBody { Entries = ["nas.home.arpa=127.0.0.1"] }));
        var list = await Refused(() => adminOnly.Api.V1.Acme.GetAsync());

        Assert.All(new[] { enable, key, disable, resolve }, r => Assert.Equal(403, r.Status));
        Assert.Contains("lacks the scope acme:admin,", enable.Detail, StringComparison.Ordinal);
        Assert.Equal(403, list.Status);
        Assert.Contains("lacks the scope certificates:read,", list.Detail, StringComparison.Ordinal);
        var stored = await reader.Api.V1.Acme[_ca].GetAsync();
        Assert.Equal((true, 720), (stored!.Enabled, stored.LifetimeHours));
        Assert.Empty((await reader.Api.V1.Acme[_ca].EabKeys.GetAsync())!.Items!);
        Assert.Empty((await reader.Api.V1.Acme.Resolver.GetAsync())!.Entries!);
    }

    [Fact]
    public async Task Resolver_SetAndRead_BadEntryKeepsTheList()
    {
        using var http = ApiClientTests.PinnedHttpClient(_api);
        var admin = ApiClientTests.Client(http, _api, _admin);

        var set = await admin.Api.V1.Acme.Resolver.PutAsync(new Client.SetAcmeResolverBody { Entries = ["nas.home.arpa=127.0.0.1", "nas.home.arpa=::1", "pve.home.arpa=127.0.0.2"] });
        var bad = await Refused(() => admin.Api.V1.Acme.Resolver.PutAsync(new Client.SetAcmeResolverBody { Entries = ["pve.home.arpa=127.0.0.3", "pve.home.arpa"] }));
        var read = await admin.Api.V1.Acme.Resolver.GetAsync();
        var cleared = await admin.Api.V1.Acme.Resolver.PutAsync(new Client.SetAcmeResolverBody { Entries = [] });

        Assert.Equal(["nas.home.arpa=127.0.0.1", "nas.home.arpa=::1", "pve.home.arpa=127.0.0.2"], set!.Entries);
        Assert.Equal((400, "\"pve.home.arpa\" is not NAME=ADDRESS (for example nas.lab.internal=192.168.1.20)."), bad);
        Assert.Equal(set.Entries, read!.Entries);
        Assert.Empty(cleared!.Entries!);
        Assert.Empty(await new AcmeResolver(_api.Storage).OverridesAsync());
        var audit = await _api.LastAuditAsync(AcmeDirectoryService.ResolveAction);
        Assert.Equal(("token:acme-admin", "cleared"), (audit.Actor, audit.Detail));
    }

    private static async Task<(int Status, string Detail)> Refused(Func<Task> call)
    {
        var problem = await Assert.ThrowsAsync<Client.ProblemDetails>(call);
        return (problem.ResponseStatusCode, problem.Detail!);
    }

    /// <summary>A CA whose key is not held here: the bravo root with its key taken from its row, as no page makes one.</summary>
    private async Task<int> KeylessAuthorityAsync()
    {
        await using var db = _api.Storage.CreateContext();
        var authority = await db.Authorities.Include(a => a.Certificate).SingleAsync(a => a.Certificate.CommonName == "bravo.home.arpa Root CA");
        authority.Certificate.PrivateKeyId = null;
        await db.SaveChangesAsync();
        return authority.Id;
    }
}
