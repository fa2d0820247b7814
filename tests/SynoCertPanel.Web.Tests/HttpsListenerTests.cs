using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests;

public sealed class HttpsListenerTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("synocert-web-").FullName;
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        _app = (await PanelHost.BuildAsync(new ServeOptions { DataDirectory = _data, HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback })).Value;
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private Uri BaseAddress => new(_app!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    private ListenerCertificate Served => _app!.Services.GetRequiredService<CertificateHolder>().Current;

    [Fact]
    public async Task Serve_FirstStart_AnswersHealthOverTlsTrustedByItsOwnRoot()
    {
        var root = Served.Chain[^1].ToX509Certificate2();
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = BaseAddress };

        var response = await client.GetStringAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal("ok", response);
    }

    [Fact]
    public void Serve_FirstStart_CurlTrustsTheStartupRootByIpAndLocalhost()
    {
        var rootFile = Path.Combine(_data, "root.pem");
        File.WriteAllText(rootFile, Served.Chain[^1].ToPem());
        var port = BaseAddress.Port;

        var byIp = Curl("--cacert", rootFile, $"https://127.0.0.1:{port}/health");
        var byName = Curl("--cacert", rootFile, "--resolve", $"localhost:{port}:127.0.0.1", $"https://localhost:{port}/health");
        var untrusted = Curl($"https://127.0.0.1:{port}/health");

        Assert.True(byIp.ExitCode == 0, byIp.Error);
        Assert.Equal("ok", byIp.Output);
        Assert.True(byName.ExitCode == 0, byName.Error);
        Assert.Equal(60, untrusted.ExitCode);
    }

    [Fact]
    public void Serve_Unauthenticated_HealthIsPublicAndTheHomePageNeedsLogin()
    {
        var rootFile = Path.Combine(_data, "root.pem");
        File.WriteAllText(rootFile, Served.Chain[^1].ToPem());
        var port = BaseAddress.Port;

        var health = Curl("--cacert", rootFile, $"https://127.0.0.1:{port}/health");
        var home = Curl("--cacert", rootFile, "--header", "Accept: text/html", "--write-out", "%{http_code} %{redirect_url}", "--output", "/dev/null", $"https://127.0.0.1:{port}/");

        Assert.Equal("ok", health.Output);
        Assert.Equal($"302 https://127.0.0.1:{port}/login?ReturnUrl=%2F", home.Output);
    }

    [Fact]
    public void Serve_FromBuildOutput_ServesTheBlazorScriptWithContent()
    {
        var port = BaseAddress.Port;

        var script = Curl("--insecure", "--write-out", "%{http_code} %{size_download}", "--output", "/dev/null", $"https://127.0.0.1:{port}/_framework/blazor.web.js");

        var parts = script.Output.Split(' ');
        Assert.Equal("200", parts[0]);
        Assert.True(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) > 10_000, script.Output);
    }

    private static (int ExitCode, string Output, string Error) Curl(params string[] arguments)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--silent", "--show-error", "--max-time", "20", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error);
    }
}
