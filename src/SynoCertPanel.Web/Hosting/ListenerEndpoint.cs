using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SynoCertPanel.Web.Hosting;

/// <summary>Where this process's HTTPS listener actually listens (the port is known only after binding when 0 was asked).</summary>
public sealed class ListenerEndpoint(IServer server, ListenerRebinder rebinder)
{
    /// <summary>
    /// An HTTPS endpoint of the current binding. After a move Kestrel keeps listing the old endpoints until their
    /// connections have drained (up to 5 s), though their sockets accept nothing any more, so "the first HTTPS
    /// address" may be one that refuses: only an address of the binding the rebinder confirmed counts.
    /// </summary>
    public Result<IPEndPoint> Resolve()
    {
        var current = rebinder.Current;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var https = addresses.Select(a => new Uri(a))
            .Where(u => u.Scheme == Uri.UriSchemeHttps && (current.HttpsPort == 0 || u.Port == current.HttpsPort))
            .Select(u => IPAddress.TryParse(u.Host.Trim('[', ']'), out var ip) ? new IPEndPoint(ip, u.Port) : null)
            .FirstOrDefault(e => e is not null && current.Addresses.Contains(e.Address));
        if (https is null)
        {
            return Result.Failure<IPEndPoint>("the HTTPS listener is not running");
        }

        // A wildcard bind is reached through loopback, the one address it always includes.
        var address = https.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : https.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : https.Address;
        return Result.Success(new IPEndPoint(address, https.Port));
    }
}
