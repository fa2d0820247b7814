using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// The query string of <c>GET /api/v1/certificates</c>, read by hand so that every bad value is a 400 problem naming
/// the parameter (model binding would answer a bare 400), and an unknown or repeated parameter is refused rather than
/// ignored: a script with <c>limt=10</c> should hear about it, not get 100 rows.
/// </summary>
internal sealed record CertificateListParameters(CertificateQuery Query, int Offset, int Limit)
{
    public const int DefaultLimit = 100;

    /// <summary>Longer than any name, SAN or issuer a search could usefully match.</summary>
    public const int MaxSearchLength = 200;

    private static readonly string[] Known = ["search", "sort", "descending", "offset", "limit", "includeReplaced"];

    private static readonly Dictionary<string, CertificateSort> Sorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["expiry"] = CertificateSort.Expiry,
        ["description"] = CertificateSort.Description,
        ["commonName"] = CertificateSort.CommonName,
        ["issuer"] = CertificateSort.Issuer,
        ["created"] = CertificateSort.Created,
    };

    public static Result<CertificateListParameters> Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var problem = ApiQuery.Problem(query, Known, "the list");
        if (problem is not null)
        {
            return Fail(problem);
        }

        var search = ApiQuery.Text(query, "search");
        if (search is { Length: > MaxSearchLength })
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"\"search\" is {search.Length} characters long; at most {MaxSearchLength} are allowed."));
        }

        if (search is not null && search.Any(char.IsControl))
        {
            return Fail("\"search\" contains a control character.");
        }

        var sort = CertificateSort.Expiry;
        if (ApiQuery.Text(query, "sort") is { } sortText && !Sorts.TryGetValue(sortText, out sort))
        {
            return Fail($"\"sort\" must be one of {string.Join(", ", Sorts.Keys)}; \"{Display.Literal(sortText, 40)}\" was given.");
        }

        var descending = ApiQuery.Flag(query, "descending");
        var includeReplaced = ApiQuery.Flag(query, "includeReplaced");
        var offset = ApiQuery.Number(query, "offset", 0, 0, int.MaxValue);
        var limit = ApiQuery.Number(query, "limit", DefaultLimit, 1, CertificateQuery.MaxPageSize);
        problem = descending.Error ?? includeReplaced.Error ?? offset.Error ?? limit.Error;
        return problem is not null
            ? Fail(problem)
            : Result.Success(new CertificateListParameters(
                new CertificateQuery { Search = search, Sort = sort, Descending = descending.Value, IncludeReplaced = includeReplaced.Value },
                offset.Value, limit.Value));
    }

    /// <summary>The parameters for the OpenAPI document, from the same names, values and limits the parser checks.</summary>
    internal static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(Parameter("search", "Words that the description, names, SANs or issuer contain.",
            new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = MaxSearchLength }, "nas"));
        operation.Parameters.Add(Parameter("sort", "The order of the rows.", new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. Sorts.Keys.Select(k => (JsonNode)k)],
            Default = "expiry",
        }, "expiry"));
        operation.Parameters.Add(Parameter("descending", "Reverse the order.", new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = false }, null));
        operation.Parameters.Add(Parameter("offset", "How many rows of the whole to skip.",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Default = 0 }, null));
        operation.Parameters.Add(Parameter("limit", "How many rows to return at most.", new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = "1",
            Maximum = CertificateQuery.MaxPageSize.ToString(CultureInfo.InvariantCulture),
            Default = DefaultLimit,
        }, 50));
        operation.Parameters.Add(Parameter("includeReplaced", "Also list certificates that a renewal has replaced.",
            new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = false }, null));
        operation.Description += " An unknown or repeated parameter is refused (400), so a misspelt one is heard about.";
        return Task.CompletedTask;
    }

    private static OpenApiParameter Parameter(string name, string description, OpenApiSchema schema, JsonNode? example) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Schema = schema,
        Example = example,
    };

    private static Result<CertificateListParameters> Fail(string message) => Result.Failure<CertificateListParameters>(message);
}
