using System.Text.RegularExpressions;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Boxes.Proxmox;

/// <summary>The settings of a Proxmox VE or Backup Server box, their checks, and the values one call reads from a target.</summary>
internal static partial class ProxmoxOptions
{
    public const string Node = "node";
    public const string TokenId = "token-id";
    public const string TokenSecret = "token-secret";

    public static IReadOnlyList<DeliveryOption> All { get; } =
    [
        BoxTls.UrlOptionFor("Proxmox address",
            "The HTTPS address of the API: https://pve.home.arpa:8006 for Proxmox VE; Proxmox Backup Server takes the same call on port 8007 (https://pbs.home.arpa:8007).",
            "https://pve.home.arpa:8006"),
        new(Node, "Node", "The node whose certificate is replaced, as the web interface lists it (pve1); on a Backup Server it is localhost.",
            Required: true, Validate: ValidateNode),
        new(TokenId, "API token id", "user@realm!tokenid, made under Datacenter > Permissions > API Tokens; it needs Sys.Modify on /nodes/NODE (VE) or on / (Backup Server).",
            Required: true, Validate: ValidateTokenId),
        new(TokenSecret, "API token secret", "The secret shown once when the token was made.",
            Required: true, Secret: true, Validate: ValidateTokenSecret),
        .. BoxTls.TrustOptions,
    ];

    /// <summary>A node name is a host name without dots (Proxmox's pve-node format): it goes into the API path.</summary>
    public static string? ValidateNode(string value) =>
        NodePattern().IsMatch(value) ? null : $"The node \"{Display.Literal(value, 60)}\" is not a Proxmox node name: letters, digits and dashes, up to 63, as the web interface lists it (pve1).";

    /// <summary>Proxmox's userid (user@realm) and token name; '=' and whitespace would break the Authorization header.</summary>
    public static string? ValidateTokenId(string value) =>
        TokenIdPattern().IsMatch(value) ? null : $"The API token id \"{Display.Literal(value, 80)}\" is not user@realm!tokenid (for example certs@pve!panel).";

    /// <summary>Never repeats the value: it is the token's secret.</summary>
    public static string? ValidateTokenSecret(string value) =>
        TokenSecretPattern().IsMatch(value) ? null : "The API token secret is not one Proxmox makes (letters, digits and dashes, as 0b1c2d3e-…); check the file holds only the secret.";

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NodePattern();

    [GeneratedRegex(@"^[^\s:/@!=]{1,64}@[A-Za-z][A-Za-z0-9._-]{0,31}![A-Za-z][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenSecretPattern();
}

/// <summary>What one Proxmox call needs, read and checked from a target.</summary>
internal sealed record ProxmoxSettings(Uri Url, string Node, string TokenId, string TokenSecret)
{
    /// <summary>The documented header: <c>PVEAPIToken=user@realm!tokenid=secret</c> (Proxmox Backup Server reads the same form).</summary>
    public string Authorization => $"PVEAPIToken={TokenId}={TokenSecret}";

    public static Result<ProxmoxSettings> From(DeliveryTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var url = target.Setting(BoxTls.UrlOption);
        var node = target.Setting(ProxmoxOptions.Node);
        var tokenId = target.Setting(ProxmoxOptions.TokenId);
        var secret = target.SecretValue(ProxmoxOptions.TokenSecret);
        if (url is null || node is null || tokenId is null || secret is null)
        {
            return Result.Failure<ProxmoxSettings>($"The box {target.BoxName} needs the Proxmox address, node, API token id and secret before the panel can call it.");
        }

        var problem = BoxTls.ValidateUrl(url, "https://pve.home.arpa:8006")
            ?? ProxmoxOptions.ValidateNode(node)
            ?? ProxmoxOptions.ValidateTokenId(tokenId)
            ?? ProxmoxOptions.ValidateTokenSecret(secret);
        return problem is null
            ? Result.Success(new ProxmoxSettings(new Uri(url.Trim()), node, tokenId, secret))
            : Result.Failure<ProxmoxSettings>(problem);
    }
}
