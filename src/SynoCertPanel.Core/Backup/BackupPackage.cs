using System.IO.Compression;
using System.Security.Cryptography;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Backup;

/// <summary>
/// The plaintext inside a backup: a zip of manifest.json plus the data directory's files. Only the names
/// a data directory holds are accepted on the way out, so an archive entry can never name a path elsewhere.
/// </summary>
public static class BackupPackage
{
    public const string ManifestName = "manifest.json";

    /// <summary>The files a data directory needs; anything else in a package is refused.</summary>
    public static readonly IReadOnlyList<string> DataFileNames = [DataDirectory.DatabaseFileName, DataDirectory.KeyEncryptionKeyFileName];

    /// <summary>Zip bomb guard: no entry may expand past the largest backup file allowed.</summary>
    private const long MaxEntryBytes = BackupEnvelope.MaxFileBytes;

    public static byte[] Pack(BackupManifest manifest, IReadOnlyDictionary<string, byte[]> files)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(files);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, ManifestName, manifest.ToJson());
            foreach (var (name, content) in files)
            {
                Add(zip, name, content);
            }
        }

        return buffer.ToArray();
    }

    public static BackupFileEntry Describe(string name, byte[] content) =>
        new(name, content.Length, Convert.ToHexString(SHA256.HashData(content)));

    /// <summary>Reads the package and checks every file against the manifest: names, lengths and SHA-256.</summary>
    public static Result<(BackupManifest Manifest, IReadOnlyDictionary<string, byte[]> Files)> Unpack(byte[] package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var entries = ReadEntries(package);
        if (!entries.IsSuccess)
        {
            return Result.Failure<(BackupManifest, IReadOnlyDictionary<string, byte[]>)>(entries.Error!);
        }

        var files = entries.Value;
        var manifest = files.TryGetValue(ManifestName, out var json) ? BackupManifest.FromJson(json) : null;
        if (manifest is null)
        {
            return Fail("The backup has no readable manifest; it is damaged or was not made by this panel.");
        }

        if (manifest.FormatVersion != BackupManifest.CurrentFormatVersion)
        {
            return Fail($"The backup's manifest has format version {manifest.FormatVersion}; this panel reads version {BackupManifest.CurrentFormatVersion}.");
        }

        files.Remove(ManifestName);
        var listed = manifest.Files.Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        if (!listed.SequenceEqual(DataFileNames.Order(StringComparer.Ordinal)) || !files.Keys.Order(StringComparer.Ordinal).SequenceEqual(listed))
        {
            return Fail($"The backup must hold exactly {string.Join(" and ", DataFileNames)} as its manifest lists them; it holds {string.Join(", ", files.Keys)}.");
        }

        foreach (var entry in manifest.Files)
        {
            var actual = Describe(entry.Name, files[entry.Name]);
            if (actual.Length != entry.Length || !string.Equals(actual.Sha256, entry.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return Fail($"{entry.Name} in the backup does not match the hash in its manifest; the backup is damaged.");
            }
        }

        return Result.Success<(BackupManifest, IReadOnlyDictionary<string, byte[]>)>((manifest, files));
    }

    private static Result<Dictionary<string, byte[]>> ReadEntries(byte[] package)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var zip = new ZipArchive(new MemoryStream(package, writable: false), ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName != ManifestName && !DataFileNames.Contains(entry.FullName))
                {
                    return Result.Failure<Dictionary<string, byte[]>>($"The backup holds an unexpected entry \"{Display.Literal(entry.FullName, 100)}\"; it was not made by this panel.");
                }

                if (entry.Length > MaxEntryBytes || files.ContainsKey(entry.FullName))
                {
                    return Result.Failure<Dictionary<string, byte[]>>($"The backup's entry {entry.FullName} is oversized or repeated; the backup is damaged.");
                }

                using var content = new MemoryStream();
                using (var stream = entry.Open())
                {
                    stream.CopyTo(content);
                }

                files[entry.FullName] = content.ToArray();
            }
        }
        catch (InvalidDataException e)
        {
            return Result.Failure<Dictionary<string, byte[]>>($"The backup's content is not a readable archive ({e.Message}).");
        }

        return Result.Success(files);
    }

    private static Result<(BackupManifest, IReadOnlyDictionary<string, byte[]>)> Fail(string error) =>
        Result.Failure<(BackupManifest, IReadOnlyDictionary<string, byte[]>)>(error);

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(content);
    }
}
