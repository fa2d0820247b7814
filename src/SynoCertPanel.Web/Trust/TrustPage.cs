using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Trust;

/// <summary>
/// The public /trust page, rendered on the server as plain HTML (the Blazor page replaces it with the
/// UI). Every value that comes from a certificate or a request is HTML-encoded here; the rest is constant.
/// </summary>
public static class TrustPage
{
    /// <summary>Stylesheets from the panel itself and nothing else: no script, no inline style, no frame, no other site.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public sealed record Model(
        Result<IReadOnlyList<TrustedRoot>> Roots,
        IReadOnlyList<ClientPlatform> Platforms,
        ClientPlatform? Device,
        Uri? PageAddress,
        string? QrSvg,
        string? QrError,
        string HostInput,
        string PortInput)
    {
        /// <summary>The certificate this very page was served with, when the listener is the panel's own.</summary>
        public Pki.Certificates.Certificate? Served { get; init; }

        /// <summary>The steps shown open, first: the visitor's OS (and Firefox when that is the browser).</summary>
        public IReadOnlyList<ClientPlatform> ForThisDevice { get; init; } = Device is { } device ? [device] : [];

        /// <summary>Whether the visitor is signed in: the app bar leads back to the panel, else to the sign-in.</summary>
        public bool SignedIn { get; init; }
    }

    public static string Render(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = new StringBuilder();
        html.Append("""
            <h1 class="mud-typography mud-typography-h5">Trust the certificates of this panel</h1>
            <p>Install a root CA below once on each device. Afterwards every certificate this panel issues from it opens without a warning.
            Compare the SHA-256 fingerprint with the one your device shows before you trust it.</p>
            <div class="panel-trust-grid">
            <section class="panel-trust-cas" aria-labelledby="cas-heading"><h2 id="cas-heading">Certificate authorities</h2>

            """);
        AppendRoots(html, model);
        html.Append("</section>\n");
        AppendQr(html, model);
        AppendSteps(html, model);
        html.Append("</div>\n");
        var back = model.SignedIn ? "Back to the panel" : "Sign in";
        return Auth.Pages.PublicPageFrame.Render("Trust this panel's certificates", html.ToString(),
            Auth.Pages.PublicPageFrame.BarLink("/", back, "trust-back"), width: "wide");
    }

    /// <summary>The visitor's own platforms open and first; every other one folded, a click away.</summary>
    private static void AppendSteps(StringBuilder html, Model model)
    {
        html.Append("<section class=\"panel-trust-steps\" aria-labelledby=\"install-heading\"><h2 id=\"install-heading\">Install steps</h2>\n");
        foreach (var platform in model.Platforms.Where(model.ForThisDevice.Contains))
        {
            html.Append(CultureInfo.InvariantCulture, $"<section id=\"steps-{Id(platform)}\" class=\"mud-paper mud-elevation-1 panel-trust-platform\"><h3>{InstallSteps.Title(platform)}");
            html.Append(platform == model.Device ? " (this device)" : string.Empty);
            html.Append("</h3>\n").Append(InstallSteps.Html(platform)).Append("</section>\n");
        }

        var others = model.Platforms.Where(p => !model.ForThisDevice.Contains(p)).ToList();
        if (others.Count > 0)
        {
            html.Append(model.ForThisDevice.Count > 0 ? "<h3>Other devices and browsers</h3>\n" : string.Empty);
            foreach (var platform in others)
            {
                html.Append(CultureInfo.InvariantCulture, $"<details id=\"steps-{Id(platform)}\" class=\"mud-paper mud-elevation-1 panel-trust-platform\"><summary>{InstallSteps.Title(platform)}</summary>\n")
                    .Append(InstallSteps.Html(platform)).Append("</details>\n");
            }
        }

        html.Append("</section>\n");
    }

    private static string Id(ClientPlatform platform) => platform.ToString().ToLowerInvariant();

    private static void AppendRoots(StringBuilder html, Model model)
    {
        if (!model.Roots.IsSuccess)
        {
            html.Append("<p class=\"error\">").Append(Encode(model.Roots.Error!)).Append("</p>\n");
            return;
        }

        if (model.Roots.Value.Count == 0)
        {
            html.Append("<p>No certificate authority is held here yet. Create one (wizard or <code>synocertpanel ca create</code>), then come back.</p>\n");
            return;
        }

        var signer = model.Served is { } served ? TrustCatalog.SignerOf(model.Roots.Value, served) : null;
        AppendServedBy(html, model.Served, signer);
        foreach (var root in model.Roots.Value)
        {
            var link = $"/trust/ca/{root.Id.ToString(CultureInfo.InvariantCulture)}";
            html.Append("<section class=\"ca mud-paper mud-elevation-1 panel-trust-ca\"").Append(root == signer ? " id=\"served-by\"" : string.Empty).Append("><h3>")
                .Append(Encode(root.DisplayName)).Append(root.IsBootstrap ? " — " + BootstrapAuthority.Label : string.Empty)
                .Append(root == signer ? " (signed this page's certificate)" : string.Empty).Append("</h3>\n");
            if (root.IsBootstrap)
            {
                html.Append("<p>The panel made this CA for itself on its first start, to serve HTTPS before you had a CA of your own. ")
                    .Append("Install it only while the panel still serves a certificate from it.</p>\n");
            }

            html.Append("<p>Subject: ")
                .Append(Encode(root.Certificate.SubjectText)).Append("<br>Valid until ")
                .Append(root.Certificate.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Append("<br>SHA-256 <code class=\"panel-mono\">").Append(root.Sha256Fingerprint).Append("</code></p>\n<p>")
                .Append(CultureInfo.InvariantCulture, $"<a href=\"{link}.crt\">PEM (.crt)</a> · <a href=\"{link}.cer\">DER (.cer)</a> · ")
                .Append(CultureInfo.InvariantCulture, $"<a href=\"{link}.mobileconfig\">Apple profile (.mobileconfig)</a> · <a href=\"{link}.sh\">Linux script</a></p>\n");
            if (model.PageAddress is { } page && LinuxTrustCommand.Create(root, new Uri(page, $"{link}.crt")) is { } command)
            {
                html.Append("<details><summary>Debian/Ubuntu: one command</summary><p>Debian/Ubuntu in one line (installs only a certificate with the fingerprint above): ")
                    .Append(CommandHtml.Code(command)).Append("</p></details>\n");
            }

            html.Append("</section>\n");
        }
    }

    private static void AppendServedBy(StringBuilder html, Pki.Certificates.Certificate? served, TrustedRoot? signer)
    {
        if (served is null)
        {
            return;
        }

        html.Append("<p data-testid=\"served-by\">This page reaches you with the certificate for <code>")
            .Append(Encode(served.Subject.CommonName ?? string.Join(", ", served.SubjectAlternativeNames))).Append("</code>, ");
        html.Append(signer is null
            ? "which no CA held here signed (issuer: " + Encode(served.IssuerText) + ")."
            : "signed by <strong>" + Encode(signer.DisplayName) + "</strong>: install that CA to open this panel without a warning.");
        html.Append("</p>\n");
    }

    private static void AppendQr(StringBuilder html, Model model)
    {
        html.Append("<aside class=\"mud-paper mud-elevation-1 panel-trust-qr\" aria-labelledby=\"qr-heading\"><h2 id=\"qr-heading\">Open this page on a phone</h2>\n");
        if (model.QrSvg is not null && model.PageAddress is not null)
        {
            html.Append("<div class=\"qr\">").Append(model.QrSvg).Append("</div>\n<p>")
                .Append(Encode(model.PageAddress.AbsoluteUri)).Append("</p>\n");
        }

        if (model.QrError is not null)
        {
            html.Append("<p class=\"error\">").Append(Encode(model.QrError)).Append("</p>\n");
        }

        html.Append("<form method=\"get\" action=\"/trust\"><label>Host name or IP address <input class=\"panel-input\" name=\"host\" value=\"")
            .Append(Encode(model.HostInput)).Append("\"></label> <label>Port <input class=\"panel-input\" name=\"port\" size=\"6\" value=\"")
            .Append(Encode(model.PortInput)).Append("\"></label> <div class=\"panel-form-actions\"><button class=\"mud-button-root mud-button mud-button-outlined\">")
            .Append("<span class=\"mud-button-label\">Show QR code</span></button></div></form></aside>\n");
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(Display.Literal(text, 300));
}
