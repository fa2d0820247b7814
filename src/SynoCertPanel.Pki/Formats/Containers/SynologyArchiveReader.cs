using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Keys;
using Files = SynoCertPanel.Pki.Formats.Containers.SynologyArchiveNames;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>
/// Reads a Synology-style archive.zip in memory: DSM's certificate or CSR export, or the cert.pem + privkey.pem
/// + chain.pem / fullchain.pem set ACME clients write. Files are matched by name, in any one folder.
/// </summary>
public static class SynologyArchiveReader
{
    public static Result<SynologyArchive> Read(ReadOnlySpan<byte> zip)
    {
        var files = BoundedZip.ReadFiles(zip);
        if (!files.IsSuccess)
        {
            return Result.Failure<SynologyArchive>(files.Error!);
        }

        var byName = files.Value.ToDictionary(f => f.FileName, StringComparer.OrdinalIgnoreCase);
        var known = new[] { Files.Certificate, Files.PrivateKey, Files.CaCertificate, Files.CaPrivateKey, Files.Request, Files.RequestKey, Files.Chain, Files.FullChain };
        var warnings = files.Value.Where(f => !known.Contains(f.FileName, StringComparer.OrdinalIgnoreCase))
            .Select(f => $"The file {Display.Literal(f.FullName)} in the archive was ignored.")
            .ToList();

        var result = byName.ContainsKey(Files.Request) ? ReadRequest(byName) : ReadCertificate(byName);
        return result.IsSuccess ? Result.Success(result.Value, [.. warnings, .. result.Warnings]) : result;
    }

    private static Result<SynologyArchive> ReadRequest(Dictionary<string, ZipFileEntry> files)
    {
        if (!files.TryGetValue(Files.RequestKey, out var keyFile))
        {
            return Fail($"The archive holds {Files.Request} but not its key ({Files.RequestKey}).");
        }

        var request = ArchivePem.Request(files[Files.Request]);
        var key = ArchivePem.Key(keyFile);
        if (!request.IsSuccess || !key.IsSuccess)
        {
            return Fail(request.Error ?? key.Error!);
        }

        return key.Value.MatchesPublicKey(request.Value.SubjectPublicKeyInfo.Span)
            ? Result.Success<SynologyArchive>(new SynologyRequestArchive(request.Value, key.Value))
            : Fail($"{Files.RequestKey} is not the key of the request in {Files.Request}.");
    }

    private static Result<SynologyArchive> ReadCertificate(Dictionary<string, ZipFileEntry> files)
    {
        var leafFile = files.GetValueOrDefault(Files.Certificate) ?? files.GetValueOrDefault(Files.FullChain);
        if (leafFile is null || !files.TryGetValue(Files.PrivateKey, out var keyFile))
        {
            return Fail($"The archive is not a certificate export: it needs {Files.Certificate} (or {Files.FullChain}) and {Files.PrivateKey}, or {Files.Request} and {Files.RequestKey}.");
        }

        var leafCertificates = ArchivePem.Certificates(leafFile);
        var key = ArchivePem.Key(keyFile);
        if (!leafCertificates.IsSuccess || !key.IsSuccess)
        {
            return Fail(leafCertificates.Error ?? key.Error!);
        }

        var leaf = leafCertificates.Value[0];
        if (ExplicitCurveParameters.Problem(leafCertificates.Value) is { } explicitCurve)
        {
            return Fail(explicitCurve);
        }

        if (!leaf.Matches(key.Value))
        {
            return Fail($"{Files.PrivateKey} is not the key of the certificate in {Display.Literal(leafFile.FileName)}.");
        }

        var others = new List<Certificate>(leafCertificates.Value.Skip(1));
        foreach (var name in new[] { Files.FullChain, Files.Chain, Files.CaCertificate })
        {
            if (files.TryGetValue(name, out var file) && !ReferenceEquals(file, leafFile))
            {
                var more = ArchivePem.Certificates(file);
                if (!more.IsSuccess)
                {
                    return Fail(more.Error!);
                }

                others.AddRange(more.Value);
            }
        }

        if (ExplicitCurveParameters.Problem(others) is { } explicitIssuer)
        {
            return Fail(explicitIssuer);
        }

        var chain = ChainOrder.IssuersFirst(leaf, others);
        return ReadCaKey(files, chain).Map<SynologyArchive>(caKey => new SynologyCertificateArchive(leaf, key.Value, chain, caKey));
    }

    private static Result<PrivateKey?> ReadCaKey(Dictionary<string, ZipFileEntry> files, IReadOnlyList<Certificate> chain)
    {
        if (!files.TryGetValue(Files.CaPrivateKey, out var file))
        {
            return Result.Success<PrivateKey?>(null);
        }

        var key = ArchivePem.Key(file);
        if (!key.IsSuccess)
        {
            return Result.Failure<PrivateKey?>(key.Error!);
        }

        return chain.Any(c => c.Matches(key.Value))
            ? Result.Success<PrivateKey?>(key.Value)
            : Result.Failure<PrivateKey?>($"{Files.CaPrivateKey} is not the key of any CA certificate in the archive.");
    }

    private static Result<SynologyArchive> Fail(string message) => Result.Failure<SynologyArchive>(message);
}
