using System.Globalization;
using System.Net;

namespace SynoCertPanel.Web.Hosting;

/// <summary>
/// Where the panel keeps its state and where it listens. Defaults: ./data, HTTPS 8443 and HTTP 8080 on
/// loopback only, so a first start never exposes an unconfigured panel to the LAN.
/// Command-line options win over SYNOCERT_* environment variables.
/// </summary>
public sealed record ServeOptions
{
    public string DataDirectory { get; init; } = "data";

    public int HttpsPort { get; init; } = 8443;

    /// <summary>Plain HTTP only redirects to HTTPS; 0 turns it off.</summary>
    public int HttpPort { get; init; } = 8080;

    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// Which listener values were given at start (option or environment): those win over the binding the panel
    /// stored when an admin changed it. <see cref="Parse"/> names only what it was given; options built in code
    /// count as given in full.
    /// </summary>
    public ListenerOptionsGiven Given { get; init; } = ListenerOptionsGiven.All;

    /// <summary>The binding to start with: the stored one where nothing was given at start, else the given values.</summary>
    public ListenerBinding StartBinding(ListenerBinding? stored)
    {
        var https = stored is not null && !Given.HasFlag(ListenerOptionsGiven.HttpsPort) ? stored.HttpsPort : HttpsPort;
        var http = stored is not null && !Given.HasFlag(ListenerOptionsGiven.HttpPort) ? stored.HttpPort : HttpPort;
        var addresses = stored is not null && !Given.HasFlag(ListenerOptionsGiven.BindAddress) ? stored.Addresses : [BindAddress];
        // A stored port may collide with a port given at start; the given values then win as a whole.
        return https == http && https != 0 ? new ListenerBinding(HttpsPort, HttpPort, [BindAddress]) : new ListenerBinding(https, http, addresses);
    }

    public static Result<ServeOptions> Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["--data"] = environment("SYNOCERT_DATA"),
            ["--https-port"] = environment("SYNOCERT_HTTPS_PORT"),
            ["--http-port"] = environment("SYNOCERT_HTTP_PORT"),
            ["--bind"] = environment("SYNOCERT_BIND"),
        };
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            string? value = null;
            if (equals > 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (!values.ContainsKey(name))
            {
                return Fail($"Unknown option \"{Pki.Display.Literal(name, 40)}\". Options: --data DIR, --https-port N, --http-port N, --bind ADDR.");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    return Fail($"The option {name} needs a value.");
                }

                value = args[++i];
            }

            values[name] = value;
        }

        var options = new ServeOptions();
        if (!string.IsNullOrWhiteSpace(values["--data"]))
        {
            options = options with { DataDirectory = values["--data"]! };
        }

        var https = ParsePort(values["--https-port"], "--https-port", options.HttpsPort, allowZero: false);
        var http = ParsePort(values["--http-port"], "--http-port", options.HttpPort, allowZero: true);
        if (!https.IsSuccess)
        {
            return Fail(https.Error!);
        }

        if (!http.IsSuccess)
        {
            return Fail(http.Error!);
        }

        var given = (string.IsNullOrWhiteSpace(values["--https-port"]) ? ListenerOptionsGiven.None : ListenerOptionsGiven.HttpsPort)
            | (string.IsNullOrWhiteSpace(values["--http-port"]) ? ListenerOptionsGiven.None : ListenerOptionsGiven.HttpPort)
            | (values["--bind"] is { Length: > 0 } ? ListenerOptionsGiven.BindAddress : ListenerOptionsGiven.None);
        options = options with { HttpsPort = https.Value, HttpPort = http.Value, Given = given };
        if (values["--bind"] is { Length: > 0 } bind)
        {
            if (!IPAddress.TryParse(bind, out var address))
            {
                return Fail($"--bind \"{Pki.Display.Literal(bind, 60)}\" is not an IP address (use 0.0.0.0 for every IPv4 address, :: for every address).");
            }

            options = options with { BindAddress = address };
        }

        return Result.Success(options);
    }

    private static Result<int> ParsePort(string? text, string name, int fallback, bool allowZero)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result.Success(fallback);
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535 && (allowZero || port > 0)
            ? Result.Success(port)
            : Result.Failure<int>($"{name} \"{Pki.Display.Literal(text, 20)}\" is not a port number (1–65535{(allowZero ? ", or 0 to turn it off" : string.Empty)}).");
    }

    private static Result<ServeOptions> Fail(string message) => Result.Failure<ServeOptions>(message);
}

/// <summary>The listener values given explicitly at start.</summary>
[Flags]
public enum ListenerOptionsGiven
{
    None = 0,
    HttpsPort = 1,
    HttpPort = 2,
    BindAddress = 4,
    All = HttpsPort | HttpPort | BindAddress,
}
