using System.Net;
using System.Net.Sockets;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Acme;

/// <summary>
/// How validation finds a box: the operator's own name → address list first (the <c>--resolve NAME=ADDRESS</c> setting,
/// for names the NAS cannot look up and for tests), then the system resolver.
/// </summary>
public sealed class AcmeResolver(PanelStorage storage)
{
    public const string SettingName = "acme.resolve";

    public const int MaxEntries = 500;

    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (IPAddress.TryParse(name.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        var overrides = await OverridesAsync(cancellationToken).ConfigureAwait(false);
        if (overrides.TryGetValue(name.TrimEnd('.'), out var fixedAddresses))
        {
            return fixedAddresses;
        }

        try
        {
            return await Dns.GetHostAddressesAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return [];
        }
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<IPAddress>>> OverridesAsync(CancellationToken cancellationToken = default)
    {
        var text = await PanelSettings.ReadAsync(storage, SettingName, cancellationToken).ConfigureAwait(false);
        return Parse(text ?? "").Value;
    }

    /// <summary>Parses NAME=ADDRESS entries (one per line); a name may appear on several lines for several addresses.</summary>
    public static Result<IReadOnlyDictionary<string, IReadOnlyList<IPAddress>>> Parse(string text)
    {
        var map = new Dictionary<string, List<IPAddress>>(StringComparer.OrdinalIgnoreCase);
        var lines = (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length > MaxEntries)
        {
            return Result.Failure<IReadOnlyDictionary<string, IReadOnlyList<IPAddress>>>($"At most {MaxEntries} NAME=ADDRESS entries.");
        }

        foreach (var line in lines)
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? Pki.Names.SanParser.ParseDnsName(line[..equals].Trim().TrimEnd('.')) : null;
            if (name is not { IsSuccess: true } || name.Value.IsWildcard || name.Value.Kind != Pki.Names.SanKind.Dns || !IPAddress.TryParse(line[(equals + 1)..].Trim().Trim('[', ']'), out var address))
            {
                return Result.Failure<IReadOnlyDictionary<string, IReadOnlyList<IPAddress>>>(
                    $"\"{Display.Literal(line)}\" is not NAME=ADDRESS (for example nas.lab.internal=192.168.1.20).");
            }

            if (!map.TryGetValue(name.Value.Value, out var list))
            {
                map[name.Value.Value] = list = [];
            }

            list.Add(address);
        }

        return Result.Success<IReadOnlyDictionary<string, IReadOnlyList<IPAddress>>>(
            map.ToDictionary(p => p.Key, p => (IReadOnlyList<IPAddress>)p.Value, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Replaces the operator's list; returns the entries kept, one per line.</summary>
    public async Task<Result<string>> SetAsync(IEnumerable<string> entries, CancellationToken cancellationToken = default)
    {
        var text = string.Join('\n', entries);
        var parsed = Parse(text);
        if (!parsed.IsSuccess)
        {
            return Result.Failure<string>(parsed.Error!);
        }

        var normal = string.Join('\n', parsed.Value.SelectMany(p => p.Value.Select(a => $"{p.Key}={a}")));
        await PanelSettings.WriteAsync(storage, SettingName, normal, cancellationToken).ConfigureAwait(false);
        return Result.Success(normal);
    }
}
