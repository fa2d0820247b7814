using Microsoft.AspNetCore.Antiforgery;

namespace SynoCertPanel.Web.Protection;

/// <summary>
/// Answers 413 for a form post to a Blazor page whose body went over the limit. The antiforgery middleware reads the
/// form of every post to an endpoint that asks for a token (every Razor component accepts a form post for static
/// rendering), catches the failure itself and only records the request as invalid: the page then answered 500, with
/// no log line saying why, for what is only a body too large, and nothing reached <see cref="OversizedBodyMiddleware"/>.
/// Goes right after UseAntiforgery.
/// </summary>
internal sealed class OversizedFormMiddleware(RequestDelegate next, ProtectionOptions options, ILogger<OversizedBodyMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context) =>
        context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false, Error: var error } && OversizedBodyMiddleware.IsBodyTooLarge(error)
            ? OversizedBodyMiddleware.RefuseAsync(context, options, logger)
            : next(context);
}
