using System.Text;

namespace SynoCertPanel.Web.Trust;

/// <summary>
/// A POSIX shell script that installs one root on Linux: the system store (Debian/Ubuntu
/// update-ca-certificates, Fedora/RHEL update-ca-trust) and the user's NSS database, because Chrome
/// and Chromium on Linux do not read the system store (TRUST-RULES.md, Linux row).
/// SYNOCERT_TRUST_SCOPE=user skips the system store (no sudo); =system skips NSS.
/// The certificate is embedded, and only characters from the safe file name, the hex fingerprint and
/// base64 reach the script, so a CA's subject can never inject a command.
/// </summary>
public static class LinuxTrustScript
{
    public const string ContentType = "text/x-shellscript; charset=utf-8";

    public static string Create(TrustedRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var script = new StringBuilder();
        script.Append("#!/bin/sh\n");
        script.Append("# Trusts a SynoCertPanel root CA on Linux: the system store and Chrome/Chromium's NSS database.\n");
        script.Append("# SYNOCERT_TRUST_SCOPE=user skips the system store (no sudo); SYNOCERT_TRUST_SCOPE=system skips NSS.\n");
        script.Append("set -eu\n");
        script.Append("name='").Append(root.FileName).Append("'\n");
        script.Append("fingerprint='").Append(root.Sha256Fingerprint).Append("'\n");
        script.Append("scope=\"${SYNOCERT_TRUST_SCOPE:-all}\"\n");
        script.Append(Body);
        script.Append("cat > \"$pem\" <<'SYNOCERT_ROOT_CA'\n").Append(root.Certificate.ToPem().TrimEnd('\n')).Append("\nSYNOCERT_ROOT_CA\n");
        script.Append(Install);
        return script.ToString();
    }

    private const string Body = """
        case "$scope" in all|system|user) ;; *) echo "SYNOCERT_TRUST_SCOPE must be all, system or user" >&2; exit 2 ;; esac
        pem=$(mktemp)
        trap 'rm -f "$pem"' EXIT
        echo "Root CA $name"
        echo "SHA-256 $fingerprint  (compare with the fingerprint on the panel's trust page)"

        """;

    private const string Install = """
        if [ "$scope" != user ]; then
          sudo=""
          [ "$(id -u)" -ne 0 ] && sudo="sudo"
          if [ -d /usr/local/share/ca-certificates ] && command -v update-ca-certificates >/dev/null 2>&1; then
            $sudo install -m 0644 "$pem" "/usr/local/share/ca-certificates/$name.crt"
            $sudo update-ca-certificates
          elif [ -d /etc/pki/ca-trust/source/anchors ] && command -v update-ca-trust >/dev/null 2>&1; then
            $sudo install -m 0644 "$pem" "/etc/pki/ca-trust/source/anchors/$name.crt"
            $sudo update-ca-trust
          else
            echo "Neither update-ca-certificates nor update-ca-trust is here: the system store is unchanged." >&2
          fi
        fi
        if [ "$scope" != system ]; then
          if ! command -v certutil >/dev/null 2>&1; then
            echo "certutil is missing (Debian/Ubuntu: libnss3-tools, Fedora: nss-tools): Chrome/Chromium will not trust the CA." >&2
            exit 1
          fi
          db="$HOME/.pki/nssdb"
          if [ ! -f "$db/cert9.db" ]; then
            mkdir -p "$db"
            certutil -d "sql:$db" -N --empty-password
          fi
          certutil -d "sql:$db" -D -n "$name" >/dev/null 2>&1 || true
          certutil -d "sql:$db" -A -t "C,," -n "$name" -i "$pem"
          echo "Chrome/Chromium (NSS database $db) now trusts $name; restart the browser."
        fi

        """;
}
