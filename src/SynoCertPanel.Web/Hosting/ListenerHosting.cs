using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SynoCertPanel.Core.Listener;
using SynoCertPanel.Web.Metrics;

namespace SynoCertPanel.Web.Hosting;

/// <summary>Wires the swappable certificate into Kestrel and the services that apply and follow it.</summary>
public static class ListenerHosting
{
    private static readonly List<SslApplicationProtocol> Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    public static IServiceCollection AddListener(this IServiceCollection services, ServedCertificateStore store, CertificateHolder holder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        services.AddSingleton(store.Storage);
        services.AddSingleton(time);
        services.AddSingleton(holder);
        services.AddSingleton(store);
        services.AddSingleton<ListenerEndpoint>();
        services.AddSingleton<ListenerStartup>();
        services.AddSingleton<ListenerService>();
        services.AddHostedService<DefaultCertificateWatcher>();
        services.AddHostedService<BoxAutomation>();
        return services;
    }

    /// <summary>The binding the host starts on, the configuration Kestrel watches, and the service that moves it.</summary>
    public static IServiceCollection AddListenerBinding(this IServiceCollection services, ListenerConfiguration configuration, ListenerStart start)
    {
        services.AddSingleton(configuration);
        services.AddSingleton(start);
        services.AddSingleton<ListenerBindingStore>();
        services.AddSingleton<ListenerRebinder>();
        return services;
    }

    /// <summary>
    /// HTTPS whose certificate is read from the holder per handshake. Measured as fast as a static certificate with
    /// 0 failed requests during swaps (DOTNET-NOTES.md); a ServerCertificateSelector ran at half the rate.
    /// </summary>
    /// <param name="listen">The HTTPS endpoint.</param>
    /// <param name="holder">The certificate to serve, read per handshake.</param>
    /// <param name="handshakes">Counts each handshake's result for /metrics; none in the benches.</param>
    public static ListenOptions UseSwappableCertificate(this ListenOptions listen, CertificateHolder holder, TlsHandshakeMetrics? handshakes = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(holder);
        if (handshakes is not null)
        {
            listen.Use(handshakes.BeforeHandshake);
        }

        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            // With the callback, Kestrel applies none of its own TLS settings: protocols and ALPN go here.
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = holder.Current.Context,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = Alpn,
                ClientCertificateRequired = false,
            }),
        });
        if (handshakes is not null)
        {
            listen.Use(handshakes.AfterHandshake);
        }

        return listen;
    }
}
