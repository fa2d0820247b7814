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
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

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
    }

    public static string Render(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Trust this panel's certificates — SynoCertPanel</title>
            <style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:1rem auto;padding:0 1rem;line-height:1.45}
            code{background:#f2f2f2;padding:0 .2em;word-break:break-all}section{border-top:1px solid #ddd;margin-top:1rem}
            .qr svg{width:12rem;height:12rem;background:#fff}.error{color:#a00}
            :root{color-scheme:light dark}body{background:#fff;color:#1b1b1b}
            @media (prefers-color-scheme:dark){body{background:#121212;color:#e8e8e8}code{background:#2a2a2a}section{border-color:#444}
            .error{color:#ff8a80}a{color:#9ecbff}}</style></head><body>
            <h1>Trust the certificates of this panel</h1>
            <p>Install a root CA below once on each device. Afterwards every certificate this panel issues from it opens without a warning.
            Compare the SHA-256 fingerprint with the one your device shows before you trust it.</p>
            <h2>Certificate authorities</h2>

            """);
        AppendRoots(html, model);
        html.Append("<h2>Install steps</h2>\n");
        foreach (var platform in model.Platforms)
        {
            html.Append(CultureInfo.InvariantCulture, $"<section id=\"steps-{platform.ToString().ToLowerInvariant()}\"><h3>{InstallSteps.Title(platform)}");
            html.Append(platform == model.Device ? " (this device)" : string.Empty);
            html.Append("</h3>\n").Append(InstallSteps.Html(platform)).Append("</section>\n");
        }

        AppendQr(html, model);
        html.Append("</body></html>\n");
        return html.ToString();
    }

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
            html.Append("<section class=\"ca\"").Append(root == signer ? " id=\"served-by\"" : string.Empty).Append("><h3>")
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
                .Append("<br>SHA-256 <code>").Append(root.Sha256Fingerprint).Append("</code></p>\n<p>")
                .Append(CultureInfo.InvariantCulture, $"<a href=\"{link}.crt\">PEM (.crt)</a> · <a href=\"{link}.cer\">DER (.cer)</a> · ")
                .Append(CultureInfo.InvariantCulture, $"<a href=\"{link}.mobileconfig\">Apple profile (.mobileconfig)</a> · <a href=\"{link}.sh\">Linux script</a></p>\n");
            if (model.PageAddress is { } page && LinuxTrustCommand.Create(root, new Uri(page, $"{link}.crt")) is { } command)
            {
                html.Append("<p>Debian/Ubuntu in one line (installs only a certificate with the fingerprint above): <code>")
                    .Append(HtmlEncoder.Default.Encode(command)).Append("</code></p>\n");
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
        html.Append("<h2>Open this page on a phone</h2>\n");
        if (model.QrSvg is not null && model.PageAddress is not null)
        {
            html.Append("<div class=\"qr\">").Append(model.QrSvg).Append("</div>\n<p>")
                .Append(Encode(model.PageAddress.AbsoluteUri)).Append("</p>\n");
        }

        if (model.QrError is not null)
        {
            html.Append("<p class=\"error\">").Append(Encode(model.QrError)).Append("</p>\n");
        }

        html.Append("<form method=\"get\" action=\"/trust\"><label>Host name or IP address <input name=\"host\" value=\"")
            .Append(Encode(model.HostInput)).Append("\"></label> <label>Port <input name=\"port\" size=\"6\" value=\"")
            .Append(Encode(model.PortInput)).Append("\"></label> <button>Show QR code</button></form>\n");
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(Display.Literal(text, 300));
}
