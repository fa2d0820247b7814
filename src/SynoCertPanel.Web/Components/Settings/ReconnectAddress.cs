using System.Net;
using SynoCertPanel.Web.Hosting;

namespace SynoCertPanel.Web.Components.Settings;

/// <summary>Where the browser finds the panel after the listener moved.</summary>
public static class ReconnectAddress
{
    /// <summary>
    /// The same host name on the new HTTPS port. When the browser used an address the new binding no longer listens
    /// on (an IP literal or localhost, without a wildcard bind), the first new address instead.
    /// </summary>
    public static Uri For(Uri current, ListenerBinding next, string path = "settings")
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        var host = current.Host.Trim('[', ']');
        var wildcard = next.Addresses.Any(a => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any));
        var reachable = wildcard
            || (IPAddress.TryParse(host, out var literal) ? next.Addresses.Contains(literal)
                : !host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || next.Addresses.Any(IPAddress.IsLoopback));
        if (!reachable)
        {
            host = next.Addresses[0].ToString();
        }

        var builder = new UriBuilder(Uri.UriSchemeHttps, host, next.HttpsPort, path);
        return builder.Uri;
    }
}
