using System.Globalization;

namespace SynoCertPanel.Web.Cli;

/// <summary>
/// Where an unexpected exception's details go: stderr gets one line, the stack trace goes to
/// synocertpanel-cli.log in the data directory (or the temp folder when the data directory is the problem).
/// </summary>
internal static class CliFailureLog
{
    public const string FileName = "synocertpanel-cli.log";

    /// <summary>Appends the exception and returns the file it went to, or null when no file could be written.</summary>
    public static string? Write(string dataDirectory, Exception exception, IReadOnlyList<string> args, DateTimeOffset at)
    {
        var entry = string.Create(CultureInfo.InvariantCulture, $"{at:O} synocertpanel {string.Join(' ', args)}\n{exception}\n\n");
        foreach (var folder in new[] { dataDirectory, Path.GetTempPath() })
        {
            try
            {
                var path = Path.GetFullPath(Path.Combine(folder, FileName));
                File.AppendAllText(path, entry);
                return path;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                // Try the next place; the one-line message on stderr still tells the person what went wrong.
            }
        }

        return null;
    }
}
