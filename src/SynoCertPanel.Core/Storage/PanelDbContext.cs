using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SynoCertPanel.Core.Storage;

/// <summary>
/// The inventory's tables. The panel runs on a model compiled ahead of time (<c>CompiledModel/</c>) and applies each
/// migration as its shipped SQL script (<c>Migrations/Sql/</c>). After changing <see cref="OnModelCreating"/>, from the
/// repository root: <c>dotnet tool restore</c>; <c>dotnet ef migrations add NAME -p src/SynoCertPanel.Core</c>;
/// <c>dotnet ef dbcontext optimize -p src/SynoCertPanel.Core -c PanelDbContext -o Storage/CompiledModel -n SynoCertPanel.Core.Storage.CompiledModel</c>
/// and delete the generated <c>PanelDbContextAssemblyAttributes.cs</c> (the options name the model themselves); then
/// run the schema tests once with <c>SYNOCERT_WRITE_MIGRATION_SCRIPTS=1</c> to write the new script. Those tests fail
/// while the compiled model or a script is out of date.
/// </summary>
public sealed class PanelDbContext(DbContextOptions<PanelDbContext> options) : DbContext(options)
{
    public DbSet<CertificateRecord> Certificates => Set<CertificateRecord>();

    public DbSet<PrivateKeyRecord> PrivateKeys => Set<PrivateKeyRecord>();

    public DbSet<AuthorityRecord> Authorities => Set<AuthorityRecord>();

    public DbSet<IssuedSerialRecord> IssuedSerials => Set<IssuedSerialRecord>();

    public DbSet<PendingRequestRecord> PendingRequests => Set<PendingRequestRecord>();

    public DbSet<AuditEventRecord> AuditEvents => Set<AuditEventRecord>();

    public DbSet<SettingRecord> Settings => Set<SettingRecord>();

    public DbSet<ApiTokenRecord> ApiTokens => Set<ApiTokenRecord>();

    public DbSet<BoxRecord> Boxes => Set<BoxRecord>();

    public DbSet<BoxEndpointRecord> BoxEndpoints => Set<BoxEndpointRecord>();

    public DbSet<DeploymentRecord> Deployments => Set<DeploymentRecord>();

    public DbSet<AlertChannelRecord> AlertChannels => Set<AlertChannelRecord>();

    public DbSet<AlertHistoryRecord> AlertHistory => Set<AlertHistoryRecord>();

    public DbSet<AcmeDirectoryRecord> AcmeDirectories => Set<AcmeDirectoryRecord>();

    public DbSet<AcmeEabKeyRecord> AcmeEabKeys => Set<AcmeEabKeyRecord>();

    public DbSet<AcmeAccountRecord> AcmeAccounts => Set<AcmeAccountRecord>();

    public DbSet<AcmeOrderRecord> AcmeOrders => Set<AcmeOrderRecord>();

    public DbSet<AcmeAuthorizationRecord> AcmeAuthorizations => Set<AcmeAuthorizationRecord>();

    public DbSet<AcmeChallengeRecord> AcmeChallenges => Set<AcmeChallengeRecord>();

    public DbSet<RevocationRecord> Revocations => Set<RevocationRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<CertificateRecord>(e =>
        {
            e.HasIndex(c => c.Sha256Fingerprint).IsUnique();
            e.HasIndex(c => c.NotAfter);
            e.HasIndex(c => c.CommonName);
            e.HasIndex(c => c.Description);
            e.HasIndex(c => c.Issuer);
            e.HasIndex(c => c.CreatedAt);
            // Covers every searched column and every sort key, so a search scans this narrow index instead of rows that carry DER and chains.
            e.HasIndex(c => new { c.Description, c.CommonName, c.AlternativeNames, c.Issuer, c.NotAfter, c.CreatedAt }, "IX_Certificates_Search");
            e.Property(c => c.Source).HasConversion<string>();
            // Dates as sortable ticks: SQLite has no date type and EF cannot order DateTimeOffset text reliably.
            e.Property(c => c.NotBefore).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
            e.Property(c => c.NotAfter).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
            e.Property(c => c.CreatedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
            e.HasOne(c => c.PrivateKey).WithMany().HasForeignKey(c => c.PrivateKeyId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(c => c.IssuedByAuthority).WithMany().HasForeignKey(c => c.IssuedByAuthorityId).OnDelete(DeleteBehavior.SetNull);
            // No foreign key: adding one makes SQLite rebuild the table outside the migration's single transaction (see
            // MigrationTurn). Deleting the renewal clears the mark instead (InventoryService), so the old one is current again.
            e.HasIndex(c => c.ReplacedById);
        });
        modelBuilder.Entity<PrivateKeyRecord>(e =>
        {
            e.HasIndex(k => k.PublicKeySha256);
            e.Property(k => k.CreatedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
        modelBuilder.Entity<AuthorityRecord>(e =>
        {
            e.HasIndex(a => a.CertificateId).IsUnique();
            e.HasOne(a => a.Certificate).WithMany().HasForeignKey(a => a.CertificateId).OnDelete(DeleteBehavior.Restrict);
            e.Property(a => a.CreatedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
        modelBuilder.Entity<IssuedSerialRecord>(e =>
        {
            e.HasIndex(s => new { s.AuthorityId, s.SerialNumber }).IsUnique();
            e.HasOne<AuthorityRecord>().WithMany().HasForeignKey(s => s.AuthorityId).OnDelete(DeleteBehavior.Cascade);
            e.Property(s => s.IssuedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
        modelBuilder.Entity<PendingRequestRecord>(e =>
        {
            e.HasOne(p => p.PrivateKey).WithMany().HasForeignKey(p => p.PrivateKeyId).OnDelete(DeleteBehavior.Restrict);
            e.Property(p => p.CreatedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
        modelBuilder.Entity<AuditEventRecord>(e =>
        {
            e.HasIndex(a => a.At);
            e.HasIndex(a => a.CertificateId);
            e.Property(a => a.Outcome).HasConversion<string>();
            e.Property(a => a.At).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
        modelBuilder.Entity<SettingRecord>(e => e.HasKey(s => s.Name));
        modelBuilder.Entity<ApiTokenRecord>(e =>
        {
            // Not unique: a revoked or expired token keeps its name, and a new one may take it (ApiTokenService checks live ones).
            e.HasIndex(t => t.Name);
            var ticks = new ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
            e.Property(t => t.CreatedAt).HasConversion(ticks);
            e.Property(t => t.ExpiresAt).HasConversion(ticks);
            e.Property(t => t.RevokedAt).HasConversion(ticks);
            e.Property(t => t.LastUsedAt).HasConversion(ticks);
        });
        modelBuilder.Entity<BoxRecord>(e =>
        {
            e.HasIndex(b => b.Name).IsUnique();
            e.Property(b => b.CreatedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
            // No foreign keys to certificates or authorities: deleting one clears the box's reference (BoxService) instead of
            // failing, and SQLite would rebuild tables outside the migration's transaction to add them later.
            e.HasMany(b => b.Endpoints).WithOne().HasForeignKey(p => p.BoxId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<BoxEndpointRecord>(e =>
        {
            e.HasIndex(p => new { p.BoxId, p.Host, p.Port }).IsUnique();
            e.Property(p => p.CheckedAt).HasConversion(new ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero)));
            e.Property(p => p.ServedNotAfter).HasConversion(new ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero)));
        });
        modelBuilder.Entity<DeploymentRecord>(e =>
        {
            e.HasIndex(d => new { d.BoxId, d.StartedAt });
            e.HasIndex(d => d.Outcome);
            e.HasOne<BoxRecord>().WithMany().HasForeignKey(d => d.BoxId).OnDelete(DeleteBehavior.Cascade);
            e.Property(d => d.Outcome).HasConversion<string>();
            var ticks = new ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
            e.Property(d => d.StartedAt).HasConversion(ticks);
            e.Property(d => d.FinishedAt).HasConversion(ticks);
        });
        modelBuilder.Entity<AlertChannelRecord>(e =>
        {
            e.HasIndex(c => c.Name).IsUnique();
            e.Property(c => c.CreatedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
        modelBuilder.Entity<AlertHistoryRecord>(e =>
        {
            e.ToTable("AlertHistory");
            e.HasIndex(h => h.At);
            e.Property(h => h.Outcome).HasConversion<string>();
            e.Property(h => h.At).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
        ConfigureAcme(modelBuilder);
    }

    private static void ConfigureAcme(ModelBuilder modelBuilder)
    {
        var ticks = new ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        modelBuilder.Entity<AcmeDirectoryRecord>(e =>
        {
            e.HasIndex(d => d.AuthorityId).IsUnique();
            e.HasOne<AuthorityRecord>().WithMany().HasForeignKey(d => d.AuthorityId).OnDelete(DeleteBehavior.Cascade);
            e.Property(d => d.CreatedAt).HasConversion(ticks);
        });
        modelBuilder.Entity<AcmeEabKeyRecord>(e =>
        {
            e.HasIndex(k => k.KeyId).IsUnique();
            e.HasIndex(k => k.DirectoryId);
            e.HasOne<AcmeDirectoryRecord>().WithMany().HasForeignKey(k => k.DirectoryId).OnDelete(DeleteBehavior.Cascade);
            e.Property(k => k.CreatedAt).HasConversion(ticks);
            e.Property(k => k.RevokedAt).HasConversion(ticks);
        });
        modelBuilder.Entity<AcmeAccountRecord>(e =>
        {
            e.HasIndex(a => new { a.DirectoryId, a.Thumbprint }).IsUnique();
            e.HasOne<AcmeDirectoryRecord>().WithMany().HasForeignKey(a => a.DirectoryId).OnDelete(DeleteBehavior.Cascade);
            e.Property(a => a.CreatedAt).HasConversion(ticks);
            e.Property(a => a.LastOrderAt).HasConversion(ticks);
        });
        modelBuilder.Entity<AcmeOrderRecord>(e =>
        {
            e.HasIndex(o => new { o.AccountId, o.CreatedAt });
            e.HasIndex(o => new { o.DirectoryId, o.CreatedAt });
            e.HasIndex(o => o.CertificateId);
            e.HasOne<AcmeAccountRecord>().WithMany().HasForeignKey(o => o.AccountId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(o => o.Authorizations).WithOne().HasForeignKey(a => a.OrderId).OnDelete(DeleteBehavior.Cascade);
            e.Property(o => o.CreatedAt).HasConversion(ticks);
            e.Property(o => o.ExpiresAt).HasConversion(ticks);
        });
        modelBuilder.Entity<AcmeAuthorizationRecord>(e =>
        {
            e.HasMany(a => a.Challenges).WithOne().HasForeignKey(c => c.AuthorizationId).OnDelete(DeleteBehavior.Cascade);
            e.Property(a => a.ExpiresAt).HasConversion(ticks);
        });
        modelBuilder.Entity<AcmeChallengeRecord>(e =>
        {
            e.HasIndex(c => c.Token).IsUnique();
            e.Property(c => c.ValidatedAt).HasConversion(ticks);
        });
        modelBuilder.Entity<RevocationRecord>(e =>
        {
            e.HasIndex(r => new { r.AuthorityId, r.SerialNumber }).IsUnique();
            e.HasIndex(r => r.CertificateId);
            e.HasOne<AuthorityRecord>().WithMany().HasForeignKey(r => r.AuthorityId).OnDelete(DeleteBehavior.Cascade);
            e.Property(r => r.RevokedAt).HasConversion(ticks);
        });
    }
}
