using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Core.Tests;
using SynoCertPanel.Web.Cli;
using Xunit.Abstractions;

namespace SynoCertPanel.Web.Tests.Cli;

/// <summary>
/// Keys are only ever stored encrypted and never logged: the database files (with the WAL of the running panel),
/// the panel's log output, the CLI's failure log and the CLI's own output hold no private key in any usual form.
/// </summary>
public sealed class KeysInClearTests(ITestOutputHelper log) : IDisposable
{
    private const string CliFailureLogName = "synocertpanel-cli.log";

    private readonly string _root = Directory.CreateTempSubdirectory("synocert-cli-clear-").FullName;

    private string Data => Path.Combine(_root, "data");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, Process panel, ConcurrentQueue<string> output)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            Assert.False(panel.HasExited, "The panel stopped: " + string.Join('\n', output));
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }

        Assert.Fail("The panel did not listen within 90 s: " + string.Join('\n', output));
    }

    /// <summary>Every file of the data directory, read beside the process that has it open.</summary>
    private Dictionary<string, byte[]> SnapshotDataDirectory() => Directory.GetFiles(Data).ToDictionary(path => Path.GetFileName(path), path =>
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    [Fact]
    public async Task KeysCreatedImportedAndExported_NeverInClearInDatabaseWalOrLogs()
    {
        var pki = OpenSslHierarchy.Create(Path.Combine(_root, "pki"));
        var other = OpenSslHierarchy.Create(Path.Combine(_root, "other"));
        var port = FreePort();
        var start = CliProcess.StartInfo(["serve", "--data", Data, "--https-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--http-port", "0"]);
        start.Environment["Logging__LogLevel__Default"] = "Debug";
        var panelOutput = new ConcurrentQueue<string>();
        using var panel = new Process { StartInfo = start };
        panel.OutputDataReceived += (_, e) => panelOutput.Enqueue(e.Data ?? string.Empty);
        panel.ErrorDataReceived += (_, e) => panelOutput.Enqueue(e.Data ?? string.Empty);
        panel.Start();
        panel.BeginOutputReadLine();
        panel.BeginErrorReadLine();
        var cliOutput = new StringBuilder();
        Dictionary<string, byte[]> whileRunning;
        try
        {
            await WaitForPortAsync(port, panel, panelOutput);
            var password = Path.Combine(_root, "pw.txt");
            File.WriteAllText(password, "export pass\n");
            async Task<string> StepAsync(int exit, params string[] args)
            {
                var result = await CliRun.RunAsync([.. args, "--json", "--data", Data]);
                Assert.True(result.ExitCode == exit, $"{string.Join(' ', args)} exited {result.ExitCode}: {result.Error}");
                cliOutput.Append(result.Output).Append(result.Error);
                using var json = System.Text.Json.JsonDocument.Parse(result.Output);
                return json.RootElement.TryGetProperty("id", out var id) ? id.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
            }

            var ca = await StepAsync(0, "ca", "create", "--cn", "Home Root", "--key", "rsa2048");
            var created = await StepAsync(0, "cert", "create", "--cn", "nas.home.arpa", "--san", "nas.home.arpa", "--san", "127.0.0.1", "--ca", ca, "--key", "p384",
                "--set-default");
            await StepAsync(0, "csr", "create", "--cn", "nas2.home.arpa", "--key", "rsa2048", "--out", Path.Combine(_root, "nas2.csr"));
            var imported = await StepAsync(0, "cert", "import", "--cert", pki.LeafCert, "--key", pki.LeafKey, "--chain", pki.Chain);
            await StepAsync(1, "cert", "import", "--cert", other.LeafCert, "--key", pki.LeafKey, "--chain", other.Chain);
            await StepAsync(0, "cert", "export", imported, "--format", "pfx", "--include-key", "--password-file", password, "--out", Path.Combine(_root, "nas.pfx"));
            await StepAsync(0, "cert", "export", created, "--format", "key", "--include-key", "--out", Path.Combine(_root, "nas.key"));
            await StepAsync(CliContext.Unexpected, "cert", "export", created, "--format", "synology-zip", "--include-key",
                "--out", Path.Combine(_root, "no-such-folder", "nas.zip"));

            // The panel serves the certificate the CLI made the default, so it has decrypted that key too.
            await Task.Delay(TimeSpan.FromSeconds(3));
            whileRunning = SnapshotDataDirectory();
        }
        finally
        {
            await CliProcess.RunToolAsync("kill", "-TERM", panel.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await panel.WaitForExitAsync(stopped.Token);
        }

        Assert.True(whileRunning.TryGetValue(DataDirectory.DatabaseFileName + "-wal", out var wal) && wal.Length > 0, "The running panel's WAL was not there to search.");
        Assert.Contains(CliFailureLogName, whileRunning.Keys);
        Assert.Contains("DirectoryNotFoundException", Encoding.UTF8.GetString(whileRunning[CliFailureLogName]), StringComparison.Ordinal);
        var panelLog = string.Join('\n', panelOutput);
        Assert.Contains("Microsoft.Hosting.Lifetime", panelLog, StringComparison.Ordinal);
        var afterStop = SnapshotDataDirectory();

        var keys = await StoredKeysAsync();
        log.WriteLine($"{keys.Count} keys searched in {whileRunning.Count} + {afterStop.Count} files, {panelLog.Length} characters of panel log");
        Assert.True(keys.Count >= 6, $"Only {keys.Count} keys are stored.");
        var places = whileRunning.Select(f => ($"{f.Key} (panel running)", f.Value))
            .Concat(afterStop.Select(f => ($"{f.Key} (panel stopped)", f.Value)))
            .Append(("panel log", Encoding.UTF8.GetBytes(panelLog)))
            .Append(("command-line output", Encoding.UTF8.GetBytes(cliOutput.ToString())))
            .ToList();
        foreach (var (keyName, forms) in keys)
        {
            foreach (var (place, content) in places)
            {
                foreach (var (formName, bytes) in forms)
                {
                    Assert.False(content.AsSpan().IndexOf(bytes) >= 0, $"The {formName} of {keyName} is in clear in {place}.");
                }
            }
        }
    }

    /// <summary>Every key the data directory holds (certificates', CAs' and pending requests'), each in the forms it could leak in.</summary>
    private async Task<List<(string Name, List<(string Form, byte[] Bytes)> Forms)>> StoredKeysAsync()
    {
        SqliteConnection.ClearAllPools();
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(Data))).Value;
        await using var db = storage.CreateContext();
        var records = await db.PrivateKeys.AsNoTracking().ToListAsync();
        return records.Select(record =>
        {
            var pkcs8 = Records.OpenKey(storage.Protector, record).Value.ExportPkcs8();
            var forms = new List<(string, byte[])> { ("PKCS#8 DER", pkcs8) };
            var base64 = Convert.ToBase64String(pkcs8);
            forms.Add(("PEM body", Encoding.ASCII.GetBytes(base64)));
            // Whole PEM lines only: a short last line ("Ag==") would match any base64 text by chance.
            forms.AddRange(base64.Chunk(64).Where(line => line.Length == 64).Select((line, i) => ($"PEM body line {i + 1}", Encoding.ASCII.GetBytes(line))));
            foreach (var (name, secret) in PrivateParts(pkcs8))
            {
                forms.Add((name, secret));
                forms.Add(($"{name} in hex", Encoding.ASCII.GetBytes(Convert.ToHexString(secret))));
                forms.Add(($"{name} in lower-case hex", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(secret))));
                forms.Add(($"{name} in base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(secret))));
            }

            return ($"key {record.Id}", forms);
        }).ToList();
    }

    /// <summary>The secret numbers themselves: an EC key's private scalar, an RSA key's private exponent and primes, and the traditional DER.</summary>
    private static IEnumerable<(string Name, byte[] Secret)> PrivateParts(byte[] pkcs8)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            var parameters = rsa.ExportParameters(includePrivateParameters: true);
            return [("RSA private exponent", parameters.D!), ("RSA prime P", parameters.P!), ("RSA prime Q", parameters.Q!), ("PKCS#1 DER", rsa.ExportRSAPrivateKey())];
        }
        catch (CryptographicException)
        {
            using var ec = ECDsa.Create();
            ec.ImportPkcs8PrivateKey(pkcs8, out _);
            return [("EC private scalar", ec.ExportParameters(includePrivateParameters: true).D!), ("SEC1 DER", ec.ExportECPrivateKey())];
        }
    }
}
