using Microsoft.AspNetCore.Server.Kestrel.Core;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Hosting;

/// <summary>Builds the panel's web host: Kestrel on HTTPS (HTTP only redirects), the health endpoint, the pages.</summary>
public static class PanelHost
{
    /// <summary>
    /// Opens the data directory and loads the certificate to serve before anything listens. A data directory that
    /// cannot be opened (a missing or wrong key-encryption key) stops start-up with the reason.
    /// </summary>
    public static async Task<Result<WebApplication>> BuildAsync(ServeOptions options, TimeProvider? time = null, string[]? hostArgs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        var storage = await PanelStorage.OpenAsync(new DataDirectory(options.DataDirectory), cancellationToken).ConfigureAwait(false);
        if (!storage.IsSuccess)
        {
            return Result.Failure<WebApplication>(storage.Error!);
        }

        // Settings and assets sit beside the executable; the data directory stays relative to where the admin ran it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs ?? [], ContentRootPath = AppContext.BaseDirectory });
        // Outside Development, a build run from its output folder (`dotnet run -c Release`) would serve the
        // framework's scripts as empty files and Blazor circuits never start; the manifest of the build fixes
        // that. A published app has no such manifest and serves its own copies, so this is a no-op there.
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{typeof(PanelHost).Assembly.GetName().Name}.staticwebassets.runtime.json");
        if (File.Exists(manifest))
        {
            builder.WebHost.UseSetting(WebHostDefaults.StaticWebAssetsKey, manifest);
            builder.WebHost.UseStaticWebAssets();
        }
        var holder = new CertificateHolder(time);
        builder.Services.AddListener(storage.Value, holder, time);
        builder.AddPanelSecurity(storage.Value.Data);
        builder.Services.AddWebPanel(options.DataDirectory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.BindAddress, options.HttpsPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseSwappableCertificate(holder);
            });
            if (options.HttpPort > 0)
            {
                kestrel.Listen(options.BindAddress, options.HttpPort);
            }
        });

        var app = builder.Build();
        var served = await app.Services.GetRequiredService<ListenerStartup>().LoadAsync(cancellationToken).ConfigureAwait(false);
        if (!served.IsSuccess)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            return Result.Failure<WebApplication>($"No certificate can be served: {served.Error}");
        }

        MapEndpoints(app, options);
        return Result.Success(app);
    }

    /// <summary>For callers that cannot await; throws when the data directory cannot be opened.</summary>
    public static WebApplication Build(ServeOptions options, string[]? hostArgs = null)
    {
        var built = BuildAsync(options, TimeProvider.System, hostArgs).GetAwaiter().GetResult();
        return built.IsSuccess ? built.Value : throw new InvalidOperationException(built.Error);
    }

    private static void MapEndpoints(WebApplication app, ServeOptions options)
    {
        app.Use(async (context, next) =>
        {
            if (!context.Request.IsHttps)
            {
                var host = context.Request.Host.Host;
                var port = options.HttpsPort == 443 ? string.Empty : $":{options.HttpsPort}";
                context.Response.Redirect($"https://{host}{port}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}", permanent: false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        app.UsePanelSecurity();
        app.MapGet("/health", () => Results.Text("ok"));
        app.MapTrustEndpoints();
        app.MapWebPanel();
    }
}
