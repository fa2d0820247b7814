using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Auth;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Support;

namespace SynoCertPanel.Web.Tests.Browser;

/// <summary>
/// The whole panel as `synocertpanel serve` builds it (real HTTPS listener on 127.0.0.1, random port, login,
/// security headers) over a fresh data directory that a test may fill through the services first.
/// </summary>
public sealed class BrowserPanel : IAsyncDisposable
{
    public const string AdminName = "admin";
    public const string AdminPassword = "correct horse battery staple";

    private readonly string _directory;
    private readonly WebApplication _app;

    private BrowserPanel(string directory, WebApplication app)
    {
        _directory = directory;
        _app = app;
    }

    public string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>The running panel's services, to fill it or to read what it holds.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>A path for a test's own files (requests, downloads) next to the data directory, removed with it.</summary>
    public string FilePath(string name) => Path.Combine(_directory, name);

    /// <summary>https://127.0.0.1:PORT, without a trailing slash.</summary>
    public string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');

    public int Port => new Uri(Address).Port;

    /// <summary>The one-time setup token the log prints; null once the admin exists.</summary>
    public string? SetupToken => _app.Services.GetRequiredService<SetupToken>().Display;

    /// <summary>Starts the panel.</summary>
    /// <param name="seed">Fills the data directory through the services before the panel listens.</param>
    /// <param name="boxName">What the app bar calls this box (the SynoCertPanel:BoxName setting); null keeps the host name.</param>
    /// <param name="settings">More settings for the host, as <c>--Name=value</c> arguments.</param>
    /// <param name="logs">Also receives the panel's log, from before it listens.</param>
    public static async Task<BrowserPanel> StartAsync(Func<PanelStorage, Task>? seed = null, string? boxName = null, string[]? settings = null,
        Microsoft.Extensions.Logging.ILoggerProvider? logs = null)
    {
        var directory = Directory.CreateTempSubdirectory("synocert-panel-").FullName;
        var data = Path.Combine(directory, "data");
        if (seed is not null)
        {
            var storage = await PanelStorage.OpenAsync(new DataDirectory(data));
            Assert.True(storage.IsSuccess, storage.Error);
            await seed(storage.Value);
        }

        var built = await PanelHost.BuildAsync(new ServeOptions { DataDirectory = data, HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback },
            hostArgs: [.. boxName is null ? [] : new[] { $"--SynoCertPanel:BoxName={boxName}" }, .. settings ?? []]);
        Assert.True(built.IsSuccess, built.Error);
        if (logs is not null)
        {
            built.Value.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(logs);
        }

        await built.Value.StartAsync();
        return new BrowserPanel(directory, built.Value);
    }

    /// <summary>First-run setup in the browser (token, password), which also signs this page's context in.</summary>
    public async Task CreateAdminAsync(IPage page)
    {
        var token = SetupToken;
        Assert.NotNull(token);
        await page.GotoAsync(Address + "/setup");
        await page.FillAsync("#SetupToken", token);
        await page.FillAsync("#UserName", AdminName);
        await page.FillAsync("#Password", AdminPassword);
        await page.FillAsync("#ConfirmPassword", AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await WaitUntilInteractiveAsync(page);
    }

    /// <summary>A full page load of a path on this panel, then waits until the circuit runs: before that, clicks would go nowhere.</summary>
    public async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(Address + path);
        await WaitUntilInteractiveAsync(page);
    }

    /// <summary>
    /// Collects the page's script errors and console errors, which a test expects to stay empty; text that reads like a
    /// C# field name (`_signError`: a component parameter given a field's name without `@`) counts as an error too.
    /// </summary>
    public static async Task<List<string>> WatchForErrorsAsync(IPage page)
    {
        var problems = new List<string>();
        await page.AddInitScriptAsync(LeakedIdentifiers.PageScript);
        page.PageError += (_, error) => problems.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };
        return problems;
    }

    /// <summary>On the "Confirm it is you" page (pages behind a recent login), enters the password and goes on.</summary>
    public static async Task ConfirmPasswordIfAskedAsync(IPage page)
    {
        if (page.Url.Contains("/reauthenticate", StringComparison.Ordinal))
        {
            await page.FillAsync("#Password", AdminPassword);
            await page.ClickAsync("button[type=submit]");
        }
    }

    /// <summary>Waits until the Blazor circuit runs (MainLayout renders its marker then) and the page may be clicked.</summary>
    public static Task WaitUntilInteractiveAsync(IPage page) =>
        page.Locator("#panel-interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });

    public async ValueTask DisposeAsync()
    {
        string[] leaked;
        await using (var db = _app.Services.GetRequiredService<PanelStorage>().CreateContext())
        {
            var rows = await db.AuditEvents.Select(e => new { e.Actor, e.Target, e.Detail }).ToListAsync();
            leaked = [.. rows.SelectMany(r => new[] { r.Actor, r.Target, r.Detail }).Where(LeakedIdentifiers.Contains)];
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        Assert.True(leaked.Length == 0, "Audit rows carry a field name instead of a value: " + string.Join(", ", leaked));
    }
}
