using System.Text.Json;
using System.Text.Json.Serialization;

namespace SynoCertPanel.Core.Backup;

/// <summary>One file of the data directory inside a backup, with the hash restore checks it against.</summary>
public sealed record BackupFileEntry(string Name, long Length, string Sha256);

/// <summary>What a backup holds and where it came from; stored as manifest.json inside the encrypted package.</summary>
public sealed record BackupManifest(int FormatVersion, DateTimeOffset CreatedAt, string PanelVersion, IReadOnlyList<BackupFileEntry> Files)
{
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Null when the bytes are not a manifest (the caller words the message).</summary>
    public static BackupManifest? FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<BackupManifest>(json, Json) is { Files: not null, PanelVersion: not null } manifest ? manifest : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
