using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// Brings the accounts tables up to date before the listener opens, and while no account exists opens setup
/// with a fresh token that is logged, loudly, once the addresses are known.
/// </summary>
internal sealed partial class AccountsStartup(
    DataDirectory data,
    IServiceScopeFactory scopes,
    SetupToken setupToken,
    UnsealedKeyRemoval keyRing,
    IHostApplicationLifetime lifetime,
    IServer server,
    ILogger<AccountsStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (keyRing.Removed > 0)
        {
            UnsealedKeysRemoved(logger, keyRing.Removed);
        }

        if (keyRing.Damaged > 0)
        {
            DamagedKeysMovedAside(logger, keyRing.Damaged, UnsealedKeyRemoval.DamagedSuffix);
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
            await db.MigrateAsync(data, cancellationToken).ConfigureAwait(false);
            if (await db.Users.AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        var token = setupToken.Open();
        lifetime.ApplicationStarted.Register(() => LogSetupOpen(token));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void LogSetupOpen(string token)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .Where(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            .Select(a => a.TrimEnd('/') + "/setup")
            .ToList() ?? [];
        var where = addresses.Count == 0 ? "/setup" : string.Join(" or ", addresses);
        SetupOpen(logger, where, token);
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message =
        "\n*****************************************************************\n"
        + "  No account exists yet. To create the admin account open\n  {Url}\n  and enter the one-time setup token\n      {Token}\n"
        + "*****************************************************************")]
    private static partial void SetupOpen(ILogger logger, string url, string token);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message =
        "Removed {Count} sign-in key(s) an earlier version stored unencrypted; new keys are sealed with the key-encryption key. Everyone signs in again once.")]
    private static partial void UnsealedKeysRemoved(ILogger logger, int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message =
        "Moved {Count} damaged sign-in key file(s) in data-protection-keys aside (now ending in {Suffix}); everyone signs in again once.")]
    private static partial void DamagedKeysMovedAside(ILogger logger, int count, string suffix);
}
