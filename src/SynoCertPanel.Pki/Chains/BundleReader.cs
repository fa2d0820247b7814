using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Pki.Chains;

/// <summary>
/// Assembles a <see cref="CertificateBundle"/> from whatever files a person uploads: a key, a certificate
/// and a chain as separate files, or one PEM holding all of them, each PEM or DER. The key must match the
/// leaf; two different keys, or no certificate, are refused with a message.
/// </summary>
public static class BundleReader
{
    /// <summary>Key, certificate, chain, and a spare: more files than this is a mistake in the form.</summary>
    public const int MaxFiles = 8;

    public static ReadResult<CertificateBundle> Read(IReadOnlyList<BundleFile> files, string? passphrase = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            return Fail(ReadProblem.Inconsistent, "No files were given.");
        }

        if (files.Count > MaxFiles)
        {
            return Fail(ReadProblem.LimitExceeded, $"{files.Count} files were given; a bundle needs at most {MaxFiles}.");
        }

        var certificates = new List<Certificate>();
        var keys = new List<(PrivateKey Key, string File)>();
        foreach (var file in files)
        {
            var problem = ReadFile(file, passphrase, certificates, keys);
            if (problem is not null)
            {
                return problem;
            }
        }

        var distinctKeys = keys.DistinctBy(k => Convert.ToHexString(k.Key.SubjectPublicKeyInfo.Span)).ToList();
        if (distinctKeys.Count > 1)
        {
            return Fail(ReadProblem.Inconsistent,
                $"The files hold {distinctKeys.Count} different private keys ({string.Join(", ", distinctKeys.Select(k => $"in \"{Display.Literal(k.File, 40)}\""))}); a bundle has one.");
        }

        if (certificates.Count == 0)
        {
            return Fail(ReadProblem.Inconsistent, "The files hold no certificate; a private key alone is not a bundle.");
        }

        if (ExplicitCurveParameters.Problem(certificates) is { } explicitCurve)
        {
            return Fail(ReadProblem.Unsupported, explicitCurve);
        }

        var key = distinctKeys.Count == 1 ? distinctKeys[0].Key : null;
        var chain = key is null ? ChainBuilder.Build(certificates) : BuildForKey(key, certificates);
        return chain.IsSuccess
            ? ReadResult<CertificateBundle>.Success(new CertificateBundle(chain.Value.Leaf, key, chain.Value.Issuers), chain.Warnings)
            : Fail(ReadProblem.Inconsistent, chain.Error!);
    }

    private static Result<CertificateChain> BuildForKey(PrivateKey key, List<Certificate> certificates)
    {
        var matching = certificates.Where(c => c.Matches(key)).Distinct().ToList();
        return matching.Count switch
        {
            0 => Result.Failure<CertificateChain>(
                $"The private key ({key.Algorithm.ToDisplayName()}) does not belong to any of the certificates ({string.Join(", ", certificates.Distinct().Take(4).Select(c => $"\"{Display.Literal(c.SubjectText)}\""))})."),
            1 => ChainBuilder.Build(matching[0], certificates),
            _ => Result.Failure<CertificateChain>(
                $"{matching.Count} certificates carry the same key ({string.Join(", ", matching.Take(4).Select(c => $"\"{Display.Literal(c.ToString())}\""))}); give only the one to install."),
        };
    }

    private static ReadResult<CertificateBundle>? ReadFile(BundleFile file, string? passphrase, List<Certificate> certificates,
        List<(PrivateKey Key, string File)> keys)
    {
        var name = Display.Literal(file.Name, 40);
        var data = file.Data.Span;
        if (data.IsEmpty)
        {
            return Fail(ReadProblem.Damaged, $"\"{name}\" is empty.");
        }

        if (!PemReader.LooksLikePem(data))
        {
            return ReadDerFile(file, passphrase, certificates, keys);
        }

        var blocks = PemReader.ReadAll(data);
        if (!blocks.IsSuccess)
        {
            return Fail(ReadProblem.Damaged, $"\"{name}\": {blocks.Error}");
        }

        var hasCertificates = blocks.Value.Any(b => b.Label is Pem.CertificateLabel or "X509 CERTIFICATE" or "TRUSTED CERTIFICATE" or Pem.Pkcs7Label);
        var hasKeys = blocks.Value.Any(b => PrivateKeyReader.IsPrivateKeyLabel(b.Label));
        if (!hasCertificates && !hasKeys)
        {
            return Fail(ReadProblem.Damaged, $"\"{name}\" holds neither a certificate nor a private key.");
        }

        if (hasKeys)
        {
            var key = PrivateKeyReader.ReadPem(blocks.Value, passphrase);
            if (!key.IsSuccess)
            {
                return Fail(key.Problem, $"\"{name}\": {key.Error}");
            }

            keys.Add((key.Value, file.Name));
        }

        if (hasCertificates)
        {
            var read = CertificateReader.ReadPem(blocks.Value);
            if (!read.IsSuccess)
            {
                return Fail(ReadProblem.Damaged, $"\"{name}\": {read.Error}");
            }

            certificates.AddRange(read.Value);
        }

        return null;
    }

    private static ReadResult<CertificateBundle>? ReadDerFile(BundleFile file, string? passphrase, List<Certificate> certificates,
        List<(PrivateKey Key, string File)> keys)
    {
        var certificate = Certificate.FromDer(file.Data.Span);
        if (certificate.IsSuccess)
        {
            certificates.Add(certificate.Value);
            return null;
        }

        var key = PrivateKeyReader.ReadDer(file.Data.Span, passphrase);
        if (key.IsSuccess)
        {
            keys.Add((key.Value, file.Name));
            return null;
        }

        var message = key.Problem == ReadProblem.Damaged
            ? $"\"{Display.Literal(file.Name, 40)}\" is neither PEM nor a DER certificate or private key."
            : $"\"{Display.Literal(file.Name, 40)}\": {key.Error}";
        return Fail(key.Problem, message);
    }

    private static ReadResult<CertificateBundle> Fail(ReadProblem problem, string message) => ReadResult<CertificateBundle>.Failure(problem, message);
}
