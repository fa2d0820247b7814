using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Lint;

namespace SynoCertPanel.Core.Inventory;

public sealed record SignedRequest(int CertificateId, IssuedCertificate Issued);

/// <summary>"Sign CSR": a CA held here signs a request from another box; the result is kept as an issued record.</summary>
public sealed class SigningService(PanelStorage storage, TimeProvider time)
{
    /// <summary>
    /// What <see cref="SignAsync"/> would issue with the same choices, with the lint per client and the parts of the
    /// request left out. Nothing is stored or audited: the person has not decided yet.
    /// </summary>
    public async Task<Result<SigningPreview>> PreviewAsync(int authorityId, CertificateSigningRequest request, SignRequestOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var loaded = await IssuanceRows.LoadAuthorityAsync(storage.Data, storage.Protector, authorityId, cancellationToken).ConfigureAwait(false);

        var signed = loaded.Bind(l => new CertificateIssuer(time).SignRequest(l.Authority, request, options));
        if (!signed.IsSuccess)
        {
            return Result.Failure<SigningPreview>(signed.Error!);
        }

        var issued = signed.Value;
        var lint = IssuanceCheck.Report(issued, time);
        var lintWarnings = lint?.Findings.Where(f => f.Severity == LintSeverity.Warning).Select(f => f.Message) ?? [];
        return Result.Success(new SigningPreview(issued.Certificate, issued.Chain, lint, lint is null ? null : IssuanceCheck.Refusal(lint),
            [.. signed.Warnings, .. lintWarnings], RequestDifferences.NotCopied(request, issued.Certificate)));
    }

    public async Task<Result<SignedRequest>> SignAsync(int authorityId, CertificateSigningRequest request, SignRequestOptions options,
        string description, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var target = request.Subject.CommonName ?? (request.SubjectAlternativeNames is [var first, ..] ? first.Value : "(no name)");
        var text = Descriptions.Check(description);
        var loaded = await IssuanceRows.LoadAuthorityAsync(storage.Data, storage.Protector, authorityId, cancellationToken).ConfigureAwait(false);

        var issued = IssuanceCheck.Lint(text.Bind(_ => loaded).Bind(l => new CertificateIssuer(time).SignRequest(l.Authority, request, options)), time);
        if (!issued.IsSuccess)
        {
            await Refusals.RecordAsync(storage, time, actor, AuditActions.SignRequest, target, issued.Error!, cancellationToken).ConfigureAwait(false);
            return Result.Failure<SignedRequest>(issued.Error!);
        }

        var now = time.GetUtcNow();
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            var record = Records.ToRecord(issued.Value.Certificate, issued.Value.Chain, CertificateSource.SignedRequest,
                text.Value.Length > 0 ? text.Value : target, now);
            record.IssuedByAuthorityId = authorityId;
            db.Certificates.Add(record);
            db.IssuedSerials.Add(new IssuedSerialRecord { AuthorityId = authorityId, SerialNumber = issued.Value.Certificate.SerialNumberHex, IssuedAt = now });
            var ignored = request.IgnoredExtensions.Count == 0 ? string.Empty
                : "; not copied from the request: " + string.Join(", ", request.IgnoredExtensions.Select(e => e.Name));
            AuditLog.Add(db, now, actor, AuditActions.SignRequest, target, AuditOutcome.Succeeded,
                string.Join(", ", issued.Value.Certificate.SubjectAlternativeNames) + ignored, record);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Result.Success(new SignedRequest(record.Id, issued.Value), issued.Warnings);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}
