using System.Text.RegularExpressions;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Alerts;

/// <summary>What an alert channel may be given, as small checks each returning a sentence for the operator.</summary>
public static partial class AlertRules
{
    public const int MaxNameLength = 64;

    /// <summary>Nothing a channel option holds (a URL, a token, a list of addresses) needs more.</summary>
    public const int MaxOptionLength = 2048;

    public static Result<string> Name(string? name)
    {
        var text = (name ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            return Result.Failure<string>("Give the alert channel a name (for example phone or admin-mail).");
        }

        return text.Length > MaxNameLength || !NamePattern().IsMatch(text)
            ? Result.Failure<string>(
                $"The alert channel name \"{Display.Literal(text, MaxNameLength)}\" is not allowed: use up to {MaxNameLength} letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.")
            : Result.Success(text);
    }

    /// <summary>An http(s) URL without an account in it (secrets go in their own sealed option) and without a fragment.</summary>
    public static string? HttpUrl(string value, string what)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.Host.Length == 0)
        {
            return $"The {what} \"{Display.Literal(value, 100)}\" is not an http:// or https:// URL.";
        }

        if (url.UserInfo.Length > 0)
        {
            return $"Put no account or password in the {what}; give the token as a secret from a file instead.";
        }

        return url.Fragment.Length > 0 ? $"The {what} must not have a #fragment." : null;
    }

    /// <summary>A server's base URL: as <see cref="HttpUrl"/>, and no query (paths are added to it).</summary>
    public static string? ServerUrl(string value, string what) =>
        HttpUrl(value, what) ?? (new Uri(value).Query.Length > 0 ? $"The {what} must not have a ?query; give the server's address only." : null);

    public static DeliveryOption TlsFingerprint() => new(
        "tls-fingerprint",
        "Server's TLS fingerprint",
        "SHA-256 of the server's HTTPS certificate, to trust exactly that one (a self-signed or home-CA server); without it the system's trust decides.",
        Validate: v => Fingerprint(v) is null ? "The TLS fingerprint must be 64 hexadecimal digits (colons allowed)." : null);

    /// <summary>The fingerprint as 64 upper-case hex digits, or null when it is not one.</summary>
    public static string? Fingerprint(string text)
    {
        var hex = text.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 ._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
