namespace SynoCertPanel.Pki.Formats.Containers;

/// <summary>
/// Refuses entry names that could point outside a folder if anyone ever extracted the archive ("zip slip"),
/// even though this panel reads entries only in memory: such a name is a sign of a crafted file.
/// </summary>
internal static class ZipEntryNames
{
    public const int MaxNameLength = 255;

    public static string? Problem(string name)
    {
        if (name.Length == 0 || name.Length > MaxNameLength)
        {
            return "The zip archive holds an entry with an empty or overlong name.";
        }

        var shown = Display.Literal(name);
        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return $"The zip entry name {shown} contains a backslash; zip names use '/' only.";
        }

        if (name.StartsWith('/') || (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0])))
        {
            return $"The zip entry name {shown} is an absolute path.";
        }

        if (name.Split('/').Any(segment => segment == ".."))
        {
            return $"The zip entry name {shown} climbs out of the archive's folder (\"..\").";
        }

        return name.Any(char.IsControl) ? $"The zip entry name {shown} contains control characters." : null;
    }
}
