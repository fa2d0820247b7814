using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Web.Tests.Trust;

/// <summary>
/// What docker/Dockerfile runs, without a Docker engine: the published app as a non-root user with the
/// image's SYNOCERT_* variables and a /data-like folder; its own health command succeeds; SIGTERM (docker
/// stop) ends it with exit code 0 and the database opens again afterwards.
/// </summary>
public sealed class ContainerEntrypointTests : IDisposable
{
    private const int NobodyId = 65534;
    private readonly string _root = Directory.CreateTempSubdirectory("synocert-image-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Entrypoint_NonRootWithImageEnvironment_HealthySigtermExitsZeroDatabaseIntact()
    {
        var app = await PublishedApp.PathAsync();
        var data = Path.Combine(_root, "data");
        var home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        await SeedAsync(data);
        var asNobody = Environment.UserName == "root" && File.Exists("/usr/bin/setpriv") && File.Exists("/etc/passwd")
            && File.ReadAllLines("/etc/passwd").Any(l => l.StartsWith("nobody:", StringComparison.Ordinal));
        if (asNobody)
        {
            File.SetUnixFileMode(_root, (UnixFileMode)Convert.ToInt32("755", 8));
            Assert.Equal(0, (await ExternalProcess.RunAsync("chown", ["-R", $"{NobodyId}:{NobodyId}", data, home])).ExitCode);
        }

        var https = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["SYNOCERT_DATA"] = data,
            ["SYNOCERT_BIND"] = "0.0.0.0",
            ["SYNOCERT_HTTPS_PORT"] = https.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SYNOCERT_HTTP_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HOME"] = home,
        };
        var who = asNobody ? "nobody (setpriv)" : $"the current user {Environment.UserName}: no root, setpriv or nobody user here to drop to";

        using var panel = Start(Command(asNobody, app, "serve"), environment);
        var healthy = await WaitHealthyAsync(Command(asNobody, app, "health"), environment, panel);
        var uid = File.ReadAllLines($"/proc/{panel.Id}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var client = new HttpClient(handler);
        using var download = await client.GetAsync(new Uri($"https://127.0.0.1:{https}/trust/ca/1.cer"));
        var stopwatch = Stopwatch.StartNew();
        var signal = await ExternalProcess.RunAsync("kill", ["-TERM", panel.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await panel.WaitForExitAsync(stopped.Token);

        Assert.True(healthy, $"`synocertpanel health` never returned 0 (running as {who}).");
        if (asNobody)
        {
            Assert.Contains($"\t{NobodyId}\t", uid, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(0, signal.ExitCode);
        Assert.True(panel.ExitCode == 0, $"exit code {panel.ExitCode} after SIGTERM (running as {who})");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopwatch.Elapsed}");
        var reopened = await PanelStorage.OpenAsync(new DataDirectory(data));
        Assert.True(reopened.IsSuccess, reopened.Error);
        // The seeded CA survives; the panel's own start-up CA (made on first start) is there beside it.
        Assert.Contains(await new AuthorityService(reopened.Value, TimeProvider.System).ListAsync(), a => a.Subject == "CN=NAS Root");
    }

    private static async Task SeedAsync(string data)
    {
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(data))).Value;
        var created = await new AuthorityService(storage, TimeProvider.System).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("NAS Root").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, "test");
        Assert.True(created.IsSuccess, created.Error);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static string[] Command(bool asNobody, string app, string verb) => asNobody
        ? ["/usr/bin/setpriv", $"--reuid={NobodyId}", $"--regid={NobodyId}", "--clear-groups", app, verb]
        : [app, verb];

    private static Process Start(string[] command, Dictionary<string, string> environment)
    {
        // setpriv execs the app, so this process id is the panel's: the signal reaches it as in a container (PID 1).
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<bool> WaitHealthyAsync(string[] command, Dictionary<string, string> environment, Process panel)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30) && !panel.HasExited)
        {
            var health = await ExternalProcess.RunAsync(command[0], command[1..], environment);
            if (health.ExitCode == 0)
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
