using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Cli.Remote;

/// <summary>`cert list|show|create --server`: against a real panel, what the same command prints on the panel's own data directory.</summary>
public sealed class RemoteCommandTests : IAsyncLifetime
{
    private RemotePanelFixture _panel = null!;
    private string _writer = null!;

    public async Task InitializeAsync()
    {
        _panel = await RemotePanelFixture.StartAsync();
        _writer = await _panel.TokenFileAsync("cli", ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite);
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Theory]
    [InlineData("cert", "list")]
    [InlineData("cert", "list", "--json")]
    [InlineData("cert", "list", "--search", "bravo", "--json")]
    [InlineData("cert", "list", "--all", "--offset", "1", "--limit", "2")]
    [InlineData("cert", "list", "--offset", "2", "--json")]
    [InlineData("cert", "list", "--search", "Root CA", "--limit", "4", "--json")]
    public async Task List_Remote_PrintsWhatTheLocalCommandPrints(params string[] args)
    {
        var local = await _panel.LocalAsync(args);
        var remote = await _panel.RemoteAsync(_writer, args);

        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.Equal((0, string.Empty), (local.ExitCode, local.Error));
        Assert.Equal(local.Output, remote.Output);
        Assert.Equal(string.Empty, remote.Error);
        Assert.Contains("home.arpa", remote.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Show_Remote_PrintsWhatTheLocalCommandPrints(bool json)
    {
        var ids = (await new InventoryService(_panel.Storage, TimeProvider.System).ListRangeAsync(new CertificateQuery(), 0, null)).Items.Select(i => i.Id);
        foreach (var id in ids)
        {
            string[] args = ["cert", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture), .. json ? new[] { "--json" } : []];
            var local = await _panel.LocalAsync(args);
            var remote = await _panel.RemoteAsync(_writer, args);

            Assert.True(remote.ExitCode == 0, remote.Error);
            Assert.Equal(local.Output, remote.Output);
            Assert.Contains("-----BEGIN CERTIFICATE-----", remote.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Show_Remote_UnknownId_PrintsThePanelsSentence()
    {
        var local = await _panel.LocalAsync("cert", "show", "4242");
        var remote = await _panel.RemoteAsync(_writer, "cert", "show", "4242");

        CliDataDirectory.AssertRefused(remote, "There is no certificate with id 4242.");
        Assert.Equal(local.Error, remote.Error);
    }

    [Fact]
    public async Task Create_Remote_IssuesFromTheNamedCaAsTheLocalCommandDoes()
    {
        var authority = (await new AuthorityService(_panel.Storage, TimeProvider.System).ListAsync())[0];

        var remote = await _panel.RemoteAsync(_writer, "cert", "create", "--ca", $"{authority.Id}", "--cn", "delta.home.arpa",
            "--san", "delta.home.arpa,10.0.0.4", "--description", "delta web", "--json");
        var local = await _panel.LocalAsync("cert", "create", "--ca", $"{authority.Id}", "--cn", "echo.home.arpa", "--san", "echo.home.arpa", "--json");

        Assert.True(remote.ExitCode == 0, remote.Error);
        using var remoteJson = JsonDocument.Parse(remote.Output);
        using var localJson = JsonDocument.Parse(local.Output);
        Assert.Equal(localJson.RootElement.EnumerateObject().Select(p => p.Name), remoteJson.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(authority.Id, remoteJson.RootElement.GetProperty("authorityId").GetInt32());
        var inventory = new InventoryService(_panel.Storage, TimeProvider.System);
        var made = (await inventory.GetAsync(remoteJson.RootElement.GetProperty("id").GetInt32())).Value;
        var reference = (await inventory.GetAsync(localJson.RootElement.GetProperty("id").GetInt32())).Value;
        Assert.Equal("delta web", made.Summary.Description);
        Assert.Equal(["DNS:delta.home.arpa", "IP:10.0.0.4"], made.Summary.AlternativeNames);
        // The command's defaults, not the wizard's: the same key type and lifetime as the local command gives.
        Assert.Equal(reference.Certificate.PublicKey.ToString(), made.Certificate.PublicKey.ToString());
        Assert.Equal(reference.Certificate.NotAfter - reference.Certificate.NotBefore, made.Certificate.NotAfter - made.Certificate.NotBefore);
        Assert.Equal(reference.AuthorityId, made.AuthorityId);

        var text = await _panel.RemoteAsync(_writer, "cert", "create", "--ca", $"{authority.Id}", "--cn", "foxtrot.home.arpa", "--san", "foxtrot.home.arpa");
        Assert.Matches(@"^Created certificate \d+\n$", text.Output);
    }

    [Theory]
    [InlineData("there is no CA", "--ca", "999", "--cn", "x.home.arpa", "--san", "x.home.arpa")]
    [InlineData("3 CAs are held here; choose one with --ca (", "--cn", "x.home.arpa", "--san", "x.home.arpa")]
    [InlineData("--set-default", "--ca", "1", "--cn", "x.home.arpa", "--san", "x.home.arpa", "--set-default")]
    [InlineData("--san was given an empty name", "--ca", "1", "--cn", "x.home.arpa", "--san", "x.home.arpa,")]
    [InlineData("not allowed in a host name", "--ca", "1", "--cn", "x.home.arpa", "--san", "bad name!")]
    [InlineData("p256", "--ca", "1", "--cn", "x.home.arpa", "--san", "x.home.arpa", "--key", "rsa1024")]
    public async Task Create_Remote_BadInput_PrintsOneSentenceAndExits1(string expected, params string[] args)
    {
        var remote = await _panel.RemoteAsync(_writer, ["cert", "create", .. args]);

        Assert.Equal(Web.Cli.CliContext.Refused, remote.ExitCode);
        Assert.Contains(expected, remote.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Single(remote.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Create_Remote_ReadOnlyToken_NamesTheMissingScope()
    {
        var reader = await _panel.TokenFileAsync("reader", ApiScopes.CertificatesRead);

        var remote = await _panel.RemoteAsync(reader, "cert", "create", "--ca", "1", "--cn", "x.home.arpa", "--san", "x.home.arpa", "--json");

        CliDataDirectory.AssertRefused(remote, "This token lacks the scope certificates:write");
        using var json = JsonDocument.Parse(remote.Output);
        Assert.Contains("certificates:write", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Remote_TokenWithoutReadScope_NamesTheMissingScope()
    {
        var auditor = await _panel.TokenFileAsync("auditor", ApiScopes.AuditRead);

        CliDataDirectory.AssertRefused(await _panel.RemoteAsync(auditor, "cert", "list"), "lacks the scope certificates:read");
    }

    [Fact]
    public async Task List_Remote_UnknownOrRevokedToken_PrintsThePanelsSentence()
    {
        var unknown = RemotePanelFixture.WriteTokenFile(_panel.Panel.FilePath("unknown.token"), "scp_" + new string('a', 40));
        var revoked = await _panel.TokenFileAsync("revoked", ApiScopes.CertificatesRead);
        var id = (await new ApiTokenService(_panel.Storage, TimeProvider.System).ListAsync()).Single(t => t.Name == "revoked").Id;
        await new ApiTokenService(_panel.Storage, TimeProvider.System).RevokeAsync(id, "test");

        var first = await _panel.RemoteAsync(unknown, "cert", "list");
        var second = await _panel.RemoteAsync(revoked, "cert", "list");

        Assert.Equal(Web.Cli.CliContext.Refused, first.ExitCode);
        Assert.Single(first.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal(string.Empty, first.Output);
        CliDataDirectory.AssertRefused(second, "revoked");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CaList_Remote_PrintsWhatTheLocalCommandPrints(bool json)
    {
        string[] args = ["ca", "list", .. json ? new[] { "--json" } : []];
        var local = await _panel.LocalAsync(args);
        var remote = await _panel.RemoteAsync(_writer, args);

        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.Equal((0, string.Empty), (local.ExitCode, local.Error));
        Assert.Equal(local.Output, remote.Output);
        Assert.Contains("charlie.home.arpa Root CA", remote.Output, StringComparison.Ordinal);
        Assert.Contains(json ? "\"isRoot\":true" : "\troot", remote.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaList_Remote_TokenWithoutReadScope_NamesTheMissingScope()
    {
        var auditor = await _panel.TokenFileAsync("ca-auditor", ApiScopes.AuditRead);

        CliDataDirectory.AssertRefused(await _panel.RemoteAsync(auditor, "ca", "list"), "lacks the scope certificates:read");
    }

    [Fact]
    public async Task List_RemoteProcess_PrintsWhatTheLocalProcessPrints()
    {
        var remote = await CliProcess.RunAsync("--server", _panel.Address, "--token-file", _writer, "--fingerprint", _panel.ServedFingerprint, "cert", "list");
        var local = await CliProcess.RunAsync("--data", _panel.DataDirectory, "cert", "list");

        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.Equal(local.Output, remote.Output);
        Assert.Equal(6, remote.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task List_Remote_ManyPages_ListsEveryRowInOrder()
    {
        await using var big = await Browser.BrowserPanel.StartAsync(storage => Core.Tests.InventorySeeder.SeedAsync(storage, TimeProvider.System, 1_100));
        var api = (await new ApiTokenService(big.Services.GetRequiredService<Core.Storage.PanelStorage>(), TimeProvider.System)
            .CreateAsync(new ApiTokenRequest { Name = "pages", Scopes = [ApiScopes.CertificatesRead] }, "test")).Value;
        var tokenFile = RemotePanelFixture.WriteTokenFile(big.FilePath("pages.token"), api.Secret);
        var fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            big.Services.GetRequiredService<Hosting.CertificateHolder>().Current.Certificate.RawData));

        var remote = await CliRun.RunAsync("--server", big.Address, "--token-file", tokenFile, "--fingerprint", fingerprint, "cert", "list", "--offset", "3");
        var local = await CliRun.RunAsync("--data", big.DataDirectory, "cert", "list", "--offset", "3");

        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.True(remote.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 1_000);
        Assert.Equal(local.Output, remote.Output);
    }
}
