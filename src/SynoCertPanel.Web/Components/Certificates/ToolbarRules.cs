using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Components.Certificates;

/// <summary>
/// Which toolbar buttons a selection enables. Only obvious impossibilities disable a button; the service
/// still decides and its refusal is shown (e.g. deleting the default certificate explains why not).
/// </summary>
public static class ToolbarRules
{
    public static bool CanExport(CertificateSummary? selected) => selected is not null;

    public static bool CanRenew(CertificateSummary? selected) => selected is { IsCertificateAuthority: false };

    public static bool CanSetDefault(CertificateSummary? selected) =>
        selected is { IsDefault: false, HasPrivateKey: true, IsCertificateAuthority: false };

    public static bool CanDelete(CertificateSummary? selected) => selected is not null;
}
