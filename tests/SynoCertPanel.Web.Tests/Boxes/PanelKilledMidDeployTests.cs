using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Alerts;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Boxes.Ssh;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests.Alerts;
using SynoCertPanel.Core.Tests.Boxes.Ssh;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Keys;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Cli;
using SynoCertPanel.Web.Tests.Listener;
using Xunit.Abstractions;

namespace SynoCertPanel.Web.Tests.Boxes;

/// <summary>
/// The panel process killed (SIGKILL) in the middle of a deploy over SSH to a real nginx: the new files are in place and
/// the reload command is running when the kill lands. Restarted on the same data directory, the panel marks the deploy
/// unfinished, probes the box again and says what it serves, alerts, and the box serves a valid certificate throughout.
/// </summary>
[Collection(nameof(ProcessHeavyTests))]
public sealed class PanelKilledMidDeployTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const string BoxName = "web";

    private readonly string _root = Directory.CreateTempSubdirectory("synocert-killed-").FullName;
    private readonly List<Process> _panels = [];
    private SshdServer _sshd = null!;
    private NginxServer _nginx = null!;
    private AlertReceiver _phone = null!;
    private PanelStorage _storage = null!;
    private int _rootId;
    private int _firstCertificateId;
    private string _token = string.Empty;

    private string Data => Path.Combine(_root, "data");

    private string Box => Path.Combine(_root, "box");

    private string Marker(string name) => Path.Combine(Box, "reload." + name);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Box);
        _storage = (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;
        var root = await new AuthorityService(_storage, TimeProvider.System).CreateRootAsync(new RootCaOptions
        {
            Subject = DistinguishedName.Create("Lab Root", "Home Lab").Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, "admin");
        Assert.True(root.IsSuccess, root.Error);
        _rootId = root.Value.Id;
        var rootPem = (await new InventoryService(_storage, TimeProvider.System).GetAsync(root.Value.CertificateId)).Value.Certificate.ToPem();
        await File.WriteAllTextAsync(Path.Combine(_root, "root.pem"), rootPem);

        // What the box serves before: a certificate from the same root, delivered earlier.
        var first = await new AuthorityService(_storage, TimeProvider.System).IssueAsync(_rootId, new LeafOptions
        {
            Subject = DistinguishedName.Create("localhost").Value,
            SubjectAlternativeNames = SanParser.ParseAll(["localhost", "127.0.0.1"]).Value,
            KeyAlgorithm = KeyAlgorithm.EcdsaP256,
        }, BoxName + " (box)", setAsDefault: false, "admin");
        Assert.True(first.IsSuccess, first.Error);
        _firstCertificateId = first.Value;
        var bundle = (await DeliveryBundles.LoadAsync(_storage, first.Value, CancellationToken.None)).Value;
        _sshd = await SshdServer.StartAsync(Path.Combine(Box, "sshd"));
        _nginx = await NginxServer.StartAsync(Path.Combine(Box, "nginx"), bundle.FullChainPem, bundle.PrivateKeyPem);
        _phone = AlertReceiver.Start();
    }

    public async Task DisposeAsync()
    {
        foreach (var panel in _panels)
        {
            if (!panel.HasExited)
            {
                panel.Kill();
                await panel.WaitForExitAsync();
            }

            panel.Dispose();
        }

        StopReloadScript();
        _nginx?.Dispose();
        _sshd?.Dispose();
        if (_phone is not null)
        {
            await _phone.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Deploy_PanelKilledWhileTheReloadRuns_RestartMarksItUnfinishedProbesAlertsAndTheBoxServesAValidCertificate()
    {
        await AddBoxAsync();
        var firstFingerprint = await FingerprintAsync(_firstCertificateId);
        SqliteConnection.ClearAllPools();
        var panel = await StartPanelAsync();
        using var api = ApiClient(panel.Port);

        var deploy = api.PostAsync(new Uri("/api/v1/boxes/" + BoxName + "/deploy", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.True(await WaitForAsync(() => File.Exists(Marker("started")), TimeSpan.FromSeconds(90)), "The reload command never started: " + await OutputAsync(deploy));
        var running = await DeploymentAsync();
        Assert.Equal(DeploymentOutcome.Running, running.Outcome);
        var delivered = running.CertificateId!.Value;
        Assert.Equal(await FingerprintAsync(delivered), FileFingerprint(_nginx.FullChainPath));

        panel.Process.Kill();
        await panel.Process.WaitForExitAsync();
        // 128 + SIGKILL: nothing in the panel ran after this.
        Assert.Equal(137, panel.Process.ExitCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => deploy);
        Assert.Equal(DeploymentOutcome.Running, (await DeploymentAsync()).Outcome);
        Assert.Equal(firstFingerprint, ServedFingerprint());

        var restartedAt = DateTimeOffset.UtcNow;
        SqliteConnection.ClearAllPools();
        var restarted = await StartPanelAsync();
        var settled = await WaitForAsync(async () =>
        {
            var row = await DeploymentAsync();
            var endpoint = await EndpointAsync();
            return row.Message != DeployService.StoppedMessage && row.Outcome != DeploymentOutcome.Running && endpoint.CheckedAt >= restartedAt
                && await AlertsAsync() is { Count: > 0 };
        }, TimeSpan.FromSeconds(90));
        Assert.True(settled, "The restarted panel did not settle the deploy within 90 s.");

        var unfinished = await DeploymentAsync();
        var watched = await EndpointAsync();
        log.WriteLine(unfinished.Message);
        log.WriteLine(unfinished.Steps);
        Assert.Equal(DeploymentOutcome.Unfinished, unfinished.Outcome);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture,
            $"The panel stopped in the middle of this deploy. Probed again after the restart: 127.0.0.1:{_nginx.Port} still serves certificate {_firstCertificateId}, the one before this deploy. Deploy again to finish it."),
            unfinished.Message);
        Assert.EndsWith("The panel stopped here.", unfinished.Steps, StringComparison.Ordinal);
        Assert.Equal("ok", watched.State);
        Assert.Equal(firstFingerprint, watched.ServedFingerprint);
        Assert.Equal(_firstCertificateId, await BoxCertificateAsync());
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal((AlertMessage.DeployEvent, AlertSendOutcome.Sent), (alert.Event, alert.Outcome));
        Assert.Contains(_phone.Received, r => r.Header("Title") == BoxName + ": deploy left unfinished" && r.Text.Contains(unfinished.Message, StringComparison.Ordinal));

        // The box: still serving a certificate every strict client accepts, and no temporary file left beside the real ones.
        Assert.Equal("OK", VerifyServed());
        Assert.DoesNotContain(Directory.GetFiles(_nginx.CertificateFolder), f => f.EndsWith(".tmp", StringComparison.Ordinal));

        // The files the deploy put in place are a whole pair: when nginx loads them, it serves the new certificate, valid too.
        FinishReload();
        using var served = await _nginx.ServedAfterReloadAsync(await FingerprintAsync(delivered));
        Assert.Equal(await FingerprintAsync(delivered), NginxServer.Fingerprint(served));
        Assert.Equal("OK", VerifyServed());

        // And the panel follows: a check finds the box serving the deploy's certificate, which becomes the box's.
        using var again = ApiClient(restarted.Port);
        using var check = await again.PostAsync(new Uri("/api/v1/boxes/" + BoxName + "/check", UriKind.Relative), null);
        var answer = await check.Content.ReadAsStringAsync();
        log.WriteLine(answer);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Contains("\"state\":\"ok\"", answer, StringComparison.Ordinal);
        Assert.Equal(delivered, await BoxCertificateAsync());
        Assert.EndsWith(string.Create(CultureInfo.InvariantCulture, $"found every watched endpoint serving certificate {delivered}, so it is now the box's certificate."),
            (await DeploymentAsync()).Message, StringComparison.Ordinal);
    }

    private async Task AddBoxAsync()
    {
        // The reload command shows the box's side of the deploy: it marks its start, then waits as a slow service restart does.
        var script = Path.Combine(Box, "reload.sh");
        await File.WriteAllTextAsync(script, $"""
            echo $$ > {Marker("pid")}
            touch {Marker("started")}
            i=0
            while [ ! -e {Marker("go")} ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i+1)); done
            {_nginx.ReloadCommand}

            """);
        var added = await new BoxService(_storage, BoxDeliveries.Standard(TimeProvider.System), TimeProvider.System).AddAsync(new BoxDraft
        {
            Name = BoxName,
            Addresses = ["localhost", "127.0.0.1"],
            Watch = [string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{_nginx.Port}")],
            Delivery = "ssh",
            Settings = new Dictionary<string, string>
            {
                [SshOptions.Host] = "127.0.0.1",
                [SshOptions.Port] = _sshd.Port.ToString(CultureInfo.InvariantCulture),
                [SshOptions.User] = SshdServer.User,
                [SshOptions.HostKey] = _sshd.HostKeyFingerprint,
                [SshOptions.ChainPath] = _nginx.FullChainPath,
                [SshOptions.KeyPath] = _nginx.KeyPath,
                [SshOptions.ReloadCommand] = "sh " + script,
            },
            Secrets = new Dictionary<string, string> { [SshOptions.PrivateKey] = _sshd.LoginKey.PrivateKey },
            AuthorityId = _rootId,
            CertificateId = _firstCertificateId,
        }, "admin");
        Assert.True(added.IsSuccess, added.Error);
        var channel = await new AlertService(_storage, AlertChannels.Standard(TimeProvider.System), TimeProvider.System).AddAsync(new AlertChannelDraft
        {
            Name = "phone",
            Channel = "ntfy",
            Settings = new Dictionary<string, string> { ["server-url"] = _phone.Url, ["topic"] = "lab" },
        }, "admin");
        Assert.True(channel.IsSuccess, channel.Error);
        var token = await new ApiTokenService(_storage, TimeProvider.System).CreateAsync(new ApiTokenRequest { Name = "deploy script", Scopes = [ApiScopes.BoxesDeploy] }, "admin");
        Assert.True(token.IsSuccess, token.Error);
        _token = token.Value.Secret;
    }

    /// <summary>`synocertpanel serve` as its own process on the data directory, once it completes a TLS handshake.</summary>
    private async Task<(Process Process, int Port)> StartPanelAsync()
    {
        var port = LoopbackProcess.FreePort();
        var start = CliProcess.StartInfo(["serve", "--data", Data, "--https-port", port.ToString(CultureInfo.InvariantCulture), "--http-port", "0"]);
        var process = Process.Start(start)!;
        _panels.Add(process);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Collect(output, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await WaitForAsync(async () =>
        {
            Assert.False(process.HasExited, "The panel stopped: " + output);
            return (await HandshakeProbe.ServedThumbprintAsync(new IPEndPoint(IPAddress.Loopback, port), "localhost", TimeSpan.FromSeconds(5))).IsSuccess;
        }, TimeSpan.FromSeconds(90));
        Assert.True(started, "The panel did not complete a handshake within 90 s: " + output);
        return (process, port);
    }

    private static void Collect(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private HttpClient ApiClient(int port)
    {
        var client = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })
        {
            BaseAddress = new Uri($"https://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromMinutes(5),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return client;
    }

    private static async Task<string> OutputAsync(Task<HttpResponseMessage> deploy) =>
        deploy.IsCompleted ? await (await deploy).Content.ReadAsStringAsync() : "(the deploy is still running)";

    private static Task<bool> WaitForAsync(Func<bool> condition, TimeSpan limit) => WaitForAsync(() => Task.FromResult(condition()), limit);

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private async Task<DeploymentRecord> DeploymentAsync()
    {
        await using var db = _storage.CreateContext();
        return await db.Deployments.AsNoTracking().SingleAsync();
    }

    private async Task<BoxEndpointRecord> EndpointAsync()
    {
        await using var db = _storage.CreateContext();
        return await db.BoxEndpoints.AsNoTracking().SingleAsync();
    }

    private async Task<int?> BoxCertificateAsync()
    {
        await using var db = _storage.CreateContext();
        return (await db.Boxes.AsNoTracking().SingleAsync()).CertificateId;
    }

    private async Task<List<AlertHistoryRecord>> AlertsAsync()
    {
        await using var db = _storage.CreateContext();
        return await db.AlertHistory.AsNoTracking().ToListAsync();
    }

    private async Task<string> FingerprintAsync(int certificateId)
    {
        await using var db = _storage.CreateContext();
        return (await db.Certificates.AsNoTracking().SingleAsync(c => c.Id == certificateId)).Sha256Fingerprint;
    }

    private static string FileFingerprint(string pemFile)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(pemFile));
        return NginxServer.Fingerprint(certificate);
    }

    private string ServedFingerprint()
    {
        using var served = _nginx.ServedCertificateAsync().GetAwaiter().GetResult();
        return NginxServer.Fingerprint(served);
    }

    /// <summary>`openssl verify -x509_strict` of what nginx serves to `openssl s_client`, against the panel's root, for localhost.</summary>
    private string VerifyServed()
    {
        var leaf = Path.Combine(_root, "served.pem");
        var fetched = RunningPanel.Run("sh", "-c",
            $"openssl s_client -connect 127.0.0.1:{_nginx.Port} -servername localhost </dev/null 2>/dev/null | openssl x509 -out {leaf}");
        Assert.True(fetched.ExitCode == 0, fetched.Error);
        var verify = RunningPanel.Run("openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "localhost",
            "-CAfile", Path.Combine(_root, "root.pem"), leaf);
        return verify.ExitCode == 0 ? verify.Output.Trim().Split(": ")[^1] : verify.Output + verify.Error;
    }

    /// <summary>Lets the reload command go on, if the kill left it running; else reloads nginx as the operator would.</summary>
    private void FinishReload()
    {
        log.WriteLine(ReloadScriptRuns() ? "The reload command outlived the panel's SSH connection." : "The reload command ended with the panel's SSH connection.");
        if (ReloadScriptRuns())
        {
            File.WriteAllText(Marker("go"), string.Empty);
            return;
        }

        var reload = RunningPanel.Run("sh", "-c", _nginx.ReloadCommand);
        Assert.True(reload.ExitCode == 0, reload.Error);
    }

    private bool ReloadScriptRuns() =>
        File.Exists(Marker("pid")) && int.TryParse(File.ReadAllText(Marker("pid")).Trim(), CultureInfo.InvariantCulture, out var pid)
            && File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("reload.sh", StringComparison.Ordinal);

    /// <summary>Ends the reload script the test's sshd started, by its pid, if it still runs.</summary>
    private void StopReloadScript()
    {
        if (ReloadScriptRuns())
        {
            using var script = Process.GetProcessById(int.Parse(File.ReadAllText(Marker("pid")).Trim(), CultureInfo.InvariantCulture));
            script.Kill();
        }
    }
}
