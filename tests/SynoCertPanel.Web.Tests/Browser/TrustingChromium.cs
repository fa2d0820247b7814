using System.Collections;
using Microsoft.Playwright;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// Debian's Chromium as a device that installed a root CA, or did not: a fresh HOME whose NSS database
/// (~/.pki/nssdb, where Chromium on Linux reads the user's trusted roots) holds the root, or nothing for the
/// control. Certificate errors are never ignored, and the given host names resolve to 127.0.0.1 inside the
/// browser only, so https://nas1.home.arpa:PORT/ reaches a panel on loopback.
/// </summary>
public sealed class TrustingChromium : IAsyncDisposable
{
    private readonly string? _ownHome;

    private TrustingChromium(IBrowser browser, string home, string? ownHome)
    {
        Browser = browser;
        Home = home;
        _ownHome = ownHome;
    }

    public IBrowser Browser { get; }

    /// <summary>The HOME the browser runs with.</summary>
    public string Home { get; }

    /// <summary>A browser that trusts <paramref name="rootPem"/> for TLS servers (certutil trust "C,,").</summary>
    public static async Task<TrustingChromium> TrustingAsync(IPlaywright playwright, string rootPem, string rootName, IEnumerable<string> hostNames)
    {
        var home = Directory.CreateTempSubdirectory("synocert-trusting-").FullName;
        var database = await CreateNssDatabaseAsync(home);
        var rootFile = Path.Combine(home, "root.pem");
        await File.WriteAllTextAsync(rootFile, rootPem);
        await CertutilAsync("-A", "-t", "C,,", "-n", rootName, "-i", rootFile, "-d", database);
        var listed = await CertutilAsync("-L", "-d", database);
        Assert.Contains(rootName, listed, StringComparison.Ordinal);
        return await LaunchAsync(playwright, home, hostNames, ownHome: home);
    }

    /// <summary>The control: the same browser with an empty NSS database, trusting no private root.</summary>
    public static async Task<TrustingChromium> ControlAsync(IPlaywright playwright, IEnumerable<string> hostNames)
    {
        var home = Directory.CreateTempSubdirectory("synocert-control-").FullName;
        await CreateNssDatabaseAsync(home);
        return await LaunchAsync(playwright, home, hostNames, ownHome: home);
    }

    /// <summary>A browser over a HOME prepared elsewhere (e.g. by the panel's Linux trust script); the caller keeps the folder.</summary>
    public static Task<TrustingChromium> WithHomeAsync(IPlaywright playwright, string home, IEnumerable<string> hostNames) =>
        LaunchAsync(playwright, home, hostNames, ownHome: null);

    /// <summary>Opens the address in a new page: the response, or the browser's error (e.g. net::ERR_CERT_AUTHORITY_INVALID).</summary>
    public async Task<(IResponse? Response, string? Error)> OpenAsync(string address)
    {
        var page = await Browser.NewPageAsync();
        try
        {
            return (await page.GotoAsync(address), null);
        }
        catch (PlaywrightException failure)
        {
            return (null, failure.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        if (_ownHome is not null)
        {
            Directory.Delete(_ownHome, recursive: true);
        }
    }

    private static async Task<TrustingChromium> LaunchAsync(IPlaywright playwright, string home, IEnumerable<string> hostNames, string? ownHome)
    {
        Assert.True(File.Exists(HeadlessChromium.ExecutablePath), $"{HeadlessChromium.ExecutablePath} is missing; scripts/test.sh installs the chromium package.");
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
        environment["HOME"] = home;
        var rules = string.Join(",", hostNames.Select(name => $"MAP {name} 127.0.0.1"));
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = HeadlessChromium.ExecutablePath,
            Headless = true,
            Env = environment,
            Args = [.. HeadlessChromium.Arguments, .. rules.Length == 0 ? Array.Empty<string>() : [$"--host-resolver-rules={rules}"]],
        });
        return new TrustingChromium(browser, home, ownHome);
    }

    private static async Task<string> CreateNssDatabaseAsync(string home)
    {
        var database = "sql:" + Directory.CreateDirectory(Path.Combine(home, ".pki", "nssdb")).FullName;
        await CertutilAsync("-N", "-d", database, "--empty-password");
        return database;
    }

    private static async Task<string> CertutilAsync(params string[] arguments)
    {
        var run = await ExternalProcess.RunAsync("certutil", arguments);
        Assert.True(run.ExitCode == 0, $"certutil {string.Join(' ', arguments)} failed: {run.Output}{run.Error}");
        return run.Output;
    }
}
