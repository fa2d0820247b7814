using System.Globalization;

using Microsoft.AspNetCore.Http.Features;

namespace SynoCertPanel.Web.Protection;

/// <summary>
/// Answers 413 when a request body goes over the size limit (<see cref="ProtectionOptions.MaxRequestBodySize"/> or an
/// endpoint's own), wherever the body was read. Kestrel signals it by throwing from the read, and the read happens
/// deep inside: antiforgery reads the form to find its token and wraps the failure in an
/// AntiforgeryValidationException, so every form endpoint would otherwise answer 500 and log a stack trace for
/// what is only a client sending too much.
/// </summary>
internal sealed partial class OversizedBodyMiddleware(RequestDelegate next, ProtectionOptions options, ILogger<OversizedBodyMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (IsBodyTooLarge(e) && !context.Response.HasStarted)
        {
            await RefuseAsync(context, options, logger).ConfigureAwait(false);
        }
    }

    /// <summary>The 413 and its one log line, for a request whose body went over the limit.</summary>
    internal static async Task RefuseAsync(HttpContext context, ProtectionOptions options, ILogger logger)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? options.MaxRequestBodySize;
        BodyTooLarge(logger, context.Request.Method, context.Request.Path.Value ?? string.Empty, limit);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(
            string.Create(CultureInfo.InvariantCulture, $"The request is larger than the panel accepts here ({limit} bytes). Go back and send less."),
            context.RequestAborted).ConfigureAwait(false);
    }

    internal static bool IsBodyTooLarge(Exception? e) =>
        e is not null && (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } || IsBodyTooLarge(e.InnerException));

    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, Message = "Refused {Method} {Path} with 413: the body is larger than the {Limit} bytes allowed")]
    private static partial void BodyTooLarge(ILogger logger, string method, string path, long? limit);
}
