using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace SynoCertPanel.Web.Auth.Pages;

/// <summary>
/// Plain server-rendered pages for signing in and account settings: they must work before the Blazor UI
/// (and its circuit) is allowed to load. Every value is HTML-encoded; every form carries an antiforgery token.
/// </summary>
internal static class PanelPage
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem;line-height:1.4}"
        + "label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;box-sizing:border-box}"
        + "button{margin-top:1rem;padding:.5rem 1.2rem}.error{color:#b00020;font-weight:600}code{font-size:1.1rem}"
        // Follows the device's light or dark setting (these pages run no script to read the panel's toggle).
        + ":root{color-scheme:light dark}body{background:#fff;color:#1b1b1b}"
        + "@media (prefers-color-scheme:dark){body{background:#121212;color:#e8e8e8}.error{color:#ff8a80}a{color:#9ecbff}}";

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    public static IResult Html(string title, string body, int statusCode = StatusCodes.Status200OK) =>
        new HtmlResult(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + $"<title>{E(title)} · SynoCertPanel</title><style>{Style}</style></head><body><h1>{E(title)}</h1>{body}</body></html>",
            statusCode);

    public static string Error(string? message) =>
        message is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{E(message)}</p>";

    public static string Field(string label, string name, string type, string autocomplete, string? value = null, bool autofocus = false) =>
        $"<label for=\"{E(name)}\">{E(label)}</label><input id=\"{E(name)}\" name=\"{E(name)}\" type=\"{E(type)}\" autocomplete=\"{E(autocomplete)}\""
        + (value is null ? string.Empty : $" value=\"{E(value)}\"")
        + (autofocus ? " autofocus" : string.Empty) + " required>";

    public static string Hidden(string name, string? value) => $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";

    public static string Form(HttpContext context, string action, string fields, string button)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<form method=\"post\" action=\"{E(action)}\">{Hidden(tokens.FormFieldName, tokens.RequestToken)}{fields}"
            + $"<button type=\"submit\">{E(button)}</button></form>";
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
        "<p class=\"error\" role=\"alert\">This form has expired or was sent from another site. Go back, reload the page and try again.</p>",
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
