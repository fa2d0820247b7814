using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SynoCertPanel.Core.Listener;

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
    public static ListenOptions UseSwappableCertificate(this ListenOptions listen, CertificateHolder holder)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(holder);
        return listen.UseHttps(new TlsHandshakeCallbackOptions
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
    }
}
