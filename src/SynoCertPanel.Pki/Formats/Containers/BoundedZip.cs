using System.IO.Compression;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>One file taken out of a zip, in memory.</summary>
internal sealed record ZipFileEntry(string FullName, string FileName, byte[] Data);

/// <summary>
/// Reads the files of a small zip into memory, never to disk. Sizes are measured on the bytes actually
/// inflated, through a capped read: the sizes a zip's headers declare are the attacker's to choose.
/// </summary>
internal static class BoundedZip
{
    public const int MaxArchiveBytes = 1024 * 1024;

    public const int MaxEntries = 16;

    public const int MaxEntryBytes = 256 * 1024;

    public const int MaxTotalBytes = 1024 * 1024;

    public static Result<IReadOnlyList<ZipFileEntry>> ReadFiles(ReadOnlySpan<byte> zip)
    {
        if (zip.Length == 0)
        {
            return Fail("The zip file is empty.");
        }

        if (zip.Length > MaxArchiveBytes)
        {
            return Fail($"The zip file is {zip.Length / 1024} KiB; a certificate archive is far smaller (at most {MaxArchiveBytes / 1024} KiB accepted).");
        }

        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip.ToArray(), writable: false), ZipArchiveMode.Read);
            return ReadAll(archive);
        }
        catch (InvalidDataException)
        {
            return Fail("The file is damaged, truncated or is not a zip archive.");
        }
        catch (NotSupportedException)
        {
            return Fail("The zip archive uses a compression method that is not supported (only stored and deflate).");
        }
        catch (IOException)
        {
            return Fail("The zip archive cannot be read: it is damaged or truncated.");
        }
    }

    private static Result<IReadOnlyList<ZipFileEntry>> ReadAll(ZipArchive archive)
    {
        if (archive.Entries.Count > MaxEntries)
        {
            return Fail($"The zip archive holds {archive.Entries.Count} entries; a certificate archive has at most {MaxEntries}.");
        }

        // Every entry is checked before any is read: one crafted entry makes the whole archive suspect.
        var crafted = archive.Entries.Select(e => ZipEntryNames.Problem(e.FullName) ?? ZipEntryKinds.Problem(e)).FirstOrDefault(p => p is not null);
        if (crafted is not null)
        {
            return Fail(crafted);
        }

        var files = new List<ZipFileEntry>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        foreach (var entry in archive.Entries)
        {
            if (entry.FullName.EndsWith('/'))
            {
                continue;
            }

            if (entry.IsEncrypted)
            {
                return Fail($"The zip entry {Display.Literal(entry.FullName)} is encrypted; export the archive without a zip password.");
            }

            if (!seen.Add(entry.Name))
            {
                return Fail($"The zip archive holds {Display.Literal(entry.Name)} more than once.");
            }

            var data = ReadCapped(entry, Math.Min(MaxEntryBytes, MaxTotalBytes - total));
            if (data is null)
            {
                return Fail($"The zip entry {Display.Literal(entry.FullName)} inflates to more than {MaxEntryBytes / 1024} KiB (or the archive to more than {MaxTotalBytes / 1024} KiB); certificate files are a few KiB.");
            }

            total += data.Length;
            files.Add(new ZipFileEntry(entry.FullName, entry.Name, data));
        }

        return files.Count == 0 ? Fail("The zip archive holds no files.") : Result.Success<IReadOnlyList<ZipFileEntry>>(files);
    }

    /// <summary>The entry's inflated bytes, or null as soon as they pass <paramref name="limit"/>.</summary>
    private static byte[]? ReadCapped(ZipArchiveEntry entry, long limit)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static Result<IReadOnlyList<ZipFileEntry>> Fail(string message) => Result.Failure<IReadOnlyList<ZipFileEntry>>(message);
}
