using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>`alert add|list|test|disable|enable|delete|history` against a real data directory and a webhook receiver on loopback.</summary>
public sealed class AlertCommandTests : IDisposable
{
    private const string Secret = "cli-webhook-secret-0123456789";

    private readonly CliDataDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SecretFile()
    {
        var path = _dir.File("hook.secret");
        File.WriteAllText(path, Secret + "\n");
        return path;
    }

    [Fact]
    public async Task AddListTestHistoryDelete_AgreeAcrossTextAndJson_AndNeverPrintTheSecret()
    {
        using var receiver = new HttpListener();
        var port = FreePort();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        receiver.Start();
        var received = Task.Run(async () =>
        {
            var context = await receiver.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var signature = context.Request.Headers["X-Signature"];
            context.Response.StatusCode = 204;
            context.Response.Close();
            return (body.ToArray(), signature);
        });

        var added = await _dir.RunJsonAsync("alert", "add", "hook", "--channel", "webhook", "--url", $"http://127.0.0.1:{port}/alerts", "--secret-file", SecretFile());
        var listText = await _dir.RunAsync("alert", "list");
        var test = await _dir.RunAsync("alert", "test", "HOOK");
        var (body, signature) = await received.WaitAsync(TimeSpan.FromSeconds(30));
        var history = await _dir.RunJsonAsync("alert", "history", "--limit", "5");
        var historyText = await _dir.RunAsync("alert", "history");
        var disabled = await _dir.RunJsonAsync("alert", "disable", "1");
        var deleted = await _dir.RunAsync("alert", "delete", "hook");
        var listJson = await _dir.RunJsonAsync("alert", "list");

        Assert.Equal(("hook", "webhook", true), (added.GetProperty("name").GetString(), added.GetProperty("channel").GetString(), added.GetProperty("enabled").GetBoolean()));
        Assert.Equal(["secret"], added.GetProperty("secretsSet").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal($"1\thook\twebhook\tenabled\turl=http://127.0.0.1:{port}/alerts secret=(set)", listText.Output.TrimEnd('\n'));
        Assert.True(test.ExitCode == 0, test.Error);
        Assert.Equal("Sent a test message to hook: \"SynoCertPanel test message for hook\".", test.Output.TrimEnd('\n'));
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)), signature);
        var entry = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal(("hook", "test", "sent"), (entry.GetProperty("channel").GetString(), entry.GetProperty("event").GetString(), entry.GetProperty("outcome").GetString()));
        Assert.EndsWith("\thook\ttest\tsent\tSynoCertPanel test message for hook", historyText.Output.TrimEnd('\n'), StringComparison.Ordinal);
        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.Equal("Deleted alert channel 1 \"hook\".", deleted.Output.TrimEnd('\n'));
        Assert.Empty(listJson.GetProperty("items").EnumerateArray());
        foreach (var output in new[] { added.ToString(), listText.Output, test.Output, test.Error, history.ToString(), historyText.Output })
        {
            Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Test_ReceiverDown_ExitsOneWithTheReason_AndRecordsTheFailure()
    {
        var port = FreePort();
        await _dir.RunJsonAsync("alert", "add", "hook", "--channel", "webhook", "--url", $"http://127.0.0.1:{port}/alerts", "--secret-file", SecretFile());

        var test = await _dir.RunAsync("alert", "test", "hook");
        var history = await _dir.RunJsonAsync("alert", "history");

        CliDataDirectory.AssertRefused(test, $"The test message to hook was not delivered. Connect: Nothing answers at 127.0.0.1:{port}");
        var entry = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal("failed", entry.GetProperty("outcome").GetString());
        Assert.StartsWith("Connect: Nothing answers", entry.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alert add x --channel slack", "\"slack\" is not an alert channel")]
    [InlineData("alert add x --channel webhook --url ftp://hooks.lan/x --secret-file SECRET", "is not an http:// or https:// URL")]
    [InlineData("alert add x --channel webhook --url https://hooks.lan/x", "needs the signing secret (--secret-file)")]
    [InlineData("alert add x --channel email --host smtp.lan --from panel@home.arpa --to nobody", "\"nobody\" is not an e-mail address")]
    [InlineData("alert add x --channel email --host smtp.lan --port 70000 --from panel@home.arpa --to a@home.arpa", "must be a number from 1 to 65535")]
    [InlineData("alert add x --channel email --host smtp.lan --security none --from panel@home.arpa --to a@home.arpa", "allowed to this machine only")]
    [InlineData("alert add x --channel ntfy --topic lab --access-token-file MISSING", "does not exist")]
    [InlineData("alert test ghost", "There is no alert channel \"ghost\"")]
    [InlineData("alert delete 9", "There is no alert channel \"9\"")]
    [InlineData("alert history --limit 0", "--limit must be from 1 to 1000; 0 was given.")]
    public async Task BadInput_PrintsTheReason_ExitsOne_AndStoresNothing(string command, string reason)
    {
        var args = command.Split(' ').Select(a => a == "SECRET" ? SecretFile() : a == "MISSING" ? _dir.File("missing.token") : a).ToArray();

        var result = await _dir.RunAsync(args);

        CliDataDirectory.AssertRefused(result, reason);
        var list = await _dir.RunJsonAsync("alert", "list");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Add_SecretOnTheCommandLine_IsNotAnOption()
    {
        var result = await _dir.RunAsync("alert", "add", "phone", "--channel", "ntfy", "--topic", "lab", "--access-token", "tk_plain");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--access-token", result.Error, StringComparison.Ordinal);
        var list = await _dir.RunJsonAsync("alert", "list");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Edit_ChangesWhatIsGiven_KeepsTheSecretUnlessANewFileIsGiven_AndRefusesBadInput()
    {
        await _dir.RunJsonAsync("alert", "add", "hook", "--channel", "webhook", "--url", "https://hooks.lan/old", "--secret-file", SecretFile());
        var newSecret = _dir.File("new.secret");
        File.WriteAllText(newSecret, "another-cli-webhook-secret-987654\n");

        var renamed = await _dir.RunJsonAsync("alert", "edit", "HOOK", "--name", "lab-hook", "--url", "https://hooks.lan/new");
        var rotated = await _dir.RunAsync("alert", "edit", "lab-hook", "--secret-file", newSecret);
        var badUrl = await _dir.RunAsync("alert", "edit", "lab-hook", "--url", "javascript:alert(1)");
        var badName = await _dir.RunAsync("alert", "edit", "lab-hook", "--name", "<img src=x>");
        var noSuch = await _dir.RunAsync("alert", "edit", "pager", "--name", "x");
        var list = Assert.Single((await _dir.RunJsonAsync("alert", "list")).GetProperty("items").EnumerateArray());

        Assert.Equal(("lab-hook", "https://hooks.lan/new"), (renamed.GetProperty("name").GetString(), renamed.GetProperty("settings").GetProperty("url").GetString()));
        Assert.Equal(["secret"], renamed.GetProperty("secretsSet").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("Saved alert channel 1 \"lab-hook\" (webhook).", rotated.Output.TrimEnd('\n'));
        CliDataDirectory.AssertRefused(badUrl, "The webhook URL \"javascript:alert(1)\" is not an http:// or https:// URL.");
        Assert.Contains("is not allowed", badName.Error, StringComparison.Ordinal);
        Assert.Contains("There is no alert channel \"pager\"", noSuch.Error, StringComparison.Ordinal);
        Assert.Equal(("lab-hook", "https://hooks.lan/new"), (list.GetProperty("name").GetString(), list.GetProperty("settings").GetProperty("url").GetString()));
        foreach (var output in new[] { renamed.ToString(), rotated.Output, rotated.Error, badUrl.Error })
        {
            Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
            Assert.DoesNotContain("another-cli-webhook-secret", output, StringComparison.Ordinal);
        }
    }
}
