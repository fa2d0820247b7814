using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Issuance;

namespace SynoCertPanel.Core.Inventory;

/// <summary>The two steps of the "Create self-signed certificate" wizard.</summary>
public sealed record SelfSignedRequest
{
    public required RootCaOptions Root { get; init; }

    public required LeafOptions Server { get; init; }

    public string Description { get; init; } = string.Empty;

    public bool SetAsDefault { get; init; } = true;
}

public sealed record SelfSignedResult(int CertificateId, int AuthorityId, int AuthorityCertificateId, IssuedCertificate Server);

/// <summary>Creates a root CA and a server certificate signed by it, stored together or not at all.</summary>
public sealed class SelfSignedService(PanelStorage storage, TimeProvider time)
{
    public const int MaxDescriptionLength = 200;

    public async Task<Result<SelfSignedResult>> CreateAsync(SelfSignedRequest request, string actor, CancellationToken cancellationToken = default) =>
        (await CreateAsync(request, onlyAsFirstAuthority: false, actor, cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// With <paramref name="onlyAsFirstAuthority"/>, stores nothing and returns null when a CA is already held: the
    /// check runs inside the write transaction, which SQLite serialises across processes too.
    /// </summary>
    internal async Task<Result<SelfSignedResult>?> CreateAsync(SelfSignedRequest request, bool onlyAsFirstAuthority, string actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = request.Server.Subject.CommonName
            ?? (request.Server.SubjectAlternativeNames is [var first, ..] ? first.Value : "(no name)");
        var description = Descriptions.Check(request.Description);
        if (!description.IsSuccess)
        {
            return await RefuseAsync(actor, target, description.Error!, cancellationToken).ConfigureAwait(false);
        }

        // Keys are generated before taking the write gate: an RSA-4096 key takes a second, a write a millisecond.
        var issuer = new CertificateIssuer(time);
        var root = issuer.CreateRootCa(request.Root);
        if (!root.IsSuccess)
        {
            return await RefuseAsync(actor, target, root.Error!, cancellationToken).ConfigureAwait(false);
        }

        var authority = CertificateAuthority.Create(root.Value.Certificate, root.Value.Key!).Value;
        var server = IssuanceCheck.ForDefault(IssuanceCheck.Lint(issuer.IssueLeaf(authority, request.Server), time), request.SetAsDefault, time);
        if (!server.IsSuccess)
        {
            return await RefuseAsync(actor, target, server.Error!, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The root is known by the name the person typed for it, in the list, on /trust and in every file name.
            var rootRecord = Records.ToRecord(root.Value.Certificate, [], CertificateSource.Created,
                root.Value.Certificate.Subject.CommonName ?? $"Root CA for {target}", now);
            rootRecord.PrivateKey = Records.SealKey(storage.Protector, root.Value.Key!, now);
            var authorityRecord = new AuthorityRecord { Certificate = rootRecord, CreatedAt = now };
            var serverRecord = Records.ToRecord(server.Value.Certificate, server.Value.Chain, CertificateSource.Created,
                description.Value.Length > 0 ? description.Value : target, now);
            serverRecord.PrivateKey = Records.SealKey(storage.Protector, server.Value.Key!, now);
            var serial = new IssuedSerialRecord { SerialNumber = server.Value.Certificate.SerialNumberHex, IssuedAt = now };
            List<AuditEventRecord> serverEvents =
            [
                AuditLog.Event(now, actor, AuditActions.CreateSelfSigned, target, AuditOutcome.Succeeded,
                    string.Join(", ", server.Value.Certificate.SubjectAlternativeNames)),
            ];
            if (request.SetAsDefault)
            {
                serverEvents.Add(AuditLog.Event(now, actor, AuditActions.SetDefault, target, AuditOutcome.Succeeded));
            }

            // Plain SQL, as for every issuance (IssuanceRows): the panel's first start makes its certificate here, and an EF
            // Core context built for this one write stayed in its memory for good (bench/RESULTS.md).
            var stored = await IssuanceRows.StoreRootAndIssuedAsync(storage.Data, authorityRecord,
                [AuditLog.Event(now, actor, AuditActions.CreateAuthority, rootRecord.Subject, AuditOutcome.Succeeded)],
                serverRecord, serial, serverEvents, request.SetAsDefault, onlyAsFirstAuthority, cancellationToken).ConfigureAwait(false);
            if (!stored)
            {
                return null;
            }

            return Result.Success(new SelfSignedResult(serverRecord.Id, authorityRecord.Id, rootRecord.Id, server.Value), server.Warnings);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }

    /// <summary>
    /// Builds the root and server certificate as <see cref="CreateAsync(SelfSignedRequest, string, CancellationToken)"/> would, with throw-away keys of the same
    /// types, and lints the server certificate; nothing is stored or audited.
    /// </summary>
    /// <param name="request">The wizard's two steps.</param>
    /// <param name="host">The name the admin reaches the panel by when the certificate will be served; null skips that check.</param>
    public Result<PlannedCertificate> Preview(SelfSignedRequest request, string? host = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var description = Descriptions.Check(request.Description);
        if (!description.IsSuccess)
        {
            return Result.Failure<PlannedCertificate>(description.Error!);
        }

        var issuer = new CertificateIssuer(time);
        var draft = issuer.CreateRootCa(request.Root)
            .Bind(root => issuer.IssueLeaf(CertificateAuthority.Create(root.Certificate, root.Key!).Value, request.Server));
        return IssuancePreview.Plan(draft, time, request.SetAsDefault ? host : null);
    }

    private async Task<Result<SelfSignedResult>> RefuseAsync(string actor, string target, string error, CancellationToken cancellationToken)
    {
        await Refusals.RecordAsync(storage, time, actor, AuditActions.CreateSelfSigned, target, error, cancellationToken).ConfigureAwait(false);
        return Result.Failure<SelfSignedResult>(error);
    }
}
