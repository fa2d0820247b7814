using System.Globalization;
using System.Text.Json;
using SynoCertPanel.Core.Tests.Boxes.Webhook;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>`service list|set`: the listener set as `cert set-default` does, a box deployed to as `box deploy` does (to a real webhook receiver).</summary>
public sealed class ServiceCommandTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "a-signing-secret-of-32-characters";
    private readonly CliDataDirectory _dir = new();
    private WebhookBox _receiver = null!;

    public Task InitializeAsync()
    {
        _receiver = WebhookBox.Start(Secret);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private async Task<string> CreateAsync(params string[] names)
    {
        var created = await _dir.RunJsonAsync(["cert", "create", "--cn", names[0], "--san", string.Join(',', names), "--key", "p256"]);
        return created.GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture);
    }

    private async Task AddReceiverAsync()
    {
        var secret = _dir.File("secret");
        await File.WriteAllTextAsync(secret, Secret);
        await _dir.RunJsonAsync("box", "add", "hooked", "--address", "localhost", "--address", "127.0.0.1",
            "--watch", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_receiver.TlsPort}"), "--delivery", "webhook", "--url", _receiver.Url,
            "--secret-file", secret);
    }

    [Fact]
    public async Task SetListener_MakesItTheDefault_AndListSaysSo()
    {
        await CreateAsync("first.lan");
        var second = await CreateAsync("second.lan");

        var set = await _dir.RunAsync("service", "set", "listener", "--certificate", second);
        var list = await _dir.RunJsonAsync("service", "list");

        Assert.True(set.ExitCode == 0, set.Error);
        Assert.Equal($"Certificate {second} is now the default", set.Output.TrimEnd('\n'));
        var listener = list.GetProperty("items")[0];
        Assert.Equal(("listener", "listener"), (listener.GetProperty("service").GetString(), listener.GetProperty("kind").GetString()));
        Assert.Equal(second, listener.GetProperty("uses").GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture));
        Assert.Equal("second.lan", listener.GetProperty("uses").GetProperty("description").GetString());
        Assert.True((await _dir.RunJsonAsync("cert", "show", second)).GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task SetBox_DeploysAndVerifies_ThenListNamesTheCertificate()
    {
        await AddReceiverAsync();
        var certificate = await CreateAsync("localhost", "127.0.0.1");

        var set = await _dir.RunJsonAsync("service", "set", "box:HOOKED", "--certificate", certificate);
        var list = await _dir.RunAsync("service", "list");
        var json = await _dir.RunJsonAsync("service", "list");

        Assert.Equal("succeeded", set.GetProperty("outcome").GetString());
        Assert.Equal(certificate, set.GetProperty("certificateId").GetInt32().ToString(CultureInfo.InvariantCulture));
        Assert.Single(_receiver.Received);
        var lines = list.Output.TrimEnd('\n').Split('\n');
        Assert.StartsWith("listener\t", lines[0], StringComparison.Ordinal);
        Assert.Equal($"box:hooked\tcertificate {certificate} \"localhost\" until ", lines[1][..(lines[1].LastIndexOf(' ') + 1)]);
        Assert.StartsWith($"  127.0.0.1:{_receiver.TlsPort}\t", lines[2], StringComparison.Ordinal);
        var box = json.GetProperty("items")[1];
        Assert.Equal(("box:hooked", "box", true), (box.GetProperty("service").GetString(), box.GetProperty("kind").GetString(), box.GetProperty("canSet").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, box.GetProperty("setRefusal").ValueKind);
    }

    [Fact]
    public async Task List_WatchOnlyBox_SaysWhyItCannotBeSet()
    {
        await _dir.RunJsonAsync("box", "add", "printer", "--address", "printer.lan");

        var list = await _dir.RunJsonAsync("service", "list");

        var printer = list.GetProperty("items")[1];
        Assert.False(printer.GetProperty("canSet").GetBoolean());
        Assert.Contains("is watched only", printer.GetProperty("setRefusal").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, printer.GetProperty("uses").ValueKind);
        Assert.Equal("printer.lan:443", Assert.Single(printer.GetProperty("endpoints").EnumerateArray()).GetProperty("endpoint").GetString());
    }

    [Theory]
    [InlineData("service set printer --certificate 1", "There is no service \"printer\"; name one as `listener` or `box:NAME`")]
    [InlineData("service set box: --certificate 1", "There is no service \"box:\"")]
    [InlineData("service set box:ghost --certificate 1", "There is no box \"ghost\"")]
    [InlineData("service set listener --certificate 999", "There is no certificate with id 999.")]
    [InlineData("service set box:hooked --certificate 999", "There is no certificate with id 999; `cert list` shows")]
    [InlineData("service set box:printer --certificate 1", "is watched only, so the panel cannot put a certificate on it")]
    [InlineData("service set box:hooked --certificate 1", "Certificate 1 is a CA certificate")]
    public async Task Set_BadInput_RefusedWithASentence_NothingChanged(string command, string reason)
    {
        await AddReceiverAsync();
        await _dir.RunJsonAsync("box", "add", "printer", "--address", "printer.lan");
        await CreateAsync("localhost", "127.0.0.1");
        var before = (await _dir.RunAsync("service", "list", "--json")).Output;

        var result = await _dir.RunAsync(command.Split(' '));

        CliDataDirectory.AssertRefused(result, reason);
        Assert.Empty(_receiver.Received);
        Assert.Equal(before, (await _dir.RunAsync("service", "list", "--json")).Output);
    }

    [Theory]
    [InlineData("service set listener --certificate abc")]
    [InlineData("service set listener")]
    [InlineData("service set")]
    public async Task Set_MalformedArguments_UsageErrorNothingChanged(string command)
    {
        var result = await _dir.RunAsync(command.Split(' '));

        Assert.NotEqual(0, result.ExitCode);
        Assert.NotEmpty(result.Error);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Data));
    }
}
