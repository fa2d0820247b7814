using System.Globalization;
using System.Text.Json;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>`cert edit`: the Edit dialog's description rules and its list of what uses the certificate.</summary>
public sealed class EditCommandTests : IDisposable
{
    private readonly CliDataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Id(JsonElement json, string name = "id") => json.GetProperty(name).GetInt32().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task CertEdit_DefaultCertificate_NewDescriptionListedAndThePanelSaidToUseIt()
    {
        var created = await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256", "--set-default");

        var edited = await _dir.RunAsync("cert", "edit", Id(created, "certificateId"), "--description", "  NAS (living room) ");

        Assert.True(edited.ExitCode == 0, edited.Error);
        Assert.Contains("is now described as \"NAS (living room)\"", edited.Output, StringComparison.Ordinal);
        Assert.Contains("Used by: the panel's HTTPS listener", edited.Output, StringComparison.Ordinal);
        var listed = await _dir.RunJsonAsync("cert", "list");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), i => i.GetProperty("description").GetString() == "NAS (living room)");
    }

    [Fact]
    public async Task CertEdit_RootCa_JsonNamesTheAuthority()
    {
        var created = await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256");

        var edited = await _dir.RunJsonAsync("cert", "edit", "1", "--description", "Home root");

        Assert.Equal(created.GetProperty("authorityId").GetInt32(), edited.GetProperty("authorityId").GetInt32());
        Assert.False(edited.GetProperty("servedByPanel").GetBoolean());
        Assert.Equal("Home root", edited.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("", "The description is empty")]
    [InlineData("line\nbreak", "control character")]
    [InlineData("tab\there", "control character")]
    public async Task CertEdit_BadDescription_RefusedWithTheReasonAndNothingChanged(string description, string reason)
    {
        var created = await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256", "--description", "NAS");

        var edited = await _dir.RunAsync("cert", "edit", Id(created, "certificateId"), "--description", description);

        Assert.Equal(1, edited.ExitCode);
        Assert.Contains(reason, edited.Error, StringComparison.Ordinal);
        var shown = await _dir.RunJsonAsync("cert", "list");
        Assert.Contains(shown.GetProperty("items").EnumerateArray(), i => i.GetProperty("description").GetString() == "NAS");
    }

    [Fact]
    public async Task CertEdit_OversizedDescription_Refused()
    {
        var created = await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256");

        var edited = await _dir.RunAsync("cert", "edit", Id(created, "certificateId"), "--description", new string('x', 201));

        Assert.Equal(1, edited.ExitCode);
        Assert.Contains("at most 200 are allowed", edited.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertEdit_NoDescriptionOrUnknownId_Refused()
    {
        await _dir.RunJsonAsync("cert", "create", "--cn", "nas.home.arpa", "--key", "p256");

        var missing = await _dir.RunAsync("cert", "edit", "2");
        var unknown = await _dir.RunAsync("cert", "edit", "99", "--description", "x");

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("--description", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("There is no certificate with id 99.", unknown.Error, StringComparison.Ordinal);
    }
}
