using System.Globalization;
using System.Text.RegularExpressions;

namespace SynoCertPanel.Web.Protection;

/// <summary>
/// The panel's Content-Security-Policy. Blazor Server needs its own scripts, inline style attributes (MudBlazor sets
/// them) and a WebSocket back to this panel; nothing else loads from anywhere, and no other site may frame the panel.
/// connect-src names the panel's own WebSocket origin besides 'self' (browsers before CSP 3 do not let 'self' cover
/// wss:), and nothing else: a bare <c>wss:</c> would let a script on a page open a WebSocket to any host.
/// </summary>
public static partial class PanelContentSecurityPolicy
{
    private const string BeforeConnect =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'";

    private const string AfterConnect = "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The policy for a page served to a browser that asked for <paramref name="host"/>.</summary>
    public static string For(HostString host) =>
        OwnWebSocketOrigin(host) is { } origin ? $"{BeforeConnect} {origin}{AfterConnect}" : BeforeConnect + AfterConnect;

    /// <summary>
    /// The same policy, where the page also runs inline scripts carrying <paramref name="nonce"/> (the API reference starts
    /// Scalar that way). The nonce is base64 from the server's random generator, never text from the request.
    /// </summary>
    public static string ForScriptNonce(HostString host, string nonce)
    {
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        if (!NoncePattern().IsMatch(nonce))
        {
            throw new ArgumentException("A CSP nonce is base64 or base64url text.", nameof(nonce));
        }

        return For(host).Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>wss://host[:port]</c> for the Host header, or null when it is not a plain DNS name or IPv4 address with an
    /// optional port. The header is the client's to choose, but a browser only ever names the server it talks to, so
    /// it may name the origin; what must not happen is that its text ends up as other CSP tokens (a space, ';' or a
    /// quote would start a new source or directive), hence the strict pattern rather than escaping. IPv6 literals and
    /// international names fall back to 'self' alone: CSP's host-source grammar has no brackets and no Unicode.
    /// </summary>
    public static string? OwnWebSocketOrigin(HostString host)
    {
        var match = host.HasValue ? HostPattern().Match(host.Value!) : Match.Empty;
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value.ToLowerInvariant();
        if (!match.Groups["port"].Success)
        {
            return "wss://" + name;
        }

        var port = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
        return port is > 0 and <= 65535 ? string.Create(CultureInfo.InvariantCulture, $"wss://{name}:{port}") : null;
    }

    [GeneratedRegex(@"\A[A-Za-z0-9+/_-]+={0,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NoncePattern();

    [GeneratedRegex(@"\A(?<name>[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*)(?::(?<port>[0-9]{1,5}))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();
}
