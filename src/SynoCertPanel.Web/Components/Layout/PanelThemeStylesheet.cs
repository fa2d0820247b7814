using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace SynoCertPanel.Web.Components.Layout;

/// <summary>
/// The panel's palette (<see cref="PanelPalette"/>) as a stylesheet, for the pages that run without a circuit (sign-in,
/// setup, /trust, not found): MudBlazor's own theme provider renders the CSS variables once, light in <c>:root</c> and
/// dark under <c>prefers-color-scheme: dark</c>. A file rather than a <c>&lt;style&gt;</c> element, so those pages'
/// Content-Security-Policy needs no <c>'unsafe-inline'</c>.
/// </summary>
internal static partial class PanelThemeStylesheet
{
    public const string Path = "/panel-theme.css";

    public static async Task<string> BuildAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        var light = await RulesAsync(renderer, dark: false).ConfigureAwait(false);
        var dark = await RulesAsync(renderer, dark: true).ConfigureAwait(false);
        return $"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n";
    }

    private static Task<string> RulesAsync(HtmlRenderer renderer, bool dark) => renderer.Dispatcher.InvokeAsync(async () =>
    {
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(MudThemeProvider.Theme)] = PanelPalette.Theme,
            [nameof(MudThemeProvider.IsDarkMode)] = dark,
        });
        var html = (await renderer.RenderComponentAsync<MudThemeProvider>(parameters).ConfigureAwait(false)).ToHtmlString();
        return string.Join('\n', StyleElement().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Trim()));
    });

    [GeneratedRegex("<style[^>]*>(.*?)</style>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex StyleElement();
}
