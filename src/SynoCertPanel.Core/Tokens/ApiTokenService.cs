using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Tokens;

/// <summary>Making, listing and revoking API tokens: the one place for their rules, for the pages and the command line.</summary>
public sealed class ApiTokenService(PanelStorage storage, TimeProvider time)
{
    public const int MaxNameLength = 100;
    public const int MaxExpiryDays = 3650;

    /// <summary>The secret is in the result only; the database keeps its SHA-256.</summary>
    public async Task<Result<CreatedApiToken>> CreateAsync(ApiTokenRequest request, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = CheckName(request.Name);
        var scopes = ApiScopes.Parse(request.Scopes);
        var problem = name.Error ?? scopes.Error ?? CheckExpiry(request.ExpiresInDays);
        var target = (request.Name ?? string.Empty).Trim();
        if (problem is not null)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.CreateToken, target, problem, cancellationToken).ConfigureAwait(false);
            return Result.Failure<CreatedApiToken>(problem);
        }

        var secret = ApiTokenSecret.NewSecret();
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            // SQLite's BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default) takes the write lock before the name is checked, so
            // the command line and the panel making tokens at once cannot both take one name; the write gate is per process only.
            // The event names the token's id, known once the row is in: two writes, one transaction.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (await IsTakenAsync(db, name.Value, now, cancellationToken).ConfigureAwait(false))
            {
                var taken = $"A token named \"{Display.Literal(name.Value, MaxNameLength)}\" is already in use; choose another name or revoke that one first.";
                AuditLog.Add(db, now, actor, AuditActions.CreateToken, target, AuditOutcome.Refused, taken);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Result.Failure<CreatedApiToken>(taken);
            }

            var record = new ApiTokenRecord
            {
                Name = name.Value,
                Scopes = string.Join(' ', scopes.Value),
                SecretSha256 = ApiTokenSecret.Hash(secret),
                CreatedAt = now,
                CreatedBy = actor,
                ExpiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null,
            };
            db.ApiTokens.Add(record);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            AuditLog.Add(db, now, actor, AuditActions.CreateToken, record.Name, AuditOutcome.Succeeded, Describe(record));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(new CreatedApiToken(ToSummary(record), ApiTokenSecret.Format(record.Id, secret)));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>Every token, revoked and expired ones too (they stay for the record), oldest first.</summary>
    public async Task<IReadOnlyList<ApiTokenSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var records = await db.ApiTokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return records.Select(ToSummary).ToList();
    }

    /// <summary>Revokes the token from now on; revoking it again changes nothing and is not an error.</summary>
    public async Task<Result<ApiTokenSummary>> RevokeAsync(int id, string actor, CancellationToken cancellationToken = default)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var now = time.GetUtcNow();
            var record = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                var unknown = string.Create(CultureInfo.InvariantCulture, $"There is no token with id {id}.");
                AuditLog.Add(db, now, actor, AuditActions.RevokeToken, string.Create(CultureInfo.InvariantCulture, $"token {id}"), AuditOutcome.Refused, unknown);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return Result.Failure<ApiTokenSummary>(unknown);
            }

            // Only a change is an event: a script that revokes twice to be sure leaves one line in the log.
            if (record.RevokedAt is null)
            {
                record.RevokedAt = now;
                AuditLog.Add(db, now, actor, AuditActions.RevokeToken, record.Name, AuditOutcome.Succeeded,
                    string.Create(CultureInfo.InvariantCulture, $"token {record.Id}"));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }

            return Result.Success(ToSummary(record));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>A create or revoke refused before the service ran (the password asked again was wrong), in the audit log like its own refusals.</summary>
    public Task RecordRefusalAsync(string actor, string action, string target, string reason, CancellationToken cancellationToken = default) =>
        Refusals.RecordAsync(storage, time, actor, action, target, reason, cancellationToken);

    /// <summary>
    /// Trimmed, 1–100 characters, and nothing invisible or layout-changing: a name is shown in lists and the audit log,
    /// where a line break, a NUL or a right-to-left override could make one token pass for another.
    /// </summary>
    public static Result<string> CheckName(string? name)
    {
        var text = (name ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            return Result.Failure<string>("Give the token a name that says what uses it (for example \"backup script on nas2\").");
        }

        if (text.Length > MaxNameLength)
        {
            return Result.Failure<string>(string.Create(CultureInfo.InvariantCulture,
                $"The name is {text.Length} characters long; at most {MaxNameLength} are allowed."));
        }

        // A lone surrogate reads as U+FFFD: text that was not valid to begin with.
        if (text.EnumerateRunes().Any(r => IsHidden(r) || r == Rune.ReplacementChar))
        {
            return Result.Failure<string>("The name contains a control or invisible character (line break, tab, NUL, a direction mark); use plain text.");
        }

        // One spelling per name, so "é" typed two ways is one name for the uniqueness check.
        return Result.Success(text.Normalize(NormalizationForm.FormC));
    }

    /// <returns>The sentence for an expiry outside 1 to <see cref="MaxExpiryDays"/> days, or null when it is allowed (null days: never).</returns>
    public static string? CheckExpiry(int? days) => days is null or (>= 1 and <= MaxExpiryDays)
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"The expiry must be 1 to {MaxExpiryDays} days, or none; {days} was given.");

    private static bool IsHidden(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    /// <summary>Live names are unique, compared without case: "Backup" and "backup" in one list would be told apart by nobody.</summary>
    private static async Task<bool> IsTakenAsync(PanelDbContext db, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = await db.ApiTokens.AsNoTracking().Where(t => t.RevokedAt == null).Select(t => new { t.Name, t.ExpiresAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return live.Any(t => (t.ExpiresAt is null || t.ExpiresAt > now) && string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private static string Describe(ApiTokenRecord record) => string.Create(CultureInfo.InvariantCulture,
        $"token {record.Id}; scopes {record.Scopes}; {(record.ExpiresAt is { } at ? $"expires {at:yyyy-MM-dd HH:mm} UTC" : "never expires")}");

    internal static ApiTokenSummary ToSummary(ApiTokenRecord record) => new(record.Id, record.Name,
        record.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), record.CreatedAt, record.CreatedBy, record.ExpiresAt, record.RevokedAt, record.LastUsedAt);
}
