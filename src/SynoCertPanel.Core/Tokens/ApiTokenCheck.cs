using System.Globalization;
using System.Security.Cryptography;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Core.Tokens;

/// <summary>The outcome of checking a bearer token: who it is, or why not (with the sentence for the caller).</summary>
public sealed record ApiTokenCheckResult(ApiTokenIdentity? Token, ApiTokenRefusal? Refusal, string? Message)
{
    public bool IsValid => Token is not null;

    internal static ApiTokenCheckResult Valid(ApiTokenIdentity token) => new(token, null, null);

    internal static ApiTokenCheckResult Refused(ApiTokenRefusal refusal, string message) => new(null, refusal, message);
}

/// <summary>
/// Checks the token of every API call: one indexed read by id with plain SQLite (no EF Core context per request), the
/// secret's hash compared in constant time, and the last use written at most once a minute.
/// </summary>
public sealed class ApiTokenCheck(PanelStorage storage, TimeProvider time)
{
    /// <summary>How stale "last used" may be: a script calling every second writes once a minute, not every second.</summary>
    public static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    /// <summary>Never throws for a bad token: each kind of refusal is a value with its own sentence.</summary>
    public async Task<ApiTokenCheckResult> CheckAsync(string? text, CancellationToken cancellationToken = default)
    {
        if (ApiTokenSecret.Parse(text) is not { } parsed)
        {
            return ApiTokenCheckResult.Refused(ApiTokenRefusal.Malformed,
                $"The bearer token is not a token of this panel: they look like {ApiTokenSecret.Prefix}ID_SECRET.");
        }

        var connection = await SqliteConnections.OpenAsync(storage.Data, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var row = await ReadAsync(connection, parsed.Id, cancellationToken).ConfigureAwait(false);
            // A wrong secret for an existing id and an id that does not exist answer alike, and before anything else is
            // said: whether a token is revoked or expired is for those who hold it.
            if (row is null || !CryptographicOperations.FixedTimeEquals(ApiTokenSecret.Hash(parsed.Secret), row.SecretSha256))
            {
                return ApiTokenCheckResult.Refused(ApiTokenRefusal.Unknown, "The token is not known to this panel (a wrong or mistyped secret, or a token of another panel).");
            }

            var now = time.GetUtcNow();
            if (row.RevokedAt is { } revoked)
            {
                return ApiTokenCheckResult.Refused(ApiTokenRefusal.Revoked,
                    string.Create(CultureInfo.InvariantCulture, $"The token \"{Pki.Display.Literal(row.Name, 100)}\" was revoked on {revoked:yyyy-MM-dd HH:mm} UTC."));
            }

            if (row.ExpiresAt is { } expires && expires <= now)
            {
                return ApiTokenCheckResult.Refused(ApiTokenRefusal.Expired,
                    string.Create(CultureInfo.InvariantCulture, $"The token \"{Pki.Display.Literal(row.Name, 100)}\" expired on {expires:yyyy-MM-dd HH:mm} UTC; make a new one."));
            }

            if (row.LastUsedAt is not { } last || now - last >= LastUseResolution)
            {
                await MarkUsedAsync(connection, parsed.Id, now, cancellationToken).ConfigureAwait(false);
            }

            return ApiTokenCheckResult.Valid(new ApiTokenIdentity(parsed.Id, row.Name, row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        }
    }

    private static async Task<Row?> ReadAsync(Microsoft.Data.Sqlite.SqliteConnection connection, int id, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "SELECT \"Name\", \"Scopes\", \"SecretSha256\", \"ExpiresAt\", \"RevokedAt\", \"LastUsedAt\" FROM \"ApiTokens\" WHERE \"Id\" = $id";
            command.Parameters.AddWithValue("$id", id);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new Row(reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2), Ticks(reader, 3), Ticks(reader, 4), Ticks(reader, 5));
            }
        }
    }

    /// <summary>Conditional, so two requests in the same minute write once even when both saw the old value.</summary>
    private static async Task MarkUsedAsync(Microsoft.Data.Sqlite.SqliteConnection connection, int id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "UPDATE \"ApiTokens\" SET \"LastUsedAt\" = $now WHERE \"Id\" = $id AND (\"LastUsedAt\" IS NULL OR \"LastUsedAt\" <= $stale)";
            command.Parameters.AddWithValue("$now", now.UtcTicks);
            command.Parameters.AddWithValue("$stale", (now - LastUseResolution).UtcTicks);
            command.Parameters.AddWithValue("$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Dates are stored as UTC ticks (PanelDbContext).</summary>
    private static DateTimeOffset? Ticks(System.Data.Common.DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : new DateTimeOffset(reader.GetInt64(column), TimeSpan.Zero);

    private sealed record Row(string Name, string Scopes, byte[] SecretSha256, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);
}
