using Microsoft.AspNetCore.Mvc;

namespace SynoCertPanel.Web.Api;

/// <summary>An example for the OpenAPI document: of the response with that status.</summary>
public sealed record ApiExample(int Status, object Value);

public static class ApiExamples
{
    /// <summary>Attaches an example that <see cref="ApiOperationDetails"/> writes into the endpoint's operation.</summary>
    public static TBuilder WithExample<TBuilder>(this TBuilder builder, int status, object value)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ApiExample(status, value));

    /// <summary>A problem document as <see cref="ApiProblems"/> writes it.</summary>
    public static ProblemDetails Problem(int status, string title, string detail) => new()
    {
        Status = status,
        Title = title,
        Detail = detail,
    };
}
