using SynoCertPanel.Core.Boxes;

namespace SynoCertPanel.Core.Services;

/// <summary>A certificate held here, as a service row names it.</summary>
/// <param name="Id">Its id in the inventory.</param>
/// <param name="Description">Its description (or subject when it has none), as the list shows it.</param>
/// <param name="NotBefore">Valid from.</param>
/// <param name="NotAfter">Valid until: the row's expiry chip.</param>
/// <param name="Sha256Fingerprint">The leaf's SHA-256 in hex: what a probe compares with what an endpoint serves.</param>
public sealed record HeldCertificate(int Id, string Description, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Sha256Fingerprint);

/// <summary>A watched endpoint of a box, with what its last probe saw served.</summary>
/// <param name="Endpoint">The endpoint and its last probe, as the Boxes page shows it.</param>
/// <param name="Served">The leaf it served when that is a certificate held here; null for one not held here (or nothing seen).</param>
public sealed record ServiceEndpoint(BoxEndpointSummary Endpoint, HeldCertificate? Served)
{
    /// <summary>The probe saw a certificate there (the endpoint answered a handshake).</summary>
    public bool SawCertificate => Endpoint.ServedFingerprint is not null;

    /// <summary>Whether the last probe saw <paramref name="certificate"/> served here; false when it saw nothing.</summary>
    public bool Serves(HeldCertificate certificate) =>
        certificate is not null && string.Equals(Endpoint.ServedFingerprint, certificate.Sha256Fingerprint, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One row of the Services page (DSM's "Settings" dialog): something that serves a certificate, the one it uses now, and
/// whether and how the panel can change it.
/// </summary>
/// <param name="Key">Its name for the command line and the API (<c>listener</c>, <c>box:NAME</c>).</param>
/// <param name="Kind">What kind of service it is.</param>
/// <param name="Name">How the page names it.</param>
/// <param name="Uses">
/// What it uses now: for the listener the default certificate; for a box the certificate of its last successful deploy
/// (null when the panel never delivered one, or that certificate was deleted since).
/// </param>
/// <param name="Box">The box, for a box.</param>
/// <param name="Endpoints">A box's watched endpoints with what each last served.</param>
/// <param name="SetRefusal">Why the panel cannot put another certificate there, as a sentence; null when it can.</param>
public sealed record CertificateService(string Key, ServiceKind Kind, string Name, HeldCertificate? Uses, BoxSummary? Box,
    IReadOnlyList<ServiceEndpoint> Endpoints, string? SetRefusal)
{
    /// <summary>The endpoints whose last probe saw another certificate than <see cref="Uses"/> (served ≠ chosen).</summary>
    public IReadOnlyList<ServiceEndpoint> ServingAnother => Uses is null ? [] : [.. Endpoints.Where(e => e.SawCertificate && !e.Serves(Uses))];

    /// <summary>The addresses a certificate for it should cover: a box's addresses (none for the listener, whose names are the admin's choice).</summary>
    public IReadOnlyList<string> Addresses => Box?.Addresses ?? [];
}

/// <summary>A certificate that could serve a service: valid now, a server certificate, its key held here.</summary>
/// <param name="Certificate">The certificate.</param>
/// <param name="CoversAddresses">It covers every address of the box (always false for the listener: nothing to compare with).</param>
public sealed record ServiceCandidate(HeldCertificate Certificate, bool CoversAddresses);
