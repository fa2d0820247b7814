using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Web.Api;

namespace SynoCertPanel.Web.Tests.Api;

/// <summary>The OpenAPI document at /api/v1/openapi.json against the endpoints and behaviour of the running panel.</summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private ApiPanel _api = null!;

    public async Task InitializeAsync() => _api = await ApiPanel.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Document_WithoutToken_IsServedAsOpenApi31()
    {
        var response = await _api.GetAsync(ApiDocument.Path, token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.1.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("SynoCertPanel API", document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Document_ListsExactlyTheEndpointsUnderApiV1()
    {
        var routed = _api.Panel.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(ApiExtensions.Prefix, StringComparison.OrdinalIgnoreCase) == true)
            // The answer to every other path, and the document itself, are not calls of the API.
            .Where(e => e.RoutePattern.RawText is not (ApiExtensions.Prefix + "/{**path}") and not ApiDocument.Path)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        using var document = await DocumentAsync();
        var described = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(p => Methods.Contains(p.Name)).Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(new[]
        {
            "DELETE /api/v1/alerts/{channel}", "DELETE /api/v1/boxes/{box}", "DELETE /api/v1/certificates/{id}", "DELETE /api/v1/requests/{id}",
            "GET /api/v1/acme", "GET /api/v1/acme/resolver", "GET /api/v1/acme/{id}", "GET /api/v1/acme/{id}/accounts", "GET /api/v1/acme/{id}/eab-keys",
            "GET /api/v1/acme/{id}/orders",
            "GET /api/v1/alerts", "GET /api/v1/alerts/history", "GET /api/v1/audit", "GET /api/v1/authorities",
            "GET /api/v1/authorities/{id}", "GET /api/v1/boxes", "GET /api/v1/boxes/{box}", "GET /api/v1/boxes/{box}/deployments",
            "GET /api/v1/certificates", "GET /api/v1/certificates/{id}",
            "GET /api/v1/certificates/{id}/export/{format}", "GET /api/v1/requests", "GET /api/v1/requests/{id}", "GET /api/v1/services",
            "PATCH /api/v1/acme/{id}", "PATCH /api/v1/alerts/{channel}", "PATCH /api/v1/boxes/{box}",
            "POST /api/v1/acme/{id}/accounts/{account}/deactivate", "POST /api/v1/acme/{id}/disable", "POST /api/v1/acme/{id}/eab-keys",
            "POST /api/v1/acme/{id}/eab-keys/{keyId}/revoke",
            "POST /api/v1/alerts", "POST /api/v1/alerts/{channel}/test",
            "POST /api/v1/boxes", "POST /api/v1/boxes/{box}/check", "POST /api/v1/boxes/{box}/deploy", "POST /api/v1/boxes/{box}/test",
            "POST /api/v1/certificates", "POST /api/v1/certificates/import", "POST /api/v1/certificates/sign",
            "POST /api/v1/certificates/{id}/default", "POST /api/v1/certificates/{id}/export/{format}",
            "POST /api/v1/certificates/{id}/renew", "POST /api/v1/requests",
            "PUT /api/v1/acme/resolver", "PUT /api/v1/acme/{id}",
        }, routed);
        Assert.Equal(routed, described);
    }

    [Fact]
    public async Task Document_EveryOperation_NamesTheScopeThePanelEnforces()
    {
        using var document = await DocumentAsync();
        var operations = Operations(document).ToList();
        Assert.NotEmpty(operations);

        foreach (var (method, path, operation) in operations)
        {
            var scopes = operation.GetProperty("security").EnumerateArray().Single().GetProperty(ApiDocument.SecurityScheme)
                .EnumerateArray().Select(s => s.GetString()!).ToList();
            Assert.NotEmpty(scopes);
            foreach (var scope in scopes)
            {
                // A token with every other scope is refused for want of exactly this one.
                var others = await _api.CreateTokenAsync($"all but {scope} for {method} {path}", [.. ApiScopes.All.Where(s => s != scope)]);
                var call = path.Replace("{id}", "1", StringComparison.Ordinal).Replace("{format}", "pem", StringComparison.Ordinal);
                var response = await _api.SendAsync(new HttpMethod(method), call, "Bearer " + others.Secret);

                Assert.Contains($"lacks the scope {scope},", await ApiPanel.ProblemDetailAsync(response, 403), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Document_EveryOperation_DescribesTheProblemAnswersWithExamples()
    {
        using var document = await DocumentAsync();
        var expected = new Dictionary<string, string[]>
        {
            ["GET /api/v1/certificates"] = ["200", "400", "401", "403", "429"],
            ["GET /api/v1/certificates/{id}"] = ["200", "400", "401", "403", "404", "429"],
            ["POST /api/v1/certificates"] = ["201", "400", "401", "403", "413", "415", "429"],
            ["POST /api/v1/certificates/import"] = ["201", "400", "401", "403", "413", "415", "429"],
            ["GET /api/v1/certificates/{id}/export/{format}"] = ["200", "400", "401", "403", "404", "429"],
            ["POST /api/v1/certificates/{id}/export/{format}"] = ["200", "400", "401", "403", "404", "413", "415", "429"],
            ["POST /api/v1/certificates/sign"] = ["201", "400", "401", "403", "413", "415", "429"],
            ["POST /api/v1/certificates/{id}/renew"] = ["201", "400", "401", "403", "404", "409", "413", "415", "429"],
            ["POST /api/v1/certificates/{id}/default"] = ["200", "400", "401", "403", "404", "409", "413", "415", "429"],
            ["DELETE /api/v1/certificates/{id}"] = ["200", "400", "401", "403", "404", "409", "429"],
            ["GET /api/v1/requests"] = ["200", "401", "403", "429"],
            ["GET /api/v1/requests/{id}"] = ["200", "400", "401", "403", "404", "429"],
            ["POST /api/v1/requests"] = ["201", "400", "401", "403", "413", "415", "429"],
            ["DELETE /api/v1/requests/{id}"] = ["200", "400", "401", "403", "404", "429"],
            ["GET /api/v1/boxes"] = ["200", "401", "403", "429"],
            ["GET /api/v1/boxes/{box}"] = ["200", "401", "403", "404", "429"],
            ["POST /api/v1/boxes"] = ["201", "400", "401", "403", "413", "415", "429"],
            ["DELETE /api/v1/boxes/{box}"] = ["200", "401", "403", "404", "429"],
            ["POST /api/v1/boxes/{box}/test"] = ["200", "401", "403", "404", "429"],
            ["POST /api/v1/boxes/{box}/deploy"] = ["200", "400", "401", "403", "404", "413", "415", "429"],
            ["POST /api/v1/boxes/{box}/check"] = ["200", "401", "403", "404", "429"],
            ["GET /api/v1/boxes/{box}/deployments"] = ["200", "401", "403", "404", "429"],
            ["GET /api/v1/services"] = ["200", "401", "403", "429"],
            ["PATCH /api/v1/boxes/{box}"] = ["200", "400", "401", "403", "404", "413", "415", "429"],
            ["GET /api/v1/alerts"] = ["200", "401", "403", "429"],
            ["POST /api/v1/alerts"] = ["201", "400", "401", "403", "413", "415", "429"],
            ["GET /api/v1/alerts/history"] = ["200", "400", "401", "403", "429"],
            ["PATCH /api/v1/alerts/{channel}"] = ["200", "400", "401", "403", "404", "413", "415", "429"],
            ["DELETE /api/v1/alerts/{channel}"] = ["200", "401", "403", "404", "429"],
            ["POST /api/v1/alerts/{channel}/test"] = ["200", "401", "403", "404", "429"],
            ["GET /api/v1/authorities"] = ["200", "401", "403", "429"],
            ["GET /api/v1/authorities/{id}"] = ["200", "400", "401", "403", "404", "429"],
            ["GET /api/v1/audit"] = ["200", "400", "401", "403", "429"],
            ["GET /api/v1/acme"] = ["200", "401", "403", "429"],
            ["GET /api/v1/acme/resolver"] = ["200", "401", "403", "429"],
            ["PUT /api/v1/acme/resolver"] = ["200", "400", "401", "403", "413", "415", "429"],
            ["GET /api/v1/acme/{id}"] = ["200", "400", "401", "403", "404", "429"],
            ["PUT /api/v1/acme/{id}"] = ["200", "400", "401", "403", "404", "413", "415", "429"],
            ["PATCH /api/v1/acme/{id}"] = ["200", "400", "401", "403", "404", "413", "415", "429"],
            ["POST /api/v1/acme/{id}/disable"] = ["200", "400", "401", "403", "404", "429"],
            ["GET /api/v1/acme/{id}/eab-keys"] = ["200", "400", "401", "403", "404", "429"],
            ["POST /api/v1/acme/{id}/eab-keys"] = ["201", "400", "401", "403", "404", "413", "415", "429"],
            ["POST /api/v1/acme/{id}/eab-keys/{keyId}/revoke"] = ["200", "400", "401", "403", "404", "429"],
            ["GET /api/v1/acme/{id}/accounts"] = ["200", "400", "401", "403", "404", "429"],
            ["POST /api/v1/acme/{id}/accounts/{account}/deactivate"] = ["200", "400", "401", "403", "404", "429"],
            ["GET /api/v1/acme/{id}/orders"] = ["200", "400", "401", "403", "404", "429"],
        };

        foreach (var (method, path, operation) in Operations(document))
        {
            var responses = operation.GetProperty("responses");
            Assert.Equal(expected[$"{method} {path}"], responses.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
            foreach (var response in responses.EnumerateObject())
            {
                var content = response.Value.GetProperty("content");
                if (response.Name.StartsWith('2') && !content.TryGetProperty("application/json", out _))
                {
                    // A file: each media type it may come as, binary unless it is PEM text (which has an example).
                    Assert.All(content.EnumerateObject(), file => Assert.True(file.Value.GetProperty("schema").TryGetProperty("format", out _)
                        || file.Value.TryGetProperty("example", out _), $"{method} {path} {file.Name}"));
                    Assert.True(response.Value.GetProperty("headers").TryGetProperty("Content-Disposition", out _));
                    continue;
                }

                var mediaType = response.Name.StartsWith('2') ? "application/json" : "application/problem+json";
                var media = content.GetProperty(mediaType);
                Assert.True(media.TryGetProperty("example", out var example), $"{method} {path} {response.Name} has no example");
                if (!response.Name.StartsWith('2'))
                {
                    Assert.Equal(int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture), example.GetProperty("status").GetInt32());
                    Assert.Equal("#/components/schemas/ProblemDetails", media.GetProperty("schema").GetProperty("$ref").GetString());
                }
            }

            if (operation.TryGetProperty("requestBody", out var body))
            {
                var json = body.GetProperty("content").GetProperty("application/json");
                Assert.Matches("^#/components/schemas/[A-Za-z]+Body$", json.GetProperty("schema").GetProperty("$ref").GetString());
                foreach (var form in body.GetProperty("content").EnumerateObject())
                {
                    Assert.Equal(JsonValueKind.Object, form.Value.GetProperty("example").ValueKind);
                }
            }

            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()));
        }
    }

    [Fact]
    public async Task Document_SchemaPropertyNames_AreTheNamesTheApiAnswersWith()
    {
        var token = await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead);
        using var list = JsonDocument.Parse(await (await _api.GetAsync("/api/v1/certificates", token.Secret)).Content.ReadAsStringAsync());
        var item = list.RootElement.GetProperty("items")[0];
        using var shown = JsonDocument.Parse(await (await _api.GetAsync($"/api/v1/certificates/{item.GetProperty("id").GetInt32()}", token.Secret)).Content.ReadAsStringAsync());

        using var document = await DocumentAsync();
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        Assert.Equal(Names(list.RootElement), SchemaNames(schemas, "CertificateList"));
        Assert.Equal(Names(item), SchemaNames(schemas, "CertificateItem"));
        Assert.Equal(Names(shown.RootElement), SchemaNames(schemas, "CertificateDocument"));
        Assert.All(SchemaNames(schemas, "CreateCertificateBody"), name => Assert.True(char.IsLower(name[0]), name));
        // A nested document's own description is its type's, not that of a property that holds it.
        Assert.StartsWith("One certificate:", schemas.GetProperty("CertificateDocument").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("A CA held here", schemas.GetProperty("AuthorityItem").GetProperty("description").GetString(), StringComparison.Ordinal);
        foreach (var schema in new[]
        {
            "CertificateList", "CertificateItem", "CertificateDocument", "CreateCertificateBody", "CreateRequestBody", "PendingRequestItem",
            "PendingRequestList", "PendingRequestDocument", "CancelledRequestDocument", "RenewCertificateBody", "SetDefaultBody", "SignRequestBody",
            "RenewalDocument", "DefaultCertificateDocument", "DeletedCertificateDocument", "AuthorityItem", "AuthorityList", "IssuedCertificateItem",
            "AuthorityDocument", "AuditEventItem", "AuditEventList", "ImportCertificateBody", "ExportKeyBody",
            "AcmeDirectoryItem", "AcmeDirectoryList", "AcmePolicyBody", "AcmeEabKeyItem", "AcmeEabKeyList", "AcmeEabKeyCreatedDocument",
            "CreateAcmeEabKeyBody", "AcmeAccountItem", "AcmeAccountList", "AcmeOrderItem", "AcmeOrderList", "AcmeResolverDocument", "SetAcmeResolverBody",
        })
        {
            foreach (var property in schemas.GetProperty(schema).GetProperty("properties").EnumerateObject())
            {
                // A nullable nested document is "one of null or the reference", and its description sits beside the reference.
                var described = property.Value.TryGetProperty("oneOf", out var choices) ? choices.EnumerateArray().Last() : property.Value;
                Assert.True(described.TryGetProperty("description", out var text) && text.GetString()!.Length > 5, $"{schema}.{property.Name} has no description");
                // Numbers are numbers: the API reads them strictly, so the schema must not offer "integer or string".
                if (property.Value.TryGetProperty("format", out var format) && format.GetString() == "int32")
                {
                    Assert.DoesNotContain("string", property.Value.GetProperty("type").ToString(), StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public async Task Document_ListParameters_AreEachAcceptedByTheList_WithTheirExamples()
    {
        var token = await _api.CreateTokenAsync("reader", ApiScopes.CertificatesRead);
        using var document = await DocumentAsync();
        var parameters = document.RootElement.GetProperty("paths").GetProperty("/api/v1/certificates").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().ToList();

        Assert.Equal(new[] { "search", "sort", "descending", "offset", "limit", "includeReplaced" }, parameters.Select(p => p.GetProperty("name").GetString()));
        foreach (var parameter in parameters)
        {
            var name = parameter.GetProperty("name").GetString()!;
            var value = parameter.TryGetProperty("example", out var example) ? example : parameter.GetProperty("schema").GetProperty("default");
            var text = value.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => value.ToString(),
            };

            var response = await _api.GetAsync($"/api/v1/certificates?{name}={Uri.EscapeDataString(text)}", token.Secret);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}={text}: {await response.Content.ReadAsStringAsync()}");
        }

        // And a name the document does not list is refused, as the description says.
        var unknown = await _api.GetAsync("/api/v1/certificates?limt=10", token.Secret);
        Assert.StartsWith("There is no parameter \"limt\"", await ApiPanel.ProblemDetailAsync(unknown, 400), StringComparison.Ordinal);
    }

    private async Task<JsonDocument> DocumentAsync()
    {
        var response = await _api.GetAsync(ApiDocument.Path, token: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonDocument document) =>
        document.RootElement.GetProperty("paths").EnumerateObject().SelectMany(path =>
            path.Value.EnumerateObject().Where(p => Methods.Contains(p.Name)).Select(op => (op.Name.ToUpperInvariant(), path.Name, op.Value)));

    private static List<string> Names(JsonElement value) => [.. value.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static List<string> SchemaNames(JsonElement schemas, string name) =>
        [.. schemas.GetProperty(name).GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
