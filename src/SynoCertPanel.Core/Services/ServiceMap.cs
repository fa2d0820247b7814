using Microsoft.EntityFrameworkCore;
using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Inventory;
using SynoCertPanel.Core.Storage;
using SynoCertPanel.Pki;

namespace SynoCertPanel.Core.Services;

/// <summary>
/// Which certificate each service uses — the panel's own HTTPS listener, each box with its watched endpoints — and which
/// certificates could serve it instead: the Services page, `service list` and <c>GET /api/v1/services</c> read it here.
/// Changing one stays with the operations that exist (the listener's apply, a box's deploy).
/// </summary>
public sealed class ServiceMap(PanelStorage storage, BoxService boxes, TimeProvider time)
{
    public const string ListenerName = "The panel's HTTPS listener";

    /// <summary>The listener first, then the boxes by name.</summary>
    public async Task<IReadOnlyList<CertificateService>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await boxes.ListAsync(cancellationToken).ConfigureAwait(false);
        return await BuildAsync(all, listener: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<CertificateService>> FindAsync(ServiceKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Kind == ServiceKind.Listener)
        {
            return Result.Success((await BuildAsync([], listener: true, cancellationToken).ConfigureAwait(false))[0]);
        }

        var box = await boxes.FindAsync(key.Box ?? string.Empty, cancellationToken).ConfigureAwait(false);
        return box.IsSuccess
            ? Result.Success((await BuildAsync([box.Value], listener: false, cancellationToken).ConfigureAwait(false))[0])
            : Result.Failure<CertificateService>(box.Error!);
    }

    /// <summary>
    /// The certificates that could serve <paramref name="service"/>: valid now, server certificates with their keys held
    /// here, current (not replaced by a renewal). For a box, those covering every one of its addresses come first; then
    /// the one it uses now, then the longest-lived.
    /// </summary>
    public async Task<IReadOnlyList<ServiceCandidate>> CandidatesAsync(CertificateService service, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        var now = time.GetUtcNow();
        await using var db = storage.CreateContext();
        var rows = await db.Certificates.AsNoTracking()
            .Where(c => !c.IsCertificateAuthority && c.PrivateKeyId != null && c.ReplacedById == null)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var addresses = service.Addresses;
        return [.. rows.Where(r => ServiceCertificates.WhyNot(r, now) is null)
            .Select(r => new ServiceCandidate(ServiceCertificates.Held(r), addresses.Count > 0 && Covers(r, addresses)))
            .OrderByDescending(c => c.CoversAddresses)
            .ThenByDescending(c => c.Certificate.Id == service.Uses?.Id)
            .ThenByDescending(c => c.Certificate.NotAfter)
            .ThenBy(c => c.Certificate.Id)];
    }

    private static bool Covers(CertificateRecord record, IReadOnlyList<string> addresses)
    {
        var certificate = Records.ToCertificate(record);
        return addresses.All(certificate.Covers);
    }

    private async Task<IReadOnlyList<CertificateService>> BuildAsync(IReadOnlyList<BoxSummary> boxList, bool listener, CancellationToken cancellationToken)
    {
        await using var db = storage.CreateContext();
        var defaultId = listener ? await DefaultCertificate.GetAsync(db, cancellationToken).ConfigureAwait(false) : null;
        var boxIds = boxList.Select(b => b.Id).ToList();
        // The last successful deploy per box is what the panel put there; later failed or rolled-back ones changed nothing.
        var deployed = (await db.Deployments.AsNoTracking()
                .Where(d => boxIds.Contains(d.BoxId) && d.Outcome == DeploymentOutcome.Succeeded && d.CertificateId != null)
                .Select(d => new { d.BoxId, d.Id, d.CertificateId })
                .ToListAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(d => d.BoxId)
            .ToDictionary(g => g.Key, g => g.MaxBy(d => d.Id)!.CertificateId!.Value);
        var fingerprints = boxList.SelectMany(b => b.Endpoints).Select(e => e.ServedFingerprint).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var ids = deployed.Values.Concat(defaultId is { } d ? [d] : []).Distinct().ToList();
        var held = await db.Certificates.AsNoTracking()
            .Where(c => ids.Contains(c.Id) || fingerprints.Contains(c.Sha256Fingerprint))
            .Select(c => new CertificateRecordView(c.Id, c.Description, c.Subject, c.NotBefore, c.NotAfter, c.Sha256Fingerprint, c.ReplacedById))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var byId = held.ToDictionary(h => h.Id, h => h.Held);
        // The same certificate imported twice: the current row names it.
        var byFingerprint = held.GroupBy(h => h.Sha256Fingerprint, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.OrderBy(h => h.ReplacedById is null ? 0 : 1).ThenByDescending(h => h.Id).First().Held, StringComparer.OrdinalIgnoreCase);

        var services = new List<CertificateService>();
        if (listener)
        {
            services.Add(new CertificateService(ServiceKey.ListenerName, ServiceKind.Listener, ListenerName,
                defaultId is { } id ? byId.GetValueOrDefault(id) : null, null, [], null));
        }

        foreach (var box in boxList)
        {
            var endpoints = box.Endpoints.Select(e => new ServiceEndpoint(e, e.ServedFingerprint is { } fp ? byFingerprint.GetValueOrDefault(fp) : null)).ToList();
            services.Add(new CertificateService(ServiceKey.ForBox(box.Name).ToString(), ServiceKind.Box, box.Name,
                deployed.TryGetValue(box.Id, out var deployedId) ? byId.GetValueOrDefault(deployedId) : null, box, endpoints, SetRefusal(box)));
        }

        return services;
    }

    /// <summary>Why a box cannot be given another certificate from here, in the words the deploy would refuse with.</summary>
    private static string? SetRefusal(BoxSummary box) => box switch
    {
        { Delivery: DeliveryKind.None } =>
            $"{box.Name} is watched only: the panel cannot put a certificate on it. Install the certificate on the box by hand, or give it a delivery method.",
        { Enabled: false } => $"{box.Name} is disabled; enable it on the Boxes page before deploying to it.",
        { Delivery: DeliveryKind.Panel } =>
            $"{box.Name} makes its own key ({DeliveryKind.Panel.Label()}): deploy from the Boxes page, and its CA signs the box's own request.",
        _ => null,
    };

    private sealed record CertificateRecordView(int Id, string Description, string Subject, DateTimeOffset NotBefore, DateTimeOffset NotAfter,
        string Sha256Fingerprint, int? ReplacedById)
    {
        public HeldCertificate Held => new(Id, ServiceCertificates.DisplayName(Description, Subject), NotBefore, NotAfter, Sha256Fingerprint);
    }
}
