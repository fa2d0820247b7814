using SynoCertPanel.Core.Inventory;

namespace SynoCertPanel.Web.Components.Certificates;

/// <summary>One line of the export dialog: a format, its name as people know it, and where it is used.</summary>
public sealed record ExportChoice(ExportFormat Format, string Title, string Hint)
{
    public bool ContainsKey => ExportFormats.ContainsKey(Format);

    public bool IsPkcs12 => Format is ExportFormat.Pfx or ExportFormat.PfxLegacy;
}

/// <summary>The formats <see cref="ExportService"/> writes, in the order the dialog offers them.</summary>
public static class ExportChoices
{
    public static IReadOnlyList<ExportChoice> All { get; } =
    [
        new(ExportFormat.SynologyZip, "Synology archive (.zip)", "cert.pem, privkey.pem and syno-ca-cert.pem, as DSM's Import takes them"),
        new(ExportFormat.Pem, "Certificate (PEM)", "The certificate alone"),
        new(ExportFormat.Key, "Private key (PEM)", "PKCS#8; encrypted when you give it a password"),
        new(ExportFormat.FullChain, "Full chain (PEM)", "The certificate, then its issuers: nginx, HAProxy, Traefik"),
        new(ExportFormat.Chain, "Chain (PEM)", "The issuers only: an appliance's \"intermediate certificate\" field"),
        new(ExportFormat.Der, "Certificate (DER, .cer)", "Binary: Windows and Java"),
        new(ExportFormat.Pfx, "PKCS#12 (.pfx), modern", "Key and chain, AES-256: Windows 10 1709+, macOS 15+, OpenSSL 3"),
        new(ExportFormat.PfxLegacy, "PKCS#12 (.pfx), legacy", "Key and chain, 3DES: older Windows and macOS, many appliances"),
        new(ExportFormat.P7b, "PKCS#7 (.p7b)", "Certificate and chain, no key: Windows"),
    ];

    public static ExportChoice Of(ExportFormat format) => All.Single(c => c.Format == format);
}
