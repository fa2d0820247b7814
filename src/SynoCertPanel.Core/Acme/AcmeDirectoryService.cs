using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Core.Acme;

/// <summary>A CA's ACME directory as its page and <c>acme show</c> describe it.</summary>
public sealed record AcmeDirectorySummary(int AuthorityId, string AuthorityName, bool Enabled, AcmePolicy Policy, bool AllowedFromAuthority,
    DateTimeOffset AuthorityNotAfter, int Accounts, int EabKeys);

/// <summary>An EAB key as listed (never its secret).</summary>
public sealed record AcmeEabKeySummary(string KeyId, string Label, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt, int? AccountId);

/// <summary>A new EAB key: the HMAC key is shown this once and never again.</summary>
public sealed record AcmeEabKeyCreated(string KeyId, string HmacKey, string Label);

/// <summary>An account as the ACME page lists it.</summary>
public sealed record AcmeAccountSummary(int Id, string Thumbprint, IReadOnlyList<string> Contact, string Status, DateTimeOffset CreatedAt,
    string CreatedFrom, string? EabKeyId, DateTimeOffset? LastOrderAt);

/// <summary>An order as the ACME page lists it, with the reason when it failed.</summary>
public sealed record AcmeOrderSummary(int Id, int AccountId, string Status, IReadOnlyList<string> Identifiers, DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt, string? Error, int? CertificateId)
{
    /// <summary>The ARI certificate id of the certificate the order renews, when the client said (RFC 9773 "replaces").</summary>
    public string? Replaces { get; init; }
}

/// <summary>
/// The operator's side of ACME: turning a CA's directory on and off, its policy, EAB keys, and the accounts and orders
/// it holds. The page, the command line and the API call this; the protocol endpoints call <see cref="AcmeServer"/>.
/// </summary>
public sealed class AcmeDirectoryService(PanelStorage storage, TimeProvider time)
{
    public const string EnableAction = "acme.enable";
    public const string UpdateAction = "acme.update";
    public const string DisableAction = "acme.disable";
    public const string CreateEabAction = "acme.eab-create";
    public const string RevokeEabAction = "acme.eab-revoke";
    public const string DeactivateAccountAction = "acme.account-deactivate";
    public const string ResolveAction = "acme.resolve";

    internal static string EabPurpose(string keyId) => "acme-eab:" + keyId;

    public async Task<IReadOnlyList<AcmeDirectorySummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var ids = await db.AcmeDirectories.AsNoTracking().OrderBy(d => d.AuthorityId).Select(d => d.AuthorityId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<AcmeDirectorySummary>();
        foreach (var id in ids)
        {
            var shown = await ShowAsync(id, cancellationToken).ConfigureAwait(false);
            if (shown.IsSuccess)
            {
                list.Add(shown.Value);
            }
        }

        return list;
    }

    public async Task<Result<AcmeDirectorySummary>> ShowAsync(int authorityId, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var authority = await AuthorityAsync(db, authorityId, cancellationToken).ConfigureAwait(false);
        if (!authority.IsSuccess)
        {
            return Result.Failure<AcmeDirectorySummary>(authority.Error!);
        }

        var record = await db.AcmeDirectories.AsNoTracking().SingleOrDefaultAsync(d => d.AuthorityId == authorityId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Result.Failure<AcmeDirectorySummary>($"The CA \"{authority.Value.Name}\" has no ACME directory yet. Turn it on with acme enable --ca {authorityId}.");
        }

        return Result.Success(await SummaryAsync(db, record, authority.Value, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Turns the directory on (making it with the defaults the first time) with <paramref name="draft"/> applied.</summary>
    public Task<Result<AcmeDirectorySummary>> EnableAsync(int authorityId, AcmePolicyDraft draft, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(authorityId, draft, enabled: true, EnableAction, actor, cancellationToken);

    /// <summary>Changes the policy of an existing directory, on or off as it is.</summary>
    public Task<Result<AcmeDirectorySummary>> UpdateAsync(int authorityId, AcmePolicyDraft draft, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(authorityId, draft, enabled: null, UpdateAction, actor, cancellationToken);

    public Task<Result<AcmeDirectorySummary>> DisableAsync(int authorityId, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(authorityId, new AcmePolicyDraft(), enabled: false, DisableAction, actor, cancellationToken);

    private async Task<Result<AcmeDirectorySummary>> ChangeAsync(int authorityId, AcmePolicyDraft draft, bool? enabled, string action, string actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var authority = await AuthorityAsync(db, authorityId, cancellationToken).ConfigureAwait(false);
            if (!authority.IsSuccess)
            {
                return await RefuseAsync(db, actor, action, $"authority {authorityId}", authority.Error!, cancellationToken).ConfigureAwait(false);
            }

            var record = await db.AcmeDirectories.SingleOrDefaultAsync(d => d.AuthorityId == authorityId, cancellationToken).ConfigureAwait(false);
            if (record is null && enabled != true)
            {
                return await RefuseAsync(db, actor, action, authority.Value.Name,
                    $"The CA \"{authority.Value.Name}\" has no ACME directory yet. Turn it on with acme enable --ca {authorityId}.", cancellationToken).ConfigureAwait(false);
            }

            var now = time.GetUtcNow();
            record ??= db.AcmeDirectories.Add(new AcmeDirectoryRecord
            {
                AuthorityId = authorityId,
                LifetimeHours = (int)AcmePolicy.DefaultLifetime.TotalHours,
                Challenges = string.Join(' ', AcmeChallengeTypes.Defaults),
                CreatedAt = now,
            }).Entity;
            if (enabled == true && !authority.Value.HasKey)
            {
                return await RefuseAsync(db, actor, action, authority.Value.Name,
                    $"The CA \"{authority.Value.Name}\" is held here without its private key, so it cannot sign through ACME. Import its key, or pick a CA made here.",
                    cancellationToken).ConfigureAwait(false);
            }

            if (enabled == true && !authority.Value.UsableAt(now))
            {
                return await RefuseAsync(db, actor, action, authority.Value.Name,
                    $"The CA \"{authority.Value.Name}\" is not valid now (it ends {authority.Value.NotAfter:yyyy-MM-dd}), so it cannot issue through ACME.", cancellationToken).ConfigureAwait(false);
            }

            var applied = enabled == false ? Result.Success(record) : draft.ApplyTo(record, authority.Value.Constraints);
            if (!applied.IsSuccess)
            {
                return await RefuseAsync(db, actor, action, authority.Value.Name, applied.Error!, cancellationToken).ConfigureAwait(false);
            }

            record.Enabled = enabled ?? record.Enabled;
            AuditLog.Add(db, now, actor, action, authority.Value.Name, AuditOutcome.Succeeded, Describe(record));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(await SummaryAsync(db, record, authority.Value, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>Makes an EAB key for the directory: the HMAC key is in the answer once, and sealed in the database.</summary>
    public async Task<Result<AcmeEabKeyCreated>> CreateEabKeyAsync(int authorityId, string? label, string actor, CancellationToken cancellationToken = default)
    {
        var text = (label ?? string.Empty).Trim();
        if (text.Length > 100 || text.Any(char.IsControl))
        {
            return Result.Failure<AcmeEabKeyCreated>("The label is at most 100 characters with no control characters (for example \"proxmox\").");
        }

        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var directory = await DirectoryAsync(db, authorityId, cancellationToken).ConfigureAwait(false);
            if (!directory.IsSuccess)
            {
                return Result.Failure<AcmeEabKeyCreated>(directory.Error!);
            }

            // Hex: typed into clients by hand, and never read as an option or a name (a base64url id may start with "-" or "_").
            var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var hmacKey = RandomNumberGenerator.GetBytes(32);
            var now = time.GetUtcNow();
            db.AcmeEabKeys.Add(new AcmeEabKeyRecord
            {
                DirectoryId = directory.Value.Id,
                KeyId = keyId,
                Label = text,
                SealedKey = storage.Protector.Seal(hmacKey, EabPurpose(keyId)),
                CreatedAt = now,
                CreatedBy = actor,
            });
            AuditLog.Add(db, now, actor, CreateEabAction, $"authority {authorityId}", AuditOutcome.Succeeded, $"key id {keyId}" + (text.Length > 0 ? $" ({text})" : ""));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(new AcmeEabKeyCreated(keyId, AcmeBase64.Encode(hmacKey), text));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>Revokes an EAB key: no new account can use it (an account it already made keeps working).</summary>
    public async Task<Result<AcmeEabKeySummary>> RevokeEabKeyAsync(int authorityId, string keyId, string actor, CancellationToken cancellationToken = default)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var directory = await DirectoryAsync(db, authorityId, cancellationToken).ConfigureAwait(false);
            if (!directory.IsSuccess)
            {
                return Result.Failure<AcmeEabKeySummary>(directory.Error!);
            }

            var key = await db.AcmeEabKeys.SingleOrDefaultAsync(k => k.DirectoryId == directory.Value.Id && k.KeyId == keyId, cancellationToken).ConfigureAwait(false);
            if (key is null)
            {
                return Result.Failure<AcmeEabKeySummary>($"There is no EAB key \"{Display.Literal(keyId ?? "")}\" for this CA's directory.");
            }

            var now = time.GetUtcNow();
            key.RevokedAt ??= now;
            AuditLog.Add(db, now, actor, RevokeEabAction, $"authority {authorityId}", AuditOutcome.Succeeded, $"key id {key.KeyId}");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(EabSummary(key));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    public async Task<Result<IReadOnlyList<AcmeEabKeySummary>>> EabKeysAsync(int authorityId, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var directory = await DirectoryAsync(db, authorityId, cancellationToken).ConfigureAwait(false);
        if (!directory.IsSuccess)
        {
            return Result.Failure<IReadOnlyList<AcmeEabKeySummary>>(directory.Error!);
        }

        var keys = await db.AcmeEabKeys.AsNoTracking().Where(k => k.DirectoryId == directory.Value.Id).OrderBy(k => k.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return Result.Success<IReadOnlyList<AcmeEabKeySummary>>(keys.Select(EabSummary).ToList());
    }

    public async Task<Result<IReadOnlyList<AcmeAccountSummary>>> AccountsAsync(int authorityId, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var directory = await DirectoryAsync(db, authorityId, cancellationToken).ConfigureAwait(false);
        if (!directory.IsSuccess)
        {
            return Result.Failure<IReadOnlyList<AcmeAccountSummary>>(directory.Error!);
        }

        var accounts = await db.AcmeAccounts.AsNoTracking().Where(a => a.DirectoryId == directory.Value.Id).OrderBy(a => a.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var keys = await db.AcmeEabKeys.AsNoTracking().Where(k => k.DirectoryId == directory.Value.Id && k.AccountId != null)
            .ToDictionaryAsync(k => k.Id, k => k.KeyId, cancellationToken).ConfigureAwait(false);
        return Result.Success<IReadOnlyList<AcmeAccountSummary>>(accounts.Select(a => new AcmeAccountSummary(a.Id, a.Thumbprint,
            AcmePolicy.Lines(a.Contact), a.Status, a.CreatedAt, a.CreatedFrom, a.EabKeyId is { } k ? keys.GetValueOrDefault(k) : null, a.LastOrderAt)).ToList());
    }

    /// <summary>Deactivates an account from the panel (RFC 8555 §7.3.6 lets the client do it too): its open orders become invalid.</summary>
    public async Task<Result<AcmeAccountSummary>> DeactivateAccountAsync(int authorityId, int accountId, string actor, CancellationToken cancellationToken = default)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var directory = await DirectoryAsync(db, authorityId, cancellationToken).ConfigureAwait(false);
            if (!directory.IsSuccess)
            {
                return Result.Failure<AcmeAccountSummary>(directory.Error!);
            }

            var account = await db.AcmeAccounts.SingleOrDefaultAsync(a => a.DirectoryId == directory.Value.Id && a.Id == accountId, cancellationToken).ConfigureAwait(false);
            if (account is null)
            {
                return Result.Failure<AcmeAccountSummary>($"There is no account {accountId} in this CA's directory.");
            }

            var now = time.GetUtcNow();
            account.Status = AcmeStatus.Deactivated;
            await AcmeServer.DeactivatePendingAsync(db, account.Id, cancellationToken).ConfigureAwait(false);
            AuditLog.Add(db, now, actor, DeactivateAccountAction, $"authority {authorityId}", AuditOutcome.Succeeded, $"account {accountId}");
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(new AcmeAccountSummary(account.Id, account.Thumbprint, AcmePolicy.Lines(account.Contact), account.Status,
                account.CreatedAt, account.CreatedFrom, null, account.LastOrderAt));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    public async Task<Result<IReadOnlyList<AcmeOrderSummary>>> OrdersAsync(int authorityId, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var directory = await DirectoryAsync(db, authorityId, cancellationToken).ConfigureAwait(false);
        if (!directory.IsSuccess)
        {
            return Result.Failure<IReadOnlyList<AcmeOrderSummary>>(directory.Error!);
        }

        var orders = await db.AcmeOrders.AsNoTracking().Where(o => o.DirectoryId == directory.Value.Id)
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(Math.Clamp(limit, 1, 1000))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return Result.Success<IReadOnlyList<AcmeOrderSummary>>(orders.Select(o => new AcmeOrderSummary(o.Id, o.AccountId, AcmeOrders.StatusAt(o, now),
            AcmePolicy.Lines(o.Identifiers), o.CreatedAt, o.ExpiresAt, AcmeProblems.DetailOf(AcmeOrders.ErrorAt(o, now)), o.CertificateId)
        {
            Replaces = o.Replaces,
        }).ToList());
    }

    /// <summary>Replaces the validation resolver's NAME=ADDRESS list (see <see cref="AcmeResolver.SetAsync"/>), with the change in the audit log.</summary>
    public async Task<Result<string>> SetResolverAsync(IEnumerable<string> entries, string actor, CancellationToken cancellationToken = default)
    {
        var set = await new AcmeResolver(storage).SetAsync(entries, cancellationToken).ConfigureAwait(false);
        await using var db = storage.CreateContext();
        AuditLog.Add(db, time.GetUtcNow(), actor, ResolveAction, "validation resolver", set.IsSuccess ? AuditOutcome.Succeeded : AuditOutcome.Refused,
            set.IsSuccess ? (set.Value.Length == 0 ? "cleared" : set.Value.Replace('\n', ' ')) : set.Error!);
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }

        return set;
    }

    internal sealed record AuthorityFacts(int Id, string Name, DateTimeOffset NotBefore, DateTimeOffset NotAfter, NameConstraints? Constraints, bool HasKey)
    {
        public bool UsableAt(DateTimeOffset now) => HasKey && NotBefore <= now && now < NotAfter;
    }

    internal static async Task<Result<AuthorityFacts>> AuthorityAsync(PanelDbContext db, int authorityId, CancellationToken cancellationToken)
    {
        var record = await db.Authorities.AsNoTracking().Include(a => a.Certificate)
            .SingleOrDefaultAsync(a => a.Id == authorityId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Result.Failure<AuthorityFacts>($"There is no CA with id {authorityId} held here (see ca list).");
        }

        var certificate = Records.ToCertificate(record.Certificate);
        return Result.Success(new AuthorityFacts(record.Id, record.Certificate.CommonName ?? record.Certificate.Subject, certificate.NotBefore,
            certificate.NotAfter, certificate.NameConstraints, record.Certificate.PrivateKeyId is not null));
    }

    private static async Task<Result<AcmeDirectoryRecord>> DirectoryAsync(PanelDbContext db, int authorityId, CancellationToken cancellationToken)
    {
        var record = await db.AcmeDirectories.AsNoTracking().SingleOrDefaultAsync(d => d.AuthorityId == authorityId, cancellationToken).ConfigureAwait(false);
        return record is null
            ? Result.Failure<AcmeDirectoryRecord>($"The CA with id {authorityId} has no ACME directory. Turn it on with acme enable --ca {authorityId}.")
            : Result.Success(record);
    }

    private static async Task<AcmeDirectorySummary> SummaryAsync(PanelDbContext db, AcmeDirectoryRecord record, AuthorityFacts authority, CancellationToken cancellationToken)
    {
        var accounts = await db.AcmeAccounts.CountAsync(a => a.DirectoryId == record.Id, cancellationToken).ConfigureAwait(false);
        var keys = await db.AcmeEabKeys.CountAsync(k => k.DirectoryId == record.Id && k.RevokedAt == null, cancellationToken).ConfigureAwait(false);
        var own = record.AllowedDns.Length > 0 || record.AllowedIp.Length > 0;
        return new AcmeDirectorySummary(authority.Id, authority.Name, record.Enabled, AcmePolicy.From(record, authority.Constraints), !own,
            authority.NotAfter, accounts, keys);
    }

    private async Task<Result<AcmeDirectorySummary>> RefuseAsync(PanelDbContext db, string actor, string action, string target, string error,
        CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        AuditLog.Add(db, time.GetUtcNow(), actor, action, target, AuditOutcome.Refused, error);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Result.Failure<AcmeDirectorySummary>(error);
    }

    private static string Describe(AcmeDirectoryRecord record) =>
        $"{(record.Enabled ? "on" : "off")}; lifetime {record.LifetimeHours} h; challenges {record.Challenges}; EAB {(record.RequireEab ? "required" : "not required")}"
        + (record.AllowedDns.Length + record.AllowedIp.Length > 0 ? $"; names {string.Join(", ", AcmePolicy.Lines(record.AllowedDns + "\n" + record.AllowedIp))}" : "");

    private static AcmeEabKeySummary EabSummary(AcmeEabKeyRecord k) => new(k.KeyId, k.Label, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.AccountId);
}
