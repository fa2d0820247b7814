using System.Globalization;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Web.Api;

namespace SynoCertPanel.Web.Cli;

/// <summary>
/// One row of `cert list`, read from this machine's inventory or from a remote panel's API, printed one way: the same
/// line for people and, with --json, the same object (its properties, in order, are the JSON's names).
/// </summary>
internal sealed record CertificateRow(int Id, string Description, IReadOnlyList<string> AlternativeNames, DateTimeOffset NotAfter, string Key,
    string Source, bool IsDefault, int? ReplacedById)
{
    public static CertificateRow From(CertificateSummary c) =>
        new(c.Id, c.Description, c.AlternativeNames, c.NotAfter, c.KeyDescription, c.Source.ToString(), c.IsDefault, c.ReplacedById);

    public static CertificateRow From(CertificateItem c) =>
        new(c.Id, c.Description, c.AlternativeNames, c.NotAfter, c.Key, c.Source, c.IsDefault, c.ReplacedById);

    public string Text() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{(IsDefault ? "*" : " ")}{Id}\t{Pki.Display.Literal(Description, 40)}\t{string.Join(",", AlternativeNames)}\tuntil {NotAfter:yyyy-MM-dd}\t{Key}\t{Source}")
        + (ReplacedById is { } by ? string.Create(CultureInfo.InvariantCulture, $"\treplaced by {by}") : string.Empty);
}

/// <summary>What `cert show` prints about one certificate, from this machine's inventory or from a remote panel's API.</summary>
internal sealed record CertificateFacts(int Id, string Subject, string Issuer, IReadOnlyList<string> AlternativeNames, DateTimeOffset NotBefore,
    DateTimeOffset NotAfter, string Key, string Serial, string Sha256, bool IsDefault, string Pem)
{
    public static CertificateFacts From(CertificateDetails d) => new(d.Summary.Id, d.Certificate.SubjectText, d.Certificate.IssuerText,
        d.Certificate.SubjectAlternativeNames.Select(n => n.DisplayValue).ToList(), d.Certificate.NotBefore, d.Certificate.NotAfter,
        d.Certificate.PublicKey.ToString(), d.Certificate.SerialNumberHex, d.Certificate.Sha256Fingerprint, d.Summary.IsDefault, d.Certificate.ToPem());

    /// <summary>
    /// The API writes names as the list does (<c>DNS:…</c>, <c>IP:…</c>, IDNs in punycode); the engine's own parser turns
    /// each back into what a person reads, as the local command prints it.
    /// </summary>
    public static CertificateFacts From(CertificateDocument d) => new(d.Id, d.Subject, d.Issuer,
        d.AlternativeNames.Select(n => SanParser.Parse(n) is { IsSuccess: true } parsed ? parsed.Value.DisplayValue : n).ToList(), d.NotBefore,
        d.NotAfter, d.Key, d.SerialNumber, d.Sha256Fingerprint, d.IsDefault, d.CertificatePem);

    public string Text() => string.Join('\n',
        $"Subject:     {Subject}",
        $"Issuer:      {Issuer}",
        $"Names:       {string.Join(", ", AlternativeNames)}",
        string.Create(CultureInfo.InvariantCulture, $"Valid:       {NotBefore:yyyy-MM-dd HH:mm} to {NotAfter:yyyy-MM-dd HH:mm} UTC"),
        $"Key:         {Key}",
        $"Serial:      {Serial}",
        $"SHA-256:     {Sha256}",
        $"Default:     {(IsDefault ? "yes" : "no")}",
        Pem);
}
