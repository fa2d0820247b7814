using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using MudBlazor.Services;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Auth.Pages;
using SynoCertPanel.Web.Components;
using SynoCertPanel.Web.Components.Common;
using SynoCertPanel.Web.Components.Layout;

namespace SynoCertPanel.Web;

/// <summary>The panel's pages: <c>AddWebPanel()</c> registers what they need, <c>MapWebPanel()</c> serves them.</summary>
public static class WebPanel
{
    /// <summary>The folder, beside the binaries, that the build copies the top-level wwwroot-assets into.</summary>
    public const string AssetsFolder = "wwwroot-assets";

    /// <param name="services">The host's services.</param>
    /// <param name="dataDirectory">
    /// Opens the storage here when the host has not registered a <see cref="PanelStorage"/> itself.
    /// </param>
    public static IServiceCollection AddWebPanel(this IServiceCollection services, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        if (dataDirectory is not null)
        {
            services.TryAddSingleton(_ => OpenStorage(dataDirectory));
        }

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddAuthorizationCore();
        services.AddCascadingAuthenticationState();

        // Services are cheap wrappers over the storage singleton; each operation opens its own DbContext.
        services.TryAddScoped<InventoryService>();
        services.TryAddScoped<AuthorityService>();
        services.TryAddScoped<BootstrapRetirement>();
        services.TryAddScoped<RequestService>();
        services.TryAddScoped<SigningService>();
        services.TryAddScoped<SelfSignedService>();
        services.TryAddScoped<RenewService>();
        services.TryAddScoped<ImportService>();
        services.TryAddScoped<ExportService>();
        services.TryAddScoped<Core.Tokens.ApiTokenService>();
        services.TryAddSingleton(sp => Core.Boxes.BoxDeliveries.Standard(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<Core.Watch.IEndpointProbe>(sp => new Core.Watch.EndpointProbe(sp.GetRequiredService<TimeProvider>()));
        services.TryAddScoped<Core.Boxes.BoxWatch>();
        services.TryAddSingleton(sp => Core.Alerts.AlertChannels.Standard(sp.GetRequiredService<TimeProvider>()));
        services.TryAddScoped<Core.Alerts.AlertService>();
        services.TryAddScoped<Core.Boxes.BoxService>();
        services.TryAddScoped<Core.Boxes.DeployService>();
        services.TryAddScoped<Core.Services.ServiceMap>();
        services.TryAddSingleton<Core.Metrics.MetricsAccessStore>();
        services.TryAddScoped<Auth.PasswordConfirmation>();
        services.TryAddSingleton<PanelInfo>();
        services.TryAddScoped<BrowserFiles>();
        return services;
    }

    public static WebApplication MapWebPanel(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Antiforgery must follow authentication and authorization: map the panel after the host adds them.
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, AssetsFolder)) });
        app.UseAntiforgery();
        app.MapStaticAssets(StaticAssetsManifest);
        // Browsers ask for /favicon.ico on their own, whatever the page links; answer with the SVG icon.
        app.MapGet("/favicon.ico", () => Results.File(Path.Combine(AppContext.BaseDirectory, AssetsFolder, "favicon.svg"), "image/svg+xml"));
        // Blazor would set its own "Content-Security-Policy: frame-ancestors 'self'" on every page, and the panel's
        // headers keep a policy an endpoint set: the pages would carry no script-src or connect-src at all. The
        // panel's policy (PanelContentSecurityPolicy) goes on every response instead and has frame-ancestors 'none'.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(server => server.ContentSecurityFrameAncestorsPolicy = null);
        var theme = new Lazy<Task<string>>(() => PanelThemeStylesheet.BuildAsync(app.Services));
        app.MapGet(PanelThemeStylesheet.Path, async (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Text(await theme.Value.ConfigureAwait(false), "text/css; charset=utf-8");
        });
        NotFoundPage.Map(app);
        return app;
    }

    /// <summary>
    /// Named after this assembly, not the host's application name, so a host built by a test runner
    /// (application name "testhost") still finds the panel's assets.
    /// </summary>
    private static string StaticAssetsManifest =>
        Path.Combine(AppContext.BaseDirectory, $"{typeof(WebPanel).Assembly.GetName().Name}.staticwebassets.endpoints.json");

    private static PanelStorage OpenStorage(string dataDirectory)
    {
        // Resolved once, at the first page that needs it; a broken data directory must stop the panel loudly.
        var opened = PanelStorage.OpenAsync(new DataDirectory(dataDirectory)).GetAwaiter().GetResult();
        return opened.IsSuccess ? opened.Value : throw new InvalidOperationException(opened.Error);
    }
}
