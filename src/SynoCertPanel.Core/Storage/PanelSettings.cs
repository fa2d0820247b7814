using Microsoft.EntityFrameworkCore;

namespace SynoCertPanel.Core.Storage;

/// <summary>One named value of the settings table: read as stored, written under the storage's write gate.</summary>
public static class PanelSettings
{
    /// <summary>The stored value, or null when it was never set.</summary>
    public static async Task<string?> ReadAsync(PanelStorage storage, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        await using var db = storage.CreateContext();
        return await db.Settings.AsNoTracking().Where(s => s.Name == name).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="name"/>, adding the row the first time.</summary>
    public static async Task WriteAsync(PanelStorage storage, string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var setting = await db.Settings.SingleOrDefaultAsync(s => s.Name == name, cancellationToken).ConfigureAwait(false);
            if (setting is null)
            {
                db.Settings.Add(new SettingRecord { Name = name, Value = value });
            }
            else
            {
                setting.Value = value;
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}
