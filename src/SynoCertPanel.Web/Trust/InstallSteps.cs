using System.Net;
using System.Text.RegularExpressions;

namespace SynoCertPanel.Web.Trust;

/// <summary>
/// Per-client steps, worded as TRUST-RULES.md ("Installing the root on clients") gives them. Constant
/// HTML written here; nothing from a certificate or a request goes in.
/// </summary>
public static partial class InstallSteps
{
    public static string Title(ClientPlatform platform) => platform switch
    {
        ClientPlatform.MacOs => "macOS",
        ClientPlatform.Ios => "iOS / iPadOS",
        ClientPlatform.Windows => "Windows",
        ClientPlatform.Android => "Android",
        ClientPlatform.Linux => "Linux",
        ClientPlatform.Firefox => "Firefox",
        _ => throw new ArgumentOutOfRangeException(nameof(platform)),
    };

    /// <summary>The steps as HTML, each command laid out by <see cref="CommandHtml"/> so a phone breaks it only between words.</summary>
    public static string Html(ClientPlatform platform) => CodeElement().Replace(Steps(platform), m => CommandHtml.Code(WebUtility.HtmlDecode(m.Groups[1].Value)));

    [GeneratedRegex("<code>([^<]*)</code>", RegexOptions.CultureInvariant)]
    private static partial Regex CodeElement();

    private static string Steps(ClientPlatform platform) => platform switch
    {
        ClientPlatform.MacOs => """
            <ol>
            <li>Download the <b>.crt</b> file. Open Keychain Access and import it into the <b>System</b> keychain.</li>
            <li>Double-click it (Get Info) → <b>Trust</b> → “When using this certificate”: <b>Always Trust</b>.</li>
            </ol>
            <p>Or in Terminal: <code>sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ca.crt</code>.
            Or open the <b>.mobileconfig</b> profile and install it in System Settings.</p>
            """,
        ClientPlatform.Ios => """
            <ol>
            <li>Open the <b>.mobileconfig</b> profile in <b>Safari</b> (other browsers cannot install profiles) and allow the download.</li>
            <li>Settings → <b>Profile Downloaded</b> → <b>Install</b>.</li>
            <li>Settings → General → About → <b>Certificate Trust Settings</b> → turn on <b>full trust</b> for the root. Without this step the profile is installed but websites are still not trusted.</li>
            </ol>
            """,
        ClientPlatform.Windows => """
            <ol>
            <li>Download the <b>.cer</b> file and double-click it → <b>Install Certificate…</b> → <b>Local Machine</b>.</li>
            <li>“Place all certificates in the following store” → <b>Trusted Root Certification Authorities</b> → Finish.</li>
            </ol>
            <p>Or in an administrator prompt: <code>certutil -addstore -f Root ca.cer</code>. Or the MMC Certificates snap-in (Computer account) → Trusted Root Certification Authorities → Import.</p>
            """,
        ClientPlatform.Android => """
            <ol>
            <li>Download the <b>.cer</b> (or <b>.crt</b>) file.</li>
            <li>Settings → Security → Encryption &amp; credentials → <b>Install a certificate</b> → <b>CA certificate</b>, and pick the file.</li>
            </ol>
            <p><b>Caveat:</b> Chrome trusts a CA installed this way, but most apps do not: since Android 7 apps ignore user-installed CAs unless they opt in.</p>
            """,
        ClientPlatform.Linux => """
            <p>Run the <b>Linux script</b> for the CA (it shows the fingerprint, installs into the system store with sudo, and into Chrome's NSS database), or by hand:</p>
            <ul>
            <li>Debian/Ubuntu: copy the .crt file to <code>/usr/local/share/ca-certificates/NAME.crt</code>, then <code>sudo update-ca-certificates</code>.</li>
            <li>Fedora/RHEL: copy it to <code>/etc/pki/ca-trust/source/anchors/</code>, then <code>sudo update-ca-trust</code>.</li>
            <li>Chrome/Chromium on Linux do <b>not</b> read the system store: also run <code>certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n NAME -i ca.crt</code> (package <code>libnss3-tools</code> or <code>nss-tools</code>), then restart the browser.</li>
            </ul>
            <p>Only Chrome's part, without sudo: <code>SYNOCERT_TRUST_SCOPE=user sh script.sh</code>.</p>
            """,
        ClientPlatform.Firefox => """
            <p>Firefox has its own certificate store: Settings → Privacy &amp; Security → Certificates → <b>View Certificates…</b> → <b>Authorities</b> → <b>Import…</b> the .crt file and tick “Trust this CA to identify websites”.</p>
            <p>Managed machines: the enterprise policy <code>Certificates.Install</code>. On Windows and macOS Firefox can also use the OS store (<code>security.enterprise_roots.enabled</code>).</p>
            """,
        _ => throw new ArgumentOutOfRangeException(nameof(platform)),
    };
}
