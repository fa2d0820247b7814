using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Alerts;

/// <summary>
/// Alert channels (add, list, edit, enable, delete, "send test") and the alerts themselves: one message per endpoint whose
/// condition changed and per deploy that did not end well, to every enabled channel, each recorded in the alert history.
/// </summary>
public sealed partial class AlertService(PanelStorage storage, AlertChannels channels, TimeProvider time)
{
    public const int MaxHistory = 1000;

    public async Task<Result<AlertChannelSummary>> AddAsync(AlertChannelDraft draft, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var checkedDraft = Check(draft, null);
        if (!checkedDraft.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.AddAlertChannel, (draft.Name ?? string.Empty).Trim(), checkedDraft.Error!, cancellationToken)
                .ConfigureAwait(false);
            return Result.Failure<AlertChannelSummary>(checkedDraft.Error!);
        }

        var (name, kind, settings, secrets) = checkedDraft.Value;
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (await db.AlertChannels.AnyAsync(c => EF.Functions.Collate(c.Name, "NOCASE") == name, cancellationToken).ConfigureAwait(false))
            {
                var taken = $"An alert channel named \"{name}\" already exists; choose another name, or delete that one first.";
                AuditLog.Add(db, now, actor, AuditActions.AddAlertChannel, name, AuditOutcome.Refused, taken);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Result.Failure<AlertChannelSummary>(taken);
            }

            var record = new AlertChannelRecord { Name = name, Kind = kind.Name(), Settings = JsonSerializer.Serialize(settings), CreatedAt = now };
            db.AlertChannels.Add(record);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            // Sealed for the row's id, known only once it is in: two writes, one transaction.
            record.SealedSecrets = AlertRecords.Seal(storage.Protector, record.Id, secrets);
            AuditLog.Add(db, now, actor, AuditActions.AddAlertChannel, name, AuditOutcome.Succeeded, Describe(kind, settings, secrets.Keys));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(AlertRecords.Summary(record, [.. secrets.Keys.Order(StringComparer.Ordinal)]));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    public async Task<IReadOnlyList<AlertChannelSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var rows = await db.AlertChannels.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        var lastSent = await db.AlertHistory.AsNoTracking().Where(h => h.Outcome == AlertSendOutcome.Sent).GroupBy(h => h.ChannelId)
            .Select(g => new { ChannelId = g.Key, Id = g.Max(h => h.Id) }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var latest = await db.AlertHistory.AsNoTracking().GroupBy(h => h.ChannelId)
            .Select(g => new { ChannelId = g.Key, Id = g.Max(h => h.Id) }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = lastSent.Select(l => l.Id).Concat(latest.Select(l => l.Id)).ToList();
        var entries = await db.AlertHistory.AsNoTracking().Where(h => ids.Contains(h.Id)).ToDictionaryAsync(h => h.Id, cancellationToken).ConfigureAwait(false);
        var sentAt = lastSent.ToDictionary(l => l.ChannelId, l => entries[l.Id].At);
        var lastError = latest.Where(l => entries[l.Id].Outcome != AlertSendOutcome.Sent).ToDictionary(l => l.ChannelId, l => entries[l.Id].Error);
        return [.. rows.Select(c => AlertRecords.Summary(c, SecretNames(c)) with
        {
            LastSentAt = sentAt.TryGetValue(c.Id, out var at) ? at : null,
            LastError = lastError.GetValueOrDefault(c.Id),
        })];
    }

    /// <summary>A channel by id (digits) or by name (case-insensitive).</summary>
    public async Task<Result<AlertChannelSummary>> FindAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        return (await LoadAsync(db, idOrName, cancellationToken).ConfigureAwait(false)).Map(c => AlertRecords.Summary(c, SecretNames(c)));
    }

    /// <summary>Removes the channel and its sealed secrets; its history stays.</summary>
    public async Task<Result<AlertChannelSummary>> DeleteAsync(string idOrName, string actor, CancellationToken cancellationToken = default)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var channel = await LoadAsync(db, idOrName, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (!channel.IsSuccess)
            {
                AuditLog.Add(db, now, actor, AuditActions.DeleteAlertChannel, idOrName ?? string.Empty, AuditOutcome.Refused, channel.Error!);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return Result.Failure<AlertChannelSummary>(channel.Error!);
            }

            var summary = AlertRecords.Summary(channel.Value, SecretNames(channel.Value));
            db.AlertChannels.Remove(channel.Value);
            AuditLog.Add(db, now, actor, AuditActions.DeleteAlertChannel, channel.Value.Name, AuditOutcome.Succeeded,
                "The channel and its secrets were removed; the messages sent to it stay in the alert history.");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(summary);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    public async Task<Result<AlertChannelSummary>> SetEnabledAsync(string idOrName, bool enabled, string actor, CancellationToken cancellationToken = default)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var channel = await LoadAsync(db, idOrName, cancellationToken).ConfigureAwait(false);
            if (!channel.IsSuccess)
            {
                return channel.Map(c => AlertRecords.Summary(c, []));
            }

            channel.Value.Enabled = enabled;
            AuditLog.Add(db, time.GetUtcNow(), actor, enabled ? AuditActions.EnableAlertChannel : AuditActions.DisableAlertChannel, channel.Value.Name,
                AuditOutcome.Succeeded);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(AlertRecords.Summary(channel.Value, SecretNames(channel.Value)));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>"Send test": one test message to this channel (disabled ones too: the operator asked), recorded like any other.</summary>
    public async Task<Result<AlertHistoryEntry>> SendTestAsync(string idOrName, string actor, CancellationToken cancellationToken = default)
    {
        AlertChannelRecord? channel;
        await using (var db = storage.CreateContext())
        {
            var found = await LoadAsync(db, idOrName, cancellationToken).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                return Result.Failure<AlertHistoryEntry>(found.Error!);
            }

            channel = found.Value;
        }

        var sent = await SendAllAsync([channel], [AlertMessage.Test(channel.Name, time.GetUtcNow())], cancellationToken).ConfigureAwait(false);
        var entry = sent.Single();
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            AuditLog.Add(db, time.GetUtcNow(), actor, AuditActions.TestAlertChannel, channel.Name,
                entry.Outcome == AlertSendOutcome.Sent ? AuditOutcome.Succeeded : AuditOutcome.Failed, entry.Error ?? "The test message was sent.");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }

        return Result.Success(entry);
    }

    /// <summary>
    /// One message per endpoint whose condition changed (never per probe: checks without a change send nothing, and the
    /// same change given twice is sent once), to every enabled channel. Returns what was recorded.
    /// </summary>
    public async Task<IReadOnlyList<AlertHistoryEntry>> NotifyAsync(IEnumerable<EndpointCheck> checks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var messages = checks.Where(c => c.Change is not null)
            .DistinctBy(c => (c.BoxName, c.EndpointId, c.Change!.Previous, c.Change.Current))
            .Select(c => AlertMessage.ForChange(c.BoxName, c.Change!))
            .ToList();
        return await NotifyEnabledAsync(messages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A failed, rolled-back or unfinished deploy, to every enabled channel; nothing for one that succeeded.</summary>
    public async Task<IReadOnlyList<AlertHistoryEntry>> NotifyDeployAsync(DeploymentSummary deploy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deploy);
        return AlertMessage.ForDeploy(deploy) is { } message
            ? await NotifyEnabledAsync([message], cancellationToken).ConfigureAwait(false)
            : [];
    }

    /// <summary>The messages sent and failed, newest first.</summary>
    public async Task<IReadOnlyList<AlertHistoryEntry>> HistoryAsync(int limit = 50, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var rows = await db.AlertHistory.AsNoTracking().OrderByDescending(h => h.Id).Take(Math.Clamp(limit, 1, MaxHistory))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(AlertRecords.Entry)];
    }

    private async Task<IReadOnlyList<AlertHistoryEntry>> NotifyEnabledAsync(List<AlertMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        List<AlertChannelRecord> enabled;
        await using (var db = storage.CreateContext())
        {
            enabled = await db.AlertChannels.AsNoTracking().Where(c => c.Enabled).OrderBy(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        return await SendAllAsync(enabled, messages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every message to every channel (channels side by side, each one's messages in order), then one write of the history.</summary>
    private async Task<IReadOnlyList<AlertHistoryEntry>> SendAllAsync(IReadOnlyList<AlertChannelRecord> targets, IReadOnlyList<AlertMessage> messages,
        CancellationToken cancellationToken)
    {
        var perChannel = await Task.WhenAll(targets.Select(async channel =>
        {
            var rows = new List<AlertHistoryRecord>();
            foreach (var message in messages)
            {
                var outcome = await SendOneAsync(channel, message, cancellationToken).ConfigureAwait(false);
                rows.Add(new AlertHistoryRecord
                {
                    At = time.GetUtcNow(),
                    ChannelId = channel.Id,
                    ChannelName = channel.Name,
                    Event = message.Event,
                    Subject = Display.Literal(message.Subject, 300),
                    Outcome = outcome.Sent ? AlertSendOutcome.Sent : AlertSendOutcome.Failed,
                    Error = outcome.Sent ? null : Display.Literal($"{outcome.Failure}: {outcome.Message}", 1000),
                });
            }

            return rows;
        })).ConfigureAwait(false);
        var all = perChannel.SelectMany(r => r).ToList();
        if (all.Count == 0)
        {
            return [];
        }

        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            db.AlertHistory.AddRange(all);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }

        return [.. all.Select(AlertRecords.Entry)];
    }

    private async Task<AlertOutcome> SendOneAsync(AlertChannelRecord channel, AlertMessage message, CancellationToken cancellationToken)
    {
        var kind = AlertKinds.Parse(channel.Kind);
        var sender = kind is { } k ? channels.Find(k) : null;
        if (sender is null)
        {
            return AlertOutcome.Failed(AlertFailure.Settings,
                $"The channel {channel.Name} is of kind \"{Display.Literal(channel.Kind, 20)}\", which this version of the panel does not know.");
        }

        var secrets = AlertRecords.Open(storage.Protector, channel);
        if (secrets is null)
        {
            return AlertOutcome.Failed(AlertFailure.Settings,
                $"The stored secrets of the channel {channel.Name} cannot be opened with this panel's key-encryption key (restored onto another key?); add the channel again.");
        }

        var target = new AlertTarget(channel.Name, AlertOptions.WithDefaults(sender, AlertRecords.Settings(channel)), secrets);
        var outcome = await sender.SendAsync(target, message, cancellationToken).ConfigureAwait(false);
        // A server may echo what it was sent (a token in an error page): no secret reaches the history, whatever it said.
        var said = secrets.Values.Where(s => s.Length >= 4).Aggregate(outcome.Message, (text, secret) => text.Replace(secret, "(secret)", StringComparison.Ordinal));
        return outcome with { Message = said };
    }

    private Result<(string Name, AlertKind Kind, Dictionary<string, string> Settings, Dictionary<string, string> Secrets)> Check(AlertChannelDraft draft,
        IReadOnlyDictionary<string, string>? kept)
    {
        var name = AlertRules.Name(draft.Name);
        if (!name.IsSuccess)
        {
            return Result.Failure<(string, AlertKind, Dictionary<string, string>, Dictionary<string, string>)>(name.Error!);
        }

        var kind = AlertKinds.Parse(draft.Channel);
        var channel = kind is { } k ? channels.Find(k) : null;
        if (channel is null)
        {
            return Result.Failure<(string, AlertKind, Dictionary<string, string>, Dictionary<string, string>)>(
                $"\"{Display.Literal(draft.Channel ?? string.Empty, 40)}\" is not an alert channel; choose one of {string.Join(", ", channels.All.Select(c => c.Kind.Name()))}.");
        }

        var options = AlertOptions.Check(channel, draft.Settings, draft.Secrets, kept);
        return options.IsSuccess
            ? Result.Success((name.Value, channel.Kind, options.Value.Settings, options.Value.Secrets))
            : Result.Failure<(string, AlertKind, Dictionary<string, string>, Dictionary<string, string>)>(options.Error!);
    }

    private static async Task<Result<AlertChannelRecord>> LoadAsync(PanelDbContext db, string? idOrName, CancellationToken cancellationToken)
    {
        var text = (idOrName ?? string.Empty).Trim();
        AlertChannelRecord? channel = null;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            channel = await db.AlertChannels.SingleOrDefaultAsync(c => c.Id == id, cancellationToken).ConfigureAwait(false);
        }

        if (channel is null && text.Length is > 0 and <= AlertRules.MaxNameLength)
        {
            // Names are ASCII (AlertRules.Name), so SQLite's NOCASE compares them as a person would.
            channel = await db.AlertChannels.SingleOrDefaultAsync(c => EF.Functions.Collate(c.Name, "NOCASE") == text, cancellationToken).ConfigureAwait(false);
        }

        return channel is null
            ? Result.Failure<AlertChannelRecord>($"There is no alert channel \"{Display.Literal(text, AlertRules.MaxNameLength)}\"; `alert list` shows the channels.")
            : Result.Success(channel);
    }

    private List<string> SecretNames(AlertChannelRecord channel) =>
        AlertRecords.Open(storage.Protector, channel)?.Keys.Order(StringComparer.Ordinal).ToList() ?? [];

    private static string Describe(AlertKind kind, IReadOnlyDictionary<string, string> settings, IEnumerable<string> secretNames) =>
        $"{kind.Name()}; {string.Join("; ", settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}"))}"
        + (secretNames.Any() ? $"; secrets set: {string.Join(", ", secretNames.Order(StringComparer.Ordinal))}" : string.Empty);
}
