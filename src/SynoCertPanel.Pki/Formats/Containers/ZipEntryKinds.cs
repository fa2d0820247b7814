using System.IO.Compression;

namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>
/// Refuses entries that are not plain files or folders. A zip made on Unix keeps each entry's st_mode in the upper
/// 16 bits of its external attributes (Info-ZIP's convention); a symbolic link stores its target as the entry's
/// data, so read as a file it would pass for a certificate the archive does not hold. Devices, FIFOs and sockets
/// have no place in a certificate export either. Whatever made such an archive, it is not a DSM export.
/// </summary>
internal static class ZipEntryKinds
{
    private const int FileTypeMask = 0xF000;

    private static readonly Dictionary<int, string> Refused = new()
    {
        [0xA000] = "a symbolic link",
        [0x2000] = "a character device",
        [0x6000] = "a block device",
        [0x1000] = "a named pipe (FIFO)",
        [0xC000] = "a socket",
    };

    public static string? Problem(ZipArchiveEntry entry)
    {
        // Zero (Windows and most tools leave the upper bits empty), 0x8000 (regular file) and 0x4000 (folder) are fine.
        var type = (int)((uint)entry.ExternalAttributes >> 16) & FileTypeMask;
        if (type is 0 or 0x8000 or 0x4000)
        {
            return null;
        }

        var kind = Refused.GetValueOrDefault(type, $"a special file (type 0x{type:X4})");
        return $"The zip entry \"{Display.Literal(entry.FullName)}\" is {kind}, not a file; an archive holding one is refused as a whole, as certificate exports hold plain files only.";
    }
}
