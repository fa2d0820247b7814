using System.Globalization;
using System.Text;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// The one rule for the names of files the panel hands out (Authorities, /trust, wizards, exports, the command
/// line): made from the name a person typed, kept to ASCII letters, digits, '.', '_' and '-', so it is safe in a
/// Content-Disposition header, a shell word, an NSS nickname and every file system. Accents are dropped rather than
/// the whole letter ("Büro" → "Buro"); other characters become one '_'.
/// </summary>
public static class DownloadFileName
{
    public const int MaxLength = 64;

    /// <summary>The base name (no extension); <paramref name="fallback"/> when nothing safe is left of the text.</summary>
    public static string Base(string? text, string fallback = "certificate")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fallback);
        var builder = new StringBuilder(MaxLength);
        foreach (var c in (text ?? string.Empty).Normalize(NormalizationForm.FormD))
        {
            if (builder.Length == MaxLength)
            {
                break;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var safe = char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_';
            if (safe == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }

            builder.Append(safe);
        }

        // No leading dot (a hidden file, or ".." as a path part) and no dangling separators.
        var name = builder.ToString().Trim('.', '_', '-');
        return name.Length > 0 ? name : fallback;
    }

    /// <summary>The base name and an extension such as ".crt".</summary>
    public static string For(string? text, string extension, string fallback = "certificate") => Base(text, fallback) + extension;
}
