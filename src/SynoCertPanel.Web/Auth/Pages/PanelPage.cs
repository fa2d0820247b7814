using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace SynoCertPanel.Web.Auth.Pages;

/// <summary>
/// Server-rendered pages for signing in and account settings, in the panel's frame (<see cref="PublicPageFrame"/>): they
/// must work before the Blazor UI (and its circuit) is allowed to load. Every value is HTML-encoded; every form carries
/// an antiforgery token.
/// </summary>
internal static class PanelPage
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    /// <summary>A page with the body on a card under the title; <c>barLinks</c> go at the right end of the app bar.</summary>
    public static IResult Html(string title, string body, int statusCode = StatusCodes.Status200OK, string barLinks = "") =>
        new HtmlResult(PublicPageFrame.Render(title,
            $"<div class=\"mud-paper mud-elevation-1 panel-public-card\"><h1 class=\"mud-typography mud-typography-h5\">{E(title)}</h1>\n{body}</div>",
            barLinks), statusCode);

    public static string Error(string? message) => message is null ? string.Empty : Alert("error", E(message), "alert");

    /// <summary>A MudBlazor text alert of <paramref name="severity"/> ("error", "info") around <paramref name="html"/>.</summary>
    public static string Alert(string severity, string html, string role = "status") =>
        $"<div class=\"mud-alert mud-alert-text-{severity} panel-public-alert\" role=\"{role}\"><div class=\"mud-alert-position\"><div class=\"mud-alert-message\">{html}</div></div></div>";

    /// <summary>A labelled input; an <c>error</c> (what is wrong with the value) shows under it and is announced with it.</summary>
    public static string Field(string label, string name, string type, string autocomplete, string? value = null, bool autofocus = false, string? error = null) =>
        $"<div class=\"panel-field\"><label for=\"{E(name)}\" class=\"mud-typography mud-typography-body2\">{E(label)}</label>"
        + $"<input id=\"{E(name)}\" name=\"{E(name)}\" type=\"{E(type)}\" autocomplete=\"{E(autocomplete)}\" class=\"panel-input\""
        + (value is null ? string.Empty : $" value=\"{E(value)}\"")
        + (autofocus ? " autofocus" : string.Empty)
        + (error is null ? string.Empty : $" aria-invalid=\"true\" aria-describedby=\"{E(name)}-error\"") + " required>"
        + (error is null ? string.Empty : $"<p class=\"panel-field-error\" id=\"{E(name)}-error\" data-testid=\"field-error\">{E(error)}</p>")
        + "</div>";

    public static string Hidden(string name, string? value) => $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";

    /// <summary>A form with its antiforgery token; a filled button in the primary colour, or an outlined one for a secondary action.</summary>
    public static string Form(HttpContext context, string action, string fields, string button, bool primary = true)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var style = primary ? "mud-button-filled mud-button-filled-primary" : "mud-button-outlined";
        return $"<form method=\"post\" action=\"{E(action)}\" class=\"panel-form\">{Hidden(tokens.FormFieldName, tokens.RequestToken)}{fields}"
            + $"<div class=\"panel-form-actions\"><button type=\"submit\" class=\"mud-button-root mud-button {style}\"><span class=\"mud-button-label\">{E(button)}</span></button></div></form>";
    }

    /// <summary>The form when its antiforgery token is valid, else null: the post came from another site or a stale page.</summary>
    public static async Task<IFormCollection?> ReadValidatedFormAsync(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return null;
        }

        return await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static IResult FormRefused() => Html("Form not accepted",
        Error("This form has expired or was sent from another site. Go back, reload the page and try again.")
        + "<p><a href=\"/\" class=\"panel-public-link\">Back to the panel</a></p>",
        StatusCodes.Status400BadRequest);

    private sealed class HtmlResult(string html, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            // Pages carry antiforgery tokens and account details: never from a cache.
            httpContext.Response.Headers.CacheControl = "no-store";
            return httpContext.Response.WriteAsync(html, Encoding.UTF8);
        }
    }
}
