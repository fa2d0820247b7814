using System.Text.Json;
using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Cli;

public sealed class TokenCommandTests : IDisposable
{
    private readonly CliDataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Create_Json_PrintsTheSecretOnceAndTheCheckAcceptsIt()
    {
        var created = await _dir.RunJsonAsync("token", "create", "--name", "ansible", "--scope", "certificates:read", "--scope", "keys:export", "--expires", "30");

        var secret = created.GetProperty("secret").GetString()!;
        Assert.Matches($"^scp_{created.GetProperty("id").GetInt32()}_[A-Za-z0-9_-]{{43}}$", secret);
        Assert.Equal("ansible", created.GetProperty("name").GetString());
        Assert.Equal(["certificates:read", "keys:export"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.String, created.GetProperty("expiresAt").ValueKind);
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(_dir.Data))).Value;
        var check = await new ApiTokenCheck(storage, TimeProvider.System).CheckAsync(secret);
        Assert.True(check.IsValid, check.Message);
        Assert.Equal("ansible", check.Token!.Name);
    }

    [Fact]
    public async Task Create_WithoutJson_PrintsTheSecretOnItsOwnLastLine()
    {
        var result = await _dir.RunAsync("token", "create", "--name", "grafana", "--scope", "certificates:read");

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Output.TrimEnd('\n').Split('\n');
        Assert.StartsWith("Created token 1 \"grafana\" (certificates:read), never expires.", lines[0], StringComparison.Ordinal);
        Assert.Matches("^scp_1_[A-Za-z0-9_-]{43}$", lines[^1]);
    }

    [Fact]
    public async Task List_NeverPrintsTheSecret_AndShowsStateAndLastUse()
    {
        var created = await _dir.RunJsonAsync("token", "create", "--name", "script", "--scope", "audit:read");
        var secret = created.GetProperty("secret").GetString()!;

        var json = await _dir.RunJsonAsync("token", "list");
        var text = await _dir.RunAsync("token", "list");

        var item = Assert.Single(json.GetProperty("items").EnumerateArray());
        Assert.Equal("script", item.GetProperty("name").GetString());
        Assert.Equal("active", item.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("lastUsedAt").ValueKind);
        Assert.StartsWith("cli:", item.GetProperty("createdBy").GetString(), StringComparison.Ordinal);
        Assert.False(item.TryGetProperty("secret", out _));
        Assert.Contains("1\tscript\taudit:read\tactive\tnever expires\tnever used", text.Output, StringComparison.Ordinal);
        foreach (var output in new[] { json.ToString(), text.Output })
        {
            Assert.DoesNotContain(secret[^43..], output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Revoke_ThenAgain_BothSucceedAndTheTokenIsRevoked()
    {
        await _dir.RunJsonAsync("token", "create", "--name", "script", "--scope", "audit:read");

        var first = await _dir.RunJsonAsync("token", "revoke", "1");
        var second = await _dir.RunAsync("token", "revoke", "1");

        Assert.Equal("revoked", first.GetProperty("state").GetString());
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.StartsWith("Token 1 \"script\" is revoked (since ", second.Output, StringComparison.Ordinal);
        var list = await _dir.RunJsonAsync("token", "list");
        Assert.Equal("revoked", list.GetProperty("items")[0].GetProperty("state").GetString());
        Assert.Equal(1, await CountAuditAsync(AuditActions.RevokeToken, AuditOutcome.Succeeded));
    }

    [Theory]
    [InlineData(new[] { "token", "revoke", "7" }, "There is no token with id 7.")]
    [InlineData(new[] { "token", "create", "--name", " ", "--scope", "audit:read" }, "Give the token a name")]
    [InlineData(new[] { "token", "create", "--name", "a\u001b[2Jb", "--scope", "audit:read" }, "control or invisible character")]
    [InlineData(new[] { "token", "create", "--name", "x", "--scope", "root" }, "There is no scope named root")]
    [InlineData(new[] { "token", "create", "--name", "x", "--scope", "audit:read", "--expires", "0" }, "The expiry must be 1 to 3650 days, or none; 0 was given.")]
    [InlineData(new[] { "token", "create", "--name", "x", "--scope", "audit:read", "--expires", "3651" }, "The expiry must be 1 to 3650 days, or none; 3651 was given.")]
    public async Task BadInput_IsRefusedWithOneLine(string[] args, string expected)
    {
        var result = await _dir.RunAsync(args);

        CliDataDirectory.AssertRefused(result, expected);
        Assert.DoesNotContain("scp_", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token", "create", "--name", "x")]
    [InlineData("token", "create", "--scope", "audit:read")]
    [InlineData("token", "create", "--name", "x", "--scope", "audit:read", "--expires", "soon")]
    [InlineData("token", "revoke", "one")]
    public async Task UsageError_Json_PrintsAnErrorObject(params string[] args)
    {
        var result = await _dir.RunAsync([.. args, "--json"]);

        Assert.NotEqual(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.True(json.RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Create_SameNameTwice_IsRefusedTheSecondTime()
    {
        await _dir.RunJsonAsync("token", "create", "--name", "backup", "--scope", "audit:read");

        var again = await _dir.RunAsync("token", "create", "--name", "Backup", "--scope", "audit:read");

        CliDataDirectory.AssertRefused(again, "A token named \"Backup\" is already in use");
    }

    private async Task<long> CountAuditAsync(string action, AuditOutcome outcome)
    {
        await using var connection = new SqliteConnection(new DataDirectory(_dir.Data).ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM AuditEvents WHERE Action = $action AND Outcome = $outcome";
        command.Parameters.AddWithValue("$action", action);
        command.Parameters.AddWithValue("$outcome", outcome.ToString());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
