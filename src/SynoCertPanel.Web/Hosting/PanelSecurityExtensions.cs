using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Auth;
using SynoCertPanel.Web.Protection;

namespace SynoCertPanel.Web.Hosting;

/// <summary>The two calls a host makes for sign-in, authorization and response protection.</summary>
public static class PanelSecurityExtensions
{
    public static WebApplicationBuilder AddPanelSecurity(this WebApplicationBuilder builder, PanelStorage storage) =>
        builder.AddPanelProtection().AddPanelAuthentication(storage);

    /// <summary>Call early, before mapping pages: headers and the hub's Origin check come before sign-in.</summary>
    public static WebApplication UsePanelSecurity(this WebApplication app) =>
        app.UsePanelProtection().UsePanelAuthentication();
}
