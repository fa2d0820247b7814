using SynoCertPanel.Pki.Certificates;

namespace SynoCertPanel.Web.Trust;

/// <summary>A root CA held here, as the trust downloads see it: its id, its public certificate, nothing else.</summary>
public sealed record TrustedRoot(int Id, Certificate Certificate)
{
    /// <summary>Untrusted text from the certificate: escape it (HTML, XML) wherever it is shown.</summary>
    public string DisplayName => Certificate.Subject.CommonName ?? Certificate.SubjectText;

    /// <summary>AA:BB:… — the form macOS, Windows and Firefox show, so a person can compare on the device.</summary>
    public string Sha256Fingerprint => string.Join(':', Certificate.Sha256Fingerprint.Chunk(2).Select(pair => new string(pair)));

    /// <summary>Only [a-z0-9-], so it is safe as a file name, a Content-Disposition value, an NSS nickname and a shell word.</summary>
    public string FileName => DownloadName.For(Id, DisplayName);
}
