namespace SynoCertPanel.Web.Trust;

public enum ClientPlatform
{
    MacOs,
    Ios,
    Windows,
    Android,
    Linux,
    Firefox,
}

/// <summary>Which install steps to show first, guessed from the User-Agent (a hint only: nothing depends on it).</summary>
public static class ClientPlatforms
{
    public static readonly IReadOnlyList<ClientPlatform> All = Enum.GetValues<ClientPlatform>();

    /// <summary>The visitor's OS first, Firefox next when that is the browser (it keeps its own store), then the rest.</summary>
    public static IReadOnlyList<ClientPlatform> InOrderFor(string? userAgent)
    {
        var first = ForDevice(userAgent);
        return [.. first, .. All.Except(first)];
    }

    /// <summary>The platforms whose steps this visitor needs: the OS, and Firefox when that is the browser.</summary>
    public static IReadOnlyList<ClientPlatform> ForDevice(string? userAgent)
    {
        var first = new List<ClientPlatform>();
        if (Detect(userAgent) is { } platform)
        {
            first.Add(platform);
        }

        if (userAgent?.Contains("Firefox/", StringComparison.Ordinal) == true)
        {
            first.Add(ClientPlatform.Firefox);
        }

        return first;
    }

    public static ClientPlatform? Detect(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent))
        {
            return null;
        }

        bool Has(string token) => userAgent.Contains(token, StringComparison.OrdinalIgnoreCase);

        // Order matters: Android agents also say "Linux", iOS agents also say "like Mac OS X".
        // iPadOS 13+ Safari presents itself as a Mac; the iOS steps follow the macOS ones on the page.
        if (Has("iPhone") || Has("iPad") || Has("iPod"))
        {
            return ClientPlatform.Ios;
        }

        if (Has("Android"))
        {
            return ClientPlatform.Android;
        }

        if (Has("Windows"))
        {
            return ClientPlatform.Windows;
        }

        if (Has("Macintosh") || Has("Mac OS X"))
        {
            return ClientPlatform.MacOs;
        }

        return Has("Linux") || Has("X11") ? ClientPlatform.Linux : null;
    }
}
