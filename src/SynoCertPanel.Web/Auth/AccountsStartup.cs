using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// Brings the accounts tables up to date before the listener opens, and while no account exists opens setup
/// with a fresh token that is logged, loudly, once the addresses are known.
/// </summary>
internal sealed partial class AccountsStartup(
    DataDirectory data,
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

        // Plain SQL, no AccountsDbContext: its EF Core services, the Identity model and a compiled query would be built
        // for these two reads alone and kept by a panel that nobody has signed in to yet (bench/RESULTS.md).
        await MigrationTurn.MigrateAsync(data, typeof(AccountsDbContext), AccountsDbContext.MigrationsHistoryTable, cancellationToken).ConfigureAwait(false);
        if (await AnyAccountAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var token = setupToken.Open();
        lifetime.ApplicationStarted.Register(() => LogSetupOpen(token));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<bool> AnyAccountAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(data.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "SELECT EXISTS (SELECT 1 FROM \"AspNetUsers\")";
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) != 0;
            }
        }
    }

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
