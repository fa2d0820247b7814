using System.Text;
using Microsoft.Net.Http.Headers;

namespace SynoCertPanel.Web.Protection;

/// <summary>
/// File names for downloads built from certificate names, which come from uploaded files: no path parts,
/// quotes, control characters or header injection, a length a file system accepts, an ASCII fallback for
/// old clients and the UTF-8 name for the rest (RFC 6266).
/// </summary>
public static class SafeFileName
{
    public const int MaxLength = 100;

    private static readonly HashSet<string> WindowsReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    public static string Sanitize(string? name, string fallback = "download")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fallback);
        var builder = new StringBuilder();
        foreach (var c in (name ?? string.Empty).Normalize(NormalizationForm.FormC))
        {
            builder.Append(char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or ' ' or '(' or ')' or '+' ? c : '_');
        }

        var safe = builder.ToString().Trim(' ', '.', '_');
        if (safe.Length > MaxLength)
        {
            var extension = Path.GetExtension(safe);
            extension = extension.Length is > 0 and <= 10 ? extension : string.Empty;
            safe = safe[..(MaxLength - extension.Length)].TrimEnd(' ', '.') + extension;
        }

        if (safe.Length == 0)
        {
            return fallback;
        }

        return WindowsReservedNames.Contains(Path.GetFileNameWithoutExtension(safe)) ? "_" + safe : safe;
    }

    /// <summary>The whole header value: <c>attachment; filename=...; filename*=UTF-8''...</c>.</summary>
    public static string ContentDisposition(string? name, string fallback = "download")
    {
        var header = new ContentDispositionHeaderValue("attachment");
        header.SetHttpFileName(Sanitize(name, fallback));
        return header.ToString();
    }
}
