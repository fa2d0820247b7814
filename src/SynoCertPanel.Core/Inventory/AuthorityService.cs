using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Issuance;

namespace SynoCertPanel.Core.Inventory;

public sealed record AuthoritySummary(int Id, int CertificateId, string Subject, DateTimeOffset NotAfter, string KeyDescription,
    IReadOnlyList<string> PermittedDns, IReadOnlyList<string> PermittedIpRanges, int IssuedCount)
{
    public DateTimeOffset NotBefore { get; init; }

    /// <summary>Self-signed: a trust anchor. An intermediate stays one after its root is deleted.</summary>
    public bool IsRoot { get; init; } = true;

    /// <summary>The CA held here that signed this one; null for a root, or an intermediate whose root was taken offline.</summary>
    public int? ParentId { get; init; }

    /// <summary>Its path length allows a CA below it: a root made with intermediates allowed.</summary>
    public bool CanSignIntermediates { get; init; }

    /// <summary>The root the panel made for itself on its first start (<see cref="BootstrapAuthority"/>).</summary>
    public bool IsBootstrap { get; init; }

    /// <summary>Its common name: the name the person typed when creating it.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The name forms its constraints shut out entirely: a root listing DNS suffixes only may certify no IP address.</summary>
    public bool PermitsNoIpAddresses { get; init; }

    /// <inheritdoc cref="PermitsNoIpAddresses"/>
    public bool PermitsNoDnsNames { get; init; }
}

/// <summary>A certificate a CA held here signed, as the Authorities page lists it.</summary>
public sealed record IssuedCertificateSummary(int Id, string Description, string Subject, string AlternativeNames, DateTimeOffset NotBefore,
    DateTimeOffset NotAfter, CertificateSource Source);

/// <summary>CAs held here: create one, list them, and issue server certificates from them.</summary>
public sealed class AuthorityService(PanelStorage storage, TimeProvider time)
{
    public async Task<Result<AuthoritySummary>> CreateRootAsync(RootCaOptions options, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var target = options.Subject.CommonName ?? "(no name)";
        var root = new CertificateIssuer(time).CreateRootCa(options);
        if (!root.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.CreateAuthority, target, root.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<AuthoritySummary>(root.Error!);
        }

        var now = time.GetUtcNow();
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var record = Records.ToRecord(root.Value.Certificate, [], CertificateSource.Created, target, now);
            record.PrivateKey = Records.SealKey(storage.Protector, root.Value.Key!, now);
            var authority = new AuthorityRecord { Certificate = record, CreatedAt = now };
            db.Authorities.Add(authority);
            AuditLog.Add(db, now, actor, AuditActions.CreateAuthority, record.Subject, AuditOutcome.Succeeded, certificate: record);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(ToSummary(authority, root.Value.Certificate, 0));
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>
    /// An intermediate CA under a CA held here (a root made with intermediates allowed). It keeps the whole chain above it,
    /// root included, so the certificates it issues carry full chains even after the root is exported and deleted.
    /// </summary>
    public async Task<Result<AuthoritySummary>> CreateIntermediateAsync(int parentAuthorityId, IntermediateCaOptions options, string actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var target = options.Subject.CommonName ?? "(no name)";
        var parent = await IssuanceRows.LoadAuthorityAsync(storage.Data, storage.Protector, parentAuthorityId, cancellationToken).ConfigureAwait(false);

        var issued = IssuanceCheck.Lint(parent.Bind(p => new CertificateIssuer(time).CreateIntermediateCa(p.Authority, options)), time);
        if (!issued.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.CreateAuthority, target, issued.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<AuthoritySummary>(issued.Error!);
        }

        var now = time.GetUtcNow();
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var record = Records.ToRecord(issued.Value.Certificate, issued.Value.Chain, CertificateSource.Created, target, now);
            record.PrivateKey = Records.SealKey(storage.Protector, issued.Value.Key!, now);
            record.IssuedByAuthorityId = parentAuthorityId;
            var authority = new AuthorityRecord { Certificate = record, CreatedAt = now };
            db.Authorities.Add(authority);
            db.IssuedSerials.Add(new IssuedSerialRecord { AuthorityId = parentAuthorityId, SerialNumber = issued.Value.Certificate.SerialNumberHex, IssuedAt = now });
            AuditLog.Add(db, now, actor, AuditActions.CreateAuthority, record.Subject, AuditOutcome.Succeeded, $"intermediate under CA {parentAuthorityId}",
                certificate: record);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(ToSummary(authority, issued.Value.Certificate, 0), issued.Warnings);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    public async Task<IReadOnlyList<AuthoritySummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        var rows = await db.Authorities.AsNoTracking().Include(a => a.Certificate).OrderBy(a => a.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var counts = await db.Certificates.Where(c => c.IssuedByAuthorityId != null).GroupBy(c => c.IssuedByAuthorityId)
            .Select(g => new { Id = g.Key!.Value, Count = g.Count() }).ToDictionaryAsync(g => g.Id, g => g.Count, cancellationToken).ConfigureAwait(false);
        // The operator's own CAs first: the start-up root is only there until one of theirs is served.
        return rows.Select(a => ToSummary(a, Records.ToCertificate(a.Certificate), counts.GetValueOrDefault(a.Id)))
            .OrderBy(a => a.IsBootstrap).ThenBy(a => a.Id).ToList();
    }

    /// <summary>
    /// The operator's CA that signed the newest certificate here (created, renewed or signed for a CSR), or null: the
    /// panel's start-up CA and CA certificates (an intermediate under its root) do not count.
    /// </summary>
    public async Task<int?> LastUsedAsync(CancellationToken cancellationToken = default)
    {
        var own = (await ListAsync(cancellationToken).ConfigureAwait(false)).Where(a => !a.IsBootstrap).Select(a => a.Id).ToList();
        await using var db = storage.CreateContext();
        return await db.Certificates.AsNoTracking()
            .Where(c => !c.IsCertificateAuthority && c.IssuedByAuthorityId != null && own.Contains(c.IssuedByAuthorityId.Value))
            .OrderByDescending(c => c.Id).Select(c => c.IssuedByAuthorityId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The certificates stored here that the CA signed (created here, renewed, or signed for a CSR), oldest first.</summary>
    public async Task<IReadOnlyList<IssuedCertificateSummary>> ListIssuedAsync(int authorityId, CancellationToken cancellationToken = default)
    {
        await using var db = storage.CreateContext();
        return await db.Certificates.AsNoTracking().Where(c => c.IssuedByAuthorityId == authorityId).OrderBy(c => c.Id)
            .Select(c => new IssuedCertificateSummary(c.Id, c.Description, c.Subject, c.AlternativeNames, c.NotBefore, c.NotAfter, c.Source))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Issues a server (or client) certificate with a new key from a CA held here.</summary>
    public async Task<Result<int>> IssueAsync(int authorityId, LeafOptions options, string description, bool setAsDefault, string actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var target = options.Subject.CommonName ?? (options.SubjectAlternativeNames is [var first, ..] ? first.Value : "(no name)");
        var text = Descriptions.Check(description);
        Result<int> Refuse(string error) => Result.Failure<int>(error);
        if (!text.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.IssueCertificate, target, text.Error!, cancellationToken).ConfigureAwait(false);
            return Refuse(text.Error!);
        }

        var loaded = await IssuanceRows.LoadAuthorityAsync(storage.Data, storage.Protector, authorityId, cancellationToken).ConfigureAwait(false);
        var issued = IssuanceCheck.ForDefault(IssuanceCheck.Lint(loaded.Bind(l => new CertificateIssuer(time).IssueLeaf(l.Authority, options)), time),
            setAsDefault, time);
        if (!issued.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.IssueCertificate, target, issued.Error!, cancellationToken).ConfigureAwait(false);
            return Refuse(issued.Error!);
        }

        var now = time.GetUtcNow();
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var record = Records.ToRecord(issued.Value.Certificate, issued.Value.Chain, CertificateSource.Created, text.Value.Length > 0 ? text.Value : target, now);
            record.PrivateKey = Records.SealKey(storage.Protector, issued.Value.Key!, now);
            record.IssuedByAuthorityId = authorityId;
            var serial = new IssuedSerialRecord { AuthorityId = authorityId, SerialNumber = issued.Value.Certificate.SerialNumberHex, IssuedAt = now };
            List<AuditEventRecord> events =
                [AuditLog.Event(now, actor, AuditActions.IssueCertificate, target, AuditOutcome.Succeeded, string.Join(", ", issued.Value.Certificate.SubjectAlternativeNames))];
            if (setAsDefault)
            {
                events.Add(AuditLog.Event(now, actor, AuditActions.SetDefault, target, AuditOutcome.Succeeded));
            }

            await IssuanceRows.StoreIssuedAsync(storage.Data, record, serial, events, setAsDefault, cancellationToken).ConfigureAwait(false);
            return Result.Success(record.Id, issued.Warnings);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>
    /// Builds the certificate <see cref="IssueAsync"/> would issue, with a throw-away key of the same type, and lints
    /// it; nothing is stored or audited.
    /// </summary>
    /// <param name="authorityId">The CA held here that will sign.</param>
    /// <param name="options">The server certificate's subject, names, key type and validity.</param>
    /// <param name="host">The name the admin reaches the panel by when the certificate will be served; null skips that check.</param>
    /// <param name="cancellationToken">Cancels the read of the CA.</param>
    public async Task<Result<PlannedCertificate>> PreviewIssueAsync(int authorityId, LeafOptions options, string? host = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loaded = await IssuanceRows.LoadAuthorityAsync(storage.Data, storage.Protector, authorityId, cancellationToken).ConfigureAwait(false);

        return IssuancePreview.Plan(loaded.Bind(l => new CertificateIssuer(time).IssueLeaf(l.Authority, options)), time, host);
    }

    private static AuthoritySummary ToSummary(AuthorityRecord record, Pki.Certificates.Certificate certificate, int issued) => new(
        record.Id, record.CertificateId, certificate.SubjectText, certificate.NotAfter, certificate.PublicKey.ToString(),
        certificate.NameConstraints?.PermittedDnsSuffixes ?? [], certificate.NameConstraints?.PermittedIpRanges.Select(r => r.ToString()).ToList() ?? [],
        issued)
    {
        NotBefore = certificate.NotBefore,
        PermitsNoIpAddresses = certificate.NameConstraints?.ClosesIpAddresses ?? false,
        PermitsNoDnsNames = certificate.NameConstraints?.ClosesDnsNames ?? false,
        IsRoot = certificate.IsSelfIssued,
        ParentId = record.Certificate.IssuedByAuthorityId,
        CanSignIntermediates = certificate.PathLength is not 0,
        IsBootstrap = BootstrapAuthority.Is(certificate),
        Name = certificate.Subject.CommonName ?? certificate.SubjectText,
    };
}
