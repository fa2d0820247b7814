using System.Text.RegularExpressions;

namespace SynoCertPanel.Web.Trust;

/// <summary>
/// The Linux line on /trust for Debian and Ubuntu. It fetches the root's PEM with <c>curl -k</c> (the machine does not
/// trust the panel yet, which is the point), checks its SHA-256 fingerprint against the one the page shows, which is
/// written into the line itself, and only then copies it into the system store. Nothing fetched is ever run: the old
/// <c>curl -k … | sh</c> ran as root whatever answered on the network path, and a fetched script that checks itself
/// proves nothing.
/// </summary>
public static partial class LinuxTrustCommand
{
    public const string Refusal = "This is not the certificate shown on the trust page: nothing was installed.";

    /// <summary>The line, or null when <paramref name="certificateUrl"/> holds anything but plain URL characters.</summary>
    public static string? Create(TrustedRoot root, Uri certificateUrl)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(certificateUrl);
        // The address comes from the request (or the host typed for the QR code); it is checked as a host name or IP
        // address already, and this keeps anything a shell would read specially out of the line whatever changes there.
        var url = certificateUrl.AbsoluteUri;
        if (!PlainUrl().IsMatch(url))
        {
            return null;
        }

        // openssl prints "sha256 Fingerprint=AA:BB:…" (3.x) or "SHA256 Fingerprint=…" (1.1): colons out, case ignored.
        return $"f=$(mktemp) && curl -fsSk -o \"$f\" '{url}' && if openssl x509 -in \"$f\" -noout -fingerprint -sha256 | tr -d : "
            + $"| grep -qi '={root.Certificate.Sha256Fingerprint}$'; then s=; [ \"$(id -u)\" = 0 ] || s=sudo; "
            + $"$s cp \"$f\" /usr/local/share/ca-certificates/{root.FileName}.crt && $s update-ca-certificates; "
            + $"else echo '{Refusal}' >&2; fi; rm -f \"$f\"";
    }

    [GeneratedRegex(@"\Ahttps://[A-Za-z0-9.\-\[\]:]+/trust/ca/[0-9]+\.crt\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainUrl();
}
