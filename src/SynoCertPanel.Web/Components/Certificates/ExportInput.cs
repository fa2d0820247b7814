using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Components.Certificates;

/// <summary>The export dialog's checks before the service is asked: what is missing, and which formats cannot apply.</summary>
public static class ExportInput
{
    public const string Pkcs12PasswordMissing = "A PKCS#12 file holds the private key: give it a password.";
    public const string PasswordsDiffer = "The two file passwords differ: type the same password twice.";
    public const string AccountPasswordMissing = "Enter your account password to export the private key.";

    public static string? Problem(ExportChoice choice, string? filePassword, string? filePasswordAgain, string? accountPassword)
    {
        ArgumentNullException.ThrowIfNull(choice);
        if (!choice.ContainsKey)
        {
            return null;
        }

        if (choice.IsPkcs12 && string.IsNullOrEmpty(filePassword))
        {
            return Pkcs12PasswordMissing;
        }

        if (choice.Format != ExportFormat.SynologyZip && (filePassword ?? string.Empty) != (filePasswordAgain ?? string.Empty))
        {
            return PasswordsDiffer;
        }

        return string.IsNullOrEmpty(accountPassword) ? AccountPasswordMissing : null;
    }

    /// <summary>Why a format cannot be chosen for this certificate, or null when it can.</summary>
    public static string? UnavailableReason(ExportChoice choice, CertificateDetails details)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(details);
        if (choice.ContainsKey && !details.Summary.HasPrivateKey)
        {
            return "Not available: the private key is not held here.";
        }

        return choice.Format == ExportFormat.Chain && details.Chain.Count == 0
            ? "Not available: no issuer certificates are stored with it."
            : null;
    }
}
