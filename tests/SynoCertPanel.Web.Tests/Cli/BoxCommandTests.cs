using System.Text.Json;

namespace SynoCertPanel.Web.Tests.Cli;

public sealed class BoxCommandTests : IDisposable
{
    private readonly CliDataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Add_ThenListShowDisableDelete_AgreeAcrossTextAndJson()
    {
        var added = await _dir.RunJsonAsync("box", "add", "router", "--address", "192.168.1.1", "--address", "router.home.arpa", "--watch", "192.168.1.1:8443");

        Assert.Equal("router", added.GetProperty("name").GetString());
        Assert.Equal("none", added.GetProperty("delivery").GetString());
        Assert.Equal(["192.168.1.1", "router.home.arpa"], added.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        var endpoint = Assert.Single(added.GetProperty("endpoints").EnumerateArray());
        Assert.Equal(("192.168.1.1", 8443), (endpoint.GetProperty("host").GetString(), endpoint.GetProperty("port").GetInt32()));

        var list = await _dir.RunAsync("box", "list");
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Equal("1\trouter\tnone\tenabled\t192.168.1.1, router.home.arpa\t192.168.1.1:8443 not probed", list.Output.TrimEnd('\n'));

        var show = await _dir.RunAsync("box", "show", "ROUTER");
        Assert.Contains("Box 1: router (enabled)", show.Output, StringComparison.Ordinal);
        Assert.Contains("Delivery: Watch only", show.Output, StringComparison.Ordinal);
        Assert.Contains("192.168.1.1:8443: not probed yet", show.Output, StringComparison.Ordinal);

        var disabled = await _dir.RunJsonAsync("box", "disable", "1");
        Assert.False(disabled.GetProperty("enabled").GetBoolean());

        var deleted = await _dir.RunAsync("box", "delete", "router");
        Assert.Equal("Deleted box 1 \"router\".", deleted.Output.TrimEnd('\n'));
        var empty = await _dir.RunJsonAsync("box", "list");
        Assert.Empty(empty.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("box add nas --address nas.lan --delivery ftp", "\"ftp\" is not a delivery method")]
    [InlineData("box add nas --address bad_name!", "bad_name!")]
    [InlineData("box add nas --address nas.lan --watch nas.lan:70000", "from 1 to 65535")]
    [InlineData("box add <x> --address nas.lan", "is not allowed")]
    [InlineData("box add nas --address nas.lan --ca 7", "There is no CA 7")]
    [InlineData("box show ghost", "There is no box \"ghost\"")]
    [InlineData("box delete 42", "There is no box \"42\"")]
    public async Task BadInput_PrintsTheReason_AndExitsNonZero(string command, string reason)
    {
        var result = await _dir.RunAsync(command.Split(' '));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        var list = await _dir.RunJsonAsync("box", "list");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Add_SameNameTwice_IsRefusedWithJsonError()
    {
        await _dir.RunJsonAsync("box", "add", "nas", "--address", "nas.lan");

        var again = await _dir.RunAsync("--json", "box", "add", "NAS", "--address", "nas2.lan");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", JsonDocument.Parse(again.Output).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_ChangesWhatIsGiven_KeepsTheSecret_AndForgetsThePin()
    {
        var secretFile = _dir.File("hook.secret");
        await File.WriteAllTextAsync(secretFile, "cli-box-signing-secret-0123456789\n");
        await _dir.RunJsonAsync("box", "add", "hook", "--address", "hook.lan", "--watch", "hook.lan:8443", "--delivery", "webhook",
            "--url", "https://hook.lan/certificates", "--secret-file", secretFile,
            "--tls-fingerprint", "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99");

        var edited = await _dir.RunJsonAsync("box", "edit", "HOOK", "--name", "hook2", "--watch", "hook.lan:9443", "--watch", "10.0.0.9:443",
            "--url", "https://hook.lan/v2", "--forget-pin");
        var text = await _dir.RunAsync("box", "edit", "hook2", "--address", "hook.lan", "--address", "10.0.0.9");

        Assert.Equal("hook2", edited.GetProperty("name").GetString());
        Assert.Equal(["hook.lan:9443", "10.0.0.9:443"], edited.GetProperty("endpoints").EnumerateArray().Select(e => $"{e.GetProperty("host").GetString()}:{e.GetProperty("port").GetInt32()}"));
        Assert.Equal("https://hook.lan/v2", edited.GetProperty("settings").GetProperty("url").GetString());
        Assert.False(edited.GetProperty("settings").TryGetProperty("tls-fingerprint", out _));
        Assert.Equal(["secret"], edited.GetProperty("secretsSet").EnumerateArray().Select(s => s.GetString()));
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.StartsWith("Saved.\nBox 1: hook2 (enabled)\nAddresses: hook.lan, 10.0.0.9\n", text.Output, StringComparison.Ordinal);
        Assert.Contains("  secret: (set, not shown)", text.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cli-box-signing-secret", edited.ToString() + text.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("box edit nas --watch nas.lan:70000", "from 1 to 65535")]
    [InlineData("box edit nas --name <x>", "is not allowed")]
    [InlineData("box edit nas --delivery ftp", "\"ftp\" is not a delivery method")]
    [InlineData("box edit nas --delivery webhook --url https://hook.lan/", "needs the signing secret")]
    [InlineData("box edit nas --colour red", "colour")]
    [InlineData("box edit nas --ca 7", "There is no CA 7")]
    [InlineData("box edit nas --ca 7 --no-source", "not both")]
    [InlineData("box edit ghost --name x", "There is no box \"ghost\"")]
    public async Task Edit_BadInput_PrintsTheReason_ExitsNonZero_ChangesNothing(string command, string reason)
    {
        var before = await _dir.RunJsonAsync("box", "add", "nas", "--address", "nas.lan", "--watch", "nas.lan:5001");

        var result = await _dir.RunAsync(command.Split(' '));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        var after = Assert.Single((await _dir.RunJsonAsync("box", "list")).GetProperty("items").EnumerateArray());
        Assert.Equal(before.ToString(), after.ToString());
    }
}
