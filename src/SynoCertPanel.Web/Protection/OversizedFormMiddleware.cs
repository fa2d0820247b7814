using Microsoft.AspNetCore.Antiforgery;

namespace SynoCertPanel.Web.Protection;

/// <summary>
/// Answers 413 for a form post to a Blazor page whose body went over the limit. The antiforgery middleware reads the
/// form of every post to an endpoint that asks for a token (every Razor component accepts a form post for static
/// rendering), catches the failure itself and only records the request as invalid, so the page would answer 400 "no
/// antiforgery token" for what is a body too large; nothing reaches <see cref="OversizedBodyMiddleware"/>. Goes right
/// after UseAntiforgery.
/// </summary>
internal sealed class OversizedFormMiddleware(RequestDelegate next, ProtectionOptions options, ILogger<OversizedBodyMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context) =>
        context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false, Error: var error } && OversizedBodyMiddleware.IsBodyTooLarge(error)
            ? OversizedBodyMiddleware.RefuseAsync(context, options, logger)
            : next(context);
}
