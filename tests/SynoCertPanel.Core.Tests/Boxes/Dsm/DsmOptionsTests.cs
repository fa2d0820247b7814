using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Dsm;

namespace SynoCertPanel.Core.Tests.Boxes.Dsm;

public sealed class DsmOptionsTests
{
    private const string Password = "pa55-word-never-shown";
    private static readonly DsmDelivery Method = new(TimeProvider.System);

    private static string? Refusal(Dictionary<string, string> settings, Dictionary<string, string>? secrets = null)
    {
        var all = new Dictionary<string, string> { ["url"] = "https://nas.home.arpa:5001", ["account"] = "certadmin" };
        foreach (var (k, v) in settings)
        {
            all[k] = v;
        }

        var result = DeliveryOptions.Check(Method, all, secrets ?? new() { ["password"] = Password });
        return result.Error;
    }

    [Fact]
    public void Check_GoodValues_AreAccepted()
    {
        Assert.Null(Refusal([]));
        Assert.Null(Refusal(new() { ["url"] = "https://192.168.1.20:5001/" }));
        Assert.Null(Refusal(new() { ["url"] = "https://[fd00::20]:5001" }));
        Assert.Null(Refusal(new() { [BoxTls.FingerprintOption] = "aa:BB" + string.Concat(Enumerable.Repeat(":01", 30)) }));
        Assert.Null(Refusal(new() { [BoxTls.TrustOption] = "home-ca", [BoxTls.CaPemOption] = ProtocolPki.RootPem }));
        Assert.Null(Refusal([], new() { ["password"] = Password, ["otp-code"] = "123456" }));
    }

    [Theory]
    [InlineData("url", "http://nas.home.arpa:5000", "does not start with https://")]
    [InlineData("url", "https://admin:secret@nas.home.arpa:5001", "user name or password")]
    [InlineData("url", "https://nas.home.arpa:5001/webapi/entry.cgi", "path, query or fragment")]
    [InlineData("url", "https://nas.home.arpa:5001?x=1", "path, query or fragment")]
    [InlineData("url", "https://nas.home.arpa:5001#top", "path, query or fragment")]
    [InlineData("url", "nas.home.arpa:5001", "https://")]
    [InlineData("url", "file:///etc/passwd", "")]
    [InlineData("account", "admin\nX-Injected: 1", "not a user name")]
    [InlineData("device-name", "panel/../../x", "not allowed")]
    [InlineData("description", "line\nbreak", "not allowed")]
    [InlineData("tls-fingerprint", "AA:BB", "SHA-256")]
    [InlineData("tls-fingerprint", "sha256/abc", "SHA-256")]
    [InlineData("trust", "any", "pin")]
    [InlineData("ca-pem", "not a certificate", "PEM")]
    public void Check_HostileSetting_IsRefusedWithASentence(string name, string value, string expected)
    {
        var refusal = Refusal(new() { [name] = value });

        Assert.NotNull(refusal);
        Assert.Contains(expected, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("secret@", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LeafAsHomeCa_IsRefused() =>
        Assert.Contains("not a CA certificate", Refusal(new() { [BoxTls.CaPemOption] = ProtocolPki.Leaf().Certificate.ToPem() }), StringComparison.Ordinal);

    [Theory]
    [InlineData("otp-code", "12345")]
    [InlineData("otp-code", "12a456")]
    [InlineData("device-id", "has space")]
    public void Check_BadSecret_IsRefusedWithoutRepeatingIt(string name, string value)
    {
        var refusal = Refusal([], new() { ["password"] = Password, [name] = value });

        Assert.NotNull(refusal);
        Assert.DoesNotContain(value, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PasswordWithALineBreak_IsRefusedWithoutRepeatingIt()
    {
        var refusal = Refusal([], new() { ["password"] = "first\u0001second" });

        Assert.NotNull(refusal);
        Assert.DoesNotContain("first", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PasswordAsPlainSetting_IsRefused() =>
        Assert.Contains("is a secret", Refusal(new() { ["password"] = Password }, []), StringComparison.Ordinal);

    [Fact]
    public void Options_SecretsAreMarkedSecret() =>
        Assert.Equal(["password", "otp-code", "device-id"], Method.Options.Where(o => o.Secret).Select(o => o.Name));
}
