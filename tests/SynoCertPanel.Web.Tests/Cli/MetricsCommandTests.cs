using SynoCertPanel.Core.Metrics;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Tests.Cli;

public sealed class MetricsCommandTests : IDisposable
{
    private readonly CliDataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Show_NewDataDirectory_IsOff()
    {
        var json = await _dir.RunJsonAsync("metrics", "show");
        var text = await _dir.RunAsync("metrics", "show");

        Assert.False(json.GetProperty("enabled").GetBoolean());
        Assert.Equal("/metrics is off.\n", text.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Enable_WithRanges_IsStoredForThePanel_AndAudited()
    {
        var json = await _dir.RunJsonAsync("metrics", "enable", "--allow", "192.168.1.0/24", "--allow", "fd00::/8", "10.0.0.7");

        Assert.True(json.GetProperty("enabled").GetBoolean());
        Assert.Equal(["192.168.1.0/24", "fd00::/8", "10.0.0.7/32"], json.GetProperty("allowedRanges").EnumerateArray().Select(r => r.GetString()));
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(_dir.Data))).Value;
        var stored = await new MetricsAccessStore(storage, TimeProvider.System).LoadAsync();
        Assert.True(stored.IsSuccess, stored.Error);
        Assert.Equal("on, with a metrics:read token or from 192.168.1.0/24, fd00::/8, 10.0.0.7/32", stored.Value.ToString());
        await using var db = storage.CreateContext();
        var audit = Assert.Single(db.AuditEvents.Where(e => e.Action == MetricsAccessStore.AuditAction));
        Assert.Equal(AuditOutcome.Succeeded, audit.Outcome);
        Assert.StartsWith("cli:", audit.Actor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disable_AfterEnable_IsOffAndKeepsTheRanges()
    {
        await _dir.RunJsonAsync("metrics", "enable", "--allow", "127.0.0.0/8");

        var text = await _dir.RunAsync("metrics", "disable");
        var json = await _dir.RunJsonAsync("metrics", "show");

        Assert.Equal(0, text.ExitCode);
        Assert.False(json.GetProperty("enabled").GetBoolean());
        Assert.Equal(["127.0.0.0/8"], json.GetProperty("allowedRanges").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [InlineData("10.0.0.1/8", "\"10.0.0.1/8\" sets address bits past the /8 prefix; did you mean 10.0.0.0/8?")]
    [InlineData("192.168.1.0/33", "\"192.168.1.0/33\" has no valid prefix length: after the / comes a whole number from 0 to 32.")]
    [InlineData("nas.home.arpa", "\"nas.home.arpa\" is not an address range")]
    public async Task Enable_BadRange_IsRefusedWithTheReason_AndStaysOff(string range, string expected)
    {
        var result = await _dir.RunAsync("metrics", "enable", "--allow", range);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.False((await _dir.RunJsonAsync("metrics", "show")).GetProperty("enabled").GetBoolean());
    }
}
