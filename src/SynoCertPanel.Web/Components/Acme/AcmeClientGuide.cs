using System.Globalization;
using SynoCertPanel.Core.Acme;

namespace SynoCertPanel.Web.Components.Acme;

/// <summary>What one ACME client needs typed: the commands or settings, and how it is told to trust the home CA.</summary>
/// <param name="Key">A stable name for tests and anchors (certbot, lego, …).</param>
/// <param name="Client">The client as its users know it.</param>
/// <param name="Text">Ready to paste: a shell session, a config file or the steps of a web form.</param>
/// <param name="Trust">How this client trusts the root, in one sentence.</param>
public sealed record AcmeClientInstructions(string Key, string Client, string Text, string Trust);

/// <summary>
/// The instructions for each client the lab's boxes run. Every flag is the client's own (certbot 2.1, lego 4.9,
/// uacme 1.7 and Caddy 2.6 checked against their --help and <c>caddy adapt</c>); EAB values are placeholders, since the
/// HMAC key is only ever shown when it is made.
/// </summary>
/// <param name="directoryUrl">The directory URL the clients are given.</param>
/// <param name="rootUrl">Where the root the CA chains to is downloaded (/trust).</param>
/// <param name="policy">The directory's policy: EAB, the http-01 port and the names the example uses.</param>
/// <param name="rootFingerprint">The root's SHA-256 fingerprint (hex), written into the fetch so a box installs only that root.</param>
public sealed class AcmeClientGuide(string directoryUrl, string rootUrl, AcmePolicy policy, string rootFingerprint)
{
    public const string KeyIdPlaceholder = "EAB_KEY_ID";
    public const string HmacPlaceholder = "EAB_HMAC_KEY";
    public const string RootFile = "/usr/local/share/ca-certificates/home-lab-root.crt";
    public const string Email = "admin@example.home.arpa";

    private bool Eab => policy.RequireEab;

    private bool OtherHttpPort => policy.HttpPort != 80;

    private string Port => policy.HttpPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>A name the directory would issue for, so the commands work once the name is changed to the box's own.</summary>
    public string ExampleName
    {
        get
        {
            if (policy.AllowedNames.PermittedDnsSuffixes is [var suffix, ..])
            {
                return "nas." + suffix.TrimStart('.');
            }

            return policy.AllowedNames.PermittedIpRanges is [var range, ..]
                ? range.ToString().Split('/')[0]
                : "nas.home.arpa";
        }
    }

    public IReadOnlyList<AcmeClientInstructions> All =>
        [Certbot, AcmeSh, Lego, Uacme, Caddy, Traefik, Proxmox, OpnSense];

    /// <summary>
    /// Fetching the root into the system's store, the first step for the clients that use it. The box does not trust the
    /// panel yet (that is the point), so the file is fetched with <c>curl -k</c> and installed only when its SHA-256
    /// fingerprint is the one written into the line, as /trust's Linux line does.
    /// </summary>
    private string FetchRoot =>
        $"f=$(mktemp) && curl -fsSk -o \"$f\" '{rootUrl}' && openssl x509 -in \"$f\" -noout -fingerprint -sha256 | tr -d : \\\n"
        + $"  | grep -qi '={rootFingerprint}$' && sudo cp \"$f\" {RootFile}; rm -f \"$f\"\n";

    private AcmeClientInstructions Certbot => new("certbot", "certbot",
        FetchRoot
        + $"sudo REQUESTS_CA_BUNDLE={RootFile} certbot certonly --standalone \\\n"
        + $"  --server {directoryUrl} \\\n"
        + $"  --agree-tos -m {Email} \\\n"
        + (Eab ? $"  --eab-kid {KeyIdPlaceholder} --eab-hmac-key {HmacPlaceholder} \\\n" : "")
        + (OtherHttpPort ? $"  --http-01-port {Port} \\\n" : "")
        + $"  -d {ExampleName}",
        "certbot trusts the root through REQUESTS_CA_BUNDLE; keep it set for certbot renew (for example in the systemd unit's Environment=).");

    private AcmeClientInstructions AcmeSh => new("acme.sh", "acme.sh",
        FetchRoot
        + $"acme.sh --register-account --server {directoryUrl} --ca-bundle {RootFile} -m {Email}"
        + (Eab ? $" \\\n  --eab-kid {KeyIdPlaceholder} --eab-hmac-key {HmacPlaceholder}" : "") + "\n"
        + $"acme.sh --issue --server {directoryUrl} --ca-bundle {RootFile} --standalone"
        + (OtherHttpPort ? $" --httpport {Port}" : "") + $" -d {ExampleName}",
        "acme.sh is given the root with --ca-bundle and keeps it for its renewals.");

    private AcmeClientInstructions Lego => new("lego", "lego",
        FetchRoot
        + $"LEGO_CA_CERTIFICATES={RootFile} lego --server {directoryUrl} \\\n"
        + $"  --accept-tos --email {Email} \\\n"
        + (Eab ? $"  --eab --kid {KeyIdPlaceholder} --hmac {HmacPlaceholder} \\\n" : "")
        + $"  --domains {ExampleName} --http" + (OtherHttpPort ? $" --http.port :{Port}" : "") + " run",
        "lego trusts the root named in LEGO_CA_CERTIFICATES; renew with the same variable and lego ... renew.");

    private AcmeClientInstructions Uacme => new("uacme", "uacme",
        FetchRoot
        + "sudo update-ca-certificates\n"
        + $"uacme -y -a {directoryUrl}" + (Eab ? $" -e {KeyIdPlaceholder}:{HmacPlaceholder}" : "") + $" new {Email}\n"
        + $"uacme -a {directoryUrl} -h /usr/share/uacme/uacme.sh issue {ExampleName}",
        "uacme uses the system's store, so the root is added with update-ca-certificates. Its hook writes the http-01 token "
        + $"into a web server's /.well-known/acme-challenge/, served on port {Port}.");

    private AcmeClientInstructions Caddy => new("caddy", "Caddy",
        $"# Caddyfile; save the root from {rootUrl} as /etc/caddy/home-lab-root.crt\n"
        + $"{ExampleName} {{\n"
        + $"\ttls {Email} {{\n"
        + $"\t\tca {directoryUrl}\n"
        + "\t\tca_root /etc/caddy/home-lab-root.crt\n"
        + (Eab ? $"\t\teab {KeyIdPlaceholder} {HmacPlaceholder}\n" : "")
        + "\t}\n"
        + "\treverse_proxy 127.0.0.1:8080\n"
        + "}",
        "Caddy trusts the root named by ca_root for talking to the directory.");

    private AcmeClientInstructions Traefik => new("traefik", "Traefik",
        $"# traefik.yml (static configuration); save the root from {rootUrl} as /etc/traefik/home-lab-root.crt\n"
        + "certificatesResolvers:\n"
        + "  homelab:\n"
        + "    acme:\n"
        + $"      caServer: {directoryUrl}\n"
        + $"      email: {Email}\n"
        + "      storage: /etc/traefik/acme.json\n"
        + (Eab ? $"      eab:\n        kid: {KeyIdPlaceholder}\n        hmacEncoded: {HmacPlaceholder}\n" : "")
        + "      httpChallenge:\n"
        + "        entryPoint: web\n"
        + "# and in Traefik's environment (docker-compose environment: or the systemd unit):\n"
        + "LEGO_CA_CERTIFICATES=/etc/traefik/home-lab-root.crt",
        "Traefik's ACME client is lego, so it trusts the root named in LEGO_CA_CERTIFICATES. The web entry point must be "
        + $"reachable on port {Port}.");

    private AcmeClientInstructions Proxmox => new("proxmox", "Proxmox VE",
        FetchRoot
        + "sudo update-ca-certificates\n"
        + $"pvenode acme account register homelab {Email} --directory {directoryUrl}\n"
        + $"pvenode config set --acme account=homelab,domains={ExampleName}\n"
        + "pvenode acme cert order",
        "Proxmox VE trusts the system's store, so the root is added with update-ca-certificates."
        + (Eab ? $" When it registers, it asks for the EAB key id ({KeyIdPlaceholder}) and HMAC key ({HmacPlaceholder})." : ""));

    private AcmeClientInstructions OpnSense => new("opnsense", "OPNsense",
        $"1. System > Trust > Authorities > Add: Method \"Import an existing Certificate Authority\", paste the root from {rootUrl}.\n"
        + "2. System > Firmware > Plugins: install os-acme-client.\n"
        + "3. Services > ACME Client > Accounts > Add:\n"
        + "   ACME CA: Custom CA URL\n"
        + $"   Custom CA URL: {directoryUrl}\n"
        + (Eab ? $"   EAB Key ID: {KeyIdPlaceholder}\n   EAB HMAC Key: {HmacPlaceholder}\n" : "")
        + $"   E-Mail Address: {Email}\n"
        + $"4. Services > ACME Client > Certificates > Add: Common Name {ExampleName}, the account above, an HTTP-01 challenge type.",
        "OPNsense trusts the CAs under System > Trust > Authorities.");
}
