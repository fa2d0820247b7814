using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Components.Certificates;

/// <summary>
/// Which toolbar buttons a selection enables, and why a button is not: the reason is shown on the disabled button.
/// Only obvious impossibilities disable a button; the service still decides, and the delete dialog says beforehand
/// what it will refuse.
/// </summary>
public static class ToolbarRules
{
    public const string NothingSelected = "Select a certificate in the list first.";
    public const string Busy = "Wait until the current operation has finished.";

    public static string? WhyNotEdit(CertificateSummary? selected) => selected is null ? NothingSelected : null;

    public static string? WhyNotExport(CertificateSummary? selected) => selected is null ? NothingSelected : null;

    public static string? WhyNotRenew(CertificateSummary? selected) => selected switch
    {
        null => NothingSelected,
        { IsCertificateAuthority: true } => "A CA is not renewed here: create a new CA on the Authorities page and issue new certificates from it.",
        _ => null,
    };

    public static string? WhyNotSetDefault(CertificateSummary? selected) => selected switch
    {
        null => NothingSelected,
        { IsDefault: true } => "The panel already serves this certificate.",
        { IsCertificateAuthority: true } => "A CA certificate cannot serve HTTPS: choose a server certificate it issued.",
        { HasPrivateKey: false } => "Its private key is not held here, so the panel cannot serve it.",
        _ => null,
    };

    public static string? WhyNotDelete(CertificateSummary? selected) => selected is null ? NothingSelected : null;
}
