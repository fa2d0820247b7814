using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Metrics;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Web.Tests.Api;
using SynoCertPanel.Web.Tests.Trust;

namespace SynoCertPanel.Web.Tests.Metrics;

/// <summary>Turning /metrics on for a test panel, reading its samples, and checking the text with Prometheus's own promtool.</summary>
internal static partial class MetricsText
{
    public static async Task EnableAsync(ApiPanel api, string? ranges = null)
    {
        var enabled = await new MetricsAccessStore(api.Storage, TimeProvider.System).EnableAsync(ranges, "test");
        Assert.True(enabled.IsSuccess, enabled.Error);
    }

    /// <summary>The value of the one sample whose name and labels start as <paramref name="series"/> (e.g. <c>name{id="3",</c>).</summary>
    public static double Sample(string text, string series)
    {
        var lines = text.Split('\n').Where(l => l.StartsWith(series, StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, $"{lines.Count} samples start with {series}:\n{string.Join('\n', lines)}");
        return double.Parse(lines[0][(lines[0].LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    public static IReadOnlyList<string> Samples(string text, string name) =>
        text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal)).ToList();

    /// <summary><c>promtool check metrics</c> from Debian's prometheus package: exit 0 and nothing to say.</summary>
    public static async Task AssertPromtoolAcceptsAsync(string text)
    {
        Assert.True(File.Exists("/usr/bin/promtool"), "promtool is missing: scripts/test.sh installs Debian's prometheus package.");
        var checkedText = await ExternalProcess.RunAsync("/usr/bin/promtool", ["check", "metrics"], input: System.Text.Encoding.UTF8.GetBytes(text));
        Assert.True(checkedText.ExitCode == 0, $"promtool check metrics exited {checkedText.ExitCode}: {checkedText.Output}{checkedText.Error}");
        Assert.Equal(string.Empty, (checkedText.Output + checkedText.Error).Trim());
    }

    /// <summary>A certificate of the seed by its common name: its id and NotAfter, read from the data directory itself.</summary>
    public static async Task<(int Id, DateTimeOffset NotAfter)> CertificateAsync(ApiPanel api, string commonName)
    {
        await using var connection = new SqliteConnection(new DataDirectory(api.Panel.DataDirectory).ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, NotAfter FROM Certificates WHERE CommonName = $name";
        command.Parameters.AddWithValue("$name", commonName);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no certificate named {commonName}");
        return (reader.GetInt32(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero));
    }

    /// <summary>The DER of a certificate of the seed by its common name, as PEM.</summary>
    public static async Task<string> CertificatePemAsync(ApiPanel api, string commonName)
    {
        await using var connection = new SqliteConnection(new DataDirectory(api.Panel.DataDirectory).ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Der FROM Certificates WHERE CommonName = $name";
        command.Parameters.AddWithValue("$name", commonName);
        var der = (byte[])(await command.ExecuteScalarAsync())!;
        return new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", der)) + "\n";
    }

    [GeneratedRegex("endpoint=\"([^\"]*)\"")]
    public static partial Regex EndpointLabel();
}
