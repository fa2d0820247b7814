using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Listener;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Hosting;
using SynoCertPanel.Web.Tests.Cli;

namespace SynoCertPanel.Web.Tests.Listener;

/// <summary>
/// A restarted panel serves its stored certificate without loading BouncyCastle (about 6 MB resident, bench/RESULTS.md):
/// the listener reads the certificate and key with .NET alone, and the certificate engine loads at the first real
/// certificate work. Nor does it build an EF Core context for background work with nothing to do (no box, no ACME
/// challenge). Run as its own process, since the test process has long loaded both.
/// </summary>
public sealed class RestartFootprintTests : IDisposable
{
    private const string Engine = "BouncyCastle.Cryptography.dll";

    /// <summary>EF Core's SQLite provider: loaded when a context is first built, which a panel with no boxes and no ACME never needs at rest.</summary>
    private const string ContextProvider = "Microsoft.EntityFrameworkCore.Sqlite.dll";

    private readonly string _data = Directory.CreateTempSubdirectory("synocert-restart-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Serve_RestartedOnAStoredDefault_ServesItWithoutLoadingTheCertificateEngine()
    {
        var storage = (await PanelStorage.OpenAsync(new DataDirectory(_data))).Value;
        var made = await ListenerStartup.CreateSelfSignedDefaultAsync(new ServedCertificateStore(storage, TimeProvider.System), "test");
        Assert.True(made.IsSuccess, made.Error);
        var expected = made.Value.Leaf.Sha256Fingerprint;
        SqliteConnection.ClearAllPools();
        var port = FreePort();
        var start = CliProcess.StartInfo(["serve", "--data", _data, "--https-port", port.ToString(CultureInfo.InvariantCulture), "--http-port", "0"]);
        using var panel = Process.Start(start)!;
        var output = panel.StandardOutput.ReadToEndAsync();
        var error = panel.StandardError.ReadToEndAsync();
        try
        {
            var served = await ServedThumbprintAsync(new IPEndPoint(IPAddress.Loopback, port), panel);
            // The background work (boxes' schedule, ACME's recovery) has started by now; give it time to ask for its rows.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var maps = await File.ReadAllTextAsync($"/proc/{panel.Id}/maps");

            Assert.Equal(expected, served);
            Assert.Contains("synocertpanel.dll", maps, StringComparison.Ordinal);
            Assert.DoesNotContain(Engine, maps, StringComparison.Ordinal);
            Assert.DoesNotContain(ContextProvider, maps, StringComparison.Ordinal);
        }
        finally
        {
            panel.Kill(entireProcessTree: true);
            await panel.WaitForExitAsync();
        }

        Assert.Contains($"Serving certificate {made.Value.CertificateId} (O=SynoCertPanel,CN=localhost", await output, StringComparison.Ordinal);
        _ = await error;
    }

    private static async Task<string> ServedThumbprintAsync(IPEndPoint endpoint, Process panel)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            Assert.False(panel.HasExited, "The panel stopped.");
            var served = await HandshakeProbe.ServedThumbprintAsync(endpoint, "localhost", TimeSpan.FromSeconds(5));
            if (served.IsSuccess)
            {
                return served.Value;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The panel did not complete a handshake within 90 s.");
        return string.Empty;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
