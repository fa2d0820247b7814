using SynoCertPanel.Pki.Issuance;
using SynoCertPanel.Pki.Names;
using SynoCertPanel.Pki.Profiles;

namespace SynoCertPanel.Web.Components.Signing;

/// <summary>The choices of the Sign CSR wizard, kept by the page so going back to a step shows them again.</summary>
public sealed class SigningDraft
{
    public string PastedPem { get; set; } = string.Empty;

    public string? SourceName { get; set; }

    public CertificateSigningRequest? Request { get; private set; }

    public int? AuthorityId { get; set; }

    public int ValidityDays { get; set; } = CertificateProfile.TlsServer.DefaultValidityDays;

    public List<SubjectAlternativeName> Names { get; } = [];

    /// <summary>
    /// A new request starts the names over from what it asks for: its alternative names, or its common name when
    /// it has none (as openssl's "-subj /CN=host" alone makes). Names the parser refuses, and e-mail and URI names
    /// (a server certificate carries DNS names and IP addresses only), are left out; the preview lists them as not copied.
    /// </summary>
    public void UseRequest(CertificateSigningRequest? request)
    {
        Request = request;
        Names.Clear();
        if (request is null)
        {
            return;
        }

        var requested = request.SubjectAlternativeNames.Select(n => n.ToString()).ToList();
        if (requested.Count == 0 && request.Subject.CommonName is { } cn)
        {
            requested.Add(cn);
        }

        foreach (var text in requested)
        {
            var parsed = SanParser.Parse(text);
            if (parsed.IsSuccess && parsed.Value.Kind is SanKind.Dns or SanKind.IpAddress && !Names.Contains(parsed.Value))
            {
                Names.Add(parsed.Value);
            }
        }
    }

    public SignRequestOptions ToOptions() => new()
    {
        SubjectAlternativeNames = [.. Names],
        ValidityDays = ValidityDays,
        Profile = CertificateProfile.TlsServer,
    };
}
