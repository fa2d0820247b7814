using System.Globalization;

namespace SynoCertPanel.Web.Cli.Remote;

/// <summary>The remote options, checked: an https:// panel address, a token file, how to trust the server, a timeout.</summary>
internal sealed record RemoteSettings(Uri Server, string TokenFile, string? CaCertificateFile, string? Fingerprint, TimeSpan Timeout)
{
    public static Result<RemoteSettings> Parse(string server, string? tokenFile, string? caCertificateFile, string? fingerprint, int? timeoutSeconds)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
        {
            return Fail($"--server takes the panel's https:// address, such as https://nas.home.arpa:8443; \"{Display.Literal(server, 100)}\" was given.");
        }

        if (uri.Scheme == "http")
        {
            return Fail("--server must be an https:// address: over http:// the token would cross the network in clear.");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return Fail($"--server takes the panel's address alone (https://HOST:PORT), without a path, query or user; \"{Display.Literal(server, 100)}\" was given.");
        }

        if (string.IsNullOrWhiteSpace(tokenFile))
        {
            return Fail("--server needs --token-file FILE: a file holding an API token (make one on the panel's Settings page, or with `token create` there).");
        }

        if (caCertificateFile is not null && fingerprint is not null)
        {
            return Fail("Give --cacert or --fingerprint, not both: each alone says which server to trust.");
        }

        var pin = fingerprint is null ? null : NormalizeFingerprint(fingerprint);
        if (fingerprint is not null && pin is null)
        {
            return Fail($"--fingerprint takes a SHA-256 fingerprint as the trust page shows it (32 pairs of hex digits, colons optional); \"{Display.Literal(fingerprint, 100)}\" was given.");
        }

        if (timeoutSeconds is < 1 or > RemoteCli.MaxTimeoutSeconds)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"--timeout must be a whole number of seconds from 1 to {RemoteCli.MaxTimeoutSeconds}."));
        }

        return Result.Success(new RemoteSettings(new Uri(uri.GetLeftPart(UriPartial.Authority)), tokenFile, caCertificateFile, pin,
            TimeSpan.FromSeconds(timeoutSeconds ?? RemoteCli.DefaultTimeoutSeconds)));
    }

    /// <summary>Upper-case hex without separators, or null when it is not 64 hex digits (colons, spaces and a "SHA256:" label allowed).</summary>
    public static string? NormalizeFingerprint(string text)
    {
        var trimmed = text.Trim();
        foreach (var label in new[] { "sha256:", "sha-256:", "sha256 fingerprint=" })
        {
            if (trimmed.StartsWith(label, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[label.Length..];
            }
        }

        var hex = new string([.. trimmed.Where(c => c is not (':' or ' '))]).ToUpperInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    private static Result<RemoteSettings> Fail(string message) => Result.Failure<RemoteSettings>(message);
}
