using System.Globalization;
using SynoCertPanel.Core.Acme;
using SynoCertPanel.Web.Protection;

namespace SynoCertPanel.Web.Acme;

/// <summary>
/// The RFC 8555 endpoints of each CA's directory under <c>/acme/{ca}/</c>. They work without a panel login (a client
/// proves itself with its JWS) and expose nothing but ACME: JOSE in, resources or problem documents out, a fresh
/// Replay-Nonce on every answer.
/// </summary>
public static class AcmeEndpoints
{
    public const string JoseContentType = "application/jose+json";

    /// <summary>RFC 5280 §4.2.1.13 and RFC 2585 §4.2: the media type of a DER CRL.</summary>
    public const string CrlContentType = "application/pkix-crl";

    public static IEndpointRouteBuilder MapAcmeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Kestrel's own limit for the group is the largest ACME request: a body announced larger is refused before it is
        // read, and one sent without a length fails the read at that size instead of filling memory.
        var acme = endpoints.MapGroup("/acme/{ca:int}").AllowAnonymous().ExcludeFromDescription().DisableAntiforgery()
            .WithMetadata(new UploadSizeLimit(AcmeJws.MaxBodyBytes));
        acme.MapGet("/directory", async (int ca, HttpContext http, AcmeServer server, CancellationToken cancellationToken) =>
            await WriteAsync(http, server, ca, await server.DirectoryAsync(Context(http, ca), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false));
        acme.MapMethods("/new-nonce", ["HEAD", "GET"], async (int ca, HttpContext http, AcmeServer server, CancellationToken cancellationToken) =>
        {
            var problem = await server.CheckOpenAsync(ca, cancellationToken).ConfigureAwait(false);
            // RFC 8555 §7.2: HEAD answers 200, GET answers 204, both with the nonce.
            var answer = problem is not null ? AcmeResponse.Problem(problem)
                : new AcmeResponse(HttpMethods.IsHead(http.Request.Method) ? 200 : 204, null);
            await WriteAsync(http, server, ca, answer).ConfigureAwait(false);
        });
        acme.MapGet("/renewal-info/{certificateId}", async (int ca, string certificateId, HttpContext http, AcmeServer server, CancellationToken cancellationToken) =>
            await WriteAsync(http, server, ca, await server.RenewalInfoAsync(Context(http, ca), certificateId, cancellationToken).ConfigureAwait(false))
                .ConfigureAwait(false));
        acme.MapGet("/crl", async (int ca, HttpContext http, AcmeRevocationLists lists, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var crl = await lists.GetAsync(ca, cancellationToken).ConfigureAwait(false);
            if (!crl.IsSuccess)
            {
                var problem = AcmeResponse.Problem(crl.Problem!);
                http.Response.StatusCode = problem.Status;
                http.Response.ContentType = problem.ContentType;
                await http.Response.WriteAsync(problem.Json!.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
                return;
            }

            var file = crl.Value;
            http.Response.ContentType = CrlContentType;
            // Caches may keep it until the next one is due at the latest; it changes when a certificate is revoked.
            var maxAge = (int)Math.Clamp((file.NextUpdate - time.GetUtcNow()).TotalSeconds, 0, 3600);
            http.Response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"public, max-age={maxAge}");
            http.Response.Headers.LastModified = file.ThisUpdate.ToString("R", CultureInfo.InvariantCulture);
            http.Response.ContentLength = file.Der.Length;
            await http.Response.Body.WriteAsync(file.Der, http.RequestAborted).ConfigureAwait(false);
        });
        Post(acme, "/new-account", AcmeEndpoint.NewAccount);
        Post(acme, "/account/{id:int}", AcmeEndpoint.Account);
        Post(acme, "/account/{id:int}/orders", AcmeEndpoint.AccountOrders);
        Post(acme, "/key-change", AcmeEndpoint.KeyChange);
        Post(acme, "/new-order", AcmeEndpoint.NewOrder);
        Post(acme, "/order/{id:int}", AcmeEndpoint.Order);
        Post(acme, "/order/{id:int}/finalize", AcmeEndpoint.Finalize);
        Post(acme, "/authz/{id:int}", AcmeEndpoint.Authorization);
        Post(acme, "/chall/{id:int}", AcmeEndpoint.Challenge);
        Post(acme, "/cert/{id:int}", AcmeEndpoint.Certificate);
        Post(acme, "/cert/{id:int}/alt/{alt:int}", AcmeEndpoint.Certificate);
        Post(acme, "/revoke-cert", AcmeEndpoint.RevokeCert);
        return endpoints;
    }

    private static void Post(RouteGroupBuilder acme, string pattern, AcmeEndpoint endpoint) =>
        acme.MapPost(pattern, async (HttpContext http, AcmeServer server, CancellationToken cancellationToken) =>
        {
            var ca = int.Parse((string)http.Request.RouteValues["ca"]!, CultureInfo.InvariantCulture);
            int? id = http.Request.RouteValues.TryGetValue("id", out var value) && value is string text
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            // A certificate's alternate chain (RFC 8555 §7.4.2): /cert/{id}/alt/{n}, n from 1.
            var alternate = http.Request.RouteValues.TryGetValue("alt", out var alt) && alt is string altText
                && int.TryParse(altText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            var answer = alternate == 0 && http.Request.RouteValues.ContainsKey("alt")
                ? new AcmeProblem("about:blank", "Alternate chains are numbered from 1; the default chain is at the certificate's own URL.", 404)
                : await HandleAsync(http, server, ca, endpoint, id, alternate, cancellationToken).ConfigureAwait(false);
            await WriteAsync(http, server, ca, answer).ConfigureAwait(false);
        });

    private static async Task<AcmeResponse> HandleAsync(HttpContext http, AcmeServer server, int ca, AcmeEndpoint endpoint, int? id, int alternate,
        CancellationToken cancellationToken)
    {
        var type = http.Request.ContentType;
        if (type is null || !type.Split(';')[0].Trim().Equals(JoseContentType, StringComparison.OrdinalIgnoreCase))
        {
            return AcmeProblem.UnsupportedMediaType($"ACME requests are sent as {JoseContentType} (RFC 8555 §6.2).");
        }

        if (http.Request.ContentLength > AcmeJws.MaxBodyBytes)
        {
            return AcmeProblem.TooLarge($"The request body is {http.Request.ContentLength} bytes; an ACME request is at most {AcmeJws.MaxBodyBytes} bytes.");
        }

        var body = await ReadBoundedAsync(http, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return AcmeProblem.TooLarge($"The request body is larger than {AcmeJws.MaxBodyBytes} bytes, the most an ACME request may be.");
        }

        return await server.PostAsync(Context(http, ca), endpoint, id, alternate, body, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var buffer = new byte[AcmeJws.MaxBodyBytes + 1];
        var total = 0;
        int read;
        try
        {
            while (total < buffer.Length && (read = await http.Request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return total > AcmeJws.MaxBodyBytes ? null : buffer[..total];
    }

    private static AcmeRequestContext Context(HttpContext http, int ca)
    {
        var request = http.Request;
        var origin = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return new AcmeRequestContext(ca, new AcmeUrls(origin + AcmeUrls.PathPrefix(ca)), origin + request.Path,
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    private static async Task WriteAsync(HttpContext http, AcmeServer server, int ca, AcmeResponse answer)
    {
        var response = http.Response;
        response.StatusCode = answer.Status;
        response.Headers["Replay-Nonce"] = server.Nonces.Issue();
        response.Headers.CacheControl = "no-store";
        var links = new List<string> { AcmeResponse.Link(Context(http, ca).Urls.Directory, "index") };
        links.AddRange(answer.Links);
        response.Headers.Link = links.ToArray();
        if (answer.Location is not null)
        {
            response.Headers.Location = answer.Location;
        }

        if (answer.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (answer.Text is not null)
        {
            response.ContentType = answer.ContentType;
            await response.WriteAsync(answer.Text, http.RequestAborted).ConfigureAwait(false);
        }
        else if (answer.Json is not null)
        {
            response.ContentType = answer.ContentType;
            await response.WriteAsync(answer.Json.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
        }
    }
}
