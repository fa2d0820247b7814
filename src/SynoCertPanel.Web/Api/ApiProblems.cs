using Microsoft.AspNetCore.Http.HttpResults;

namespace SynoCertPanel.Web.Api;

/// <summary>Every API error is an RFC 9457 problem document whose detail is the sentence the page would show.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult Result(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static ProblemHttpResult BadRequest(string detail) => Result(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static ProblemHttpResult NotFound(string detail) => Result(StatusCodes.Status404NotFound, "Not found", detail);

    public static Task Write(HttpContext context, int status, string title, string detail) => Result(status, title, detail).ExecuteAsync(context);
}
