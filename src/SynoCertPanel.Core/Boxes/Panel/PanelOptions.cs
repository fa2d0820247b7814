using SynoCertPanel.Core.Tokens;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Boxes.Panel;

/// <summary>The settings of a box that is another SynoCertPanel, their checks, and the values one call reads from a target.</summary>
internal static class PanelOptions
{
    /// <summary>Not "token": the command line's --token-file already names the token of a remote panel the command runs against.</summary>
    public const string Token = "api-token";

    /// <summary>What the token must hold: the list finds what the panel serves, the rest makes the request and installs its certificate.</summary>
    public static readonly string Scopes = $"{ApiScopes.CertificatesRead} and {ApiScopes.CertificatesWrite}";

    public static IReadOnlyList<DeliveryOption> All { get; } =
    [
        BoxTls.UrlOptionFor("Panel address",
            "The HTTPS address of the other SynoCertPanel, as its browser address bar shows it (https://nas2.home.arpa:8443).",
            "https://nas2.home.arpa:8443"),
        new(Token, "API token",
            $"A token made on the other panel (Settings > API tokens, or `token create`) with the scopes {Scopes}; its secret (scp_…) is shown once there.",
            Required: true, Secret: true, Validate: ValidateToken),
        .. BoxTls.TrustOptions,
    ];

    /// <summary>Never repeats the value: it is the token's secret.</summary>
    public static string? ValidateToken(string value) =>
        ApiTokenSecret.Parse(value.Trim()) is null
            ? $"The API token is not one a SynoCertPanel makes ({ApiTokenSecret.Prefix}ID_SECRET, shown once when the token was made); check the file holds only the token."
            : null;
}

/// <summary>What one call to the other panel needs, read and checked from a target.</summary>
internal sealed record PanelSettings(Uri Url, string Token)
{
    public static Result<PanelSettings> From(DeliveryTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var url = target.Setting(BoxTls.UrlOption);
        var token = target.SecretValue(PanelOptions.Token);
        if (url is null || token is null)
        {
            return Result.Failure<PanelSettings>($"The box {target.BoxName} needs the other panel's address and an API token before the panel can call it.");
        }

        var problem = BoxTls.ValidateUrl(url, "https://nas2.home.arpa:8443") ?? PanelOptions.ValidateToken(token);
        return problem is null
            ? Result.Success(new PanelSettings(new Uri(url.Trim()), token.Trim()))
            : Result.Failure<PanelSettings>(problem);
    }
}
