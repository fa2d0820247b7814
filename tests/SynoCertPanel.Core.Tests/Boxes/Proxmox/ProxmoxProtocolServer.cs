using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace SynoCertPanel.Core.Tests.Boxes.Proxmox;

/// <summary>
/// ProxmoxProtocolServer: follows the calls documented in BOXES.md ("Boxes", Proxmox VE/PBS); not Proxmox. Kestrel on
/// 127.0.0.1 with HTTPS on a random port, checking the path, the API token header and the upload's form fields exactly,
/// recording each call (departures in <see cref="Violations"/>). Like pveproxy, the API port shows the uploaded
/// certificate after an upload with restart=1; a second TLS port shows it too, for a handshake.
/// </summary>
internal sealed class ProxmoxProtocolServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenOptions _api;
    private readonly ListenOptions _served;

    private ProxmoxProtocolServer(WebApplication app, ListenOptions api, ListenOptions served)
    {
        _app = app;
        _api = api;
        _served = served;
    }

    public string Node { get; set; } = "pve1";

    public string TokenId { get; set; } = "certs@pve!panel";

    public string TokenSecret { get; set; } = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

    /// <summary>False: the token lacks Sys.Modify (and Sys.Audit), so Proxmox answers 403.</summary>
    public bool Privileged { get; set; } = true;

    /// <summary>When set, the upload fails with HTTP 500 and this message (as a full disk or a bad key does).</summary>
    public string? UploadFailure { get; set; }

    /// <summary>What the proxy shows: the node's self-signed certificate until an upload with restart=1.</summary>
    public X509Certificate2 ApiCertificate { get; set; } = ProtocolPki.SelfSigned("pve1");

    public X509Certificate2? Custom { get; private set; }

    public string? CustomChain { get; private set; }

    public List<string> Calls { get; } = [];

    public List<string> Violations { get; } = [];

    public string Url => $"https://127.0.0.1:{_api.IPEndPoint!.Port}";

    public int ServedPort => _served.IPEndPoint!.Port;

    public static async Task<ProxmoxProtocolServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ProxmoxProtocolServer? server = null;
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
                o.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => server!.Custom ?? server.ApiCertificate });
            });
        });
        var app = builder.Build();
        app.MapGet("/api2/json/nodes/{node}/certificates/info", (RequestDelegate)(c => server!.Info(c, NodeOf(c)).ExecuteAsync(c)));
        app.MapPost("/api2/json/nodes/{node}/certificates/custom", (RequestDelegate)(async c => await (await server!.UploadAsync(c, NodeOf(c))).ExecuteAsync(c)));
        app.MapFallback((HttpContext c) =>
        {
            server!.Calls.Add($"{c.Request.Method} {c.Request.Path}");
            server.Violations.Add($"unknown path {c.Request.Method} {c.Request.Path}");
            return Results.Json(new { data = (object?)null }, statusCode: 501);
        });
        await app.StartAsync();
        server = new ProxmoxProtocolServer(app, api!, served!);
        return server;
    }

    private static string NodeOf(HttpContext context) => context.Request.RouteValues["node"]?.ToString() ?? string.Empty;

    private IResult Info(HttpContext context, string node)
    {
        Calls.Add($"GET {context.Request.Path}");
        if (Refuse(context, node) is { } refused)
        {
            return refused;
        }

        var files = new List<object> { Info("pve-ssl.pem", ApiCertificate) };
        if (Custom is not null)
        {
            files.Add(Info("pveproxy-ssl.pem", Custom));
        }

        return Results.Json(new { data = files });
    }

    private async Task<IResult> UploadAsync(HttpContext context, string node)
    {
        Calls.Add($"POST {context.Request.Path}");
        if (Refuse(context, node) is { } refused)
        {
            return refused;
        }

        if (context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
        {
            Violations.Add($"upload as {context.Request.ContentType}");
        }

        var form = await context.Request.ReadFormAsync();
        var names = form.Keys.Order(StringComparer.Ordinal).ToList();
        if (!names.SequenceEqual(["certificates", "force", "key", "restart"]))
        {
            Violations.Add($"upload fields {string.Join(",", names)} instead of certificates, key, restart, force");
        }

        if (form["restart"] != "1" || form["force"] != "1")
        {
            Violations.Add($"upload with restart={form["restart"]} force={form["force"]}");
        }

        if (UploadFailure is not null)
        {
            return Results.Json(new { data = (object?)null, message = UploadFailure + "\n" }, statusCode: 500);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = ProtocolPki.FromPem(form["certificates"].ToString(), form["key"].ToString());
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return Results.Json(new { data = (object?)null, message = "unable to load certificate or key\n" }, statusCode: 500);
        }

        Custom = certificate;
        CustomChain = form["certificates"].ToString();
        // pveproxy restarts and shows the new certificate on its own port.
        ApiCertificate = certificate;
        return Results.Json(new { data = Info("pveproxy-ssl.pem", certificate) });
    }

    private IResult? Refuse(HttpContext context, string node)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("PVEAPIToken=", StringComparison.Ordinal))
        {
            Violations.Add("a call without Authorization: PVEAPIToken=…");
            return Results.Json(new { data = (object?)null }, statusCode: 401);
        }

        if (header != $"PVEAPIToken={TokenId}={TokenSecret}")
        {
            return Results.Json(new { data = (object?)null, message = "authentication failure\n" }, statusCode: 401);
        }

        if (node != Node)
        {
            return Results.Json(new { data = (object?)null, message = $"hostname lookup '{node}' failed\n" }, statusCode: 500);
        }

        return Privileged ? null : Results.Json(new { data = (object?)null, message = "Permission check failed (/nodes/" + node + ", Sys.Modify)\n" }, statusCode: 403);
    }

    private static Dictionary<string, object> Info(string file, X509Certificate2 certificate) => new()
    {
        ["filename"] = file,
        ["fingerprint"] = BitConverter.ToString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Replace('-', ':'),
        ["subject"] = certificate.Subject,
        ["notafter"] = certificate.NotAfter.ToUniversalTime().Subtract(DateTime.UnixEpoch).TotalSeconds,
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
