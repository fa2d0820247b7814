using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Cli.Remote;

/// <summary>
/// `cert renew|set-default|delete --server`: two panels seeded alike, one changed over the API and one by the command on
/// its own data directory; the same command prints the same on both, refusals included.
/// </summary>
public sealed class RemoteChangeTests : IAsyncLifetime
{
    private RemotePanelFixture _remote = null!;
    private RemotePanelFixture _local = null!;
    private string _writer = null!;

    public async Task InitializeAsync()
    {
        _remote = await RemotePanelFixture.StartAsync();
        _local = await RemotePanelFixture.StartAsync();
        _writer = await _remote.TokenFileAsync("cli", ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite);
    }

    public async Task DisposeAsync()
    {
        await _remote.DisposeAsync();
        await _local.DisposeAsync();
    }

    /// <summary>Runs the command remotely on one panel and here on the other's data directory, and checks that both print the same.</summary>
    private async Task<(int ExitCode, string Output, string Error)> BothAsync(params string[] args)
    {
        var remote = await _remote.RemoteAsync(_writer, args);
        var local = await _local.LocalAsync(args);

        Assert.Equal((local.ExitCode, local.Output, local.Error), (remote.ExitCode, remote.Output, remote.Error));
        return remote;
    }

    /// <summary>As <see cref="BothAsync"/> for a JSON answer holding the new certificate's notAfter, which the two panels set a moment apart.</summary>
    private async Task<(int ExitCode, string Output, string Error)> BothJsonAsync(params string[] args)
    {
        var remote = await _remote.RemoteAsync(_writer, args);
        var local = await _local.LocalAsync(args);

        Assert.Equal((local.ExitCode, local.Error), (remote.ExitCode, remote.Error));
        using var remoteJson = JsonDocument.Parse(remote.Output);
        using var localJson = JsonDocument.Parse(local.Output);
        var remoteFields = remoteJson.RootElement.EnumerateObject().ToList();
        var localFields = localJson.RootElement.EnumerateObject().ToList();
        Assert.Equal(localFields.Select(f => f.Name), remoteFields.Select(f => f.Name));
        foreach (var (l, r) in localFields.Zip(remoteFields))
        {
            if (l.Name == "notAfter")
            {
                Assert.Equal(l.Value.GetString()!.Length, r.Value.GetString()!.Length);
                Assert.True((l.Value.GetDateTimeOffset() - r.Value.GetDateTimeOffset()).Duration() < TimeSpan.FromMinutes(1), $"{l.Value} {r.Value}");
            }
            else
            {
                Assert.Equal(l.Value.GetRawText(), r.Value.GetRawText());
            }
        }

        return remote;
    }

    private async Task<string> IdAsync(string description, bool authority = false)
    {
        var items = (await new InventoryService(_remote.Storage, TimeProvider.System).ListRangeAsync(new CertificateQuery(), 0, null)).Items;
        var local = (await new InventoryService(_local.Storage, TimeProvider.System).ListRangeAsync(new CertificateQuery(), 0, null)).Items;
        var id = items.Single(i => i.IsCertificateAuthority == authority && i.Description.Contains(description, StringComparison.Ordinal)).Id;
        Assert.Equal(id, local.Single(i => i.IsCertificateAuthority == authority && i.Description.Contains(description, StringComparison.Ordinal)).Id);
        return id.ToString(CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Renew_Remote_PrintsWhatTheLocalCommandPrints(bool json)
    {
        var id = await IdAsync("bravo");

        string[] args = ["cert", "renew", id, "--days", "30", "--key", "p256", .. json ? new[] { "--json" } : []];
        var renewed = json ? await BothJsonAsync(args) : await BothAsync(args);

        Assert.Equal(0, renewed.ExitCode);
        Assert.Contains(json ? $"\"renews\":{id}," : $"Renewed certificate {id} as certificate", renewed.Output, StringComparison.Ordinal);
        var remoteItems = (await new InventoryService(_remote.Storage, TimeProvider.System).ListRangeAsync(new CertificateQuery(), 0, null)).Items;
        Assert.DoesNotContain(remoteItems, i => i.Id.ToString(CultureInfo.InvariantCulture) == id);
        Assert.Equal(await _local.LocalAsync("cert", "list", "--all"), await _remote.RemoteAsync(_writer, "cert", "list", "--all"));
    }

    [Theory]
    [InlineData("4242", "There is no certificate with id 4242.")]
    [InlineData("root", "CA certificates are renewed by creating a new CA")]
    [InlineData("key", "Unknown key type")]
    public async Task Renew_Remote_Refused_PrintsThePanelsSentence(string which, string expected)
    {
        string[] args = which switch
        {
            "4242" => ["cert", "renew", "4242"],
            "root" => ["cert", "renew", await IdAsync("charlie", authority: true)],
            _ => ["cert", "renew", await IdAsync("alpha"), "--key", "dsa"],
        };

        CliDataDirectory.AssertRefused(await BothAsync(args), expected);
        CliDataDirectory.AssertRefused(await BothAsync([.. args, "--json"]), expected);
    }

    [Fact]
    public async Task Renew_Remote_ReadOnlyToken_NamesTheMissingScope()
    {
        var reader = await _remote.TokenFileAsync("reader", ApiScopes.CertificatesRead);

        CliDataDirectory.AssertRefused(await _remote.RemoteAsync(reader, "cert", "renew", await IdAsync("alpha")), "lacks the scope certificates:write");
        CliDataDirectory.AssertRefused(await _remote.RemoteAsync(reader, "cert", "set-default", await IdAsync("alpha")), "lacks the scope certificates:write");
        CliDataDirectory.AssertRefused(await _remote.RemoteAsync(reader, "cert", "delete", await IdAsync("alpha")), "lacks the scope certificates:write");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SetDefault_Remote_PrintsWhatTheLocalCommandPrints(bool json)
    {
        var id = await IdAsync(json ? "charlie" : "alpha");

        var served = await BothAsync(["cert", "set-default", id, .. json ? new[] { "--json" } : []]);

        Assert.Equal(0, served.ExitCode);
        Assert.Contains(id, served.Output, StringComparison.Ordinal);
        var remoteDefault = (await new InventoryService(_remote.Storage, TimeProvider.System).ListRangeAsync(new CertificateQuery(), 0, null)).Items
            .Single(i => i.IsDefault);
        Assert.Equal(id, remoteDefault.Id.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SetDefault_Remote_Unknown_PrintsThePanelsSentence()
    {
        CliDataDirectory.AssertRefused(await BothAsync("cert", "set-default", "4242"), "There is no certificate with id 4242.");
    }

    [Fact]
    public async Task SetDefault_Remote_CaCertificate_IsRefusedWithThePanelsSentence()
    {
        var remote = await _remote.RemoteAsync(_writer, "cert", "set-default", await IdAsync("alpha", authority: true));

        CliDataDirectory.AssertRefused(remote, "CA certificate");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Delete_Remote_PrintsWhatTheLocalCommandPrints(bool json)
    {
        var id = await IdAsync("bravo");

        var deleted = await BothAsync(["cert", "delete", id, .. json ? new[] { "--json" } : []]);

        Assert.Equal(0, deleted.ExitCode);
        Assert.Contains(id, deleted.Output, StringComparison.Ordinal);
        CliDataDirectory.AssertRefused(await BothAsync("cert", "show", id), $"There is no certificate with id {id}.");
    }

    [Fact]
    public async Task Delete_Remote_CaWithCertificates_IsRefusedUnlessForced()
    {
        var root = await IdAsync("charlie", authority: true);

        var refused = await BothAsync("cert", "delete", root);
        var forced = await BothAsync("cert", "delete", root, "--force", "--json");

        Assert.Equal(Web.Cli.CliContext.Refused, refused.ExitCode);
        Assert.Single(refused.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains(root, forced.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Remote_Unknown_PrintsThePanelsSentence()
    {
        CliDataDirectory.AssertRefused(await BothAsync("cert", "delete", "4242"), "There is no certificate with id 4242.");
        CliDataDirectory.AssertRefused(await BothAsync("cert", "delete", "4242", "--json"), "There is no certificate with id 4242.");
    }

    private string CsrFile(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        var path = _remote.Panel.FilePath(host + ".csr");
        File.WriteAllText(path, request.CreateSigningRequestPem());
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CsrSign_Remote_PrintsWhatTheLocalCommandPrints(bool json)
    {
        var csr = CsrFile("nas2.home.arpa");
        var root = (await new AuthorityService(_remote.Storage, TimeProvider.System).ListAsync())[1].Id.ToString(CultureInfo.InvariantCulture);
        var output = _remote.Panel.FilePath("nas2.pem");
        string[] args = ["csr", "sign", csr, "--ca", root, "--san", "nas2.home.arpa,10.0.0.12", "--out", output, .. json ? new[] { "--json" } : []];

        var remote = await _remote.RemoteAsync(_writer, args);
        var remotePem = File.ReadAllText(output);
        var local = await _local.LocalAsync(args);
        var localPem = File.ReadAllText(output);

        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.Equal((local.ExitCode, local.Output, local.Error), (remote.ExitCode, remote.Output, remote.Error));
        Assert.Equal(localPem.Split("-----BEGIN CERTIFICATE-----").Length, remotePem.Split("-----BEGIN CERTIFICATE-----").Length);
        using var leaf = X509Certificate2.CreateFromPem(remotePem);
        Assert.Equal("CN=nas2.home.arpa", leaf.Subject);
        Assert.Contains("10.0.0.12", leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().Select(a => a.ToString()));
    }

    [Theory]
    [InlineData("Several CAs are held here; choose one with --ca.")]
    [InlineData("There is no CA with id 99", "--ca", "99")]
    [InlineData("not allowed in a host name", "--ca", "1", "--san", "bad name!")]
    [InlineData("does not exist", "--ca", "1", "--file", "missing.csr")]
    public async Task CsrSign_Remote_Refused_PrintsOneSentence(string expected, params string[] more)
    {
        var csr = more.Contains("--file") ? _remote.Panel.FilePath("missing.csr") : CsrFile("nas3.home.arpa");
        string[] args = ["csr", "sign", csr, "--out", _remote.Panel.FilePath("nas3.pem"), .. more.Where(m => m != "--file" && m != "missing.csr")];

        var remote = await _remote.RemoteAsync(_writer, args);

        CliDataDirectory.AssertRefused(remote, expected);
        Assert.False(File.Exists(_remote.Panel.FilePath("nas3.pem")));
    }

    [Fact]
    public async Task Create_Remote_WithoutCa_FollowsTheOnlyCaRuleAsTheLocalCommandDoes()
    {
        string[] args = ["cert", "create", "--cn", "golf.home.arpa", "--san", "golf.home.arpa", "--json"];
        var several = await BothAsync(args);
        CliDataDirectory.AssertRefused(several, "3 CAs are held here; choose one with --ca (");

        await BothAsync("cert", "delete", await IdAsync("alpha", authority: true), "--force");
        await BothAsync("cert", "delete", await IdAsync("bravo", authority: true), "--force");
        var created = await BothAsync(args);

        Assert.Equal(0, created.ExitCode);
        using var json = JsonDocument.Parse(created.Output);
        var only = (await new AuthorityService(_remote.Storage, TimeProvider.System).ListAsync()).Single();
        Assert.Equal(only.Id, json.RootElement.GetProperty("authorityId").GetInt32());
        Assert.Matches(@"^Created certificate \d+\n$", (await _remote.RemoteAsync(_writer, "cert", "create", "--cn", "hotel.home.arpa", "--san", "hotel.home.arpa")).Output);
    }

    [Fact]
    public async Task Create_Remote_WithoutCa_PanelHoldingNone_IsRefusedWithoutMakingARoot()
    {
        foreach (var host in new[] { "alpha", "bravo", "charlie" })
        {
            Assert.Equal(0, (await _remote.RemoteAsync(_writer, "cert", "delete", await IdAsync(host, authority: true), "--force")).ExitCode);
        }

        var remote = await _remote.RemoteAsync(_writer, "cert", "create", "--cn", "golf.home.arpa", "--san", "golf.home.arpa");

        CliDataDirectory.AssertRefused(remote, "holds no CA, and the API makes a root only when asked");
        Assert.Empty(await new AuthorityService(_remote.Storage, TimeProvider.System).ListAsync());
    }

    [Fact]
    public async Task CsrListShowCancel_Remote_PrintWhatTheLocalCommandsPrint()
    {
        foreach (var panel in new[] { _remote, _local })
        {
            Assert.Equal(0, (await panel.LocalAsync("csr", "create", "--cn", "nas4.home.arpa", "--san", "nas4.home.arpa", "--out", panel.Panel.FilePath("nas4.csr"))).ExitCode);
        }

        var id = (await new RequestService(_remote.Storage, TimeProvider.System).ListAsync()).Single().Id.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(id, (await new RequestService(_local.Storage, TimeProvider.System).ListAsync()).Single().Id.ToString(CultureInfo.InvariantCulture));

        // The keys and CSRs differ between the panels; the lines and fields do not.
        Assert.Equal(0, (await BothAsync("csr", "list")).ExitCode);
        var remoteJson = await _remote.RemoteAsync(_writer, "csr", "list", "--json");
        var localJson = await _local.LocalAsync("csr", "list", "--json");
        Assert.Equal(await _remote.LocalAsync("csr", "list", "--json"), remoteJson);
        Assert.Contains("-----BEGIN CERTIFICATE REQUEST-----", remoteJson.Output, StringComparison.Ordinal);
        Assert.Equal(await _remote.LocalAsync("csr", "show", id), await _remote.RemoteAsync(_writer, "csr", "show", id));
        Assert.Equal(await _remote.LocalAsync("csr", "show", id, "--json"), await _remote.RemoteAsync(_writer, "csr", "show", id, "--json"));
        Assert.Equal(localJson.ExitCode, remoteJson.ExitCode);
        CliDataDirectory.AssertRefused(await BothAsync("csr", "show", "4242"), "4242");

        var cancelled = await BothAsync("csr", "cancel", id, "--json");
        Assert.Equal(0, cancelled.ExitCode);
        Assert.Contains("\"cancelled\":true", cancelled.Output, StringComparison.Ordinal);
        CliDataDirectory.AssertRefused(await BothAsync("csr", "cancel", id), id);
        Assert.Empty(await new RequestService(_remote.Storage, TimeProvider.System).ListAsync());
    }
}
