using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Cli;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Tests.Listener;

public sealed class DataDirectoryTests : IDisposable
{
    private static readonly TimeSpan PickUpLimit = TimeSpan.FromSeconds(2);
    private readonly string _data = Directory.CreateTempSubdirectory("synocert-listener-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task FirstStart_CreatesSelfSignedDefault_AndTheNextStartServesTheSameOne()
    {
        int firstId;
        string firstThumbprint;
        await using (var first = await RunningPanel.StartAsync(_data))
        {
            firstId = first.Served.CertificateId;
            firstThumbprint = await first.HandshakeThumbprintAsync();
            Assert.Contains(first.Served.Leaf.SubjectAlternativeNames, n => n.Value == "127.0.0.1");
            Assert.Contains(first.Served.Leaf.SubjectAlternativeNames, n => n.Value == "localhost");
        }

        await using var second = await RunningPanel.StartAsync(_data);

        Assert.Equal(firstId, second.Served.CertificateId);
        Assert.Equal(firstThumbprint, await second.HandshakeThumbprintAsync());
    }

    [Fact]
    public async Task SetDefaultFromCliInAnotherProcess_IsServedWithinTwoSeconds()
    {
        await using var panel = await RunningPanel.StartAsync(_data);
        var created = await panel.CreateServerCertificateAsync("localhost", "127.0.0.1");

        var cli = RunningPanel.Run("dotnet", typeof(PanelHost).Assembly.Location, "cert", "set-default", created.CertificateId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", _data);
        var expected = (await panel.OpenSecondStorageAsync()).CreateContext();
        await using (expected)
        {
            Assert.Equal(created.CertificateId, await DefaultCertificate.GetAsync(expected));
        }

        var waited = await WaitForCertificateAsync(panel, created.CertificateId);

        Assert.True(cli.ExitCode == 0, cli.Error);
        Assert.True(waited < PickUpLimit, $"picked up after {waited.TotalMilliseconds} ms");
        Assert.Equal(panel.Served.Thumbprint, await panel.HandshakeThumbprintAsync());
    }

    [Fact]
    public async Task ResetTls_RunningPanelServesAFreshSelfSignedCertificateWithinTwoSeconds()
    {
        await using var panel = await RunningPanel.StartAsync(_data);
        var before = panel.Served;
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await PanelCommandLine.RunAsync(["reset-tls", "--data", _data], output, error, TimeProvider.System);
        var storage = await panel.OpenSecondStorageAsync();
        int newId;
        await using (var db = storage.CreateContext())
        {
            newId = (await DefaultCertificate.GetAsync(db))!.Value;
        }

        var waited = await WaitForCertificateAsync(panel, newId);

        Assert.True(exit == 0, error.ToString());
        Assert.Contains("is now the default", output.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(before.CertificateId, newId);
        Assert.True(waited < PickUpLimit, $"picked up after {waited.TotalMilliseconds} ms");
        Assert.NotEqual(before.Thumbprint, await panel.HandshakeThumbprintAsync());
        Assert.Equal(panel.Served.Thumbprint, await panel.HandshakeThumbprintAsync());
    }

    [Fact]
    public async Task Start_DefaultKeyRowDamaged_FallsBackToAFreshSelfSignedCertificate()
    {
        int damagedId;
        await using (var first = await RunningPanel.StartAsync(_data))
        {
            damagedId = first.Served.CertificateId;
        }

        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection(new DataDirectory(_data).ConnectionString))
        {
            await connection.OpenAsync();
            await using var damage = connection.CreateCommand();
            damage.CommandText = "UPDATE PrivateKeys SET EncryptedPkcs8 = randomblob(80) WHERE Id = (SELECT PrivateKeyId FROM Certificates WHERE Id = $id)";
            damage.Parameters.AddWithValue("$id", damagedId);
            Assert.Equal(1, await damage.ExecuteNonQueryAsync());
        }

        await using var second = await RunningPanel.StartAsync(_data);
        var storage = await second.OpenSecondStorageAsync();
        await using var db = storage.CreateContext();

        Assert.NotEqual(damagedId, second.Served.CertificateId);
        Assert.Equal(second.Served.CertificateId, await DefaultCertificate.GetAsync(db));
        Assert.Equal(second.Served.Thumbprint, await second.HandshakeThumbprintAsync());
    }

    [Fact]
    public async Task Start_KeyEncryptionKeyMissing_StopsWithTheReason()
    {
        await using (await RunningPanel.StartAsync(_data))
        {
        }

        SqliteConnection.ClearAllPools();
        File.Delete(Path.Combine(_data, DataDirectory.KeyEncryptionKeyFileName));

        var built = await PanelHost.BuildAsync(new ServeOptions { DataDirectory = _data, HttpsPort = 0, HttpPort = 0, BindAddress = IPAddress.Loopback });

        Assert.False(built.IsSuccess);
        Assert.Contains(DataDirectory.KeyEncryptionKeyFileName, built.Error, StringComparison.Ordinal);
    }

    private static async Task<TimeSpan> WaitForCertificateAsync(RunningPanel panel, int certificateId)
    {
        var watch = Stopwatch.StartNew();
        while (panel.Served.CertificateId != certificateId && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        return watch.Elapsed;
    }
}
