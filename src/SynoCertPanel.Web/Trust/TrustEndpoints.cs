using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SynoCertPanel.Web.Trust;

/// <summary>
/// The public trust page and downloads: root CA certificates only, never a key, and no login ever
/// (ARCHITECTURE.md, security model) — a device must be able to fetch the root before it trusts anything.
/// </summary>
public static class TrustEndpoints
{
    public const string PemContentType = "application/x-x509-ca-cert";
    public const string DerContentType = "application/pkix-cert";

    public static IEndpointRouteBuilder MapTrustEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var catalog = new TrustCatalog(endpoints.ServiceProvider.GetRequiredService<Core.Storage.PanelStorage>(),
            endpoints.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System);
        var trust = endpoints.MapGroup("/trust").AllowAnonymous().AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-cache";
            return await next(context).ConfigureAwait(false);
        });

        trust.MapGet("", (HttpContext http, CancellationToken cancellationToken) => PageAsync(catalog, http, cancellationToken));
        trust.MapGet("/qr.svg", (HttpContext http) => QrCode(http));
        trust.MapGet("/ca/{id:int}.crt", (int id, CancellationToken cancellationToken) => DownloadAsync(catalog, id,
            root => Encoding.ASCII.GetBytes(root.Certificate.ToPem()), PemContentType, ".crt", cancellationToken));
        trust.MapGet("/ca/{id:int}.cer", (int id, CancellationToken cancellationToken) => DownloadAsync(catalog, id,
            root => root.Certificate.ToDer(), DerContentType, ".cer", cancellationToken));
        trust.MapGet("/ca/{id:int}.mobileconfig", (int id, CancellationToken cancellationToken) => DownloadAsync(catalog, id,
            AppleProfile.Create, AppleProfile.ContentType, ".mobileconfig", cancellationToken));
        trust.MapGet("/ca/{id:int}.sh", (int id, CancellationToken cancellationToken) => DownloadAsync(catalog, id,
            root => Encoding.UTF8.GetBytes(LinuxTrustScript.Create(root)), LinuxTrustScript.ContentType, ".sh", cancellationToken));
        return endpoints;
    }

    private static async Task<IResult> DownloadAsync(TrustCatalog catalog, int id, Func<TrustedRoot, byte[]> content, string contentType,
        string extension, CancellationToken cancellationToken)
    {
        var found = await catalog.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return Unavailable(found.Error!);
        }

        return found.Value is { } root
            ? TypedResults.File(content(root), contentType, root.FileName + extension)
            : TypedResults.NotFound($"There is no certificate authority with id {id.ToString(CultureInfo.InvariantCulture)} here.");
    }

    private static async Task<ContentHttpResult> PageAsync(TrustCatalog catalog, HttpContext http, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var hostInput = request.Query["host"].ToString();
        var portInput = request.Query["port"].ToString();
        var localPort = http.Connection.LocalPort;
        var fallbackPort = request.Host.Port ?? localPort;
        var given = hostInput.Length > 0;
        var address = TrustPageAddress.Create(given ? hostInput : request.Host.Host, portInput, fallbackPort);
        var roots = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        var userAgent = request.Headers.UserAgent.ToString();
        var model = new TrustPage.Model(
            roots,
            ClientPlatforms.InOrderFor(userAgent),
            ClientPlatforms.Detect(userAgent),
            address.IsSuccess ? address.Value : null,
            address.IsSuccess ? TrustQrCode.Svg(address.Value) : null,
            given && !address.IsSuccess ? address.Error : null,
            given ? hostInput : request.Host.Host,
            portInput.Length > 0 ? portInput : fallbackPort.ToString(CultureInfo.InvariantCulture))
        {
            Served = http.RequestServices.GetService<Hosting.CertificateHolder>() is { HasCertificate: true } holder ? holder.Current.Leaf : null,
            ForThisDevice = ClientPlatforms.ForDevice(userAgent),
            SignedIn = http.User.Identities.Any(i => i.IsAuthenticated),
        };
        http.Response.Headers.ContentSecurityPolicy = TrustPage.ContentSecurityPolicy;
        return TypedResults.Content(TrustPage.Render(model), "text/html; charset=utf-8");
    }

    private static IResult QrCode(HttpContext http)
    {
        var request = http.Request;
        var address = TrustPageAddress.Create(request.Query["host"].ToString(), request.Query["port"].ToString(), request.Host.Port ?? http.Connection.LocalPort);
        if (!address.IsSuccess)
        {
            return TypedResults.BadRequest(address.Error);
        }

        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
        return TypedResults.Text(TrustQrCode.Svg(address.Value), TrustQrCode.ContentType);
    }

    private static ProblemHttpResult Unavailable(string error) =>
        TypedResults.Problem(error, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The panel's data directory could not be opened");
}
