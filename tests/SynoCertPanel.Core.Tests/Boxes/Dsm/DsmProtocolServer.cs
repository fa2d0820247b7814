using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace SynoCertPanel.Core.Tests.Boxes.Dsm;

/// <summary>
/// DsmProtocolServer: follows the calls documented in BOXES.md ("Boxes", Synology DSM Web API); not DSM. Kestrel on
/// 127.0.0.1 with HTTPS on a random port, checking every path, parameter, multipart field and header of the five calls
/// exactly, recording each call (and every departure from the documented calls in <see cref="Violations"/>), keeping
/// its certificates in memory, and serving the default one on a second TLS port so a test can handshake and see it.
/// </summary>
internal sealed class DsmProtocolServer : IAsyncDisposable
{
    private const int AuthVersion = 7;
    private readonly WebApplication _app;
    private readonly ListenOptions _api;
    private readonly ListenOptions _served;
    private readonly Dictionary<string, string> _sessions = new(StringComparer.Ordinal);
    private readonly List<string> _deviceIds = [];
    private int _nextId = 1;

    private DsmProtocolServer(WebApplication app, ListenOptions api, ListenOptions served)
    {
        _app = app;
        _api = api;
        _served = served;
    }

    public string Account { get; set; } = "certadmin";

    public string Password { get; set; } = "correct horse battery";

    public bool IsAdministrator { get; set; } = true;

    public bool Disabled { get; set; }

    /// <summary>When set, the account has 2-step verification and this is the code the authenticator shows.</summary>
    public string? TwoFactorCode { get; set; }

    /// <summary>The certificate DSM's own port shows (its self-signed one until a test changes it).</summary>
    public X509Certificate2 ApiCertificate { get; set; } = ProtocolPki.SelfSigned();

    /// <summary>The answer to the API info query instead of DSM's JSON: garbage or an oversized body.</summary>
    public string? InfoAnswer { get; set; }

    public List<DsmEntry> Certificates { get; } = [];

    /// <summary>Each call as "VERB api method", in order.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Every login's parameter names (values are not kept: one is a password).</summary>
    public List<string[]> Logins { get; } = [];

    public List<string> Violations { get; } = [];

    public string Url => $"https://127.0.0.1:{_api.IPEndPoint!.Port}";

    public int ServedPort => _served.IPEndPoint!.Port;

    public static async Task<DsmProtocolServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        DsmProtocolServer? server = null;
        ListenOptions? api = null;
        ListenOptions? served = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o =>
            {
                api = o;
                o.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => server!.ApiCertificate });
            });
            k.Listen(IPAddress.Loopback, 0, o =>
            {
                served = o;
                o.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => server!.Served() });
            });
        });
        var app = builder.Build();
        app.MapGet("/webapi/query.cgi", (HttpContext c) => server!.Info(c));
        app.MapGet("/webapi/entry.cgi", (Func<HttpContext, Task<IResult>>)(c => server!.AuthAsync(c)));
        app.MapPost("/webapi/entry.cgi", (Func<HttpContext, Task<IResult>>)(c => server!.CertificateAsync(c)));
        app.MapFallback((HttpContext c) =>
        {
            server!.Violations.Add($"unknown path {c.Request.Method} {c.Request.Path}");
            return Results.NotFound();
        });
        // The listeners are configured on Build, the handlers only run after start: both see the server.
        await app.StartAsync();
        server = new DsmProtocolServer(app, api!, served!);
        return server;
    }

    /// <summary>A certificate DSM already holds (made by another tool or by hand).</summary>
    public DsmEntry Add(string description, bool isDefault, X509Certificate2? certificate = null)
    {
        var entry = new DsmEntry(Id(), description, certificate ?? ProtocolPki.SelfSigned()) { IsDefault = isDefault };
        Certificates.Add(entry);
        return entry;
    }

    private X509Certificate2 Served() => Certificates.FirstOrDefault(c => c.IsDefault)?.Certificate ?? ApiCertificate;

    private IResult Info(HttpContext context)
    {
        Calls.Add("GET SYNO.API.Info query");
        Expect(context.Request.Query, "info", ["api", "version", "method", "query"], [], ("api", "SYNO.API.Info"), ("version", "1"), ("method", "query"), ("query", "SYNO.API.Auth"));
        if (InfoAnswer is not null)
        {
            return Results.Text(InfoAnswer, "text/html");
        }

        return Json(new Dictionary<string, object> { ["SYNO.API.Auth"] = new { maxVersion = AuthVersion, minVersion = 1, path = "entry.cgi" } });
    }

    private Task<IResult> AuthAsync(HttpContext context)
    {
        var q = context.Request.Query;
        Calls.Add($"GET {q["api"]} {q["method"]}");
        if (q["api"] != "SYNO.API.Auth")
        {
            Violations.Add($"GET entry.cgi with api {q["api"]}");
            return Task.FromResult(Error(102));
        }

        return Task.FromResult(q["method"].ToString() switch
        {
            "login" => Login(q),
            "logout" => Logout(q),
            var other => Violation($"auth method {other}", 103),
        });
    }

    private IResult Login(IQueryCollection q)
    {
        Logins.Add([.. q.Keys]);
        string[] basic = ["api", "version", "method", "format", "account", "passwd", "enable_syno_token"];
        var withCode = q.ContainsKey("otp_code");
        string[] extra = withCode ? ["otp_code", "enable_device_token", "device_name"] : q.ContainsKey("device_id") ? ["device_name", "device_id"] : [];
        Expect(q, "login", [.. basic, .. extra], [], ("version", AuthVersion.ToString(CultureInfo.InvariantCulture)), ("format", "sid"), ("enable_syno_token", "yes"));
        if (withCode && q["enable_device_token"] != "yes")
        {
            Violations.Add("login with otp_code without enable_device_token=yes");
        }

        if (q["account"] != Account || q["passwd"] != Password)
        {
            return Error(400);
        }

        if (Disabled)
        {
            return Error(401);
        }

        string? issued = null;
        if (TwoFactorCode is not null)
        {
            if (withCode)
            {
                if (q["otp_code"] != TwoFactorCode)
                {
                    return Error(404);
                }

                issued = "dev-" + Guid.NewGuid().ToString("N");
                _deviceIds.Add(issued);
            }
            else if (!(q.ContainsKey("device_id") && _deviceIds.Contains(q["device_id"].ToString())))
            {
                return Error(403);
            }
        }

        var sid = "sid-" + Guid.NewGuid().ToString("N");
        var token = "tok-" + Guid.NewGuid().ToString("N");
        _sessions[sid] = token;
        var data = new Dictionary<string, object> { ["sid"] = sid, ["synotoken"] = token, ["is_portal_port"] = false };
        if (issued is not null)
        {
            data["device_id"] = issued;
        }

        return Json(data);
    }

    private IResult Logout(IQueryCollection q)
    {
        Expect(q, "logout", ["api", "version", "method", "_sid"], [], ("version", AuthVersion.ToString(CultureInfo.InvariantCulture)));
        return _sessions.Remove(q["_sid"].ToString()) ? Json(new Dictionary<string, object>()) : Error(119);
    }

    private async Task<IResult> CertificateAsync(HttpContext context)
    {
        var q = context.Request.Query;
        if (q.Count == 0)
        {
            var body = await context.Request.ReadFormAsync();
            Calls.Add($"POST {body["api"]} {body["method"]}");
            if (body["api"] != "SYNO.Core.Certificate.CRT" || body["method"] != "list" || !context.Request.HasFormContentType || context.Request.ContentType!.StartsWith("multipart", StringComparison.Ordinal))
            {
                return Violation($"POST entry.cgi form {body["api"]} {body["method"]}", 103);
            }

            Expect(body, "list", ["api", "method", "version", "_sid"], [], ("version", "1"));
            return !_sessions.ContainsKey(body["_sid"].ToString()) ? Error(119) : !IsAdministrator ? Error(105) : List();
        }

        Calls.Add($"POST {q["api"]} {q["method"]}");
        Expect(q, "import query", ["api", "method", "version", "SynoToken", "_sid"], [], ("api", "SYNO.Core.Certificate"), ("method", "import"), ("version", "1"));
        if (!_sessions.TryGetValue(q["_sid"].ToString(), out var token))
        {
            return Error(119);
        }

        if (q["SynoToken"] != token || context.Request.Headers["X-SYNO-TOKEN"] != token)
        {
            Violations.Add("import without the session's SynoToken in the query and the X-SYNO-TOKEN header");
            return Error(119);
        }

        if (!IsAdministrator)
        {
            return Error(105);
        }

        return Import(await context.Request.ReadFormAsync());
    }

    private IResult List() => Json(new Dictionary<string, object>
    {
        ["certificates"] = Certificates.Select(c => new Dictionary<string, object>
        {
            ["id"] = c.Id,
            ["desc"] = c.Description,
            ["is_default"] = c.IsDefault,
            ["is_broken"] = false,
            ["subject"] = new { common_name = c.Certificate.GetNameInfo(X509NameType.SimpleName, false) },
            ["valid_till"] = c.Certificate.NotAfter.ToUniversalTime().ToString("MMM d HH:mm:ss yyyy 'GMT'", CultureInfo.InvariantCulture),
        }).ToList(),
    });

    private IResult Import(IFormCollection form)
    {
        var files = form.Files.Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        if (!files.SequenceEqual(["cert", "inter_cert", "key"]))
        {
            Violations.Add($"import files {string.Join(",", files)} instead of key, cert, inter_cert");
        }

        Expect(form, "import fields", ["id", "desc"], ["as_default"]);
        if (form.ContainsKey("as_default") && form["as_default"] != "true")
        {
            Violations.Add($"as_default={form["as_default"]}");
        }

        string Read(string name)
        {
            using var reader = new StreamReader(form.Files[name]!.OpenReadStream());
            return reader.ReadToEnd();
        }

        X509Certificate2 certificate;
        try
        {
            certificate = ProtocolPki.FromPem(Read("cert"), Read("key"));
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException or NullReferenceException)
        {
            return Error(5510);
        }

        var id = form["id"].ToString();
        var entry = id.Length == 0 ? null : Certificates.FirstOrDefault(c => c.Id == id);
        if (id.Length > 0 && entry is null)
        {
            return Error(5501);
        }

        if (entry is null)
        {
            entry = new DsmEntry(Id(), form["desc"].ToString(), certificate);
            Certificates.Add(entry);
        }
        else
        {
            entry.Certificate = certificate;
            entry.Description = form["desc"].ToString();
        }

        entry.Chain = Read("inter_cert");
        entry.Imports++;
        if (form["as_default"] == "true")
        {
            Certificates.ForEach(c => c.IsDefault = false);
            entry.IsDefault = true;
        }

        return Json(new Dictionary<string, object> { ["id"] = entry.Id, ["restart_httpd"] = entry.IsDefault });
    }

    private void Expect(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> given, string call, string[] required, string[] optional, params (string Name, string Value)[] values)
    {
        var names = given.Select(p => p.Key).ToList();
        foreach (var missing in required.Except(names))
        {
            Violations.Add($"{call} without {missing}");
        }

        foreach (var extra in names.Except(required).Except(optional))
        {
            Violations.Add($"{call} with undocumented {extra}");
        }

        foreach (var (name, value) in values)
        {
            var actual = given.FirstOrDefault(p => p.Key == name).Value.ToString();
            if (actual != value)
            {
                Violations.Add($"{call} with {name}={actual} instead of {value}");
            }
        }
    }

    private IResult Violation(string what, int code)
    {
        Violations.Add(what);
        return Error(code);
    }

    private string Id() => "crt" + (_nextId++).ToString(CultureInfo.InvariantCulture);

    private static IResult Json(object data) => Results.Text(JsonSerializer.Serialize(new { data, success = true }), "application/json");

    private static IResult Error(int code) => Results.Text(JsonSerializer.Serialize(new { error = new { code }, success = false }), "application/json");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>A certificate the protocol server holds.</summary>
internal sealed class DsmEntry(string id, string description, X509Certificate2 certificate)
{
    public string Id { get; } = id;

    public string Description { get; set; } = description;

    public X509Certificate2 Certificate { get; set; } = certificate;

    public string? Chain { get; set; }

    public bool IsDefault { get; set; }

    public int Imports { get; set; }
}
