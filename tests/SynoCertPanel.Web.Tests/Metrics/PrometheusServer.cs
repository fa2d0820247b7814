using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace SynoCertPanel.Web.Tests.Metrics;

/// <summary>
/// Debian's Prometheus, started as a child of the test on 127.0.0.1 and a free port, with its storage in a temporary
/// folder, scraping one target every second; stopped (and its folder removed) on dispose.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Program = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _client;
    private readonly Task<string> _log;

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        _log = process.StandardError.ReadToEndAsync();
    }

    /// <param name="scrapeConfig">One scrape_configs entry, as YAML indented for the list.</param>
    /// <param name="files">Files the configuration names (CA, token), written beside it: name → content.</param>
    public static async Task<PrometheusServer> StartAsync(string scrapeConfig, IReadOnlyDictionary<string, string> files)
    {
        Assert.True(File.Exists(Program), $"{Program} is missing: scripts/test.sh installs Debian's prometheus package.");
        var directory = Directory.CreateTempSubdirectory("synocert-prometheus-").FullName;
        foreach (var (name, content) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, name), content);
        }

        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n{scrapeConfig}");
        var port = FreePort();
        var start = new ProcessStartInfo(Program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
        {
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(directory, "data"),
            string.Create(CultureInfo.InvariantCulture, $"--web.listen-address=127.0.0.1:{port}"),
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var server = new PrometheusServer(Process.Start(start)!, directory, port);
        _ = server._process.StandardOutput.ReadToEndAsync();
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>
    /// Runs an instant query until it returns at least one sample (Prometheus needs a scrape or two first): the
    /// samples as (labels, value), or a failure naming the target's last error.
    /// </summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryUntilFoundAsync(string query, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            using var json = JsonDocument.Parse(await _client.GetStringAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative)));
            Assert.Equal("success", json.RootElement.GetProperty("status").GetString());
            var result = json.RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() > 0)
            {
                return result.EnumerateArray().Select(r => (
                    r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                    double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture))).ToList();
            }

            if (stopwatch.Elapsed > timeout)
            {
                Assert.Fail($"Prometheus found nothing for {query} within {timeout}; its targets: {await _client.GetStringAsync(new Uri("/api/v1/targets", UriKind.Relative))}");
            }

            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _ = await _log;
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitUntilReadyAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"Prometheus exited with {_process.ExitCode}: {await _log}");
            }

            try
            {
                using var response = await _client.GetAsync(new Uri("/-/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("Prometheus did not become ready within 30 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
