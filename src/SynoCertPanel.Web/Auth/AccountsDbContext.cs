using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Storage;

namespace SynoCertPanel.Web.Auth;

/// <summary>
/// The panel's accounts (ASP.NET Core Identity, users only: one admin needs no roles). It lives in the same
/// SQLite file as the certificates, so one data directory is still the whole backup, but keeps its own
/// migrations history table so its migrations never mix with <see cref="PanelDbContext"/>'s.
/// </summary>
public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options) : IdentityUserContext<IdentityUser>(options)
{
    public const string MigrationsHistoryTable = "__AccountsMigrationsHistory";

    public static DbContextOptions<AccountsDbContext> ContextOptions(DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var builder = new DbContextOptionsBuilder<AccountsDbContext>();
        Configure(builder, data.ConnectionString);
        return builder.Options;
    }

    internal static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable(MigrationsHistoryTable));
}
