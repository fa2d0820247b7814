using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Inventory;

internal static class Descriptions
{
    public static Result<string> Check(string? description)
    {
        var text = (description ?? string.Empty).Trim();
        if (text.Length > SelfSignedService.MaxDescriptionLength)
        {
            return Result.Failure<string>($"The description is {text.Length} characters long; at most {SelfSignedService.MaxDescriptionLength} are allowed.");
        }

        return text.Any(char.IsControl)
            ? Result.Failure<string>("The description contains a control character (line break, tab or NUL).")
            : Result.Success(text);
    }
}

/// <summary>A refused operation changes nothing but is still audited, in its own small write.</summary>
internal static class Refusals
{
    public static async Task RecordAsync(PanelStorage storage, TimeProvider time, string actor, string action, string target, string error,
        CancellationToken cancellationToken)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            AuditLog.Add(db, time.GetUtcNow(), actor, action, target, AuditOutcome.Refused, error);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}

/// <summary>Which certificate the panel's HTTPS listener serves.</summary>
public static class DefaultCertificate
{
    internal const string Setting = "default-certificate-id";

    public static async Task<int?> GetAsync(PanelDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var setting = await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Name == Setting, cancellationToken).ConfigureAwait(false);
        return ParseId(setting?.Value);
    }

    /// <summary>The same read without an EF Core context, for the listener (at start and each time another process writes).</summary>
    public static async Task<int?> ReadAsync(DataDirectory data, CancellationToken cancellationToken = default) =>
        ParseId(await SqliteConnections.ReadSettingAsync(data, Setting, cancellationToken).ConfigureAwait(false));

    internal static int? ParseId(string? value) =>
        int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    internal static async Task SetAsync(PanelDbContext db, int certificateId, CancellationToken cancellationToken)
    {
        var value = certificateId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var setting = await db.Settings.FindAsync([Setting], cancellationToken).ConfigureAwait(false);
        if (setting is null)
        {
            db.Settings.Add(new SettingRecord { Name = Setting, Value = value });
        }
        else
        {
            setting.Value = value;
        }
    }
}
