namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>An explicitly empty --san is refused, never dropped: the certificate would otherwise certify fewer names than asked.</summary>
public sealed class EmptyNameCommandTests : IDisposable
{
    private readonly CliDataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("nas.home.arpa,")]
    [InlineData("nas.home.arpa,,192.168.1.2")]
    public async Task CertCreate_EmptySan_RefusedAndNothingStored(string san)
    {
        var result = await _dir.RunAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256", "--san", san);

        CliDataDirectory.AssertRefused(result, "--san was given an empty name");
        Assert.Equal(0, (await _dir.RunJsonAsync("cert", "list")).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task CsrCreate_EmptySan_RefusedAndNothingStored(string san)
    {
        var csr = _dir.File("nas.csr");

        var result = await _dir.RunAsync("csr", "create", "--cn", "nas.home.arpa", "--key", "p256", "--san", san, "--out", csr);

        CliDataDirectory.AssertRefused(result, "--san was given an empty name");
        Assert.False(File.Exists(csr));
        Assert.Equal(0, (await _dir.RunJsonAsync("csr", "list")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("")]
    [InlineData("\t")]
    public async Task CsrSign_EmptySan_RefusedAndNothingStored(string san)
    {
        await _dir.RunJsonAsync("ca", "create", "--cn", "Home Root", "--key", "p256");
        var csr = _dir.File("nas2.csr");
        var other = await CliRun.RunAsync("csr", "create", "--cn", "nas2.home.arpa", "--san", "nas2.home.arpa", "--key", "p256", "--out", csr,
            "--data", _dir.File("box2"));
        Assert.True(other.ExitCode == 0, other.Error);
        var crt = _dir.File("nas2.crt");

        var result = await _dir.RunAsync("csr", "sign", csr, "--san", san, "--out", crt);

        CliDataDirectory.AssertRefused(result, "--san was given an empty name");
        Assert.False(File.Exists(crt));
        Assert.Equal(1, (await _dir.RunJsonAsync("cert", "list")).GetProperty("total").GetInt32());
    }
}
