using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Tests.Cli.Remote;

/// <summary>
/// `cert export --server`: against a real panel, the same file the same command writes on the panel's own data
/// directory (byte for byte where the format has no random salt), the same mode, the same output and the same refusals.
/// </summary>
public sealed class RemoteExportTests : IAsyncLifetime
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private RemotePanelFixture _panel = null!;
    private string _exporter = null!;
    private string _out = null!;

    public async Task InitializeAsync()
    {
        _panel = await RemotePanelFixture.StartAsync();
        _exporter = await _panel.TokenFileAsync("exporter", ApiScopes.CertificatesRead, ApiScopes.KeysExport);
        _out = _panel.Panel.FilePath("exported.out");
    }

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    private async Task<string> IdAsync(string description, bool authority = false)
    {
        var items = (await new InventoryService(_panel.Storage, TimeProvider.System).ListRangeAsync(new CertificateQuery(), 0, null)).Items;
        return items.Single(i => i.IsCertificateAuthority == authority && i.Description.Contains(description, StringComparison.Ordinal)).Id
            .ToString(CultureInfo.InvariantCulture);
    }

    private string PasswordFile(string password)
    {
        var path = _panel.Panel.FilePath("export-password.txt");
        File.WriteAllText(path, password + "\n");
        return path;
    }

    /// <summary>The command here on the panel's data directory, then remotely, each writing --out afresh: what each printed and wrote.</summary>
    private async Task<(Written Local, Written Remote)> BothAsync(string tokenFile, params string[] args)
    {
        string[] command = ["cert", "export", .. args, "--out", _out];
        File.Delete(_out);
        var local = Written.Of(await _panel.LocalAsync(command), _out);
        File.Delete(_out);
        var remote = Written.Of(await _panel.RemoteAsync(tokenFile, command), _out);
        return (local, remote);
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("fullchain")]
    [InlineData("chain", "--json")]
    [InlineData("der")]
    [InlineData("p7b", "--json")]
    [InlineData("key", "--include-key")]
    [InlineData("key", "--include-key", "--json")]
    public async Task Export_Remote_WritesTheSameFileAsTheLocalCommand(string format, params string[] more)
    {
        var (local, remote) = await BothAsync(_exporter, [await IdAsync("alpha"), "--format", format, .. more]);

        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.Equal(local.Content, remote.Content);
        Assert.Equal(local, remote);
        Assert.NotEmpty(remote.Content!);
        Assert.Equal(format == "key", remote.Mode == OwnerOnly);
        Assert.Contains(_out, remote.Output, StringComparison.Ordinal);
        Assert.Equal(format == "key", remote.Output.Contains(more.Contains("--json") ? "\"containsKey\":true" : "(holds the private key)", StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.GetFiles(Path.GetDirectoryName(_out)!), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pfx")]
    [InlineData("pfx-legacy")]
    public async Task Export_Remote_Pkcs12_HoldsTheSameCertificateAndKeyProtectedByThePasswordFile(string format)
    {
        var id = await IdAsync("bravo");
        var (local, remote) = await BothAsync(_exporter, id, "--format", format, "--include-key", "--password-file", PasswordFile("correct horse"));

        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.Equal((local.Output, local.Error, local.Mode), (remote.Output, remote.Error, remote.Mode));
        Assert.Equal(OwnerOnly, remote.Mode);
        using var mine = X509CertificateLoader.LoadPkcs12(local.Content!, "correct horse", X509KeyStorageFlags.EphemeralKeySet);
        using var theirs = X509CertificateLoader.LoadPkcs12(remote.Content!, "correct horse", X509KeyStorageFlags.EphemeralKeySet);
        Assert.Equal(mine.Thumbprint, theirs.Thumbprint);
        using var localKey = mine.GetECDsaPrivateKey()!;
        using var remoteKey = theirs.GetECDsaPrivateKey()!;
        Assert.Equal(localKey.ExportParameters(true).D, remoteKey.ExportParameters(true).D);
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => X509CertificateLoader.LoadPkcs12(remote.Content!, "wrong"));
    }

    [Fact]
    public async Task Export_Remote_SynologyZip_HoldsTheSameFilesAsTheLocalCommand()
    {
        // A password is not used by this format here; remotely it is not sent (the API would refuse it).
        var (local, remote) = await BothAsync(_exporter, await IdAsync("charlie"), "--format", "synology-zip", "--include-key",
            "--password-file", PasswordFile("unused"));

        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.Equal((local.Output, local.Error, local.Mode), (remote.Output, remote.Error, remote.Mode));
        Assert.Equal(OwnerOnly, remote.Mode);
        Assert.Equal(Entries(local.Content!), Entries(remote.Content!));
        Assert.Contains("privkey.pem", Entries(remote.Content!).Keys);
    }

    private static SortedDictionary<string, string> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            using var reader = new StreamReader(entry.Open(), Encoding.ASCII);
            entries[entry.FullName] = reader.ReadToEnd();
        }

        return entries;
    }

    [Fact]
    public async Task Export_Remote_KeyFileOverAWorldReadableFile_IsReplacedWithMode0600()
    {
        File.WriteAllText(_out, "old");
        File.SetUnixFileMode(_out, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var remote = await _panel.RemoteAsync(_exporter, "cert", "export", await IdAsync("alpha"), "--format", "key", "--include-key", "--out", _out);

        Assert.True(remote.ExitCode == 0, remote.Error);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_out));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(_out), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("There is no certificate with id 4242.", "4242", "--format", "pem")]
    [InlineData("There is no certificate with id 4242.", "4242", "--format", "key")]
    [InlineData("There is no certificate with id 4242.", "4242", "--format", "pfx", "--include-key", "--json")]
    [InlineData("The key export contains the private key; ask for the key explicitly", "alpha", "--format", "key")]
    [InlineData("The synology-zip export contains the private key; ask for the key explicitly", "alpha", "--format", "synology-zip", "--json")]
    [InlineData("A PKCS#12 file holds the private key: give a password to protect it.", "alpha", "--format", "pfx", "--include-key")]
    [InlineData("has no issuers stored with it", "root", "--format", "chain")]
    [InlineData("Unknown export format \"pkcs12\"", "alpha", "--format", "pkcs12")]
    [InlineData("does not exist", "alpha", "--format", "pem", "--password-file", "/nonexistent/password")]
    public async Task Export_Remote_Refused_PrintsTheLocalCommandsSentenceAndWritesNothing(string expected, string which, params string[] more)
    {
        var id = which switch
        {
            "alpha" => await IdAsync("alpha"),
            "root" => await IdAsync("charlie", authority: true),
            _ => which,
        };

        var (local, remote) = await BothAsync(_exporter, [id, .. more]);

        Assert.Equal(local, remote);
        CliDataDirectory.AssertRefused((remote.ExitCode, remote.Output, remote.Error), expected);
        Assert.Null(remote.Content);
    }

    [Fact]
    public async Task Export_Remote_EmptyPasswordFile_IsRefusedBeforeAnyCall()
    {
        var empty = PasswordFile(string.Empty);

        var remote = await CliRun.RunAsync("--server", $"https://127.0.0.1:{RemoteTransferFailureTests.ClosedPort()}", "--token-file", _exporter, "cert", "export", "1", "--format", "pfx",
            "--include-key", "--password-file", empty, "--out", _out);

        CliDataDirectory.AssertRefused(remote, "is empty");
        Assert.False(File.Exists(_out));
    }

    [Theory]
    [InlineData("key")]
    [InlineData("synology-zip")]
    [InlineData("pfx")]
    public async Task Export_Remote_KeyFormatWithoutKeysExport_NamesTheMissingScope(string format)
    {
        var reader = await _panel.TokenFileAsync("reader-" + format, ApiScopes.CertificatesRead);

        var remote = await _panel.RemoteAsync(reader, "cert", "export", await IdAsync("alpha"), "--format", format, "--include-key",
            "--password-file", PasswordFile("pw"), "--out", _out);

        CliDataDirectory.AssertRefused(remote, "This token lacks the scope keys:export");
        Assert.False(File.Exists(_out));
        var pem = await _panel.RemoteAsync(reader, "cert", "export", await IdAsync("alpha"), "--format", "pem", "--out", _out);
        Assert.True(pem.ExitCode == 0, pem.Error);
    }

    [Fact]
    public async Task Export_Remote_TokenWithoutRead_NamesTheMissingScope()
    {
        var keysOnly = await _panel.TokenFileAsync("keys-only", ApiScopes.KeysExport);

        CliDataDirectory.AssertRefused(await _panel.RemoteAsync(keysOnly, "cert", "export", await IdAsync("alpha"), "--format", "pem", "--out", _out),
            "lacks the scope certificates:read");
    }

    [Fact]
    public async Task Export_Remote_Password_TravelsInTheBodyNeverInTheUrl()
    {
        await using var server = JunkServer.Answering("HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: 24\r\n\r\n"
            + "{\"detail\":\"Not today.\"}\n");

        var result = await CliRun.RunAsync("--server", server.Address, "--token-file", _exporter, "--fingerprint", server.Fingerprint,
            "cert", "export", "7", "--format", "pfx", "--include-key", "--password-file", PasswordFile("s3cret-in-body"), "--out", _out);

        CliDataDirectory.AssertRefused(result, "Not today.");
        var head = Assert.Single(server.Requests);
        Assert.StartsWith("POST /api/v1/certificates/7/export/pfx HTTP/1.1\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/json", head, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cret", head, StringComparison.Ordinal);
        Assert.False(File.Exists(_out));
    }

    /// <summary>What one run printed, and the file at --out afterwards (its bytes and mode; null when there is none).</summary>
    private sealed record Written(int ExitCode, string Output, string Error, byte[]? Content, UnixFileMode? Mode)
    {
        public static Written Of((int ExitCode, string Output, string Error) run, string path) => new(run.ExitCode, run.Output, run.Error,
            File.Exists(path) ? File.ReadAllBytes(path) : null, File.Exists(path) ? File.GetUnixFileMode(path) : null);

        public bool Equals(Written? other) => other is not null && (ExitCode, Output, Error, Mode) == (other.ExitCode, other.Output, other.Error, other.Mode)
            && (Content ?? []).AsSpan().SequenceEqual(other.Content ?? []) && (Content is null) == (other.Content is null);

        public override int GetHashCode() => HashCode.Combine(ExitCode, Output, Error, Mode);
    }
}
