using System.Text.Json;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Pki.Issuance;

namespace SynoCertPanel.Web.Tests.Cli.Remote;

/// <summary>
/// `csr create --server`: two panels seeded alike, one asked over the API and one by the command on its own data
/// directory; the same output, a CSR file of the same shape, and the key kept on the panel as a pending request.
/// </summary>
public sealed class RemoteCsrCreateTests : IAsyncLifetime
{
    private RemotePanelFixture _remote = null!;
    private RemotePanelFixture _local = null!;
    private string _writer = null!;
    private string _out = null!;

    public async Task InitializeAsync()
    {
        _remote = await RemotePanelFixture.StartAsync();
        _local = await RemotePanelFixture.StartAsync();
        _writer = await _remote.TokenFileAsync("cli", ApiScopes.CertificatesRead, ApiScopes.CertificatesWrite);
        _out = _remote.Panel.FilePath("request.csr");
    }

    public async Task DisposeAsync()
    {
        await _remote.DisposeAsync();
        await _local.DisposeAsync();
    }

    /// <summary>The command remotely on one panel and here on the other's data directory, each writing --out afresh: what each printed and wrote.</summary>
    private async Task<((int ExitCode, string Output, string Error) Run, string? Csr)[]> BothAsync(params string[] args)
    {
        string[] command = ["csr", "create", .. args, "--out", _out];
        File.Delete(_out);
        var remote = await _remote.RemoteAsync(_writer, command);
        var remoteCsr = File.Exists(_out) ? File.ReadAllText(_out) : null;
        File.Delete(_out);
        var local = await _local.LocalAsync(command);
        var localCsr = File.Exists(_out) ? File.ReadAllText(_out) : null;

        Assert.Equal(local, remote);
        return [(remote, remoteCsr), (local, localCsr)];
    }

    private static CertificateSigningRequest Parse(string pem)
    {
        var block = Pki.Formats.PemReader.ReadAll(System.Text.Encoding.ASCII.GetBytes(pem)).Value.Single();
        Assert.Equal("CERTIFICATE REQUEST", block.Label);
        var parsed = CertificateSigningRequest.FromDer(block.Data);
        Assert.True(parsed.IsSuccess, parsed.Error);
        return parsed.Value;
    }

    [Theory]
    [InlineData(false, "--cn", "nas.home.arpa", "--san", "nas.home.arpa,192.168.1.10", "--key", "p256")]
    [InlineData(true, "--cn", "nas.home.arpa", "--san", "nas.home.arpa", "--san", "files.home.arpa")]
    [InlineData(true, "--cn", "nas.home.arpa")]
    public async Task Create_Remote_PrintsWhatTheLocalCommandPrintsAndKeepsTheKeyOnThePanel(bool json, params string[] args)
    {
        var both = await BothAsync([.. args, .. json ? new[] { "--json" } : []]);

        var (remote, remoteCsr) = both[0];
        var (_, localCsr) = both[1];
        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.Contains(json ? "\"requestId\":1," : "(pending request 1; the key stays here)", remote.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", remoteCsr!, StringComparison.Ordinal);
        var made = Parse(remoteCsr!);
        var reference = Parse(localCsr!);
        Assert.Equal(reference.SubjectText, made.SubjectText);
        Assert.Equal(reference.SubjectAlternativeNames.Select(n => n.ToString()), made.SubjectAlternativeNames.Select(n => n.ToString()));
        Assert.Equal(reference.PublicKey.ToString(), made.PublicKey.ToString());
        var pending = await new RequestService(_remote.Storage, TimeProvider.System).GetAsync(1);
        Assert.True(pending.IsSuccess, pending.Error);
        Assert.Equal(remoteCsr, pending.Value.Request.ToPem());
        // No description was given: the panel's default, as here (the common name).
        Assert.Equal("nas.home.arpa", pending.Value.Description);
    }

    [Fact]
    public async Task Create_Remote_DefaultKey_IsTheLocalCommandsRsa2048()
    {
        var both = await BothAsync("--cn", "nas.home.arpa", "--san", "nas.home.arpa");

        Assert.Equal("RSA 2048", Parse(both[0].Csr!).PublicKey.ToString());
        Assert.Equal("RSA 2048", Parse(both[1].Csr!).PublicKey.ToString());
    }

    [Theory]
    [InlineData("--san was given an empty name", "--cn", "nas.home.arpa", "--san", "nas.home.arpa,")]
    [InlineData("not allowed in a host name", "--cn", "nas.home.arpa", "--san", "bad name!")]
    [InlineData("p256", "--cn", "nas.home.arpa", "--san", "nas.home.arpa", "--key", "rsa1024")]
    [InlineData("Common name", "--cn", "x\u0001y", "--san", "nas.home.arpa")]
    [InlineData("needs at least one DNS name or IP address", "--cn", "Office NAS")]
    public async Task Create_Remote_BadInput_PrintsTheLocalCommandsSentenceAndMakesNothing(string expected, params string[] args)
    {
        foreach (var json in new[] { false, true })
        {
            var both = await BothAsync([.. args, .. json ? new[] { "--json" } : []]);

            CliDataDirectory.AssertRefused(both[0].Run, expected);
            Assert.Null(both[0].Csr);
        }

        Assert.Empty(await new RequestService(_remote.Storage, TimeProvider.System).ListAsync());
    }

    [Fact]
    public async Task Create_Remote_ReadOnlyToken_NamesTheMissingScope()
    {
        var reader = await _remote.TokenFileAsync("reader", ApiScopes.CertificatesRead);

        var remote = await _remote.RemoteAsync(reader, "csr", "create", "--cn", "nas.home.arpa", "--san", "nas.home.arpa", "--out", _out, "--json");

        CliDataDirectory.AssertRefused(remote, "This token lacks the scope certificates:write");
        using var json = JsonDocument.Parse(remote.Output);
        Assert.Contains("certificates:write", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_out));
        Assert.Empty(await new RequestService(_remote.Storage, TimeProvider.System).ListAsync());
    }

    [Fact]
    public async Task Create_Remote_ThenListAndShow_SeeTheNewRequest()
    {
        var created = await _remote.RemoteAsync(_writer, "csr", "create", "--cn", "nas.home.arpa", "--san", "nas.home.arpa", "--key", "p256", "--out", _out);
        Assert.True(created.ExitCode == 0, created.Error);

        var listed = await _remote.RemoteAsync(_writer, "csr", "list");
        Assert.StartsWith("1\tnas.home.arpa\tDNS:nas.home.arpa\tsince ", listed.Output, StringComparison.Ordinal);
        Assert.Equal(await _remote.LocalAsync("csr", "show", "1"), await _remote.RemoteAsync(_writer, "csr", "show", "1"));
    }
}
