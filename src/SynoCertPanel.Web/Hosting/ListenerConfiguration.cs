using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SynoCertPanel.Web.Metrics;

namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// The Kestrel endpoint configuration the panel owns. Kestrel watches it (<c>reloadOnChange</c>) and, when
/// <see cref="Publish"/> changes it, stops the endpoints that went away and binds the new ones in the same
/// process: an endpoint whose name and URL stay the same keeps its socket and its open connections.
/// Each endpoint is named after what it binds, so keeping the old binding while adding a new one changes nothing
/// for the old sockets.
/// </summary>
public sealed class ListenerConfiguration : ConfigurationProvider, IConfigurationSource
{
    private readonly Lock _lock = new();
    private KestrelConfigurationLoader? _loader;
    private readonly HashSet<string> _httpsNames = new(StringComparer.OrdinalIgnoreCase);
    private CertificateHolder? _holder;
    private TlsHandshakeMetrics? _handshakes;

    public IConfigurationRoot Root { get; private set; } = null!;

    public static ListenerConfiguration Create()
    {
        var configuration = new ListenerConfiguration();
        configuration.Root = new ConfigurationBuilder().Add(configuration).Build();
        return configuration;
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Hands Kestrel this configuration; HTTPS endpoints get the swappable certificate and count their handshakes.</summary>
    public void Attach(KestrelServerOptions kestrel, CertificateHolder holder, TlsHandshakeMetrics? handshakes = null)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        lock (_lock)
        {
            _holder = holder;
            _handshakes = handshakes;
            _loader = kestrel.Configure(Root, reloadOnChange: true);
            foreach (var name in _httpsNames)
            {
                RegisterHttps(name);
            }
        }
    }

    /// <summary>Replaces the endpoints with those of <paramref name="bindings"/> (several while one takes over from another).</summary>
    public void Publish(params ListenerBinding[] bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        lock (_lock)
        {
            foreach (var endpoint in bindings.SelectMany(b => b.HttpsEndpoints).Distinct())
            {
                var name = NameOf("https", endpoint);
                data[$"Endpoints:{name}:Url"] = UrlOf("https", endpoint);
                data[$"Endpoints:{name}:Protocols"] = nameof(HttpProtocols.Http1AndHttp2);
                if (_httpsNames.Add(name) && _loader is not null)
                {
                    RegisterHttps(name);
                }
            }

            foreach (var endpoint in bindings.SelectMany(b => b.HttpEndpoints).Distinct())
            {
                data[$"Endpoints:{NameOf("http", endpoint)}:Url"] = UrlOf("http", endpoint);
            }

            Data = data;
        }

        OnReload();
    }

    /// <summary>Registered before the reload reads it; Kestrel calls it only for endpoints it (re)binds.</summary>
    private void RegisterHttps(string name) => _loader!.Endpoint(name, e => e.ListenOptions.UseSwappableCertificate(_holder!, _handshakes));

    private static string NameOf(string scheme, IPEndPoint endpoint) =>
        $"{scheme}-{Convert.ToHexStringLower(endpoint.Address.GetAddressBytes())}-{endpoint.Port}";

    private static string UrlOf(string scheme, IPEndPoint endpoint) =>
        endpoint.Address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"{scheme}://[{endpoint.Address}]:{endpoint.Port}"
            : $"{scheme}://{endpoint.Address}:{endpoint.Port}";
}
