using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SynoCertPanel.Web.Protection;

public static class PanelProtectionExtensions
{
    public static WebApplicationBuilder AddPanelProtection(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = ProtectionOptions.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodySize);
        return builder;
    }

    /// <summary>Security headers on every response, 413 for oversized bodies and the hub's Origin check; call before authentication.</summary>
    public static WebApplication UsePanelProtection(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<OversizedBodyMiddleware>();
        app.UseMiddleware<HubOriginCheckMiddleware>();
        return app;
    }
}
