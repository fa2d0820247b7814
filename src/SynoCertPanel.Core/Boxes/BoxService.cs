using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Boxes;

/// <summary>Adding, listing, editing and deleting boxes: the one place for their rules, for the page, the CLI and the API.</summary>
public sealed partial class BoxService(PanelStorage storage, BoxDeliveries deliveries, TimeProvider time)
{
    /// <summary>The authorized_keys line of the login key the panel made for an SSH box (a setting, shown, never secret).</summary>
    public const string PublicKeySetting = "public-key";

    public async Task<Result<BoxSummary>> AddAsync(BoxDraft draft, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var target = (draft.Name ?? string.Empty).Trim();
        var checkedDraft = await CheckAsync(draft, null, cancellationToken).ConfigureAwait(false);
        if (!checkedDraft.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.AddBox, target, checkedDraft.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<BoxSummary>(checkedDraft.Error!);
        }

        var box = checkedDraft.Value;
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (await NameTakenAsync(db, box.Name, null, cancellationToken).ConfigureAwait(false))
            {
                var taken = $"A box named \"{box.Name}\" already exists; choose another name or edit that one.";
                AuditLog.Add(db, now, actor, AuditActions.AddBox, box.Name, AuditOutcome.Refused, taken);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Result.Failure<BoxSummary>(taken);
            }

            var record = new BoxRecord
            {
                Name = box.Name,
                Addresses = box.Addresses,
                Delivery = box.Kind.Name(),
                Settings = JsonSerializer.Serialize(box.Settings),
                AuthorityId = draft.AuthorityId,
                CertificateId = draft.CertificateId,
                CreatedAt = now,
                Endpoints = box.Endpoints.Select(e => new BoxEndpointRecord { Host = e.Host, Port = e.Port }).ToList(),
            };
            db.Boxes.Add(record);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            // The secrets are sealed for the row's id, known only once it is in: two writes, one transaction.
            record.SealedSecrets = BoxRecords.Seal(storage.Protector, record.Id, box.Secrets);
            AuditLog.Add(db, now, actor, AuditActions.AddBox, box.Name, AuditOutcome.Succeeded, Describe(record));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(BoxRecords.Summary(record, [.. box.Secrets.Keys.Order(StringComparer.Ordinal)]));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    public async Task<IReadOnlyList<BoxSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var boxes = await db.Boxes.AsNoTracking().Include(b => b.Endpoints).OrderBy(b => b.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. boxes.Select(b => BoxRecords.Summary(b, SecretNames(b)))];
    }

    /// <summary>A box by id (digits) or by name (case-insensitive).</summary>
    public async Task<Result<BoxSummary>> FindAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var box = await LoadAsync(db, idOrName, cancellationToken).ConfigureAwait(false);
        return box.Map(b => BoxRecords.Summary(b, SecretNames(b)));
    }

    public async Task<Result<BoxSummary>> DeleteAsync(string idOrName, string actor, CancellationToken cancellationToken = default)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var box = await LoadAsync(db, idOrName, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (!box.IsSuccess)
            {
                AuditLog.Add(db, now, actor, AuditActions.DeleteBox, idOrName, AuditOutcome.Refused, box.Error!);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return box.Map(b => BoxRecords.Summary(b, []));
            }

            var summary = BoxRecords.Summary(box.Value, SecretNames(box.Value));
            db.Boxes.Remove(box.Value);
            AuditLog.Add(db, now, actor, AuditActions.DeleteBox, box.Value.Name, AuditOutcome.Succeeded,
                "The box, its endpoints and its deploy history were removed; the certificates it used stay in the inventory.");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(summary);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    public async Task<Result<BoxSummary>> SetEnabledAsync(string idOrName, bool enabled, string actor, CancellationToken cancellationToken = default)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var box = await LoadAsync(db, idOrName, cancellationToken).ConfigureAwait(false);
            if (!box.IsSuccess)
            {
                return box.Map(b => BoxRecords.Summary(b, []));
            }

            box.Value.Enabled = enabled;
            AuditLog.Add(db, time.GetUtcNow(), actor, enabled ? AuditActions.EnableBox : AuditActions.DisableBox, box.Value.Name, AuditOutcome.Succeeded);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(BoxRecords.Summary(box.Value, SecretNames(box.Value)));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>The box as its delivery method sees it, secrets opened. Never shown; passed to the method only.</summary>
    public async Task<Result<(BoxSummary Box, IBoxDelivery Method, DeliveryTarget Target)>> OpenTargetAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var box = await LoadAsync(db, idOrName, cancellationToken).ConfigureAwait(false);
        if (!box.IsSuccess)
        {
            return Result.Failure<(BoxSummary, IBoxDelivery, DeliveryTarget)>(box.Error!);
        }

        var record = box.Value;
        var kind = DeliveryKinds.Parse(record.Delivery);
        var method = kind is { } k ? deliveries.Find(k) : null;
        if (method is null)
        {
            return Result.Failure<(BoxSummary, IBoxDelivery, DeliveryTarget)>(
                $"The box {record.Name} is delivered by \"{record.Delivery}\", which this version of the panel does not know; edit the box and choose a delivery method.");
        }

        var secrets = BoxRecords.Open(storage.Protector, record);
        if (secrets is null)
        {
            return Result.Failure<(BoxSummary, IBoxDelivery, DeliveryTarget)>(
                $"The stored credentials of the box {record.Name} cannot be opened with this panel's key-encryption key (restored onto another key?). Enter them again by editing the box.");
        }

        var summary = BoxRecords.Summary(record, [.. secrets.Keys.Order(StringComparer.Ordinal)]);
        var target = new DeliveryTarget(record.Name, summary.Addresses, DeliveryOptions.WithDefaults(method, BoxRecords.Settings(record)), secrets);
        return Result.Success((summary, method, target));
    }

    /// <summary>"Test connection": the method connects and logs in, changing nothing; what it learned (a pin) is kept.</summary>
    public async Task<Result<DeliveryOutcome>> TestAsync(string idOrName, string actor, CancellationToken cancellationToken = default)
    {
        var opened = await OpenTargetAsync(idOrName, cancellationToken).ConfigureAwait(false);
        if (!opened.IsSuccess)
        {
            return Result.Failure<DeliveryOutcome>(opened.Error!);
        }

        var (box, method, target) = opened.Value;
        var outcome = await method.TestAsync(target, cancellationToken).ConfigureAwait(false);
        await RememberAsync(box.Id, method, outcome.Learned, cancellationToken).ConfigureAwait(false);
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            AuditLog.Add(db, time.GetUtcNow(), actor, AuditActions.TestBox, box.Name, outcome.Succeeded ? AuditOutcome.Succeeded : AuditOutcome.Failed,
                outcome.Failure is { } failure ? $"{failure}: {outcome.Message}" : outcome.Message);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }

        return Result.Success(outcome);
    }

    /// <summary>Stores what first contact taught (a pinned host key or fingerprint, a device id), sealing the secret ones.</summary>
    public async Task RememberAsync(int boxId, IBoxDelivery method, IReadOnlyDictionary<string, string> learned, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(learned);
        if (learned.Count == 0)
        {
            return;
        }

        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var record = await db.Boxes.SingleAsync(b => b.Id == boxId, cancellationToken).ConfigureAwait(false);
            var settings = BoxRecords.Settings(record);
            var secrets = BoxRecords.Open(storage.Protector, record) ?? new Dictionary<string, string>(StringComparer.Ordinal);
            BoxRecords.ApplyLearned(method, learned, settings, secrets);
            record.Settings = JsonSerializer.Serialize(settings);
            record.SealedSecrets = BoxRecords.Seal(storage.Protector, record.Id, secrets);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    internal static async Task<Result<BoxRecord>> LoadAsync(PanelDbContext db, string idOrName, CancellationToken cancellationToken)
    {
        var text = (idOrName ?? string.Empty).Trim();
        BoxRecord? box = null;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            box = await db.Boxes.Include(b => b.Endpoints).SingleOrDefaultAsync(b => b.Id == id, cancellationToken).ConfigureAwait(false);
        }

        if (box is null && text.Length is > 0 and <= BoxRules.MaxNameLength)
        {
            // Names are ASCII (BoxRules.Name), so SQLite's NOCASE compares them as a person would.
            box = await db.Boxes.Include(b => b.Endpoints).SingleOrDefaultAsync(b => EF.Functions.Collate(b.Name, "NOCASE") == text, cancellationToken).ConfigureAwait(false);
        }

        return box is null
            ? Result.Failure<BoxRecord>($"There is no box \"{Display.Literal(text, BoxRules.MaxNameLength)}\"; `box list` shows the boxes and their ids.")
            : Result.Success(box);
    }

    /// <summary>The draft checked by the rules; <paramref name="kept"/> are the stored secrets an edit keeps (null: none).</summary>
    private async Task<Result<CheckedBox>> CheckAsync(BoxDraft draft, Dictionary<string, string>? kept, CancellationToken cancellationToken)
    {
        var name = BoxRules.Name(draft.Name);
        if (!name.IsSuccess)
        {
            return Result.Failure<CheckedBox>(name.Error!);
        }

        var addresses = BoxRules.Addresses(draft.Addresses);
        if (!addresses.IsSuccess)
        {
            return Result.Failure<CheckedBox>(addresses.Error!);
        }

        var endpoints = BoxRules.Endpoints(draft.Watch);
        if (!endpoints.IsSuccess)
        {
            return Result.Failure<CheckedBox>(endpoints.Error!);
        }

        var watched = endpoints.Value.Count > 0 ? endpoints.Value : [new WatchedEndpoint(addresses.Value[0].Value, BoxRules.DefaultTlsPort)];
        var kind = string.IsNullOrWhiteSpace(draft.Delivery) ? DeliveryKind.None : DeliveryKinds.Parse(draft.Delivery);
        var method = kind is { } k ? deliveries.Find(k) : null;
        if (method is null)
        {
            return Result.Failure<CheckedBox>(
                $"\"{Display.Literal(draft.Delivery ?? string.Empty, 40)}\" is not a delivery method; choose one of {string.Join(", ", deliveries.All.Select(m => m.Kind.Name()))}.");
        }

        var secrets = draft.Secrets;
        Ssh.SshKeyPair? generated = null;
        if (method.Kind == DeliveryKind.Ssh && !secrets.ContainsKey(Ssh.SshOptions.PrivateKey) && kept?.ContainsKey(Ssh.SshOptions.PrivateKey) != true)
        {
            // The panel makes the box's login key; its public line is shown (and kept) for the box's authorized_keys.
            generated = Ssh.SshKeys.Generate($"synocertpanel-{name.Value.Replace(' ', '-')}");
            secrets = new Dictionary<string, string>(secrets) { [Ssh.SshOptions.PrivateKey] = generated.PrivateKey };
        }

        var options = DeliveryOptions.Check(method, draft.Settings, secrets, kept);
        if (!options.IsSuccess)
        {
            return Result.Failure<CheckedBox>(options.Error!);
        }

        if (generated is not null)
        {
            options.Value.Settings[PublicKeySetting] = generated.AuthorizedKeysLine;
        }

        var references = await CheckReferencesAsync(draft, method.Kind, cancellationToken).ConfigureAwait(false);
        if (references is not null)
        {
            return Result.Failure<CheckedBox>(references);
        }

        var stored = string.Join('\n', addresses.Value.Select(a => (a.Kind == SanKind.IpAddress ? "IP:" : "DNS:") + a.Value));
        return Result.Success(new CheckedBox(name.Value, stored, watched, method.Kind, options.Value.Settings, options.Value.Secrets));
    }

    private async Task<string?> CheckReferencesAsync(BoxDraft draft, DeliveryKind kind, CancellationToken cancellationToken)
    {
        await using var db = storage.CreateContext();
        if (draft.AuthorityId is { } authorityId && !await db.Authorities.AnyAsync(a => a.Id == authorityId, cancellationToken).ConfigureAwait(false))
        {
            return $"There is no CA {authorityId} held here; `ca list` shows the CAs.";
        }

        if (draft.CertificateId is { } certificateId)
        {
            var certificate = await db.Certificates.AsNoTracking().Where(c => c.Id == certificateId)
                .Select(c => new { c.IsCertificateAuthority, c.PrivateKeyId }).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (certificate is null)
            {
                return $"There is no certificate {certificateId}; `cert list` shows the certificates.";
            }

            if (certificate.IsCertificateAuthority)
            {
                return $"Certificate {certificateId} is a CA certificate; a box serves a server certificate. Choose one issued by that CA, or give the CA with --ca to issue one for the box.";
            }

            if (kind != DeliveryKind.None && certificate.PrivateKeyId is null)
            {
                return $"Certificate {certificateId} has no private key held here, so it cannot be delivered; import its key, or issue one for the box from a CA held here.";
            }
        }

        return null;
    }

    private static async Task<bool> NameTakenAsync(PanelDbContext db, string name, int? except, CancellationToken cancellationToken)
    {
        return await db.Boxes.AnyAsync(b => EF.Functions.Collate(b.Name, "NOCASE") == name && b.Id != except, cancellationToken).ConfigureAwait(false);
    }

    private List<string> SecretNames(BoxRecord box) =>
        BoxRecords.Open(storage.Protector, box)?.Keys.Order(StringComparer.Ordinal).ToList() ?? [];

    private static string Describe(BoxRecord box) =>
        $"{box.Delivery}; addresses {string.Join(", ", BoxRecords.AddressList(box))}; watching {string.Join(", ", box.Endpoints.Select(e => new WatchedEndpoint(e.Host, e.Port)))}";

    private sealed record CheckedBox(
        string Name,
        string Addresses,
        IReadOnlyList<WatchedEndpoint> Endpoints,
        DeliveryKind Kind,
        Dictionary<string, string> Settings,
        Dictionary<string, string> Secrets);
}
