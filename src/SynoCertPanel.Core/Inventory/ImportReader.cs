using System.Text;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Chains;
using SynoCertPanel.Pki.Formats;
using SynoCertPanel.Pki.Formats.Containers;
using SynoCertPanel.Pki.Keys;

namespace SynoCertPanel.Core.Inventory;

/// <summary>What an upload held once read: the leaf, its key when the files carried one, its issuers, and a CA key (Synology zip only).</summary>
internal sealed record ImportBundle(Certificate Leaf, PrivateKey? Key, IReadOnlyList<Certificate> Chain, PrivateKey? CaKey);

/// <summary>
/// Turns uploaded files into an <see cref="ImportBundle"/>. The format is recognised from the bytes, never from
/// the file name: people rename .pfx to .p12, .crt to .pem, and browsers save anything as .txt.
/// </summary>
internal static class ImportReader
{
    public static ReadResult<ImportBundle> Read(IReadOnlyList<BundleFile> files, string? password)
    {
        if (files.Count == 0)
        {
            return Fail(ReadProblem.Inconsistent, "No file was given.");
        }

        foreach (var file in files)
        {
            if (file.Data.Length > ImportService.MaxFileBytes)
            {
                return Fail(ReadProblem.LimitExceeded,
                    $"\"{Display.Literal(file.Name, 40)}\" is {file.Data.Length / 1024} KiB; certificate files are far smaller (at most {ImportService.MaxFileBytes / 1024} KiB accepted).");
            }
        }

        var containers = files.Where(f => ImportFormats.Detect(f.Data.Span) is ImportFormat.SynologyZip or ImportFormat.Pkcs12).ToList();
        if (containers.Count > 0 && files.Count > 1)
        {
            return Fail(ReadProblem.Inconsistent,
                $"\"{Display.Literal(containers[0].Name, 40)}\" is a PKCS#12 file or a zip archive: it carries the key and chain itself, so give it alone.");
        }

        var first = files[0];
        return ImportFormats.Detect(first.Data.Span) switch
        {
            ImportFormat.SynologyZip => ReadZip(first),
            ImportFormat.Pkcs12 => ReadPkcs12(first, password),
            _ => ReadLoose(files, password),
        };
    }

    private static ReadResult<ImportBundle> ReadZip(BundleFile file)
    {
        var archive = SynologyArchiveReader.Read(file.Data.Span);
        if (!archive.IsSuccess)
        {
            return Fail(ReadProblem.Damaged, $"\"{Display.Literal(file.Name, 40)}\": {archive.Error}");
        }

        return archive.Value switch
        {
            SynologyCertificateArchive c => Chain(c.Leaf, c.Key, c.Chain, c.CaKey, archive.Warnings),
            _ => Fail(ReadProblem.Inconsistent,
                $"\"{Display.Literal(file.Name, 40)}\" holds a certificate signing request (server.csr and server.key), not a certificate. Have it signed, then import the certificate."),
        };
    }

    private static ReadResult<ImportBundle> ReadPkcs12(BundleFile file, string? password)
    {
        var contents = Pkcs12Reader.Read(file.Data.Span, password);
        if (!contents.IsSuccess)
        {
            var problem = contents.Error switch
            {
                Pkcs12Reader.PasswordRequiredMessage => ReadProblem.PassphraseRequired,
                Pkcs12Reader.WrongPasswordMessage => ReadProblem.WrongPassphrase,
                _ => ReadProblem.Damaged,
            };
            return Fail(problem, $"\"{Display.Literal(file.Name, 40)}\": {contents.Error}");
        }

        return Chain(contents.Value.Leaf, contents.Value.Key, contents.Value.Chain, null, contents.Warnings);
    }

    /// <summary>PEM and DER files in any mix; a PKCS#7 file is opened into its certificates first.</summary>
    private static ReadResult<ImportBundle> ReadLoose(IReadOnlyList<BundleFile> files, string? password)
    {
        var opened = new List<BundleFile>(files.Count);
        foreach (var file in files)
        {
            if (ImportFormats.Detect(file.Data.Span) != ImportFormat.Pkcs7)
            {
                opened.Add(file);
                continue;
            }

            var certificates = Pkcs7Reader.ReadCertificates(file.Data.Span);
            if (!certificates.IsSuccess)
            {
                return Fail(ReadProblem.Damaged, $"\"{Display.Literal(file.Name, 40)}\": {certificates.Error}");
            }

            opened.Add(new BundleFile(file.Name, Encoding.ASCII.GetBytes(ChainPem.Write(certificates.Value))));
        }

        var bundle = BundleReader.Read(opened, password);
        return bundle.IsSuccess
            ? ReadResult<ImportBundle>.Success(new ImportBundle(bundle.Value.Leaf, bundle.Value.Key, bundle.Value.Chain, null), bundle.Warnings)
            : bundle.FailAs<ImportBundle>();
    }

    /// <summary>Containers list their certificates in any order; the chain is rebuilt and checked like loose files.</summary>
    private static ReadResult<ImportBundle> Chain(Certificate leaf, PrivateKey key, IReadOnlyList<Certificate> others, PrivateKey? caKey,
        IReadOnlyList<string> warnings)
    {
        var chain = ChainBuilder.Build(leaf, others);
        return chain.IsSuccess
            ? ReadResult<ImportBundle>.Success(new ImportBundle(leaf, key, chain.Value.Issuers, caKey), [.. warnings, .. chain.Warnings])
            : Fail(ReadProblem.Inconsistent, chain.Error!);
    }

    private static ReadResult<ImportBundle> Fail(ReadProblem problem, string message) => ReadResult<ImportBundle>.Failure(problem, message);
}
