using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Auth;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Protection;

namespace SynoCertPanel.Web.Tests.Auth;

/// <summary>
/// A real Kestrel on 127.0.0.1 (random port, HTTPS) with the panel's security calls and stand-ins for the
/// endpoints other parts of the panel map: health, trust, an API, a key download, uploads and the Blazor hub.
/// </summary>
internal sealed class TestPanel : IAsyncDisposable
{
    public const string AdminName = "admin";
    public const string AdminPassword = "correct horse battery";

    private readonly string _data;
    private readonly bool _ownsData;

    private TestPanel(string? data)
    {
        _ownsData = data is null;
        _data = data ?? Directory.CreateTempSubdirectory("synocert-auth-").FullName;
    }

    /// <summary>The data directory: a temporary one removed with the panel, or the caller's, which stays.</summary>
    public string DataDirectory => _data;

    public ManualClock Clock { get; } = new();

    public LogCollector Logs { get; } = new();

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    public string SetupTokenText => App.Services.GetRequiredService<SetupToken>().Display!;

    public static async Task<TestPanel> StartAsync(bool hsts = false, string? dataDirectory = null)
    {
        var panel = new TestPanel(dataDirectory);
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["SYNOCERT_HSTS"] = hsts ? "1" : "0";
        builder.Services.AddSingleton<TimeProvider>(panel.Clock);
        builder.Logging.ClearProviders().AddProvider(panel.Logs);
        using var certificate = SelfSigned();
        var served = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(served)));
        var storage = await PanelStorage.OpenAsync(new SynoCertPanel.Core.Storage.DataDirectory(panel._data));
        builder.AddPanelSecurity(storage.Value);

        var app = builder.Build();
        app.UsePanelSecurity();
        app.UseWebSockets();
        app.MapGet("/health", () => "ok");
        app.MapGet("/trust", () => "trust page");
        app.MapGet("/trust/root.pem", () => "root certificate");
        app.MapGet("/", () => "home");
        app.MapGet("/api/certificates", () => "[]");
        app.MapGet("/keys/download", () => "private key").RequireRecentLogin();
        app.MapPost("/upload", ReadBodyAsync).AllowAnonymous();
        app.MapPost("/upload/large", ReadBodyAsync).AllowAnonymous().AllowUploadsUpTo(8 * 1024 * 1024);
        app.Map("/_blazor", async context =>
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            await context.Response.WriteAsync("hub");
        });
        app.MapPost("/_blazor/negotiate", () => "negotiated");
        panel.App = app;
        await app.StartAsync();
        return panel;
    }

    public Browser NewBrowser() => new(BaseAddress);

    /// <summary>Creates the admin account through /setup, in its own browser that is then signed in.</summary>
    public async Task<Browser> SetUpAdminAsync()
    {
        var browser = NewBrowser();
        var response = await browser.SubmitAsync("/setup", "/setup", new()
        {
            ["SetupToken"] = SetupTokenText,
            ["UserName"] = AdminName,
            ["Password"] = AdminPassword,
            ["ConfirmPassword"] = AdminPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsData)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_data, recursive: true);
        }
    }

    private static async Task<IResult> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return Results.Text(buffer.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}
