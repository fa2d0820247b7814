using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SynoCertPanel.Web.Hosting;

/// <summary>What a move of the listener did.</summary>
public sealed record ListenerMove(ListenerBinding Previous, ListenerBinding Current, TimeSpan Elapsed);

/// <summary>
/// Moves the listener to other ports or addresses inside the running process (no restart, the data directory stays
/// open): check that the new endpoints can be bound, let Kestrel bind them, confirm each with a real TLS handshake
/// that serves the current certificate, then let the old endpoints go. A new binding that shares no port with the
/// old one is bound beside it, so a failure never takes the old one down; one that reuses a port (another address
/// on the same port) must replace it, and a failure binds the old one again.
/// </summary>
public sealed class ListenerRebinder(ListenerConfiguration configuration, ListenerBindingStore store, CertificateHolder holder, IServer server,
    ListenerStart start, ILogger<ListenerRebinder> logger) : IDisposable
{
    /// <summary>Kestrel waits up to 5 s for connections on a stopped endpoint before it binds the replacement.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(8);

    public static readonly TimeSpan BindTimeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private ListenerBinding _current = start.Binding;

    public ListenerBinding Current => Volatile.Read(ref _current);

    /// <summary>The values given at start; they win over the stored binding at the next start.</summary>
    public ListenerOptionsGiven Given => start.Given;

    /// <summary>What the server listens on now, as Kestrel reports it (actual ports where 0 was asked).</summary>
    public IReadOnlyList<string> BoundAddresses => server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>The HTTPS port to send browsers to: the chosen one, or the one the system picked when 0 was asked.</summary>
    public int HttpsPort => Current.HttpsPort != 0 ? Current.HttpsPort
        : Bound().FirstOrDefault(b => b.Scheme == Uri.UriSchemeHttps)?.Endpoint.Port ?? 0;

    public async Task<Result<ListenerMove>> RebindAsync(ListenerBinding next, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        var started = Stopwatch.GetTimestamp();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = Current;
            var refused = next.HttpsPort == 0 ? "Choose an HTTPS port (1–65535)."
                : next.Equals(previous) ? $"The panel already listens there ({previous})."
                : null;
            var held = Bound();
            refused ??= Preflight(next, held);
            if (refused is not null)
            {
                return await RefuseAsync(next, actor, refused, cancellationToken).ConfigureAwait(false);
            }

            var heldPorts = held.Select(h => h.Endpoint.Port).ToHashSet();
            var replaces = Endpoints(next).Any(e => heldPorts.Contains(e.Endpoint.Port) && !held.Contains(e));
            configuration.Publish(replaces ? [next] : [previous, next]);
            var confirmed = await ConfirmAsync(next, replaces ? held.Except(Endpoints(next)).ToList() : [], cancellationToken).ConfigureAwait(false);
            if (!confirmed.IsSuccess)
            {
                return await FallBackAsync(previous, next, held, replaces, actor, confirmed.Error!, cancellationToken).ConfigureAwait(false);
            }

            Volatile.Write(ref _current, next);
            await store.SaveAsync(next, previous, actor, cancellationToken).ConfigureAwait(false);
            // The old endpoints go only now; Kestrel closes their connections gracefully (a page that asked for
            // the move still gets its answer over its own connection and then goes to the new address).
            configuration.Publish(next);
            var elapsed = Stopwatch.GetElapsedTime(started);
            ListenerLog.Rebound(logger, previous, next, actor, (long)elapsed.TotalMilliseconds);
            return Result.Success(new ListenerMove(previous, next, elapsed));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<Result<ListenerMove>> FallBackAsync(ListenerBinding previous, ListenerBinding next, IReadOnlyList<BoundEndpoint> held,
        bool replaced, string actor, string reason, CancellationToken cancellationToken)
    {
        configuration.Publish(previous);
        var restored = await ConfirmAsync(previous, Endpoints(next).Except(held).ToList(), cancellationToken).ConfigureAwait(false);
        string message;
        if (restored.IsSuccess)
        {
            ListenerLog.RebindFellBack(logger, next, reason, previous);
            message = $"The panel could not move to {next}: {reason}. "
                + (replaced ? $"It listens on the previous binding again ({previous})." : $"The previous binding ({previous}) kept answering throughout.");
        }
        else
        {
            ListenerLog.RebindLost(logger, next, reason, previous, restored.Error!);
            message = $"The panel could not move to {next} ({reason}) and could not bind {previous} again ({restored.Error}). "
                + "Restart the panel; it starts on the previous binding.";
        }

        return await RefuseAsync(next, actor, message, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Result<ListenerMove>> RefuseAsync(ListenerBinding next, string actor, string reason, CancellationToken cancellationToken)
    {
        await store.RecordRefusalAsync(next, actor, reason, cancellationToken).ConfigureAwait(false);
        return Result.Failure<ListenerMove>(reason);
    }

    /// <summary>
    /// Binds a plain socket on each endpoint whose port this panel does not hold yet, so the usual mistakes (a port in
    /// use, an address that is not this machine's, a port below 1024) are refused before anything changes. A port
    /// the panel holds cannot be tried this way: Linux refuses a second socket on it even for another address.
    /// </summary>
    private static string? Preflight(ListenerBinding next, IReadOnlyList<BoundEndpoint> held)
    {
        var heldPorts = held.Select(h => h.Endpoint.Port).ToHashSet();
        foreach (var (_, endpoint) in Endpoints(next).Where(e => !heldPorts.Contains(e.Endpoint.Port)))
        {
            var problem = TryBind(endpoint);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    public static string? TryBind(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                // As Kestrel binds "::": IPv4 too.
                socket.DualMode = true;
            }

            socket.Bind(endpoint);
            socket.Listen(1);
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => $"another program already listens on {Describe(endpoint)}",
                SocketError.AddressNotAvailable => $"{endpoint.Address} is not an address of this machine",
                SocketError.AccessDenied => $"this process may not listen on port {endpoint.Port} (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
                _ => $"{Describe(endpoint)} cannot be listened on: {e.Message}",
            };
        }
    }

    /// <summary>
    /// Waits until Kestrel has let <paramref name="leaving"/> go and reports every endpoint of <paramref name="binding"/>
    /// bound, then checks each: HTTPS must complete a TLS handshake with the certificate in the holder, HTTP must accept.
    /// </summary>
    private async Task<Result<string>> ConfirmAsync(ListenerBinding binding, IReadOnlyList<BoundEndpoint> leaving, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (leaving.Count > 0 && Bound().Intersect(leaving).Any())
        {
            if (watch.Elapsed > StopTimeout)
            {
                return Result.Failure<string>($"Kestrel did not let {string.Join(", ", leaving.Select(l => Describe(l.Endpoint)))} go within {StopTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        var wanted = Endpoints(binding);
        watch.Restart();
        while (true)
        {
            var bound = Bound();
            var missing = wanted.Where(w => !bound.Any(b => b.Scheme == w.Scheme && b.Endpoint.Address.Equals(w.Endpoint.Address)
                && (w.Endpoint.Port == 0 || b.Endpoint.Port == w.Endpoint.Port))).ToList();
            if (missing.Count == 0)
            {
                break;
            }

            if (watch.Elapsed > BindTimeout)
            {
                var problems = missing.Select(m => TryBind(m.Endpoint) ?? $"{Describe(m.Endpoint)} was not bound");
                return Result.Failure<string>(string.Join("; ", problems.Distinct()));
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        var thumbprint = holder.Current.Thumbprint;
        foreach (var (scheme, endpoint) in Bound().Where(b => binding.Addresses.Contains(b.Endpoint.Address)))
        {
            var reach = Reachable(endpoint);
            if (scheme == Uri.UriSchemeHttps)
            {
                var served = await HandshakeProbe.ServedThumbprintAsync(reach, null, BindTimeout, cancellationToken).ConfigureAwait(false);
                if (!served.IsSuccess)
                {
                    return served;
                }

                if (served.Value != thumbprint)
                {
                    return Result.Failure<string>($"{Describe(endpoint)} served SHA-256 {served.Value} instead of the panel's certificate {thumbprint}");
                }
            }
            else
            {
                using var client = new TcpClient(reach.AddressFamily);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(BindTimeout);
                try
                {
                    await client.ConnectAsync(reach, deadline.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    return Result.Failure<string>($"the HTTP redirect at {Describe(endpoint)} does not accept connections: {e.Message}");
                }
            }
        }

        return Result.Success(thumbprint);
    }

    private List<BoundEndpoint> Bound() =>
        BoundAddresses.Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) && IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip)
                ? new BoundEndpoint(uri.Scheme, new IPEndPoint(ip, uri.Port))
                : null)
            .OfType<BoundEndpoint>()
            .ToList();

    private static List<BoundEndpoint> Endpoints(ListenerBinding binding) =>
        binding.HttpsEndpoints.Select(e => new BoundEndpoint(Uri.UriSchemeHttps, e))
            .Concat(binding.HttpEndpoints.Select(e => new BoundEndpoint(Uri.UriSchemeHttp, e)))
            .ToList();

    /// <summary>A wildcard bind is reached through loopback, the one address it always includes.</summary>
    private static IPEndPoint Reachable(IPEndPoint endpoint) =>
        endpoint.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, endpoint.Port)
        : endpoint.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, endpoint.Port)
        : endpoint;

    private static string Describe(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";

    private sealed record BoundEndpoint(string Scheme, IPEndPoint Endpoint);
}

/// <summary>The binding the host started with and which of its values were given at start.</summary>
public sealed record ListenerStart(ListenerBinding Binding, ListenerOptionsGiven Given, string? StoredProblem);
