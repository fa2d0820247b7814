using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Browser;

namespace SynoCertPanel.Web.Tests.Cli.Remote;

/// <summary>
/// A real panel on 127.0.0.1 (<see cref="BrowserPanel"/>) holding three certificates and their roots, each also for
/// 127.0.0.1 so that whichever it serves, a client calling https://127.0.0.1 can check its name; token files made
/// through Core's token service; and what a client needs to trust it: the served certificate's SHA-256 and its CA.
/// </summary>
internal sealed class RemotePanelFixture(BrowserPanel panel) : IAsyncDisposable
{
    public BrowserPanel Panel { get; } = panel;

    public PanelStorage Storage => Panel.Services.GetRequiredService<PanelStorage>();

    public string Address => Panel.Address;

    public string DataDirectory => Panel.DataDirectory;

    private ListenerCertificate Served => Panel.Services.GetRequiredService<CertificateHolder>().Current;

    /// <summary>The served certificate's SHA-256 as the trust page writes fingerprints (AA:BB:…).</summary>
    public string ServedFingerprint => string.Join(':', Convert.ToHexString(SHA256.HashData(Served.Certificate.RawData)).Chunk(2).Select(p => new string(p)));

    public static async Task<RemotePanelFixture> StartAsync() => new(await BrowserPanel.StartAsync(SeedAsync));

    /// <summary>A token file (mode 600) for a new token with these scopes.</summary>
    public async Task<string> TokenFileAsync(string name, params string[] scopes)
    {
        var created = await new ApiTokenService(Storage, TimeProvider.System).CreateAsync(new ApiTokenRequest { Name = name, Scopes = scopes }, "web:admin");
        Assert.True(created.IsSuccess, created.Error);
        return WriteTokenFile(Panel.FilePath(name + ".token"), created.Value.Secret);
    }

    public static string WriteTokenFile(string path, string secret)
    {
        File.WriteAllText(path, secret + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>The CA that signed the served certificate (the last of its chain), as the trust page's PEM.</summary>
    public string CaFile()
    {
        var path = Panel.FilePath("panel-ca.pem");
        var chain = Served.Chain;
        File.WriteAllText(path, chain.Count > 0 ? chain[^1].ToPem() : Served.Leaf.ToPem());
        return path;
    }

    /// <summary>The command line in this process against the panel, trusting it by the served certificate's fingerprint.</summary>
    public Task<(int ExitCode, string Output, string Error)> RemoteAsync(string tokenFile, params string[] args) =>
        CliRun.RunAsync(["--server", Address, "--token-file", tokenFile, "--fingerprint", ServedFingerprint, .. args]);

    /// <summary>The command line in this process on the panel's own data directory, as on the NAS itself.</summary>
    public Task<(int ExitCode, string Output, string Error)> LocalAsync(params string[] args) => CliRun.RunAsync(["--data", DataDirectory, .. args]);

    public ValueTask DisposeAsync() => Panel.DisposeAsync();

    private static async Task SeedAsync(PanelStorage storage)
    {
        foreach (var host in new[] { "alpha.home.arpa", "bravo.home.arpa", "charlie.home.arpa" })
        {
            var created = await new SelfSignedService(storage, TimeProvider.System).CreateAsync(new SelfSignedRequest
            {
                Root = new RootCaOptions { Subject = DistinguishedName.Create($"{host} Root CA").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
                Server = new LeafOptions
                {
                    Subject = DistinguishedName.Create(host).Value,
                    SubjectAlternativeNames = SanParser.ParseAll([host, "127.0.0.1"]).Value,
                    KeyAlgorithm = KeyAlgorithm.EcdsaP256,
                },
                Description = $"{host} web",
            }, "setup");
            Assert.True(created.IsSuccess, created.Error);
        }
    }
}
