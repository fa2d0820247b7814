using System.CommandLine;
using System.Globalization;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Cli;

/// <summary>`token create|list|revoke`: API tokens for automation, and for recovery when no browser is at hand.</summary>
internal static class TokenCommands
{
    public static Command Create(CliContext cli)
    {
        var token = new Command("token", "API tokens (bearer tokens for /api/v1).");
        token.Add(CreateCommand(cli));
        token.Add(ListCommand(cli));
        token.Add(RevokeCommand(cli));
        return token;
    }

    private static Command CreateCommand(CliContext cli)
    {
        var command = new Command("create", "Make a token; its secret is printed once and never stored.");
        var name = new Option<string>("--name") { Description = "What uses the token (at most 100 characters), unique among live tokens.", Required = true };
        var scopes = new Option<string[]>("--scope")
        {
            Description = $"A scope to grant (repeat): {string.Join(", ", ApiScopes.All)}.",
            AllowMultipleArgumentsPerToken = true,
            Required = true,
        };
        var expires = new Option<int?>("--expires") { Description = $"Days until the token expires (1 to {ApiTokenService.MaxExpiryDays}; default: never)." };
        command.Add(name);
        command.Add(scopes);
        command.Add(expires);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var created = await new ApiTokenService(storage, cli.Time).CreateAsync(new ApiTokenRequest
            {
                Name = parse.GetValue(name),
                Scopes = parse.GetValue(scopes) ?? [],
                ExpiresInDays = parse.GetValue(expires),
            }, cli.Actor, cancellationToken).ConfigureAwait(false);
            return await cli.ReportAsync(created,
                c => string.Join('\n',
                    string.Create(CultureInfo.InvariantCulture, $"Created token {c.Token.Id} \"{Pki.Display.Literal(c.Token.Name, 100)}\" ({string.Join(" ", c.Token.Scopes)}), {Expiry(c.Token)}."),
                    "Its secret, shown this once (only its hash is kept):",
                    c.Secret),
                c => new
                {
                    id = c.Token.Id,
                    name = c.Token.Name,
                    scopes = c.Token.Scopes,
                    createdAt = c.Token.CreatedAt,
                    expiresAt = c.Token.ExpiresAt,
                    secret = c.Secret,
                }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ListCommand(CliContext cli)
    {
        var command = new Command("list", "List the tokens (never their secrets), revoked and expired ones too.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            if (storage is null)
            {
                return CliContext.Refused;
            }

            var now = cli.Time.GetUtcNow();
            return await cli.ListAsync(await new ApiTokenService(storage, cli.Time).ListAsync(cancellationToken).ConfigureAwait(false),
                t => string.Create(CultureInfo.InvariantCulture,
                    $"{t.Id}\t{Pki.Display.Literal(t.Name, 100)}\t{string.Join(" ", t.Scopes)}\t{t.StateAt(now).ToString().ToLowerInvariant()}\t{Expiry(t)}\t{(t.LastUsedAt is { } used ? $"last used {used:yyyy-MM-dd HH:mm}" : "never used")}"),
                t => Describe(t, now)).ConfigureAwait(false);
        });
        return command;
    }

    private static Command RevokeCommand(CliContext cli)
    {
        var command = new Command("revoke", "Revoke a token at once (revoking it again is not an error).");
        var id = new Argument<int>("ID");
        command.Add(id);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = await cli.OpenAsync(parse, cancellationToken).ConfigureAwait(false);
            return storage is null
                ? CliContext.Refused
                : await cli.ReportAsync(await new ApiTokenService(storage, cli.Time).RevokeAsync(parse.GetValue(id), cli.Actor, cancellationToken).ConfigureAwait(false),
                    t => string.Create(CultureInfo.InvariantCulture, $"Token {t.Id} \"{Pki.Display.Literal(t.Name, 100)}\" is revoked (since {t.RevokedAt:yyyy-MM-dd HH:mm} UTC)"),
                    t => Describe(t, cli.Time.GetUtcNow())).ConfigureAwait(false);
        });
        return command;
    }

    private static string Expiry(ApiTokenSummary token) =>
        token.ExpiresAt is { } at ? string.Create(CultureInfo.InvariantCulture, $"expires {at:yyyy-MM-dd HH:mm} UTC") : "never expires";

    /// <summary>A token as --json prints it (camelCase: CliJson), never with a secret.</summary>
    private static TokenJson Describe(ApiTokenSummary t, DateTimeOffset now) =>
        new(t.Id, t.Name, t.Scopes, t.StateAt(now).ToString().ToLowerInvariant(), t.CreatedAt, t.CreatedBy, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);

    private sealed record TokenJson(int Id, string Name, IReadOnlyList<string> Scopes, string State, DateTimeOffset CreatedAt, string CreatedBy,
        DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);
}
