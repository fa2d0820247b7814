using Microsoft.AspNetCore.Server.Kestrel.Core;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Hosting;

/// <summary>Builds the panel's web host: Kestrel on HTTPS (HTTP only redirects), the health endpoint, the pages.</summary>
public static class PanelHost
{
    public static WebApplication Build(ServeOptions options, string[]? hostArgs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var builder = WebApplication.CreateBuilder(hostArgs ?? []);
        var served = StartupCertificate.Create(TimeProvider.System);
        builder.Services.AddSingleton(served);
        builder.AddPanelSecurity(new DataDirectory(options.DataDirectory));
        builder.Services.AddWebPanel(options.DataDirectory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.BindAddress, options.HttpsPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(served.Certificate);
            });
            if (options.HttpPort > 0)
            {
                kestrel.Listen(options.BindAddress, options.HttpPort);
            }
        });

        var app = builder.Build();
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
        app.MapTrustEndpoints(options.DataDirectory);
        app.MapWebPanel();
        return app;
    }
}
