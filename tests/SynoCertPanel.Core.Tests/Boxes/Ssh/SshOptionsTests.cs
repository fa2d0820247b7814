using Microsoft.Extensions.Logging.Abstractions;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Ssh;

namespace SynoCertPanel.Core.Tests.Boxes.Ssh;

/// <summary>The SSH options' rules: garbage is refused with a sentence before anything is stored or sent.</summary>
public sealed class SshOptionsTests
{
    public static TheoryData<string, string, string> BadValues => new()
    {
        { SshOptions.KeyMode, "0999", "not a file mode" },
        { SshOptions.KeyMode, "rw-------", "not a file mode" },
        { SshOptions.CertMode, "4755", "not a file mode" },
        { SshOptions.KeyMode, "60", "not a file mode" },
        { SshOptions.CertPath, "certs/cert.pem", "not an absolute path" },
        { SshOptions.KeyPath, "/etc/ssl/private/", "names a folder" },
        { SshOptions.ChainPath, "/etc/nginx/../shadow", "contains . or .." },
        { SshOptions.ChainPath, "/etc/nginx/a\tb", "control character" },
        { SshOptions.User, " ", "Give the account" },
        { SshOptions.User, "root; rm -rf /", "not an account name" },
        { SshOptions.Port, "0", "from 1 to 65535" },
        { SshOptions.Port, "70000", "from 1 to 65535" },
        { SshOptions.Port, "22x", "from 1 to 65535" },
        { SshOptions.HostKey, "ab:cd:ef", "not a host key fingerprint" },
        { SshOptions.HostKey, "SHA256:short", "not a host key fingerprint" },
        { SshOptions.Owner, "www-data:www-data:extra", "not user or user:group" },
        { SshOptions.Owner, "nginx;reboot", "not user or user:group" },
        { SshOptions.Host, "bad host name", "not a host name" },
        { SshOptions.ReloadCommand, "nginx -t\nreboot", "one line" },
        { SshOptions.ConnectTimeout, "0", "from 1 to 600" },
        { SshOptions.CommandTimeout, "-5", "from 1 to 600" },
        { SshOptions.PrivateKey, "ssh-ed25519 AAAA… the public half", "private key" },
    };

    public static TheoryData<string, string> GoodValues => new()
    {
        { SshOptions.KeyMode, "0600" },
        { SshOptions.KeyMode, "640" },
        { SshOptions.CertPath, "/etc/nginx/ssl/nas.home.arpa.crt" },
        { SshOptions.User, "deploy-bot" },
        { SshOptions.Port, "2222" },
        { SshOptions.HostKey, "SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og" },
        { SshOptions.Owner, "www-data:www-data" },
        { SshOptions.Owner, "33:33" },
        { SshOptions.Owner, "nginx" },
        { SshOptions.Host, "192.168.1.20" },
        { SshOptions.Host, "pi.home.arpa" },
        { SshOptions.ReloadCommand, "sudo systemctl reload nginx" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Validate_BadValue_ReturnsSentence(string option, string value, string expected)
    {
        var problem = SshOptions.All.Single(o => o.Name == option).Validate!(value);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.EndsWith(".", problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(GoodValues))]
    public void Validate_GoodValue_ReturnsNull(string option, string value) =>
        Assert.Null(SshOptions.All.Single(o => o.Name == option).Validate!(value));

    [Fact]
    public void Options_DeclareRequiredSecretAndDefaults()
    {
        var options = SshOptions.All.ToDictionary(o => o.Name);

        Assert.True(options[SshOptions.PrivateKey].Secret);
        Assert.Single(SshOptions.All, o => o.Secret);
        Assert.True(options[SshOptions.User].Required);
        Assert.Equal("22", options[SshOptions.Port].Default);
        Assert.Equal("0600", options[SshOptions.KeyMode].Default);
        Assert.Equal("0644", options[SshOptions.CertMode].Default);
        Assert.All(SshOptions.All, o => Assert.Matches("^[a-z]+(-[a-z]+)*$", o.Name));
        Assert.Equal(SshOptions.All.Count, SshOptions.All.Select(o => o.Name).Distinct().Count());
    }

    [Fact]
    public async Task Deliver_GarbageSettings_RefusesBeforeConnectingWithEverySentence()
    {
        var delivery = new SshDelivery(NullLogger<SshDelivery>.Instance);
        var target = new DeliveryTarget("garbage", [],
            new Dictionary<string, string> { [SshOptions.KeyMode] = "999", [SshOptions.CertPath] = "cert.pem", [SshOptions.User] = "" },
            new Dictionary<string, string>());

        var outcome = await delivery.TestAsync(target, CancellationToken.None);

        Assert.Equal(DeliveryFailure.Settings, outcome.Failure);
        Assert.Contains("“999” is not a file mode", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("“cert.pem” is not an absolute path", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("User is required.", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("Login key is required.", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("no address and no host", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(outcome.Steps);
    }

    [Fact]
    public async Task Deliver_NoPathAtAll_AsksForOne()
    {
        var delivery = new SshDelivery(NullLogger<SshDelivery>.Instance);
        var target = new DeliveryTarget("no-paths", ["192.0.2.1"], new Dictionary<string, string> { [SshOptions.User] = "deploy" },
            new Dictionary<string, string> { [SshOptions.PrivateKey] = SshKeys.Generate().PrivateKey });

        var outcome = await delivery.DeliverAsync(target, new DeliveryBundle(1, "x", "c", "", null, "k", "00"), CancellationToken.None);

        Assert.Equal(DeliveryFailure.Settings, outcome.Failure);
        Assert.Equal("Give at least one file path: certificate, key or full chain.", outcome.Message);
    }

    [Fact]
    public async Task Deliver_SamePathTwice_IsRefused()
    {
        var delivery = new SshDelivery(NullLogger<SshDelivery>.Instance);
        var target = new DeliveryTarget("same", ["192.0.2.1"],
            new Dictionary<string, string> { [SshOptions.User] = "deploy", [SshOptions.CertPath] = "/etc/ssl/x.pem", [SshOptions.KeyPath] = "/etc/ssl/x.pem" },
            new Dictionary<string, string> { [SshOptions.PrivateKey] = SshKeys.Generate().PrivateKey });

        var outcome = await delivery.DeliverAsync(target, new DeliveryBundle(1, "x", "c", "", null, "k", "00"), CancellationToken.None);

        Assert.Equal(DeliveryFailure.Settings, outcome.Failure);
        Assert.Contains("must be different paths", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_UnreadableLoginKey_IsASettingsFailure()
    {
        var delivery = new SshDelivery(NullLogger<SshDelivery>.Instance);
        var target = new DeliveryTarget("bad-key", ["192.0.2.1"],
            new Dictionary<string, string> { [SshOptions.User] = "deploy", [SshOptions.CertPath] = "/etc/ssl/x.pem" },
            new Dictionary<string, string> { [SshOptions.PrivateKey] = "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n" });

        var outcome = await delivery.TestAsync(target, CancellationToken.None);

        Assert.Equal(DeliveryFailure.Settings, outcome.Failure);
        Assert.Contains("login key could not be read", outcome.Message, StringComparison.Ordinal);
    }
}
