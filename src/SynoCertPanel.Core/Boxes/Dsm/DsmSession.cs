using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SynoCertPanel.Core.Boxes.Dsm;

/// <summary>A certificate in DSM's list: its id, description and whether it is the default.</summary>
internal sealed record DsmCertificate(string Id, string Description, bool IsDefault);

/// <summary>
/// One login session with a DSM, call by call as BOXES.md documents them (the calls acme.sh's synology_dsm deploy hook
/// makes): API info, login with a SynoToken, the certificate list, the import, logout. Each call returns null or the
/// problem that stopped it; steps go to the log, values DSM teaches (the device token) to <see cref="Learned"/>.
/// </summary>
internal sealed partial class DsmSession(BoxTlsClient client, DsmSettings settings, List<string> steps)
{
    private const string WebApi = "webapi/";
    private string _authPath = "entry.cgi";
    private int _version;
    private string? _sid;
    private string? _token;

    public Dictionary<string, string> Learned { get; } = new(StringComparer.Ordinal);

    public bool LoggedIn => _sid is not null;

    /// <summary>Step 1: which version of SYNO.API.Auth the DSM speaks, and at which path.</summary>
    public async Task<BoxProblem?> InfoAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, WebApi + "query.cgi" + Query(("api", "SYNO.API.Info"), ("version", "1"), ("method", "query"), ("query", "SYNO.API.Auth")));
        var (data, problem) = await CallAsync(request, "the API info query", code => DsmErrors.Certificate(code, settings.Account, "the API info query"), cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        steps.Add(client.Trust.Describe());
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("SYNO.API.Auth", out var auth) || auth.ValueKind != JsonValueKind.Object
            || !auth.TryGetProperty("maxVersion", out var max) || max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out _version) || _version is < 1 or > 99)
        {
            return new BoxProblem(DeliveryFailure.Protocol, $"The box at {client.Host} answered the API info query without a version of SYNO.API.Auth; is it a Synology DSM?");
        }

        if (auth.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String && CgiPattern().IsMatch(path.GetString()!))
        {
            _authPath = path.GetString()!;
        }

        steps.Add(string.Create(CultureInfo.InvariantCulture, $"DSM offers SYNO.API.Auth up to version {_version}."));
        return null;
    }

    /// <summary>Step 2: login with format=sid and a SynoToken; a 2FA code once (asking for a device token), then the device token.</summary>
    public async Task<BoxProblem?> LoginAsync(CancellationToken cancellationToken)
    {
        var query = new List<(string, string)>
        {
            ("api", "SYNO.API.Auth"), ("version", Version), ("method", "login"), ("format", "sid"),
            ("account", settings.Account), ("passwd", settings.Password), ("enable_syno_token", "yes"),
        };
        var usedDevice = false;
        if (settings.OtpCode is not null)
        {
            query.AddRange([("otp_code", settings.OtpCode), ("enable_device_token", "yes"), ("device_name", settings.DeviceName)]);
            // A code works once and for 30 seconds: whatever DSM answers, it is of no further use.
            Learned[DsmOptions.OtpCode] = string.Empty;
        }
        else if (settings.DeviceId is not null)
        {
            query.AddRange([("device_name", settings.DeviceName), ("device_id", settings.DeviceId)]);
            usedDevice = true;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, WebApi + _authPath + Query([.. query]));
        var (data, problem) = await CallAsync(request, "the login", code => DsmErrors.Login(code, settings.Account, usedDevice), cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        _sid = Text(data, "sid");
        _token = Text(data, "synotoken");
        if (_sid is null || _token is null)
        {
            _sid = null;
            return new BoxProblem(DeliveryFailure.Protocol, $"DSM accepted the login of {settings.Account} but gave no session id or SynoToken; the panel cannot go on.");
        }

        var device = Text(data, "device_id");
        if (settings.OtpCode is not null && device is not null && DsmOptions.ValidateDeviceId(device) is null)
        {
            Learned[DsmOptions.DeviceId] = device;
            steps.Add($"Logged in as {settings.Account} with a 2FA code; DSM trusts this panel as the device \"{settings.DeviceName}\" now, so later logins need no code.");
        }
        else if (settings.OtpCode is not null)
        {
            steps.Add($"Logged in as {settings.Account} with a 2FA code; DSM gave no device token, so the next login will need a code again.");
        }
        else
        {
            steps.Add(usedDevice ? $"Logged in as {settings.Account} with this panel's device token." : $"Logged in as {settings.Account}.");
        }

        return null;
    }

    /// <summary>Step 3: the certificates DSM holds (error 105 here means the account is not an administrator).</summary>
    public async Task<(IReadOnlyList<DsmCertificate>? Certificates, BoxProblem? Problem)> ListAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WebApi + "entry.cgi")
        {
            Content = new FormUrlEncodedContent([new("api", "SYNO.Core.Certificate.CRT"), new("method", "list"), new("version", "1"), new("_sid", _sid!)]),
        };
        request.Headers.Add("X-SYNO-TOKEN", _token);
        var (data, problem) = await CallAsync(request, "the certificate list", code => DsmErrors.Certificate(code, settings.Account, "the certificate list"), cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return (null, problem);
        }

        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("certificates", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return (null, new BoxProblem(DeliveryFailure.Protocol, "DSM answered the certificate list without a list of certificates."));
        }

        var certificates = new List<DsmCertificate>();
        foreach (var item in list.EnumerateArray())
        {
            var id = item.ValueKind == JsonValueKind.Object ? Text(item, "id") : null;
            if (id is null)
            {
                return (null, new BoxProblem(DeliveryFailure.Protocol, "DSM listed a certificate without an id."));
            }

            var isDefault = item.TryGetProperty("is_default", out var d) && d.ValueKind == JsonValueKind.True;
            certificates.Add(new DsmCertificate(id, Text(item, "desc") ?? string.Empty, isDefault));
        }

        return (certificates, null);
    }

    /// <summary>Step 4: the import, over <paramref name="existing"/>'s id when there is one, keeping it the default if it was.</summary>
    public async Task<(bool RestartsWebServer, BoxProblem? Problem)> ImportAsync(DeliveryBundle bundle, string description, DsmCertificate? existing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var chain = bundle.IntermediatesPem.Trim().Length > 0 ? bundle.IntermediatesPem : bundle.RootPem;
        using var form = new MultipartFormDataContent("----SynoCertPanel" + Guid.NewGuid().ToString("N"));
        // DSM's CGI reads the boundary as acme.sh sends it, unquoted; .NET quotes it by default.
        var boundary = form.Headers.ContentType!.Parameters.First(p => p.Name == "boundary");
        boundary.Value = boundary.Value!.Trim('"');
        AddFile(form, "key", "key.pem", bundle.PrivateKeyPem);
        AddFile(form, "cert", "cert.pem", bundle.CertificatePem);
        if (!string.IsNullOrWhiteSpace(chain))
        {
            AddFile(form, "inter_cert", "chain.pem", chain);
        }

        AddField(form, "id", existing?.Id ?? string.Empty);
        AddField(form, "desc", description);
        if (existing?.IsDefault == true)
        {
            AddField(form, "as_default", "true");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, WebApi + "entry.cgi" + Query(("api", "SYNO.Core.Certificate"), ("method", "import"), ("version", "1"), ("SynoToken", _token!), ("_sid", _sid!)))
        {
            Content = form,
        };
        request.Headers.Add("X-SYNO-TOKEN", _token);
        var (data, problem) = await CallAsync(request, "the import", code => DsmErrors.Certificate(code, settings.Account, "the import", importing: true), cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return (false, problem);
        }

        var restarts = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("restart_httpd", out var r) && r.ValueKind == JsonValueKind.True;
        return (restarts, null);
    }

    /// <summary>Step 5: logout, after success and failure alike; its own failure only goes to the log.</summary>
    public async Task LogoutAsync()
    {
        if (_sid is null)
        {
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, WebApi + _authPath + Query(("api", "SYNO.API.Auth"), ("version", Version), ("method", "logout"), ("_sid", _sid)));
        _sid = null;
        // Not the caller's token: a cancelled deploy still ends its session; the client's call timeout bounds it.
        var (_, problem) = await CallAsync(request, "the logout", code => DsmErrors.Certificate(code, settings.Account, "the logout"), CancellationToken.None).ConfigureAwait(false);
        steps.Add(problem is null ? "Logged out." : $"The logout did not go through ({problem.Sentence}); DSM ends the session on its own.");
    }

    private string Version => _version.ToString(CultureInfo.InvariantCulture);

    private async Task<(JsonElement Data, BoxProblem? Problem)> CallAsync(HttpRequestMessage request, string what, Func<int, BoxProblem> error, CancellationToken cancellationToken)
    {
        var call = await client.SendAsync(request, what, cancellationToken).ConfigureAwait(false);
        if (call.Problem is not null)
        {
            return (default, call.Problem);
        }

        var answer = call.Answer!;
        if (!answer.IsSuccess)
        {
            return (default, new BoxProblem(DeliveryFailure.Protocol, string.Create(CultureInfo.InvariantCulture, $"DSM answered {what} with HTTP {(int)answer.Status}; check that the URL is DSM's own port (5001 by default).")));
        }

        if (answer.Json is not { ValueKind: JsonValueKind.Object } json || !json.TryGetProperty("success", out var success) || success.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return (default, new BoxProblem(DeliveryFailure.Protocol, $"The box at {client.Host} answered {what} with something other than DSM's JSON; check that the URL is the DSM's."));
        }

        if (success.ValueKind == JsonValueKind.True)
        {
            return (json.TryGetProperty("data", out var data) ? data : default, null);
        }

        return json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("code", out var c) && c.TryGetInt32(out var code)
            ? (default, error(code))
            : (default, new BoxProblem(DeliveryFailure.Protocol, $"DSM refused {what} without saying why (no error code)."));
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static string Query(params (string Name, string Value)[] parameters) =>
        "?" + string.Join("&", parameters.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value)));

    private static void AddFile(MultipartFormDataContent form, string name, string fileName, string pem)
    {
        var part = new ByteArrayContent(Encoding.ASCII.GetBytes(pem));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(name), FileName = Quoted(fileName) };
        form.Add(part);
    }

    private static void AddField(MultipartFormDataContent form, string name, string value)
    {
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(name) };
        form.Add(part);
    }

    private static string Quoted(string text) => "\"" + text + "\"";

    [GeneratedRegex(@"^[a-z_]{1,32}\.cgi$", RegexOptions.CultureInvariant)]
    private static partial Regex CgiPattern();
}
