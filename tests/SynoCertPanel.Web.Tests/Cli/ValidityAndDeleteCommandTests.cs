using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SynoCertPanel.Web.Cli;
using SynoCertPanel.Web.Tests.Listener;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>Validity abuse, delete refusals and the choice of CA, through the command line with a clock the test moves.</summary>
public sealed class ValidityAndDeleteCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-cli-validity-").FullName;
    private readonly MutableClock _clock = new();

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PanelCommandLine.RunAsync([.. args, "--data", Data], output, error, _clock);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<JsonElement> RunJsonAsync(params string[] args)
    {
        var result = await RunAsync([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.Clone();
    }

    private async Task<int> CreateCaAsync(string name, params string[] extra) =>
        (await RunJsonAsync(["ca", "create", "--cn", name, "--key", "p256", .. extra])).GetProperty("id").GetInt32();

    private static void AssertRefused((int ExitCode, string Output, string Error) result, string expected)
    {
        Assert.Equal(CliContext.Refused, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cert", "0", "at least one day")]
    [InlineData("cert", "-1", "at least one day")]
    [InlineData("cert", "826", "at most 825 days")]
    [InlineData("ca", "0", "at least one day")]
    [InlineData("ca", "-30", "at least one day")]
    public async Task Create_DaysOutOfRange_RefusedAndNothingStored(string what, string days, string expected)
    {
        var args = what == "ca"
            ? new[] { "ca", "create", "--cn", "Home Root", "--key", "p256", $"--days={days}" }
            : ["cert", "create", "--cn", "nas.home.arpa", "--key", "p256", $"--days={days}"];

        var result = await RunAsync(args);

        AssertRefused(result, expected);
        Assert.Equal(0, (await RunJsonAsync("cert", "list")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("0", "at least one day")]
    [InlineData("900", "at most 825 days")]
    public async Task CsrSign_DaysOutOfRange_RefusedAndNoFileWritten(string days, string expected)
    {
        await CreateCaAsync("Home Root");
        var csr = Path.Combine(_root, "nas2.csr");
        var other = await PanelCommandLine.RunAsync(["csr", "create", "--cn", "nas2.home.arpa", "--key", "p256", "--out", csr, "--data", Path.Combine(_root, "box2")],
            TextWriter.Null, TextWriter.Null, _clock);
        Assert.Equal(0, other);
        var crt = Path.Combine(_root, "nas2.crt");

        var result = await RunAsync("csr", "sign", csr, $"--days={days}", "--out", crt);

        AssertRefused(result, expected);
        Assert.False(File.Exists(crt));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(-2)]
    public async Task CertCreate_CaNotValidNow_RefusedNamingTheCa(int daysFromNow)
    {
        await CreateCaAsync("Short Root", "--days", "30");
        _clock.Offset = TimeSpan.FromDays(daysFromNow);

        var result = await RunAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256");

        AssertRefused(result, "is not valid now");
        Assert.Contains("Short Root", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertCreate_LongerThanTheCa_ClippedToItsEndAndSaysSo()
    {
        var ca = await RunJsonAsync("ca", "create", "--cn", "Short Root", "--key", "p256", "--days", "30");
        var caEnd = ca.GetProperty("notAfter").GetDateTimeOffset();

        var result = await RunAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256", "--days", "397", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"warning: The validity was shortened to end with the CA's own on {caEnd:yyyy-MM-dd}", result.Error, StringComparison.Ordinal);
        using var created = JsonDocument.Parse(result.Output);
        var shown = await RunJsonAsync("cert", "show", created.RootElement.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(caEnd, shown.GetProperty("notAfter").GetDateTimeOffset());
    }

    [Fact]
    public async Task CertCreate_OneCaAndNoCaOption_IssuedFromThatCa()
    {
        var ca = await CreateCaAsync("Home Root");

        var created = await RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256");

        Assert.Equal(ca, created.GetProperty("authorityId").GetInt32());
        Assert.Equal(1, (await RunJsonAsync("ca", "list")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task CertCreate_TwoCasAndNoCaOption_RefusedNamingBoth()
    {
        var first = await CreateCaAsync("First Root");
        var second = await CreateCaAsync("Second Root");

        var result = await RunAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256");

        AssertRefused(result, $"2 CAs are held here; choose one with --ca ({first}, {second}).");
    }

    [Fact]
    public async Task CertDelete_DefaultCertificate_RefusedAndKept()
    {
        var created = await RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256", "--set-default");
        var id = created.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture);

        var result = await RunAsync("cert", "delete", id, "--force");

        AssertRefused(result, "This is the certificate the panel serves; make another one the default first.");
        Assert.True((await RunJsonAsync("cert", "show", id)).GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task CertDelete_CaWithUnexpiredCertificates_RefusedUnlessForced()
    {
        var ca = await RunJsonAsync("ca", "create", "--cn", "Home Root", "--key", "p256");
        await RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256");
        var caCertificate = ca.GetProperty("certificateId").GetInt32().ToString(CultureInfo.InvariantCulture);

        var refused = await RunAsync("cert", "delete", caCertificate);
        var forced = await RunAsync("cert", "delete", caCertificate, "--force");

        AssertRefused(refused, "This CA still has 1 unexpired certificate(s) here");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Equal(0, (await RunJsonAsync("ca", "list")).GetProperty("items").GetArrayLength());
    }
}
