using SynoCertPanel.Pki;
using SynoCertPanel.Pki.Certificates;
using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Lint;
using SynoCertPanel.Pki.Names;

namespace SynoCertPanel.Core.Inventory;

/// <summary>
/// What signing a request would issue, before anything is stored. <see cref="Certificate"/> is never saved:
/// the certificate signed afterwards has another serial number, and otherwise the same content.
/// </summary>
/// <param name="Certificate">The certificate as it would be signed.</param>
/// <param name="Chain">Its issuers, nearest first, as stored with it.</param>
/// <param name="Lint">The compatibility lint per client; null for a client certificate (the lint has no rules for one).</param>
/// <param name="Refusal">Why signing would be refused by the lint, or null when it would be stored.</param>
/// <param name="Warnings">Validity shortened to the CA's own end, and the lint's warnings.</param>
/// <param name="NotCopied">What the request asked for that the certificate will not carry.</param>
public sealed record SigningPreview(Certificate Certificate, IReadOnlyList<Certificate> Chain, LintReport? Lint, string? Refusal,
    IReadOnlyList<string> Warnings, IReadOnlyList<string> NotCopied);

/// <summary>Lists, for the person signing, each part of a request that the issued certificate leaves out.</summary>
public static class RequestDifferences
{
    /// <summary>What the request itself asks for that is never copied, whatever the person approves.</summary>
    public static IReadOnlyList<string> NeverCopied(CertificateSigningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var notCopied = new List<string>();
        notCopied.AddRange(request.IgnoredExtensions.Select(e =>
            $"Extension: {e.Name} ({e.Oid}{(e.Critical ? ", marked critical" : string.Empty)}); the CA decides it."));
        notCopied.AddRange(request.UnsupportedAlternativeNames.Select(n =>
            $"Alternative name {Display.Literal(n)}: a kind of name that is not issued."));
        return notCopied;
    }

    /// <summary>Adds to <see cref="NeverCopied"/> the names and the common name the issued certificate leaves out.</summary>
    public static IReadOnlyList<string> NotCopied(CertificateSigningRequest request, Certificate issued)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(issued);
        var notCopied = new List<string>(NeverCopied(request));
        var kept = issued.SubjectAlternativeNames.ToHashSet();
        notCopied.AddRange(request.SubjectAlternativeNames.Where(n => !kept.Contains(n)).Select(n => n.Kind is SanKind.Dns or SanKind.IpAddress
            ? $"Alternative name {Display.Literal(n.ToString())}: removed before signing."
            : $"Alternative name {Display.Literal(n.ToString())}: server certificates carry DNS names and IP addresses only."));
        if (request.Subject.Email is { } email && issued.Subject.Email is null)
        {
            notCopied.Add($"Subject e-mail address \"{Display.Literal(email)}\": the CA permits no e-mail addresses.");
        }
        if (request.Subject.CommonName is { } cn && !string.Equals(cn, issued.Subject.CommonName, StringComparison.Ordinal))
        {
            notCopied.Add($"Common name \"{Display.Literal(cn)}\": not among the approved names, so the first approved name is used.");
        }

        return notCopied;
    }
}
