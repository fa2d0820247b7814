using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Boxes;

public sealed partial class BoxService
{
    /// <summary>The settings a method learns on first contact and then holds the box to: forgetting them lets a re-installed box be trusted again.</summary>
    public static readonly IReadOnlyList<string> PinSettings = [Ssh.SshOptions.HostKey, BoxTls.FingerprintOption];

    /// <summary>
    /// Edits a box by the same rules and sentences as <see cref="AddAsync"/>. Secrets stay unless a new value is given and
    /// are never shown back. Another delivery method keeps none of the old one's settings or secrets, so its required ones
    /// must all be given again. Endpoints no longer watched are removed with their last probe's state.
    /// </summary>
    public async Task<Result<BoxSummary>> UpdateAsync(string idOrName, BoxChange change, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        BoxRecord existing;
        await using (var read = storage.CreateContext())
        {
            var found = await LoadAsync(read, idOrName, cancellationToken).ConfigureAwait(false);
            if (!found.IsSuccess)
            {
                await Refusals.RecordAsync(storage, time, actor, AuditActions.UpdateBox, (idOrName ?? string.Empty).Trim(), found.Error!, cancellationToken).ConfigureAwait(false);
                return Result.Failure<BoxSummary>(found.Error!);
            }

            existing = found.Value;
        }

        var (draft, kept) = Merge(existing, change);
        var checkedDraft = await CheckAsync(draft, kept, cancellationToken).ConfigureAwait(false);
        if (!checkedDraft.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.UpdateBox, existing.Name, checkedDraft.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<BoxSummary>(checkedDraft.Error!);
        }

        var box = checkedDraft.Value;
        if (box.Kind.Name() == existing.Delivery && !change.Secrets.ContainsKey(Ssh.SshOptions.PrivateKey)
            && BoxRecords.Settings(existing).TryGetValue(PublicKeySetting, out var publicKey))
        {
            // The login key the panel made stays, so its public line (shown for authorized_keys) stays too.
            box.Settings[PublicKeySetting] = publicKey;
        }

        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var record = await db.Boxes.Include(b => b.Endpoints).SingleOrDefaultAsync(b => b.Id == existing.Id, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                var gone = $"The box {existing.Name} was deleted meanwhile; nothing was changed.";
                AuditLog.Add(db, now, actor, AuditActions.UpdateBox, existing.Name, AuditOutcome.Refused, gone);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Result.Failure<BoxSummary>(gone);
            }

            if (await NameTakenAsync(db, box.Name, record.Id, cancellationToken).ConfigureAwait(false))
            {
                var taken = $"A box named \"{box.Name}\" already exists; choose another name.";
                AuditLog.Add(db, now, actor, AuditActions.UpdateBox, record.Name, AuditOutcome.Refused, taken);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Result.Failure<BoxSummary>(taken);
            }

            var changed = Changes(record, box, draft, change, kept);
            var target = record.Name;
            record.Name = box.Name;
            record.Addresses = box.Addresses;
            record.Delivery = box.Kind.Name();
            record.Settings = JsonSerializer.Serialize(box.Settings);
            record.SealedSecrets = BoxRecords.Seal(storage.Protector, record.Id, box.Secrets);
            record.AuthorityId = draft.AuthorityId;
            record.CertificateId = draft.CertificateId;
            ReplaceEndpoints(db, record, box.Endpoints);
            AuditLog.Add(db, now, actor, AuditActions.UpdateBox, target, AuditOutcome.Succeeded,
                changed.Count == 0 ? "Nothing changed." : "Changed: " + string.Join("; ", changed) + ".");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(BoxRecords.Summary(record, [.. box.Secrets.Keys.Order(StringComparer.Ordinal)]));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>The whole box as the rules check it: the stored values with the change laid over them, and the secrets kept.</summary>
    private (BoxDraft Draft, Dictionary<string, string>? Kept) Merge(BoxRecord existing, BoxChange change)
    {
        var delivery = string.IsNullOrWhiteSpace(change.Delivery) ? existing.Delivery : change.Delivery.Trim();
        var sameMethod = DeliveryKinds.Parse(delivery) is { } kind && kind.Name() == existing.Delivery && deliveries.Find(kind) is not null;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, string>? kept = null;
        if (sameMethod)
        {
            var method = deliveries.Find(DeliveryKinds.Parse(delivery)!.Value)!;
            var names = method.Options.Where(o => !o.Secret).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, value) in BoxRecords.Settings(existing).Where(s => names.Contains(s.Key)))
            {
                settings[name] = value;
            }

            if (change.ForgetPin)
            {
                foreach (var pin in PinSettings)
                {
                    settings.Remove(pin);
                }
            }

            // Stored secrets that no longer open are not kept: the method then asks for them again, by name.
            kept = BoxRecords.Open(storage.Protector, existing);
        }

        foreach (var (name, value) in change.Settings)
        {
            // An emptied setting is dropped: its default applies again.
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

        var source = change.Source ?? new BoxCertificateSource(existing.AuthorityId, existing.CertificateId);
        return (new BoxDraft
        {
            Name = change.Name ?? existing.Name,
            Addresses = change.Addresses ?? BoxRecords.AddressValues(existing),
            Watch = change.Watch ?? [.. existing.Endpoints.OrderBy(e => e.Id).Select(e => new WatchedEndpoint(e.Host, e.Port).ToString())],
            Delivery = delivery,
            Settings = settings,
            Secrets = change.Secrets,
            AuthorityId = source.AuthorityId,
            CertificateId = source.CertificateId,
        }, kept);
    }

    /// <summary>Keeps the endpoints still watched (with their last state), drops the others with theirs, adds the new ones.</summary>
    private static void ReplaceEndpoints(PanelDbContext db, BoxRecord record, IReadOnlyList<WatchedEndpoint> watched)
    {
        static string Key(string host, int port) => new WatchedEndpoint(host.ToLowerInvariant(), port).ToString();
        var wanted = watched.Select(e => Key(e.Host, e.Port)).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in record.Endpoints.Where(e => !wanted.Contains(Key(e.Host, e.Port))).ToList())
        {
            record.Endpoints.Remove(gone);
            db.BoxEndpoints.Remove(gone);
        }

        var have = record.Endpoints.Select(e => Key(e.Host, e.Port)).ToHashSet(StringComparer.Ordinal);
        foreach (var endpoint in watched.Where(e => !have.Contains(Key(e.Host, e.Port))))
        {
            record.Endpoints.Add(new BoxEndpointRecord { Host = endpoint.Host, Port = endpoint.Port });
        }
    }

    /// <summary>What the edit changes, for the audit log: names of settings and secrets, never a secret's value.</summary>
    private static List<string> Changes(BoxRecord record, CheckedBox box, BoxDraft draft, BoxChange change, Dictionary<string, string>? kept)
    {
        var changed = new List<string>();
        if (record.Name != box.Name)
        {
            changed.Add($"name {record.Name} → {box.Name}");
        }

        if (record.Addresses != box.Addresses)
        {
            changed.Add("addresses " + string.Join(", ", box.Addresses.Split('\n').Select(a => a[(a.IndexOf(':', StringComparison.Ordinal) + 1)..])));
        }

        var before = record.Endpoints.OrderBy(e => e.Id).Select(e => new WatchedEndpoint(e.Host, e.Port).ToString()).ToList();
        if (!before.SequenceEqual(box.Endpoints.Select(e => e.ToString()), StringComparer.OrdinalIgnoreCase))
        {
            changed.Add("watching " + string.Join(", ", box.Endpoints));
        }

        if (record.Delivery != box.Kind.Name())
        {
            changed.Add($"delivery {record.Delivery} → {box.Kind.Name()}");
        }

        if (record.AuthorityId != draft.AuthorityId || record.CertificateId != draft.CertificateId)
        {
            changed.Add($"CA {draft.AuthorityId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, certificate {draft.CertificateId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }

        var old = BoxRecords.Settings(record);
        var settings = old.Keys.Union(box.Settings.Keys).Where(k => old.GetValueOrDefault(k) != box.Settings.GetValueOrDefault(k)).Order(StringComparer.Ordinal).ToList();
        if (settings.Count > 0)
        {
            changed.Add("settings " + string.Join(", ", settings));
        }

        var replaced = change.Secrets.Where(s => !string.IsNullOrWhiteSpace(s.Value)).Select(s => s.Key.Trim().ToLowerInvariant())
            .Concat(box.Secrets.Keys.Where(k => kept?.ContainsKey(k) != true)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (replaced.Count > 0)
        {
            changed.Add("secrets replaced " + string.Join(", ", replaced));
        }

        if (change.ForgetPin)
        {
            changed.Add("pinned host key and TLS fingerprint forgotten");
        }

        return changed;
    }
}
