using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SynoCertPanel.Web.Api;

/// <summary>
/// Reads a JSON request body by hand, so that every way it can be wrong is a problem document saying which: not JSON
/// (415), too large (413), not parseable or with an unknown field (400). Minimal APIs' own binding answers these with
/// a bare status, and a misspelt field would be silently ignored.
/// </summary>
internal static class ApiJsonBody
{
    /// <summary>Requests to create certificates are a few hundred bytes; this leaves room for many names and nothing more.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // The web defaults read "90" as 90; a string where a number belongs is a mistake worth hearing about.
        NumberHandling = JsonNumberHandling.Strict,
        MaxDepth = 8,
        AllowTrailingCommas = false,
    };

    /// <summary>
    /// For a call whose every field has a default: no body at all (no Content-Type, no content, as <c>curl -X POST</c>
    /// sends) is an empty object; anything else is read as <see cref="ReadAsync{T}"/> reads it.
    /// </summary>
    public static Task<(T? Value, ProblemHttpResult? Problem)> ReadOptionalAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        var noBody = request.ContentLength == 0
            || request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false;
        return request.ContentType is null && noBody
            ? Task.FromResult<(T?, ProblemHttpResult?)>((new T(), null))
            : ReadAsync<T>(request, cancellationToken);
    }

    /// <param name="request">The request whose body is read.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <param name="maxBytes">The most this call accepts; an upload of certificate files takes more than <see cref="MaxBytes"/>.</param>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken,
        int maxBytes = MaxBytes)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ApiProblems.Result(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options);
            return value is null ? (null, ApiProblems.BadRequest("The body is empty or null; send a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            // The parser's own message names the field or position, and never echoes more than a property name.
            return (null, ApiProblems.BadRequest($"The body is not the JSON this call takes: {Display.Literal(e.Message, 300)}"));
        }
    }

    public static ProblemHttpResult TooLarge(int maxBytes) => ApiProblems.Result(StatusCodes.Status413PayloadTooLarge, "Payload too large",
        string.Create(CultureInfo.InvariantCulture, $"The body is larger than this call accepts ({maxBytes} bytes)."));
}
