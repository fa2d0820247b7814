using System.Globalization;
using System.Text;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Formats;

namespace SynoCertPanel.Core.Boxes;

/// <summary>
/// The settings and checks every HTTPS delivery method shares: the box's address, and how its own TLS certificate is
/// trusted. A box's web interface almost always shows a self-signed certificate, so the operator either pins the one
/// seen on first contact (like SSH's known_hosts) or names the home CA it chains to; accepting any certificate is not
/// offered, because the next call sends a password or an API token.
/// </summary>
public static class BoxTls
{
    public const string UrlOption = "url";
    public const string FingerprintOption = "tls-fingerprint";
    public const string TrustOption = "trust";
    public const string CaPemOption = "ca-pem";
    public const string PinTrust = "pin";
    public const string HomeCaTrust = "home-ca";

    /// <summary>A fingerprint list holds the box's own and the ones delivered since, so a restart onto a delivered certificate stays trusted.</summary>
    public const int MaxPins = 3;

    /// <summary>The trust options, in the order the page shows them after a method's own.</summary>
    public static IReadOnlyList<DeliveryOption> TrustOptions { get; } =
    [
        new(TrustOption, "TLS trust",
            "How the box's own TLS certificate is trusted: pin (the certificate seen on first contact, by its SHA-256 fingerprint) or home-ca (it must chain to the CA given as ca-pem and name the URL's host).",
            Default: PinTrust, Validate: ValidateTrust),
        new(FingerprintOption, "Pinned TLS fingerprint",
            "SHA-256 fingerprint of the box's own TLS certificate (AA:BB:…), learned on first contact; compare it with the one the box shows, and clear it after replacing that certificate by hand.",
            Validate: ValidateFingerprints),
        new(CaPemOption, "Home CA (PEM)",
            "With trust home-ca: the CA certificate (PEM) the box's TLS certificate must chain to.",
            Validate: ValidateCaPem),
    ];

    /// <summary>The URL option of a method: <paramref name="example"/> shows the box's usual address and port.</summary>
    public static DeliveryOption UrlOptionFor(string label, string help, string example) =>
        new(UrlOption, label, help, Required: true, Validate: v => ValidateUrl(v, example));

    /// <summary>An https:// address with a host and optionally a port; no user name or password, path, query or fragment.</summary>
    public static string? ValidateUrl(string value, string example)
    {
        var text = value.Trim();
        var shown = Display.Literal(text, 100);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown)
        {
            return $"\"{shown}\" is not an address the panel can call; write it as {example}.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"\"{shown}\" does not start with https://: the password or token must not cross the network in clear. Write it as {example}.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return $"The address holds a user name or password before the host; give only {example} and the account in its own field.";
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || text.Contains('?', StringComparison.Ordinal) || text.Contains('#', StringComparison.Ordinal))
        {
            return $"\"{shown}\" has a path, query or fragment; give only the scheme, host and port, as {example}.";
        }

        if (uri.HostNameType == UriHostNameType.Dns && !BoxRules.Address(uri.IdnHost).IsSuccess)
        {
            return $"\"{shown}\" does not name a host the panel can reach; write it as {example}.";
        }

        return null;
    }

    public static string? ValidateTrust(string value) =>
        value.Trim() is PinTrust or HomeCaTrust ? null : $"Trust is {PinTrust} (the certificate seen on first contact) or {HomeCaTrust} (the CA given as {CaPemOption}), not \"{Display.Literal(value, 40)}\".";

    public static string? ValidateFingerprints(string value)
    {
        var pins = Fingerprints(value);
        return pins is null || pins.Count is 0 or > MaxPins
            ? $"A pinned TLS fingerprint is the certificate's SHA-256 in hex (64 digits, colons allowed, at most {MaxPins} separated by commas); \"{Display.Literal(value, 120)}\" is not."
            : null;
    }

    public static string? ValidateCaPem(string value)
    {
        var read = CertificateReader.ReadAll(Encoding.UTF8.GetBytes(value));
        if (!read.IsSuccess || read.Value.Count == 0)
        {
            return $"The home CA must be one or more certificates in PEM (-----BEGIN CERTIFICATE-----): {read.Error ?? "none was found"}";
        }

        return read.Value.Any(c => c.IsCertificateAuthority)
            ? null
            : "The home CA given is not a CA certificate (its basic constraints do not say CA); give the root or intermediate that signed the box's certificate.";
    }

    /// <summary>Fingerprints in upper-case hex, or null when one of them is not a SHA-256 fingerprint.</summary>
    public static IReadOnlyList<string>? Fingerprints(string? value)
    {
        var pins = new List<string>();
        foreach (var entry in (value ?? string.Empty).Split([',', ' ', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var hex = entry.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
            if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            {
                return null;
            }

            if (!pins.Contains(hex))
            {
                pins.Add(hex);
            }
        }

        return pins;
    }

    /// <summary>A fingerprint as boxes and browsers show it: AA:BB:….</summary>
    public static string Show(string hex) =>
        string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));

    public static string ShowAll(IEnumerable<string> hexes) => string.Join(", ", hexes.Select(Show));

    /// <summary>The URL's host and port as a person writes it (nas.home.arpa:5001).</summary>
    public static string HostAndPort(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return string.Create(CultureInfo.InvariantCulture, $"{url.Host}:{url.Port}");
    }
}
