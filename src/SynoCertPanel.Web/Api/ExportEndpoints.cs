using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// <c>/api/v1/certificates/{id}/export/{format}</c>: every format of the export dialog, through the same <see cref="ExportService"/>
/// and its audit. A GET for the formats that need no password; a POST with a JSON body for those that carry the private key,
/// so a password never travels in a URL (where proxies and logs keep it). The private key leaves only for a token with
/// keys:export, as it leaves the page only after the account password is typed again.
/// </summary>
internal static class ExportEndpoints
{
    public const string Path = "/certificates/{id}/export/{format}";

    private const string IncludeCaKey = "includeCaKey";

    /// <summary>The formats a GET gives: all but PKCS#12, which cannot be made without a password.</summary>
    public static IReadOnlyList<ExportFormat> GetFormats { get; } = [.. ExportChoicesOrder().Where(f => !NeedsPassword(f))];

    /// <summary>The formats a POST gives: those that carry the private key.</summary>
    public static IReadOnlyList<ExportFormat> PostFormats { get; } = [.. ExportChoicesOrder().Where(ExportFormats.ContainsKey)];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet(Path, GetAsync).WithTags(CertificateEndpoints.Tag).RequireScope(ApiScopes.CertificatesRead)
            .WithName("ExportCertificate")
            .WithSummary("Export a certificate")
            .WithDescription($"""
                The certificate in a format a device takes, as the export dialog writes it, with its media type and a safe file name
                in `Content-Disposition`: {string.Join(", ", GetFormats.Select(f => $"`{ExportFormats.NameOf(f)}`"))}. `key` (the
                private key as unencrypted PKCS#8 PEM) and `synology-zip` (cert.pem, privkey.pem, syno-ca-cert.pem) carry the
                private key and also need `keys:export`; `synology-zip?includeCaKey=true` adds the issuing CA's key when that CA
                is held here. PKCS#12 needs a password, which never goes in a URL: POST it. Every export is in the audit log as
                `token:NAME`, a key export as such.
                """)
            .AddOpenApiOperationTransformer((operation, context, _) => ExportDocumentation.DescribeGet(operation, context))
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request", Pkcs12NeedsPost(7, ExportFormat.Pfx)))
            .WithExample(StatusCodes.Status403Forbidden, ApiExamples.Problem(StatusCodes.Status403Forbidden, "Missing scope",
                MissingScopeDetail(ApiScopes.KeysExport, "GET", "/api/v1/certificates/7/export/key")))
            .WithExample(StatusCodes.Status404NotFound, ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found", "There is no certificate with id 42."));
        api.MapPost(Path, PostAsync).WithTags(CertificateEndpoints.Tag).RequireScope(ApiScopes.CertificatesRead).RequireScope(ApiScopes.KeysExport)
            .WithName("ExportCertificateWithKey")
            .WithSummary("Export a certificate with its private key")
            .WithDescription($"""
                The formats that carry the private key, with what the export dialog asks beside them: {string.Join(", ",
                    PostFormats.Select(f => $"`{ExportFormats.NameOf(f)}`"))}. `pfx` (AES-256, for current systems) and `pfx-legacy`
                (3DES, for older Windows, macOS and appliances) need a `password`; `key` is encrypted PKCS#8 when given one;
                `synology-zip` takes `includeCaKey`. The key export is in the audit log as `token:NAME`.
                """)
            .AddOpenApiOperationTransformer(ExportDocumentation.DescribePostAsync)
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithExample(StatusCodes.Status400BadRequest, ApiExamples.Problem(StatusCodes.Status400BadRequest, "Bad request",
                "A PKCS#12 file holds the private key: give a password to protect it."))
            .WithExample(StatusCodes.Status404NotFound, ApiExamples.Problem(StatusCodes.Status404NotFound, "Not found", "There is no certificate with id 42."));
    }

    private static async Task<IResult> GetAsync(string id, string format, HttpContext http, ExportService exports, InventoryService inventory,
        CancellationToken cancellationToken)
    {
        var (certificateId, chosen, problem) = ParseRoute(id, format);
        if (problem is not null)
        {
            return problem;
        }

        var unknown = http.Request.Query.Keys.FirstOrDefault(k => k != IncludeCaKey);
        if (unknown is not null)
        {
            return ApiProblems.BadRequest(unknown.Equals("password", StringComparison.OrdinalIgnoreCase)
                ? PasswordInUrl(certificateId, chosen)
                : $"There is no parameter \"{Display.Literal(unknown, 40)}\"; this export takes only {IncludeCaKey} (synology-zip).");
        }

        var includeCaKey = false;
        if (http.Request.Query.TryGetValue(IncludeCaKey, out var flag))
        {
            if (flag.Count != 1 || !bool.TryParse(flag.ToString(), out includeCaKey))
            {
                return ApiProblems.BadRequest($"\"{IncludeCaKey}\" must be true or false, given once.");
            }

            if (chosen != ExportFormat.SynologyZip)
            {
                return ApiProblems.BadRequest($"\"{IncludeCaKey}\" applies to synology-zip only.");
            }
        }

        // The route takes every format, so the key's own scope is checked here, with the answer the policies give.
        if (ExportFormats.ContainsKey(chosen) && !HasScope(http, ApiScopes.KeysExport))
        {
            http.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{ApiScopes.KeysExport}\"";
            return ApiProblems.Result(StatusCodes.Status403Forbidden, "Missing scope",
                MissingScopeDetail(ApiScopes.KeysExport, http.Request.Method, http.Request.Path.Value ?? string.Empty));
        }

        if (NeedsPassword(chosen))
        {
            return ApiProblems.BadRequest(Pkcs12NeedsPost(certificateId, chosen));
        }

        return await ExportAsync(http, exports, inventory, certificateId, chosen, new ExportOptions
        {
            IncludeKey = ExportFormats.ContainsKey(chosen),
            IncludeCaKey = includeCaKey,
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> PostAsync(string id, string format, HttpContext http, ExportService exports, InventoryService inventory,
        CancellationToken cancellationToken)
    {
        var (certificateId, chosen, problem) = ParseRoute(id, format);
        if (problem is not null)
        {
            return problem;
        }

        if (http.Request.Query.Count > 0)
        {
            return ApiProblems.BadRequest("This export takes no query parameters: the password and includeCaKey go in the JSON body.");
        }

        if (!ExportFormats.ContainsKey(chosen))
        {
            return ApiProblems.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"The {ExportFormats.NameOf(chosen)} export holds no private key and takes no password: GET {ApiExtensions.Prefix}/certificates/{certificateId}/export/{ExportFormats.NameOf(chosen)}."));
        }

        var (body, bodyProblem) = await ApiJsonBody.ReadAsync<ExportKeyBody>(http.Request, cancellationToken).ConfigureAwait(false);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        if (chosen == ExportFormat.SynologyZip && !string.IsNullOrEmpty(body!.Password))
        {
            return ApiProblems.BadRequest("A Synology archive is not protected by a password (DSM imports it as it is): leave out \"password\".");
        }

        if (chosen != ExportFormat.SynologyZip && body!.IncludeCaKey)
        {
            return ApiProblems.BadRequest($"\"{IncludeCaKey}\" applies to synology-zip only.");
        }

        if (body!.Password is { Length: > ImportUploadParts.MaxPasswordLength })
        {
            return ApiProblems.BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"The password is {body.Password.Length} characters long; at most {ImportUploadParts.MaxPasswordLength} are accepted."));
        }

        return await ExportAsync(http, exports, inventory, certificateId, chosen, new ExportOptions
        {
            IncludeKey = true,
            IncludeCaKey = body.IncludeCaKey,
            Password = string.IsNullOrEmpty(body.Password) ? null : body.Password,
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> ExportAsync(HttpContext http, ExportService exports, InventoryService inventory, int certificateId,
        ExportFormat format, ExportOptions options, CancellationToken cancellationToken)
    {
        // A missing certificate is a 404 like GET /certificates/{id}; the service's refusals are about the certificate held.
        var details = await inventory.GetAsync(certificateId, cancellationToken).ConfigureAwait(false);
        if (!details.IsSuccess)
        {
            return ApiProblems.NotFound(details.Error!);
        }

        var exported = await exports.ExportAsync(certificateId, format, options, ApiTokenDefaults.Actor(http.User), cancellationToken).ConfigureAwait(false);
        if (!exported.IsSuccess)
        {
            return ApiProblems.BadRequest(exported.Error!);
        }

        // A file with a key must not stay in a cache on the way; the others change when the certificate is renewed.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(exported.Value.Content, exported.Value.ContentType, exported.Value.FileName);
    }

    private static (int Id, ExportFormat Format, ProblemHttpResult? Problem) ParseRoute(string id, string format)
    {
        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var certificateId) || certificateId < 1)
        {
            return (0, default, ApiProblems.BadRequest($"A certificate id is a whole number from 1 up; \"{Display.Literal(id, 40)}\" was given."));
        }

        var chosen = ExportFormats.Parse(format);
        return chosen.IsSuccess ? (certificateId, chosen.Value, null) : (certificateId, default, ApiProblems.BadRequest(chosen.Error!));
    }

    private static bool NeedsPassword(ExportFormat format) => format is ExportFormat.Pfx or ExportFormat.PfxLegacy;

    /// <summary>Only the token's identity counts, as for the policies (<see cref="ApiScopeHandler"/>).</summary>
    private static bool HasScope(HttpContext http, string scope) => http.User.Identities.Any(i => i.IsAuthenticated
        && i.AuthenticationType == ApiTokenDefaults.Scheme && i.HasClaim(ApiTokenDefaults.ScopeClaim, scope));

    /// <summary>The sentence of <see cref="ApiTokenAuthenticationHandler"/>'s 403.</summary>
    internal static string MissingScopeDetail(string scope, string method, string path) =>
        $"This token lacks the scope {scope}, which {method} {path} needs; make a token that has it.";

    private static string PasswordInUrl(int id, ExportFormat format) =>
        "A password never goes in a URL, where proxies and logs keep it: " + PostWithPassword(id, format);

    private static string Pkcs12NeedsPost(int id, ExportFormat format) =>
        "A PKCS#12 file holds the private key and needs a password, which never goes in a URL: " + PostWithPassword(id, format);

    private static string PostWithPassword(int id, ExportFormat format) => string.Create(CultureInfo.InvariantCulture,
        $"POST {ApiExtensions.Prefix}/certificates/{id}/export/{ExportFormats.NameOf(format)} with {{\"password\": \"…\"}}.");

    /// <summary>The dialog's order, so the document lists the formats as the page does.</summary>
    private static IEnumerable<ExportFormat> ExportChoicesOrder() => Components.Certificates.ExportChoices.All.Select(c => c.Format);
}
