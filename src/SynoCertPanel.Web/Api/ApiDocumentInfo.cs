using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SynoCertPanel.Core.Tokens;

namespace SynoCertPanel.Web.Api;

/// <summary>The document's title, what every call has in common, and the bearer scheme with the scopes a token can hold.</summary>
internal sealed class ApiDocumentInfo : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "SynoCertPanel API",
            Version = ApiDocument.Name,
            Description = """
                The certificates of this panel over HTTPS, for scripts and other panels: the same services and the same checks as
                the pages and the command line.

                Every call needs a bearer token (`Authorization: Bearer scp_…`) made on the command line with
                `synocertpanel token create --name NAME --scope SCOPE…`; each operation names the scopes it needs. A browser's
                sign-in cookie opens no call. Errors are `application/problem+json` documents whose `detail` is the sentence the
                page would show. Each token may make a limited number of calls a minute (300 unless the panel's
                `SynoCertPanel:Api:RequestsPerMinute` says otherwise); over that, 429 with `Retry-After`.
                """,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[ApiDocument.SecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "scp_ID_SECRET",
            Description = "A token of this panel. Its scopes: " + string.Join(", ", ApiScopes.All) +
                ". Only the SHA-256 of the secret is kept, so a lost secret means a new token.",
        };
        // The endpoints' WithTags made the tags; they get their descriptions here.
        var described = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CertificateEndpoints.Tag] = "The inventory: list, show, create, renew, sign for other boxes, serve on the panel and delete certificates.",
            [RequestEndpoints.Tag] = "Certificate signing requests made here, whose keys wait here for the signed certificates.",
            [AuthorityEndpoints.Tag] = "The CAs held here.",
            [AuditEndpoints.Tag] = "Every change and refusal, whoever made it.",
            [BoxEndpoints.Tag] = "The lab's other boxes: how certificates reach them, what each endpoint serves, deploys and their history.",
            [ServiceEndpoints.Tag] = "Which certificate each service uses (the panel's listener, each box); changed through the certificate and box calls.",
            [AlertEndpoints.Tag] = "Where the panel says that an endpoint changed state or a deploy failed (ntfy, Gotify, signed webhook, e-mail), and what it sent.",
            [AcmeDirectoryEndpoints.Tag] = "Each CA held here as an ACME directory (RFC 8555) that boxes get and renew certificates from by themselves: its policy, EAB keys, accounts, orders, and the names validation resolves.",
        };
        document.Tags = new HashSet<OpenApiTag>(document.Tags?.Where(t => t.Name is not null && !described.ContainsKey(t.Name)) ?? []);
        foreach (var (name, description) in described)
        {
            document.Tags.Add(new OpenApiTag { Name = name, Description = description });
        }
        // The server is where the document was fetched from; OpenAPI wants its URL without the trailing slash.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        return Task.CompletedTask;
    }
}
