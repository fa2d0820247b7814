using System.Text;
using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Audit;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Formats.Containers;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Core.Inventory;

/// <summary>What an export may carry. Keys leave only when asked for in so many words.</summary>
public sealed record ExportOptions
{
    /// <summary>Required for the formats that hold the private key (key, pfx, pfx-legacy, synology-zip).</summary>
    public bool IncludeKey { get; init; }

    /// <summary>Adds syno-ca-privkey.pem (the issuing CA's key, when held here) to a synology-zip export.</summary>
    public bool IncludeCaKey { get; init; }

    /// <summary>Protects a PKCS#12 file (required) or a key export (optional: encrypted PKCS#8).</summary>
    public string? Password { get; init; }
}

/// <summary>"Export certificate": the formats DSM, Windows, macOS and appliances take; every key export is audited.</summary>
public sealed class ExportService(PanelStorage storage, TimeProvider time)
{
    public async Task<Result<ExportedFile>> ExportAsync(int certificateId, ExportFormat format, ExportOptions options, string actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var target = $"certificate {certificateId}";
        CertificateRecord? record;
        PrivateKeyRecord? caKeyRecord = null;
        await using (var db = storage.CreateContext())
        {
            record = await db.Certificates.AsNoTracking().Include(c => c.PrivateKey)
                .SingleOrDefaultAsync(c => c.Id == certificateId, cancellationToken).ConfigureAwait(false);
            if (record is not null && options.IncludeCaKey && record.IssuedByAuthorityId is { } authorityId)
            {
                caKeyRecord = await db.Authorities.AsNoTracking().Where(a => a.Id == authorityId).Select(a => a.Certificate.PrivateKey)
                    .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var built = record is null
            ? Result.Failure<ExportedFile>($"There is no certificate with id {certificateId}.")
            : Build(record, format, options, caKeyRecord);
        if (record is not null)
        {
            target = record.Description.Length > 0 ? record.Description : record.Subject;
        }

        var action = ExportFormats.ContainsKey(format) ? AuditActions.ExportKey : AuditActions.Export;
        var detail = ExportFormats.NameOf(format) + (options.IncludeCaKey && format == ExportFormat.SynologyZip ? " with the CA key" : string.Empty);
        await AuditAsync(actor, action, target, built.IsSuccess ? detail : built.Error!, built.IsSuccess, record?.Id, cancellationToken).ConfigureAwait(false);
        return built;
    }

    /// <summary>The refusal of a format that carries the private key when the key was not asked for (a remote command line gives it too).</summary>
    public static string KeyNotRequested(ExportFormat format) =>
        $"The {ExportFormats.NameOf(format)} export contains the private key; ask for the key explicitly (include key) to export it.";

    public async Task<Result<ExportedFile>> ExportRequestAsync(int requestId, RequestExportFormat format, bool includeKey, string actor,
        CancellationToken cancellationToken = default)
    {
        PendingRequestRecord? record;
        await using (var db = storage.CreateContext())
        {
            record = await db.PendingRequests.AsNoTracking().Include(p => p.PrivateKey)
                .SingleOrDefaultAsync(p => p.Id == requestId, cancellationToken).ConfigureAwait(false);
        }

        var built = record is null ? Result.Failure<ExportedFile>($"There is no pending request with id {requestId}.") : BuildRequest(record, format, includeKey);
        var detail = format == RequestExportFormat.Zip ? "csr zip with key" : "csr pem";
        await AuditAsync(actor, AuditActions.ExportRequest, record?.Description ?? $"request {requestId}", built.IsSuccess ? detail : built.Error!,
            built.IsSuccess, null, cancellationToken).ConfigureAwait(false);
        return built;
    }

    private Result<ExportedFile> BuildRequest(PendingRequestRecord record, RequestExportFormat format, bool includeKey)
    {
        var request = Pki.Issuance.CertificateSigningRequest.FromDer(record.CsrDer).Value;
        var name = DownloadFileName.Base(record.Description.Length > 0 ? record.Description : request.Subject.CommonName);
        if (format == RequestExportFormat.Pem)
        {
            return Result.Success(new ExportedFile(name + ".csr", "application/pkcs10", Encoding.ASCII.GetBytes(request.ToPem()), false));
        }

        if (!includeKey)
        {
            return Result.Failure<ExportedFile>("The CSR archive holds the private key (server.key): ask for the key explicitly, or export the CSR alone.");
        }

        return Records.OpenKey(storage.Protector, record.PrivateKey).Map(key => new ExportedFile(name + "-csr.zip", "application/zip",
            SynologyArchiveWriter.WriteRequest(request, key, time.GetUtcNow()), true));
    }

    private Result<ExportedFile> Build(CertificateRecord record, ExportFormat format, ExportOptions options, PrivateKeyRecord? caKeyRecord)
    {
        var certificate = Records.ToCertificate(record);
        var chain = Records.ChainOf(record);
        var (suffix, contentType) = ExportFormats.FileOf(format);
        // A CA is known by its common name (the name typed for it) wherever it is downloaded, /trust included.
        var baseName = record.IsCertificateAuthority && certificate.Subject.CommonName is { } caName ? caName
            : record.Description.Length > 0 ? record.Description : certificate.Subject.CommonName;
        var fileName = DownloadFileName.Base(baseName) + suffix;
        Result<ExportedFile> File(byte[] content) => Result.Success(new ExportedFile(fileName, contentType, content, ExportFormats.ContainsKey(format)));
        static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

        if (!ExportFormats.ContainsKey(format))
        {
            return format switch
            {
                ExportFormat.Pem => File(Ascii(certificate.ToPem())),
                ExportFormat.FullChain => File(Ascii(Pki.Chains.ChainPem.Write([certificate, .. chain]))),
                ExportFormat.Chain => chain.Count > 0 ? File(Ascii(Pki.Chains.ChainPem.Write(chain)))
                    : Result.Failure<ExportedFile>($"\"{Display.Literal(record.Description)}\" has no issuers stored with it (it is self-signed, or was imported without its chain)."),
                ExportFormat.Der => File(certificate.ToDer()),
                ExportFormat.P7b => File(Pkcs7Writer.WriteDer([certificate, .. chain])),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
            };
        }

        if (!options.IncludeKey)
        {
            return Result.Failure<ExportedFile>(KeyNotRequested(format));
        }

        if (record.PrivateKey is null)
        {
            return Result.Failure<ExportedFile>(
                $"The private key of \"{Display.Literal(record.Description)}\" is not held here (it was signed for another box, which keeps its key); export it as pem, fullchain, chain, der or p7b.");
        }

        if (format is ExportFormat.Pfx or ExportFormat.PfxLegacy && string.IsNullOrEmpty(options.Password))
        {
            return Result.Failure<ExportedFile>("A PKCS#12 file holds the private key: give a password to protect it.");
        }

        var key = Records.OpenKey(storage.Protector, record.PrivateKey);
        if (!key.IsSuccess)
        {
            return Result.Failure<ExportedFile>(key.Error!);
        }

        return format switch
        {
            ExportFormat.Key => File(Ascii(string.IsNullOrEmpty(options.Password)
                ? PrivateKeyWriter.ToPkcs8Pem(key.Value)
                : PrivateKeyWriter.ToEncryptedPkcs8Pem(key.Value, options.Password))),
            ExportFormat.Pfx => Pkcs12Writer.Write(certificate, key.Value, chain, options.Password!, Pkcs12Profile.Modern).Bind(File),
            ExportFormat.PfxLegacy => Pkcs12Writer.Write(certificate, key.Value, chain, options.Password!, Pkcs12Profile.Legacy).Bind(File),
            _ => SynologyZip(certificate, key.Value, chain, options.IncludeCaKey, caKeyRecord).Bind(File),
        };
    }

    private Result<byte[]> SynologyZip(Certificate certificate, PrivateKey key, IReadOnlyList<Certificate> chain, bool includeCaKey,
        PrivateKeyRecord? caKeyRecord)
    {
        if (!includeCaKey)
        {
            return Result.Success(SynologyArchiveWriter.WriteCertificate(certificate, key, chain, null, time.GetUtcNow()));
        }

        if (caKeyRecord is null)
        {
            return Result.Failure<byte[]>("The CA that issued this certificate is not held here with its key, so its key cannot be included.");
        }

        var caKey = Records.OpenKey(storage.Protector, caKeyRecord);
        if (!caKey.IsSuccess)
        {
            return Result.Failure<byte[]>(caKey.Error!);
        }

        return chain.Any(c => c.Matches(caKey.Value))
            ? Result.Success(SynologyArchiveWriter.WriteCertificate(certificate, key, chain, caKey.Value, time.GetUtcNow()))
            : Result.Failure<byte[]>("The issuing CA's certificate is not in this certificate's stored chain, so the archive cannot pair it with its key.");
    }

    private async Task AuditAsync(string actor, string action, string target, string detail, bool succeeded, int? certificateId,
        CancellationToken cancellationToken)
    {
        await storage.WriteGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = storage.CreateContext();
            AuditLog.Add(db, time.GetUtcNow(), actor, action, target, succeeded ? AuditOutcome.Succeeded : AuditOutcome.Refused, detail,
                certificateId: certificateId);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            storage.WriteGate.Release();
        }
    }
}
