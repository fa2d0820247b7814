using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Alerts;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tests.Alerts;

/// <summary>A panel with the alert service over its real SQLite database, and short timeouts so "no answer" tests run fast.</summary>
internal sealed class AlertLab : IAsyncDisposable
{
    public const string Actor = "test";

    private AlertLab(PanelFixture panel, TimeSpan timeout)
    {
        Panel = panel;
        Alerts = new AlertService(panel.Storage, AlertChannels.Standard(panel.Time, timeout), panel.Time);
    }

    public PanelFixture Panel { get; }

    public AlertService Alerts { get; }

    public static async Task<AlertLab> CreateAsync(TimeSpan? timeout = null) =>
        new(await PanelFixture.CreateAsync(), timeout ?? TimeSpan.FromSeconds(10));

    public async Task<AlertChannelSummary> AddAsync(string name, string channel, Dictionary<string, string> settings, Dictionary<string, string>? secrets = null)
    {
        var added = await Alerts.AddAsync(new AlertChannelDraft { Name = name, Channel = channel, Settings = settings, Secrets = secrets ?? [] }, Actor);
        Assert.True(added.IsSuccess, added.Error);
        return added.Value;
    }

    public async Task<List<AuditEventRecord>> AuditAsync()
    {
        await using var db = Panel.Storage.CreateContext();
        return await db.AuditEvents.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    /// <summary>Every byte the data directory holds (database, WAL), to prove a secret is stored sealed only.</summary>
    public async Task<string> RawDataAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.GetFiles(Panel.Path, "*", SearchOption.AllDirectories))
        {
            text.Append(System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)));
        }

        return text.ToString();
    }

    public ValueTask DisposeAsync() => Panel.DisposeAsync();
}
