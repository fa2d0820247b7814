using SynoCertPanel.Core.Listener;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Acme;
using SynoCertPanel.Web.Api;
using SynoCertPanel.Web.Metrics;

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

        var holder = new CertificateHolder(time);
        var store = new ServedCertificateStore(storage.Value, time);
        // Loading (or, on a first start, making) the certificate and building the host both spend most of their time
        // compiling code on first use: side by side on 2 cores the panel answers sooner.
        var toServe = Task.Run(() => ListenerStartup.PrepareAsync(store, cancellationToken), cancellationToken);
        WebApplication app;
        ListenerStart start;
        try
        {
            start = await StartBindingAsync(options, storage.Value, time, cancellationToken).ConfigureAwait(false);
            app = CreateHost(options, store, holder, start, time, hostArgs);
        }
        catch
        {
            // Not a write left running behind a start that failed, nor a loaded key left undisposed.
            await ((Task)toServe).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (toServe.IsCompletedSuccessfully && toServe.Result.Certificate.IsSuccess)
            {
                toServe.Result.Certificate.Value.Dispose();
            }
            else
            {
                _ = toServe.Exception;
            }

            throw;
        }

        ListenerStartup.Prepared prepared;
        try
        {
            prepared = await toServe.ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var served = app.Services.GetRequiredService<ListenerStartup>().Serve(prepared);
        if (!served.IsSuccess)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            return Result.Failure<WebApplication>($"No certificate can be served: {served.Error}");
        }

        if (start.StoredProblem is not null)
        {
            ListenerLog.StoredBindingUnusable(app.Services.GetRequiredService<ILogger<ListenerRebinder>>(), start.StoredProblem);
        }

        MapEndpoints(app);
        return Result.Success(app);
    }

    private static WebApplication CreateHost(ServeOptions options, ServedCertificateStore store, CertificateHolder holder, ListenerStart start, TimeProvider time,
        string[]? hostArgs)
    {
        // Settings and assets sit beside the executable; the data directory stays relative to where the admin ran it.
        // appsettings.json is read once: watching it for changes put an inotify watch on every folder beside the
        // executable (runtimes/*, wwwroot/*) and cost start-up time for a file a container never changes.
        string[] args = ["--hostBuilder:reloadConfigOnChange=false", .. hostArgs ?? []];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // Outside Development, a build run from its output folder (`dotnet run -c Release`) would serve the
        // framework's scripts as empty files and Blazor circuits never start; the manifest of the build fixes
        // that. A published app has no such manifest and serves its own copies, so this is a no-op there.
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{typeof(PanelHost).Assembly.GetName().Name}.staticwebassets.runtime.json");
        if (File.Exists(manifest))
        {
            builder.WebHost.UseSetting(WebHostDefaults.StaticWebAssetsKey, manifest);
            builder.WebHost.UseStaticWebAssets();
        }

        var listener = ListenerConfiguration.Create();
        var metrics = new PanelMetrics();
        builder.Services.AddListener(store, holder, time);
        builder.Services.AddListenerBinding(listener, start);
        builder.AddPanelSecurity(store.Storage);
        builder.AddPanelApi();
        builder.Services.AddPanelMetrics(metrics);
        builder.Services.AddWebPanel(options.DataDirectory);
        builder.Services.AddAcme();
        builder.Services.AddHostedService<StartupMemoryTrim>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            listener.Attach(kestrel, holder, metrics.Handshakes);
        });
        listener.Publish(start.Binding);
        return builder.Build();
    }

    /// <summary>For callers that cannot await; throws when the data directory cannot be opened.</summary>
    public static WebApplication Build(ServeOptions options, string[]? hostArgs = null)
    {
        var built = BuildAsync(options, TimeProvider.System, hostArgs).GetAwaiter().GetResult();
        return built.IsSuccess ? built.Value : throw new InvalidOperationException(built.Error);
    }

    /// <summary>The binding stored by the panel where the start gave no value, else the given values.</summary>
    private static async Task<ListenerStart> StartBindingAsync(ServeOptions options, PanelStorage storage, TimeProvider time, CancellationToken cancellationToken)
    {
        var stored = await new ListenerBindingStore(storage, time).LoadAsync(cancellationToken).ConfigureAwait(false);
        if (!stored.IsSuccess || stored.Value is null)
        {
            return new ListenerStart(options.StartBinding(null), options.Given, stored.Error);
        }

        // An address stored months ago may be gone (DHCP, a removed interface): start on the start options rather
        // than not at all, and say why.
        var binding = options.StartBinding(stored.Value);
        var problem = binding.HttpsEndpoints.Concat(binding.HttpEndpoints).Select(ListenerRebinder.TryBind).FirstOrDefault(p => p is not null);
        return problem is null
            ? new ListenerStart(binding, options.Given, null)
            : new ListenerStart(options.StartBinding(null), options.Given, $"the stored listener binding ({binding}) cannot be used now: {problem}");
    }

    private static void MapEndpoints(WebApplication app)
    {
        var rebinder = app.Services.GetRequiredService<ListenerRebinder>();
        app.UsePanelHttpMetrics();
        app.Use(async (context, next) =>
        {
            if (!context.Request.IsHttps)
            {
                var host = context.Request.Host.Host;
                // The current binding, not the start options: the panel may have moved since.
                var httpsPort = rebinder.HttpsPort;
                var port = httpsPort == 443 ? string.Empty : $":{httpsPort}";
                context.Response.Redirect($"https://{host}{port}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}", permanent: false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        app.UsePanelSecurity();
        app.MapPanelApi();
        app.MapPanelMetrics();
        app.MapGet("/health", () => Results.Text("ok"));
        app.MapTrustEndpoints();
        app.MapAcmeEndpoints();
        app.MapWebPanel();
    }
}
