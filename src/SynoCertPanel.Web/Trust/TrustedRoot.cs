using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Web.Trust;

/// <summary>A root CA held here, as the trust downloads see it: its id, its public certificate, nothing else.</summary>
public sealed record TrustedRoot(int Id, Certificate Certificate)
{
    /// <summary>Untrusted text from the certificate: escape it (HTML, XML) wherever it is shown.</summary>
    public string DisplayName => Certificate.Subject.CommonName ?? Certificate.SubjectText;

    /// <summary>The root the panel made for itself on its first start, shown as temporary.</summary>
    public bool IsBootstrap => BootstrapAuthority.Is(Certificate);

    /// <summary>AA:BB:… — the form macOS, Windows and Firefox show, so a person can compare on the device.</summary>
    public string Sha256Fingerprint => string.Join(':', Certificate.Sha256Fingerprint.Chunk(2).Select(pair => new string(pair)));

    /// <summary>
    /// The panel's one file-name rule (<see cref="DownloadFileName"/>), the same name the Authorities page gives: only
    /// [A-Za-z0-9._-], so it is also safe as a Content-Disposition value, an NSS nickname and a shell word.
    /// </summary>
    public string FileName => DownloadFileName.Base(DisplayName);
}
