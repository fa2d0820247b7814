using System.Security.Cryptography.X509Certificates;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Cli.Remote;

/// <summary>Which server the remote command line talks to: the home CA, a pinned fingerprint, or the system store; never any.</summary>
public sealed class RemoteTrustTests : IAsyncLifetime
{
    private RemotePanelFixture _panel = null!;
    private string _reader = null!;

    public async Task InitializeAsync()
    {
        _panel = await RemotePanelFixture.StartAsync();
        _reader = await _panel.TokenFileAsync("reader", ApiScopes.CertificatesRead);
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private Task<(int ExitCode, string Output, string Error)> ListAsync(params string[] trust) =>
        CliRun.RunAsync(["--server", _panel.Address, "--token-file", _reader, .. trust, "cert", "list"]);

    [Fact]
    public async Task CaCertificate_ThePanelsCa_IsTrusted()
    {
        var result = await ListAsync("--cacert", _panel.CaFile());

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal((await _panel.LocalAsync("cert", "list")).Output, result.Output);
    }

    [Fact]
    public async Task CaCertificate_DerFromTheTrustPage_IsTrusted()
    {
        var der = _panel.Panel.FilePath("panel-ca.cer");
        File.WriteAllBytes(der, X509CertificateLoader.LoadCertificate(System.Text.Encoding.ASCII.GetBytes(File.ReadAllText(_panel.CaFile()))).RawData);

        var result = await ListAsync("--cacert", der);

        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public async Task CaCertificate_AnotherCa_IsRefusedNamingWhatWasServed()
    {
        var other = (await new AuthorityService(_panel.Storage, TimeProvider.System).ListAsync())
            .First(a => a.Subject.Contains("alpha", StringComparison.Ordinal));
        var pem = _panel.Panel.FilePath("alpha-ca.pem");
        File.WriteAllText(pem, (await new InventoryService(_panel.Storage, TimeProvider.System).GetAsync(other.CertificateId)).Value.Certificate.ToPem());

        var result = await ListAsync("--cacert", pem);

        CliDataDirectory.AssertRefused(result, $"served a certificate for");
        Assert.Contains(_panel.ServedFingerprint, result.Error, StringComparison.Ordinal);
        Assert.Contains($"which the CA in {pem} did not sign", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Fingerprint_OfTheServedCertificate_WithOrWithoutColons_IsTrusted()
    {
        foreach (var pin in new[] { _panel.ServedFingerprint, _panel.ServedFingerprint.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant() })
        {
            var result = await ListAsync("--fingerprint", pin);

            Assert.True(result.ExitCode == 0, result.Error);
        }
    }

    [Fact]
    public async Task Fingerprint_Mismatch_IsRefusedNamingTheServedOne()
    {
        var pinned = string.Join(':', Enumerable.Repeat("AB", 32));

        var result = await ListAsync("--fingerprint", pinned);

        CliDataDirectory.AssertRefused(result, $"(SHA-256 {_panel.ServedFingerprint}), not the pinned one (--fingerprint {pinned})");
    }

    [Fact]
    public async Task SystemStore_HomeCaNotInstalled_IsRefusedWithWhatToDo()
    {
        var result = await ListAsync();

        CliDataDirectory.AssertRefused(result, "which this machine does not trust; give the panel's CA with --cacert FILE (its trust page has it)");
        Assert.Contains(_panel.ServedFingerprint, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--fingerprint", "AB:CD")]
    [InlineData("--fingerprint", "zz")]
    public async Task Fingerprint_NotASha256_IsAUsageError(string option, string value)
    {
        var result = await ListAsync(option, value);

        Assert.Equal(Web.Cli.CliContext.UsageError, result.ExitCode);
        Assert.Contains("--fingerprint takes a SHA-256 fingerprint", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaCertificate_NotACertificate_IsRefused()
    {
        var junk = _panel.Panel.FilePath("junk.pem");
        File.WriteAllText(junk, "hello");

        CliDataDirectory.AssertRefused(await ListAsync("--cacert", junk), "is not a CA certificate file");
    }

    [Fact]
    public async Task CaCertificateAndFingerprint_Together_AreAUsageError()
    {
        var result = await ListAsync("--cacert", _panel.CaFile(), "--fingerprint", _panel.ServedFingerprint);

        Assert.Equal(Web.Cli.CliContext.UsageError, result.ExitCode);
        Assert.Contains("not both", result.Error, StringComparison.Ordinal);
    }
}
