using System.Globalization;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// The binding an admin chose in the panel, kept in the data directory's settings so the next start listens there
/// too. Stored as text an admin can read in the database ("https=8443;http=8080;bind=0.0.0.0").
/// </summary>
public sealed class ListenerBindingStore(PanelStorage storage, TimeProvider time)
{
    public const string Setting = "listener-binding";
    public const string AuditAction = "listener.rebind";

    /// <summary>The stored binding, none when nothing was stored, or why the stored text cannot be used.</summary>
    public async Task<Result<ListenerBinding?>> LoadAsync(CancellationToken cancellationToken = default)
    {
        // Read at every start, before the host is built: a plain read, no EF Core context (SqliteConnections).
        var setting = await SqliteConnections.ReadSettingAsync(storage.Data, Setting, cancellationToken).ConfigureAwait(false);
        if (setting is null)
        {
            return Result.Success<ListenerBinding?>(null);
        }

        var fields = setting.Split(';').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        var parsed = ListenerBinding.Parse(fields.GetValueOrDefault("https"), fields.GetValueOrDefault("http"), fields.GetValueOrDefault("bind"));
        return parsed.IsSuccess
            ? Result.Success<ListenerBinding?>(parsed.Value)
            : Result.Failure<ListenerBinding?>($"the stored listener binding \"{Display.Literal(setting, 120)}\" is unusable: {parsed.Error}");
    }

    /// <summary>Stores <paramref name="binding"/> and audits the change in one write.</summary>
    public async Task SaveAsync(ListenerBinding binding, ListenerBinding previous, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(previous);
        var value = string.Create(CultureInfo.InvariantCulture, $"https={binding.HttpsPort};http={binding.HttpPort};bind={string.Join(',', binding.Addresses)}");
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var setting = await db.Settings.FindAsync([Setting], cancellationToken).ConfigureAwait(false);
            if (setting is null)
            {
                db.Settings.Add(new SettingRecord { Name = Setting, Value = value });
            }
            else
            {
                setting.Value = value;
            }

            AuditLog.Add(db, time.GetUtcNow(), actor, AuditAction, "listener", AuditOutcome.Succeeded, $"{previous} → {binding}");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>Records a change that did not happen and why, so the audit log explains a panel that stayed where it was.</summary>
    public async Task RecordRefusalAsync(ListenerBinding requested, string actor, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requested);
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            AuditLog.Add(db, time.GetUtcNow(), actor, AuditAction, "listener", AuditOutcome.Refused, $"{requested}: {reason}");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}
