using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SynoCertPanel.Web.Hosting;

/// <summary>Where this process's HTTPS listener actually listens (the port is known only after binding when 0 was asked).</summary>
public sealed class ListenerEndpoint(IServer server)
{
    public Result<IPEndPoint> Resolve()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var https = addresses.Select(a => new Uri(a)).FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttps);
        if (https is null || !IPAddress.TryParse(https.Host.Trim('[', ']'), out var address))
        {
            return Result.Failure<IPEndPoint>("the HTTPS listener is not running");
        }

        // A wildcard bind is reached through loopback, the one address it always includes.
        address = address.Equals(IPAddress.Any) ? IPAddress.Loopback : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address;
        return Result.Success(new IPEndPoint(address, https.Port));
    }
}
