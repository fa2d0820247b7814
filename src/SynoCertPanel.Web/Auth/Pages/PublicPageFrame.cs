using System.Text.Encodings.Web;
using SynoCertPanel.Web.Components.Layout;

namespace SynoCertPanel.Web.Auth.Pages;

/// <summary>
/// The frame of the pages that run without a circuit (sign-in, setup, account, /trust, not found): the panel's app bar
/// and MudBlazor's own stylesheet with the panel's palette, in the device's light or dark setting. Stylesheets only,
/// from the panel itself: no script and no inline style, so a policy of <c>style-src 'self'</c> is enough.
/// </summary>
internal static class PublicPageFrame
{
    public const string ProductName = "SynoCertPanel";

    /// <summary>The layout rules of these pages, a file in wwwroot-assets.</summary>
    public const string Stylesheet = "/public-pages.css";

    public static readonly IReadOnlyList<string> Stylesheets =
        ["/_content/MudBlazor/MudBlazor.min.css", PanelThemeStylesheet.Path, "/app.css", Stylesheet];

    /// <param name="title">The page's title, before the product name.</param>
    /// <param name="main">The page's content (HTML).</param>
    /// <param name="barLinks">Links at the right end of the app bar (HTML).</param>
    /// <param name="width">"narrow" for a form on a card, "wide" for a page of text.</param>
    public static string Render(string title, string main, string barLinks = "", string width = "narrow") =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + $"<title>{Encode(title)} · {ProductName}</title>\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\">\n"
        + string.Concat(Stylesheets.Select(href => $"<link rel=\"stylesheet\" href=\"{href}\">\n"))
        + "</head><body>\n<header class=\"mud-appbar mud-appbar-dense mud-elevation-1 panel-public-bar\">"
        + "<div class=\"mud-toolbar mud-toolbar-gutters mud-toolbar-appbar\">"
        + $"<a href=\"/\" class=\"panel-public-home\"><img src=\"/logo.svg\" alt=\"\" class=\"panel-logo\"><span class=\"mud-typography mud-typography-h6\">{ProductName}</span></a>"
        + $"<span class=\"panel-public-spacer\"></span>{barLinks}</div></header>\n"
        + $"<main class=\"panel-public panel-public-{width}\">\n{main}\n</main>\n</body></html>\n";

    /// <summary>A link styled as a text button of the app bar.</summary>
    public static string BarLink(string href, string text, string? testId = null) =>
        $"<a class=\"mud-button-root mud-button mud-button-text panel-public-bar-link\" href=\"{Encode(href)}\""
        + (testId is null ? string.Empty : $" data-testid=\"{Encode(testId)}\"") + $"><span class=\"mud-button-label\">{Encode(text)}</span></a>";

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
