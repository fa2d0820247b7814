using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Boxes;

/// <summary>The rules for what a box may be given, as small checks each returning a sentence for the operator.</summary>
public static partial class BoxRules
{
    public const int MaxNameLength = 64;
    public const int MaxAddresses = 20;
    public const int MaxEndpoints = 20;

    /// <summary>An SSH private key in OpenSSH form is about 3 KiB for RSA 4096; nothing an option holds needs more than this.</summary>
    public const int MaxOptionLength = 16 * 1024;

    public const int DefaultTlsPort = 443;

    public static Result<string> Name(string? name)
    {
        var text = (name ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            return Result.Failure<string>("Give the box a name (for example nas2 or proxmox).");
        }

        if (text.Length > MaxNameLength || !NamePattern().IsMatch(text))
        {
            return Result.Failure<string>(
                $"The box name \"{Display.Literal(text, MaxNameLength)}\" is not allowed: use up to {MaxNameLength} letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.");
        }

        return Result.Success(text);
    }

    /// <summary>DNS names and IP addresses (with or without the DNS:/IP: prefix); at least one, no duplicates, no wildcards.</summary>
    public static Result<IReadOnlyList<SubjectAlternativeName>> Addresses(IEnumerable<string>? addresses)
    {
        var entries = (addresses ?? []).SelectMany(a => (a ?? string.Empty).Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (entries.Count == 0)
        {
            return Result.Failure<IReadOnlyList<SubjectAlternativeName>>("Give at least one address the box is reached at: a DNS name (nas2.home.arpa) or an IP address (192.168.1.20).");
        }

        if (entries.Count > MaxAddresses)
        {
            return Result.Failure<IReadOnlyList<SubjectAlternativeName>>($"A box has at most {MaxAddresses} addresses; {entries.Count} were given.");
        }

        var parsed = new List<SubjectAlternativeName>();
        foreach (var entry in entries)
        {
            var address = Address(entry);
            if (!address.IsSuccess)
            {
                return Result.Failure<IReadOnlyList<SubjectAlternativeName>>(address.Error!);
            }

            if (parsed.Contains(address.Value))
            {
                return Result.Failure<IReadOnlyList<SubjectAlternativeName>>($"The address {address.Value.DisplayValue} is given twice.");
            }

            parsed.Add(address.Value);
        }

        return Result.Success<IReadOnlyList<SubjectAlternativeName>>(parsed);
    }

    public static Result<SubjectAlternativeName> Address(string entry)
    {
        var san = SubjectAlternativeName.Parse(entry);
        if (!san.IsSuccess)
        {
            return san;
        }

        if (san.Value.Kind is not (SanKind.Dns or SanKind.IpAddress))
        {
            return Result.Failure<SubjectAlternativeName>($"\"{Display.Literal(entry, 80)}\" is not a DNS name or an IP address; a box is reached at those only.");
        }

        if (san.Value.IsWildcard)
        {
            return Result.Failure<SubjectAlternativeName>($"\"{Display.Literal(entry, 80)}\" is a wildcard; give the name the box itself answers to.");
        }

        return san;
    }

    /// <summary>
    /// <c>host:port</c>, <c>[IPv6]:port</c>, or a host alone (port 443). The host must be a DNS name or IP address;
    /// ports 1–65535; no duplicates.
    /// </summary>
    public static Result<IReadOnlyList<WatchedEndpoint>> Endpoints(IEnumerable<string>? endpoints)
    {
        var entries = (endpoints ?? []).SelectMany(a => (a ?? string.Empty).Split([',', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (entries.Count > MaxEndpoints)
        {
            return Result.Failure<IReadOnlyList<WatchedEndpoint>>($"A box has at most {MaxEndpoints} watched endpoints; {entries.Count} were given.");
        }

        var parsed = new List<WatchedEndpoint>();
        foreach (var entry in entries)
        {
            var endpoint = Endpoint(entry);
            if (!endpoint.IsSuccess)
            {
                return Result.Failure<IReadOnlyList<WatchedEndpoint>>(endpoint.Error!);
            }

            if (parsed.Contains(endpoint.Value))
            {
                return Result.Failure<IReadOnlyList<WatchedEndpoint>>($"The endpoint {endpoint.Value} is given twice.");
            }

            parsed.Add(endpoint.Value);
        }

        return Result.Success<IReadOnlyList<WatchedEndpoint>>(parsed);
    }

    public static Result<WatchedEndpoint> Endpoint(string entry)
    {
        var text = entry.Trim();
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                return BadEndpoint(entry, "write an IPv6 address in brackets: [fd00::20]:443");
            }

            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            host = text[..text.IndexOf(':', StringComparison.Ordinal)];
            port = text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }
        else if (text.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(text, out _)
                ? BadEndpoint(entry, $"write an IPv6 address in brackets with its port: [{text}]:443")
                : BadEndpoint(entry, "write host:port, for example nas2.home.arpa:5001");
        }
        else
        {
            host = text;
        }

        var address = Address(host);
        if (!address.IsSuccess)
        {
            return BadEndpoint(entry, address.Error!.TrimEnd('.'));
        }

        var number = DefaultTlsPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
        {
            return BadEndpoint(entry, "the port must be a number from 1 to 65535");
        }

        return Result.Success(new WatchedEndpoint(address.Value.Value, number));
    }

    private static Result<WatchedEndpoint> BadEndpoint(string entry, string reason) =>
        Result.Failure<WatchedEndpoint>($"The endpoint \"{Display.Literal(entry, 100)}\" cannot be watched: {reason}.");

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 ._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

/// <summary>A TLS endpoint to probe: a DNS name or IP address (without brackets) and a port.</summary>
public sealed record WatchedEndpoint(string Host, int Port)
{
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}") : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
