using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Alerts;

public sealed partial class AlertService
{
    /// <summary>
    /// Edits a channel by the same rules and sentences as <see cref="AddAsync"/>. Secrets stay unless a new value is given
    /// and are never shown back; another kind of channel keeps none of the old one's settings or secrets.
    /// </summary>
    public async Task<Result<AlertChannelSummary>> UpdateAsync(string idOrName, AlertChannelChange change, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        AlertChannelRecord existing;
        await using (var read = storage.CreateContext())
        {
            var found = await LoadAsync(read, idOrName, cancellationToken).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                await Refusals.RecordAsync(storage, time, actor, AuditActions.UpdateAlertChannel, (idOrName ?? string.Empty).Trim(), found.Error!, cancellationToken)
                    .ConfigureAwait(false);
                return Result.Failure<AlertChannelSummary>(found.Error!);
            }

            existing = found.Value;
        }

        var kind = string.IsNullOrWhiteSpace(change.Channel) ? existing.Kind : change.Channel.Trim();
        var sameKind = AlertKinds.Parse(kind) is { } parsed && parsed.Name() == existing.Kind && channels.Find(parsed) is not null;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, string>? kept = null;
        if (sameKind)
        {
            var names = channels.Find(AlertKinds.Parse(kind)!.Value)!.Options.Where(o => !o.Secret).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, value) in AlertRecords.Settings(existing).Where(s => names.Contains(s.Key)))
            {
                settings[name] = value;
            }

            // Stored secrets that no longer open are not kept: the channel then asks for them again, by name.
            kept = AlertRecords.Open(storage.Protector, existing);
        }

        foreach (var (name, value) in change.Settings)
        {
            var key = name.Trim().ToLowerInvariant();
            if (string.IsNullOrWhiteSpace(value))
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }

        var checkedDraft = Check(new AlertChannelDraft { Name = change.Name ?? existing.Name, Channel = kind, Settings = settings, Secrets = change.Secrets }, kept);
        if (!checkedDraft.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.UpdateAlertChannel, existing.Name, checkedDraft.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<AlertChannelSummary>(checkedDraft.Error!);
        }

        var (newName, newKind, newSettings, newSecrets) = checkedDraft.Value;
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var record = await db.AlertChannels.SingleOrDefaultAsync(c => c.Id == existing.Id, cancellationToken).ConfigureAwait(false);
            string? refusal = record is null
                ? $"The alert channel {existing.Name} was deleted meanwhile; nothing was changed."
                : await db.AlertChannels.AnyAsync(c => EF.Functions.Collate(c.Name, "NOCASE") == newName && c.Id != existing.Id, cancellationToken).ConfigureAwait(false)
                    ? $"An alert channel named \"{newName}\" already exists; choose another name."
                    : null;
            if (refusal is not null)
            {
                AuditLog.Add(db, now, actor, AuditActions.UpdateAlertChannel, existing.Name, AuditOutcome.Refused, refusal);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Result.Failure<AlertChannelSummary>(refusal);
            }

            var changed = Changes(record!, newName, newKind, newSettings, newSecrets, change, kept);
            record!.Name = newName;
            record.Kind = newKind.Name();
            record.Settings = JsonSerializer.Serialize(newSettings);
            record.SealedSecrets = AlertRecords.Seal(storage.Protector, record.Id, newSecrets);
            AuditLog.Add(db, now, actor, AuditActions.UpdateAlertChannel, existing.Name, AuditOutcome.Succeeded,
                changed.Count == 0 ? "Nothing changed." : "Changed: " + string.Join("; ", changed) + ".");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(AlertRecords.Summary(record, [.. newSecrets.Keys.Order(StringComparer.Ordinal)]));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>What the edit changes, for the audit log: names of settings and secrets, never a secret's value.</summary>
    private static List<string> Changes(AlertChannelRecord record, string name, AlertKind kind, Dictionary<string, string> settings,
        Dictionary<string, string> secrets, AlertChannelChange change, Dictionary<string, string>? kept)
    {
        var changed = new List<string>();
        if (record.Name != name)
        {
            changed.Add($"name {record.Name} → {name}");
        }

        if (record.Kind != kind.Name())
        {
            changed.Add($"kind {record.Kind} → {kind.Name()}");
        }

        var old = AlertRecords.Settings(record);
        var names = old.Keys.Union(settings.Keys).Where(k => old.GetValueOrDefault(k) != settings.GetValueOrDefault(k)).Order(StringComparer.Ordinal).ToList();
        if (names.Count > 0)
        {
            changed.Add("settings " + string.Join(", ", names));
        }

        var replaced = change.Secrets.Where(s => !string.IsNullOrWhiteSpace(s.Value)).Select(s => s.Key.Trim().ToLowerInvariant())
            .Concat(secrets.Keys.Where(k => kept?.ContainsKey(k) != true)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (replaced.Count > 0)
        {
            changed.Add("secrets replaced " + string.Join(", ", replaced));
        }

        return changed;
    }
}
