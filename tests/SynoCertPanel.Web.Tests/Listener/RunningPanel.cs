using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Listener;

/// <summary>The real panel on 127.0.0.1 with a random port, and what the tests do to it from the outside.</summary>
public sealed class RunningPanel : IAsyncDisposable
{
    private RunningPanel(WebApplication app, string data, MutableClock clock)
    {
        App = app;
        Data = data;
        Clock = clock;
    }

    public WebApplication App { get; }

    public string Data { get; }

    public MutableClock Clock { get; }

    public IPEndPoint Endpoint => App.Services.GetRequiredService<ListenerEndpoint>().Resolve().Value;

    public ListenerCertificate Served => App.Services.GetRequiredService<CertificateHolder>().Current;

    public ListenerService Listener => App.Services.GetRequiredService<ListenerService>();

    public static async Task<RunningPanel> StartAsync(string data, MutableClock? clock = null, ServeOptions? options = null)
    {
        clock ??= new MutableClock();
        options ??= new ServeOptions { HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback };
        var built = await PanelHost.BuildAsync(options with { DataDirectory = data }, clock);
        Assert.True(built.IsSuccess, built.Error);
        await built.Value.StartAsync();
        return new RunningPanel(built.Value, data, clock);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>A second handle on the same data directory, as the CLI in another process would have.</summary>
    public async Task<PanelStorage> OpenSecondStorageAsync() => (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;

    /// <summary>A new root and a P-256 server certificate for <paramref name="names"/>, not yet the default.</summary>
    public async Task<SelfSignedResult> CreateServerCertificateAsync(params string[] names)
    {
        var storage = await OpenSecondStorageAsync();
        var created = await new SelfSignedService(storage, Clock).CreateAsync(new SelfSignedRequest
        {
            Root = new RootCaOptions { Subject = DistinguishedName.Create("Test Root").Value, KeyAlgorithm = KeyAlgorithm.EcdsaP256 },
            Server = new LeafOptions
            {
                Subject = DistinguishedName.Create(names[0]).Value,
                SubjectAlternativeNames = SanParser.ParseAll(names).Value,
                KeyAlgorithm = KeyAlgorithm.EcdsaP256,
            },
            SetAsDefault = false,
        }, "test");
        Assert.True(created.IsSuccess, created.Error);
        return created.Value;
    }

    public async Task<string> HandshakeThumbprintAsync(string serverName = "localhost")
    {
        var served = await HandshakeProbe.ServedThumbprintAsync(Endpoint, serverName, TimeSpan.FromSeconds(10));
        Assert.True(served.IsSuccess, served.Error);
        return served.Value;
    }

    /// <summary>Polls with fresh handshakes until the listener serves <paramref name="thumbprint"/>; returns how long it took.</summary>
    public async Task<TimeSpan> WaitUntilServedAsync(string thumbprint, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (await HandshakeThumbprintAsync() == thumbprint)
            {
                return watch.Elapsed;
            }

            await Task.Delay(50);
        }

        return watch.Elapsed;
    }

    public static (int ExitCode, string Output, string Error) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    /// <summary>The SHA-256 fingerprint `openssl s_client` sees, as uppercase hex without colons.</summary>
    public string OpenSslThumbprint(int? port = null)
    {
        var script = $"openssl s_client -connect 127.0.0.1:{port ?? Endpoint.Port} -servername localhost </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256";
        var result = Run("sh", "-c", script);
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Output.Trim().Split('=')[^1].Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
    }

    /// <summary>An HTTP/1.1 connection kept open across requests.</summary>
    public async Task<KeepAliveConnection> OpenKeepAliveAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(Endpoint);
        var tls = new SslStream(client.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
        });
        return new KeepAliveConnection(client, tls);
    }
}
