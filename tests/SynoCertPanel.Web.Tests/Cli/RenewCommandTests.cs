using System.Globalization;
using System.Text.Json;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>`cert renew`: issued here when the CA is held here, a pending request otherwise, as on the Renew page.</summary>
public sealed class RenewCommandTests : IDisposable
{
    private readonly CliDataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Id(JsonElement json, string name = "id") => json.GetProperty(name).GetInt32().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task CertRenew_IssuerHeldHereWithDaysKeyAndDefault_IssuesThatCertificateAndOpenSslVerifiesIt()
    {
        var created = await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--san", "192.168.1.10", "--key", "p256", "--days", "12");

        var renewed = await _dir.RunJsonAsync("cert", "renew", Id(created), "--days", "90", "--key", "p384", "--set-default");

        Assert.False(renewed.GetProperty("pending").GetBoolean());
        Assert.Equal(created.GetProperty("id").GetInt32(), renewed.GetProperty("renews").GetInt32());
        var shown = await _dir.RunJsonAsync("cert", "show", Id(renewed));
        var lifetime = shown.GetProperty("notAfter").GetDateTimeOffset() - shown.GetProperty("notBefore").GetDateTimeOffset();
        Assert.Equal(90, Math.Round(lifetime.TotalDays));
        Assert.Equal("ECDSA P-384", shown.GetProperty("key").GetString());
        Assert.True(shown.GetProperty("isDefault").GetBoolean());
        Assert.Equal(["192.168.1.10", "nas.home.arpa"], shown.GetProperty("alternativeNames").EnumerateArray().Select(n => n.GetString()).Order(StringComparer.Ordinal));
        await _dir.RunJsonAsync("cert", "export", "1", "--format", "pem", "--out", _dir.File("root.pem"));
        await File.WriteAllTextAsync(_dir.File("leaf.pem"), shown.GetProperty("pem").GetString());
        var verify = await CliProcess.RunToolAsync("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_ip", "192.168.1.10",
            "-CAfile", _dir.File("root.pem"), _dir.File("leaf.pem"));
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async Task CertRenew_NoDays_KeepsTheOldLifetime()
    {
        var created = await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256", "--days", "40");

        var renewed = await _dir.RunJsonAsync("cert", "renew", Id(created));

        var shown = await _dir.RunJsonAsync("cert", "show", Id(renewed));
        Assert.Equal(40, Math.Round((shown.GetProperty("notAfter").GetDateTimeOffset() - shown.GetProperty("notBefore").GetDateTimeOffset()).TotalDays));
    }

    [Fact]
    public async Task CertRenew_OfTheDefault_NewOneTakesItsPlaceAndListHidesTheOldUnlessAll()
    {
        var created = await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256", "--days", "12", "--set-default");

        var renewed = await _dir.RunJsonAsync("cert", "renew", Id(created), "--days", "30");

        Assert.True(renewed.GetProperty("isDefault").GetBoolean());
        Assert.Equal(created.GetProperty("id").GetInt32(), renewed.GetProperty("replaces").GetInt32());
        var current = await _dir.RunJsonAsync("cert", "list");
        var items = current.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(items.Count, current.GetProperty("total").GetInt32());
        Assert.DoesNotContain(items, i => i.GetProperty("id").GetInt32() == created.GetProperty("id").GetInt32());
        Assert.True(items.Single(i => i.GetProperty("id").GetInt32() == renewed.GetProperty("id").GetInt32()).GetProperty("isDefault").GetBoolean());
        var all = await _dir.RunJsonAsync("cert", "list", "--all");
        Assert.Equal(items.Count + 1, all.GetProperty("total").GetInt32());
        var old = all.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt32() == created.GetProperty("id").GetInt32());
        Assert.Equal(renewed.GetProperty("id").GetInt32(), old.GetProperty("replacedById").GetInt32());
        var text = await _dir.RunAsync("cert", "list", "--all");
        Assert.Contains($"replaced by {Id(renewed)}", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertRenew_DaysBeyondTheProfile_RefusedAndNothingStored()
    {
        var created = await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256");

        CliDataDirectory.AssertRefused(await _dir.RunAsync("cert", "renew", Id(created), "--days", "900"), "at most 825 days");
        Assert.Equal(2, (await _dir.RunJsonAsync("cert", "list")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task CertRenew_IssuerNotHeldHere_CreatesPendingRequestWhoseCsrOpenSslAccepts()
    {
        var created = await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--san", "192.168.1.10", "--key", "p256");
        await _dir.RunJsonAsync("cert", "delete", "1", "--force"); // the root made with it, the first row

        var renewed = await _dir.RunJsonAsync("cert", "renew", Id(created));

        Assert.True(renewed.GetProperty("pending").GetBoolean());
        var requests = (await _dir.RunJsonAsync("csr", "list")).GetProperty("items").EnumerateArray().ToList();
        var request = Assert.Single(requests);
        Assert.Equal(renewed.GetProperty("requestId").GetInt32(), request.GetProperty("id").GetInt32());
        var shown = await _dir.RunAsync("csr", "show", Id(renewed, "requestId"));
        Assert.Equal(0, shown.ExitCode);
        Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----", shown.Output, StringComparison.Ordinal);
        await File.WriteAllTextAsync(_dir.File("renew.csr"), shown.Output);
        var verify = await CliProcess.RunToolAsync("openssl", "req", "-verify", "-noout", "-text", "-in", _dir.File("renew.csr"));
        Assert.True(verify.ExitCode == 0, verify.Error);
        Assert.Contains("IP Address:192.168.1.10", verify.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--days", "30")]
    [InlineData("--set-default", null)]
    public async Task CertRenew_IssuerNotHeldHereWithIssueOnlyOption_RefusedAndNoRequestMade(string option, string? value)
    {
        var created = await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256");
        await _dir.RunJsonAsync("cert", "delete", "1", "--force"); // the root made with it, the first row

        var result = await _dir.RunAsync(value is null ? ["cert", "renew", Id(created), option] : ["cert", "renew", Id(created), option, value]);

        CliDataDirectory.AssertRefused(result, "is not held here, so the renewal is a request");
        Assert.Equal(0, (await _dir.RunJsonAsync("csr", "list")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("404", "There is no certificate with id 404")]
    [InlineData("1", "CA certificates are renewed by creating a new CA")]
    public async Task CertRenew_NotRenewable_Refused(string id, string expected)
    {
        await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256");

        CliDataDirectory.AssertRefused(await _dir.RunAsync("cert", "renew", id), expected);
    }

    [Fact]
    public async Task CertRenew_BadKeyType_RefusedBeforeOpeningTheData()
    {
        var result = await _dir.RunAsync("cert", "renew", "2", "--key", "dsa");

        Assert.Equal(1, result.ExitCode);
        Assert.False(Directory.Exists(_dir.Data));
    }
}
