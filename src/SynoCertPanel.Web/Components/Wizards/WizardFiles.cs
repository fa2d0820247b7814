using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Web.Components.Common;

namespace SynoCertPanel.Web.Components.Wizards;

/// <summary>Downloads the wizards offer, all made by <see cref="ExportService"/> (and audited there).</summary>
public static class WizardFiles
{
    /// <summary>
    /// The root CA as PEM named .crt: the name macOS, iOS, Android and Debian's update-ca-certificates expect for a CA file.
    /// </summary>
    public static ExportedFile AsCrt(ExportedFile pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return pem with { FileName = Path.ChangeExtension(pem.FileName, ".crt"), ContentType = "application/x-x509-ca-cert" };
    }

    /// <summary>Hands the file to the browser; returns the service's refusal, or null when it was sent.</summary>
    public static async Task<string?> SaveAsync(BrowserFiles files, Result<ExportedFile> exported)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(exported);
        if (!exported.IsSuccess)
        {
            return exported.Error;
        }

        await files.SaveAsync(exported.Value).ConfigureAwait(false);
        return null;
    }
}
