using SynoCertPanel.Core.Boxes;
using SynoCertPanel.Core.Services;

namespace SynoCertPanel.Web.Api;

/// <summary>A certificate held here, as a service names it.</summary>
public sealed record ServiceCertificateItem(int Id, string Description, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Sha256Fingerprint)
{
    internal static ServiceCertificateItem From(HeldCertificate c) => new(c.Id, c.Description, c.NotBefore, c.NotAfter, c.Sha256Fingerprint);
}

/// <summary>
/// A watched endpoint of a box and what its last probe saw: <c>servedCertificate</c> when that is a certificate held here,
/// else only its fingerprint; <c>servesAnother</c> when it is not the certificate the service uses.
/// </summary>
public sealed record ServiceEndpointItem(int Id, string Endpoint, string? State, DateTimeOffset? CheckedAt, string? ServedFingerprint,
    DateTimeOffset? ServedNotAfter, ServiceCertificateItem? ServedCertificate, bool ServesAnother);

/// <summary>
/// A service and the certificate it uses: <c>listener</c> (the panel's HTTPS listener: the default certificate) or
/// <c>box:NAME</c> (the certificate of its last successful deploy). <c>setRefusal</c> says why the panel cannot change it.
/// </summary>
public sealed record ServiceItem(string Service, string Kind, string Name, ServiceCertificateItem? Uses, int? BoxId, string? Delivery,
    IReadOnlyList<ServiceEndpointItem> Endpoints, string? SetRefusal)
{
    internal static ServiceItem From(CertificateService s) => new(s.Key, s.Kind == ServiceKind.Listener ? "listener" : "box", s.Name,
        s.Uses is { } uses ? ServiceCertificateItem.From(uses) : null, s.Box?.Id, s.Box?.Delivery.Name(),
        [.. s.Endpoints.Select(e => new ServiceEndpointItem(e.Endpoint.Id, e.Endpoint.Display, e.Endpoint.State, e.Endpoint.CheckedAt, e.Endpoint.ServedFingerprint,
            e.Endpoint.ServedNotAfter, e.Served is { } served ? ServiceCertificateItem.From(served) : null, s.Uses is { } u && e.SawCertificate && !e.Serves(u)))],
        s.SetRefusal);
}

public sealed record ServiceList(IReadOnlyList<ServiceItem> Items);

internal static class ServiceExamples
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 30, 0, TimeSpan.Zero);

    private static ServiceCertificateItem Panel => new(12, "nas1.home.arpa", At.AddDays(-10), At.AddDays(355), "9C0D…");

    private static ServiceCertificateItem Nas2 => new(15, "nas2 (box)", At.AddDays(-1), At.AddDays(364), "6F1E…");

    public static ServiceList List => new([
        new ServiceItem("listener", "listener", "The panel's HTTPS listener", Panel, null, null, [], null),
        new ServiceItem("box:nas2", "box", "nas2", Nas2, 2, "ssh",
            [new ServiceEndpointItem(3, "nas2.home.arpa:443", "ok", At, "6F1E…", At.AddDays(364), Nas2, false),
                new ServiceEndpointItem(4, "nas2.home.arpa:5001", "not-latest", At, "77A0…", At.AddDays(20), null, true)], null),
        new ServiceItem("box:printer", "box", "printer", null, 3, "none",
            [new ServiceEndpointItem(5, "printer.home.arpa:443", "expiring-14", At, "B3C2…", At.AddDays(12), null, false)],
            "printer is watched only: the panel cannot put a certificate on it. Install the certificate on the box by hand, or give it a delivery method."),
    ]);
}
