using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;
using SynoCertPanel.Core.Metrics;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Api;

namespace SynoCertPanel.Web.Metrics;

/// <summary>
/// <c>GET /metrics</c>. Off (the default): 404, as if there were no such path. On: a client inside the allowed ranges
/// reads it as it is; anyone else needs a token with metrics:read (401 without a usable token, 403 with a token that lacks
/// the scope). A cookie never opens it, like the API.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>The registry the host's Kestrel already counts handshakes into, the certificate gauges and the stored access rules.</summary>
    public static IServiceCollection AddPanelMetrics(this IServiceCollection services, PanelMetrics metrics)
    {
        services.AddSingleton(metrics);
        // Each a class on the same registry that refreshes its series before a scrape (resolved in MapPanelMetrics); ACME
        // counters join here when the panel has them.
        services.AddSingleton<CertificateMetrics>();
        services.AddSingleton<BoxMetrics>();
        // The watch reports each probe round's duration here (BoxWatch takes it when registered).
        services.AddSingleton<Core.Boxes.IProbeRoundObserver>(sp => sp.GetRequiredService<BoxMetrics>());
        services.TryAddSingleton<MetricsAccessStore>();
        return services;
    }

    /// <summary>Call first in the pipeline (before the HTTPS redirect): every request is counted by its route template, never its raw path.</summary>
    public static WebApplication UsePanelHttpMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.Services.GetRequiredService<PanelMetrics>();
        // prometheus-net labels a request with its endpoint's route pattern ("/api/v1/certificates/{id:int}"), or nothing when
        // no endpoint matched: a scan of random paths adds no series.
        app.UseHttpMetrics(options => options.SetMetricFactory(metrics.Factory));
        return app;
    }

    /// <summary>Call after <c>UsePanelSecurity</c>, whose authentication the token check uses.</summary>
    public static WebApplication MapPanelMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Registers the certificate and box series' refresh on the registry before the first scrape.
        _ = app.Services.GetRequiredService<CertificateMetrics>();
        _ = app.Services.GetRequiredService<BoxMetrics>();
        // AllowAnonymous: not the pages' sign-in (a cookie must not open it); the access rules are checked below.
        app.MapGet(PanelMetrics.Path, ServeAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task ServeAsync(HttpContext context, MetricsAccessStore store, PanelMetrics metrics, ILogger<PanelMetrics> logger)
    {
        var access = await store.LoadAsync(context.RequestAborted).ConfigureAwait(false);
        if (!access.IsSuccess)
        {
            MetricsLog.StoredAccessUnusable(logger, access.Error!);
        }

        if (!access.IsSuccess || !access.Value.Enabled)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var remote = context.Connection.RemoteIpAddress;
        if (!AllowedRanges.Contains(access.Value.AllowedRanges, remote) && !await TokenAllowsAsync(context, remote).ConfigureAwait(false))
        {
            return;
        }

        context.Response.ContentType = PanelMetrics.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, ExpositionFormat.PrometheusText, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Whether a token with metrics:read came; if not, the 401 or 403 is written.</summary>
    private static async Task<bool> TokenAllowsAsync(HttpContext context, System.Net.IPAddress? remote)
    {
        if (context.Request.Headers.Authorization.Count == 0)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiProblems.Write(context, StatusCodes.Status401Unauthorized, "Not authenticated",
                $"No API token, and {remote} is not in the address ranges that may read /metrics without one: send a token with the "
                + $"{ApiScopes.MetricsRead} scope as \"Authorization: Bearer scp_…\", or allow this address in Settings → Metrics.").ConfigureAwait(false);
            return false;
        }

        var authenticated = await context.AuthenticateAsync(ApiTokenDefaults.Scheme).ConfigureAwait(false);
        if (!authenticated.Succeeded)
        {
            // The token handler writes the 401 with the reason (unknown, expired, revoked, malformed).
            await context.ChallengeAsync(ApiTokenDefaults.Scheme).ConfigureAwait(false);
            return false;
        }

        if (authenticated.Principal.HasClaim(ApiTokenDefaults.ScopeClaim, ApiScopes.MetricsRead))
        {
            return true;
        }

        context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{ApiScopes.MetricsRead}\"";
        await ApiProblems.Write(context, StatusCodes.Status403Forbidden, "Missing scope",
            $"This token lacks the scope {ApiScopes.MetricsRead}, which GET /metrics needs; make a token that has it.").ConfigureAwait(false);
        return false;
    }
}

internal static partial class MetricsLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Warning, Message = "/metrics stays off: {Reason}")]
    public static partial void StoredAccessUnusable(ILogger logger, string reason);
}
