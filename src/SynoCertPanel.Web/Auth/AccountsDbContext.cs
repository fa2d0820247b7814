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

    /// <summary>
    /// The panel runs on a model compiled ahead of time (<c>CompiledModel/</c>). After an Identity upgrade or a change
    /// here, add a migration and rebuild it:
    /// <c>dotnet ef dbcontext optimize -p src/SynoCertPanel.Web -c AccountsDbContext -o Auth/CompiledModel -n SynoCertPanel.Web.Auth.CompiledModel</c>,
    /// then delete the generated <c>AccountsDbContextAssemblyAttributes.cs</c> and write the migration's script with the
    /// schema tests (<c>SYNOCERT_WRITE_MIGRATION_SCRIPTS=1</c>); see <see cref="PanelDbContext"/>. A test compares the two models.
    /// </summary>
    internal static void Configure(DbContextOptionsBuilder builder, string connectionString) =>
        ConfigureForDesign(builder, connectionString).UseModel(CompiledModel.AccountsDbContextModel.Instance);

    /// <summary>The model built from the code, for the design-time tools and the test that checks the compiled one.</summary>
    public static DbContextOptionsBuilder ConfigureForDesign(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable(MigrationsHistoryTable));

    /// <summary>Applies pending migrations of the accounts tables, one process at a time; next to free when there are none.</summary>
    public Task MigrateAsync(DataDirectory data, CancellationToken cancellationToken = default) =>
        MigrationTurn.MigrateAsync(data, this, cancellationToken);
}
